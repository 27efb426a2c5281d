"""The site admin's page: find an account, export its records on request, anonymise it; the audit lines.

Guarded as a whole (site admins only); every action here writes an audit line naming the account by id only.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from coursesite.extensions import db, limiter, login_manager, person_or_address
from coursesite.forms import confirmed, page_number
from coursesite.models import AccountAudit, User, utcnow
from coursesite.permissions import is_site_admin
from coursesite.privacy.anonymise import AnonymiseError, anonymise_account, anonymise_problem, record_audit
from coursesite.privacy.downloads import ExportTooLarge, export_response

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACCOUNTS_PER_PAGE = 50
AUDIT_LINES_SHOWN = 50
MAX_QUERY_CHARS = 254


@bp.before_request
def _site_admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_site_admin(current_user):
        abort(403)
    return None


def _accounts_matching(query: str):
    statement = select(User).order_by(User.id)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(User.email.ilike(pattern, escape="\\"),
                                        User.display_name.ilike(pattern, escape="\\")))
    return statement


@bp.route("/")
def accounts():
    query = (request.args.get("q") or "").strip()[:MAX_QUERY_CHARS]
    found = db.paginate(_accounts_matching(query), page=page_number(), per_page=ACCOUNTS_PER_PAGE, error_out=False)
    audit = db.session.scalars(select(AccountAudit).order_by(AccountAudit.at.desc(), AccountAudit.id.desc())
                               .limit(AUDIT_LINES_SHOWN)).all()
    return render_template("privacy/admin_accounts.html", found=found, query=query, audit=audit)


def _account(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/accounts/<int:user_id>")
def account(user_id: int):
    user = _account(user_id)
    return render_template("privacy/admin_account.html", account=user,
                           problem=anonymise_problem(user, current_user))


@bp.route("/accounts/<int:user_id>/anonymise", methods=["POST"])
def anonymise(user_id: int):
    user = _account(user_id)
    if not confirmed():
        return render_template("privacy/admin_account.html", account=user,
                               problem=anonymise_problem(user, current_user),
                               confirm_error="Tick the box to confirm that this account is anonymised.")
    try:
        anonymise_account(user, current_user, utcnow())
    except AnonymiseError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.account", user_id=user_id))
    db.session.commit()
    flash(f"Account {user_id} is anonymised. Its essays and comments now show “{user.display_name}”.", "success")
    return redirect(url_for("admin.accounts"))


@bp.route("/accounts/<int:user_id>/data")
@limiter.limit(lambda: current_app.config["DATA_EXPORT_RATE_LIMIT"], key_func=person_or_address)
def account_data(user_id: int):
    user = _account(user_id)
    try:
        response = export_response(user, None, f"coursesite-account-{user.id}")
    except ExportTooLarge:
        flash("This account's data is larger than the export limit (DATA_EXPORT_MAX_BYTES).", "error")
        return redirect(url_for("admin.account", user_id=user_id))
    record_audit(current_user, "export", user.id, utcnow())
    db.session.commit()
    return response
