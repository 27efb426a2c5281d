from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from coursesite.demo import course as demo
from coursesite.extensions import db
from coursesite.people import accounts


def fail(message: str) -> None:
    """One line on stderr, exit non-zero."""
    raise click.ClickException(message)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--password", required=True,
              help=f"{accounts.PASSWORD_MIN_CHARS} to {accounts.PASSWORD_MAX_CHARS} characters.")
@click.option("--admin", is_flag=True, help="Site administrator.")
@click.option("--course-creator", is_flag=True, help="May create courses.")
@with_appcontext
def create_user_command(email: str, name: str, password: str, admin: bool, course_creator: bool) -> None:
    """Create an account (the first site admin comes from here)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        fail(f"not an email address: {email}")
    if not accounts.PASSWORD_MIN_CHARS <= len(password) <= accounts.PASSWORD_MAX_CHARS:
        fail(f"the password needs {accounts.PASSWORD_MIN_CHARS} to {accounts.PASSWORD_MAX_CHARS} characters "
             "(the login form takes no more)")
    if not name.strip():
        fail("the name must not be empty")
    if len(name.strip()) > accounts.NAME_MAX_CHARS:
        fail(f"the name may have at most {accounts.NAME_MAX_CHARS} characters")
    try:
        user = accounts.create_user(email, name, password, is_admin=admin, can_create_courses=course_creator)
    except accounts.AccountError as error:
        fail(str(error))
    db.session.commit()
    click.echo(f"created {user.email}{' (admin)' if admin else ''}")


@click.command("demo")
@click.option("--force", is_flag=True, help="Add the demo course even if the database holds other data.")
@with_appcontext
def demo_command(force: bool) -> None:
    """Load the demo course (demo-101) unless the database already has data."""
    if demo.has_data() and not force:
        click.echo("the database already holds data; demo not loaded")
        return
    if demo.demo_exists():
        click.echo("the demo course is already loaded")
        return
    demo.build_demo()
    db.session.commit()
    click.echo(demo.LOGIN_HELP)
