"""Site admins register an LMS, and see the values to paste into Canvas, Moodle, Blackboard or D2L."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from coursesite.extensions import db, login_manager
from coursesite.lti import registry
from coursesite.lti.blueprint import bp
from coursesite.lti.forms import PlatformForm, deployment_ids
from coursesite.permissions import is_site_admin
from coursesite.security import form_checks_csrf


def _admins_only() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not is_site_admin(current_user):
        abort(403)


@bp.route("/platforms", methods=["GET", "POST"])
@form_checks_csrf
def platforms():
    _admins_only()
    form = PlatformForm()
    if form.validate_on_submit():
        details = registry.PlatformDetails(
            form.issuer.data, form.client_id.data, form.auth_login_url.data, form.auth_token_url.data,
            form.key_set_url.data, tuple(deployment_ids(form.deployment_ids.data)), form.auth_audience.data)
        platform, added = registry.register(details)
        db.session.commit()
        flash(f"{platform.issuer} (client id {platform.client_id}) is registered"
              f"{', with deployment ' + ', '.join(added) if added else ''}.", "success")
        return redirect(url_for("lti.platforms"))
    return render_template("lti/platforms.html", form=form, platforms=registry.platforms(),
                           tool=registry.tool_values())
