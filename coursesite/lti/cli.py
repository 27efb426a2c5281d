"""`flask --app wsgi lti …`: register an LMS, list them, rotate the tool's key, send waiting scores."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from wtforms.validators import ValidationError

from coursesite.extensions import db
from coursesite.lti import keys, registry, scores, storage
from coursesite.lti.forms import https_url

lti_command = AppGroup("lti", help="LTI 1.3: the LMSs that open Coursesite, and the tool's keys.")


class _Field:
    def __init__(self, data):
        self.data = data


def _url(name: str, value: str) -> str:
    try:
        https_url(None, _Field(value))
    except ValidationError as error:
        raise click.BadParameter(str(error), param_hint=name) from error
    return value.strip()


@lti_command.command("register")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option("--auth-login-url", required=True)
@click.option("--auth-token-url", required=True)
@click.option("--key-set-url", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="Repeat for each.")
@click.option("--auth-audience", default=None, help="The token request's audience, when not the token URL (D2L).")
def register_command(issuer, client_id, auth_login_url, auth_token_url, key_set_url, deployment_ids,
                     auth_audience) -> None:
    """Register an LMS (or add deployments to one)."""
    details = registry.PlatformDetails(
        issuer.strip(), client_id.strip(), _url("--auth-login-url", auth_login_url),
        _url("--auth-token-url", auth_token_url), _url("--key-set-url", key_set_url),
        tuple(d.strip() for d in deployment_ids if d.strip()), (auth_audience or "").strip() or None)
    if not details.issuer or not details.client_id or not details.deployment_ids:
        raise click.ClickException("issuer, client id and at least one deployment id must not be empty")
    platform, added = registry.register(details)
    db.session.commit()
    click.echo(f"registered {platform.issuer} client {platform.client_id}; deployments: "
               f"{', '.join(platform.deployment_ids)} ({len(added)} new)")
    for name, value in registry.tool_values().items():
        click.echo(f"  {name}: {value}")


@lti_command.command("list")
def list_command() -> None:
    """The registered LMSs."""
    found = registry.platforms()
    if not found:
        click.echo("no LMS registered")
    for p in found:
        click.echo(f"{p.issuer}\tclient {p.client_id}\tdeployments {', '.join(p.deployment_ids)}\tkeys {p.key_set_url}")


@lti_command.command("rotate-key")
def rotate_key_command() -> None:
    """A new signing key; the old one stays published until the next rotation."""
    new, removed = keys.rotate()
    db.session.commit()
    click.echo(f"signing with {new.kid}; published: {', '.join(k.kid for k in keys.published_keys())}"
               + (f"; removed {', '.join(removed)}" if removed else ""))


@lti_command.command("send-scores")
def send_scores_command() -> None:
    """Queue changed scores of released assignments and send every waiting or failed one."""
    queued = scores.queue_released()
    storage.forget_expired()
    db.session.commit()
    sent = scores.send_waiting()
    click.echo(f"{queued} queued, {sent.accepted} accepted, {sent.failed} failed")
    if sent.failed:
        raise SystemExit(1)
