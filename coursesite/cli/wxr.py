"""`flask --app wsgi import-wxr FILE --course SLUG` and `export-wxr --course SLUG`: move a blog in and out."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from coursesite.cli.users import fail
from coursesite.coursework import courses as course_service
from coursesite.extensions import db
from coursesite.files.sizes import size_text
from coursesite.models import Course, User
from coursesite.people import accounts
from coursesite.permissions import is_instructor
from coursesite.text.timefmt import is_timezone
from coursesite.wordpress.exporter import wxr_parts
from coursesite.wordpress.importer import ImportOptions, NewCourse, import_wxr
from coursesite.wordpress.parse import MAX_WXR_BYTES, WxrDocument, WxrError, parse_wxr
from coursesite.wordpress.people import person_ref, usable_email


def _read_file(path: str, max_bytes: int) -> bytes:
    """The file's bytes, reading at most one byte past the limit: a pipe or a device has no size to check first."""
    try:
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read the file ({error.strerror or error})") from error
    if len(data) > max_bytes:
        fail(f"{path}: the file is larger than the limit of {size_text(max_bytes)}")
    return data


def _check_new_course(slug: str, timezone: str) -> None:
    """A bad --course is named as the option at fault, not as a fault of the file."""
    try:
        course_service.check_course_fields(slug, timezone)
    except course_service.CourseError as error:
        fail(f"--course {slug}: {error}")


def _owner(email: str | None) -> User:
    if email:
        user = accounts.find_user(email)
        if user is None or user.is_guest:
            fail(f"no account with the email {email}")
        return user
    admin = db.session.scalar(select(User).where(User.is_admin.is_(True)).order_by(User.id).limit(1))
    if admin is None:
        fail("no owner for the course: pass --owner EMAIL, or create a site admin first "
             "(flask --app wsgi create-user EMAIL --admin ...)")
    return admin


def _person_of_file(doc: WxrDocument, who: str) -> str:
    """The PersonInFile.ref of an email or author login of the file."""
    author = doc.authors.get(who)
    email = usable_email(author.email) if author else usable_email(who)
    if email:
        return person_ref(f"email:{email}")
    if author is None:
        fail(f"--link {who}: the file has no author with this login, and it is not an email")
    return person_ref(f"login:{author.login}")


def _links(doc: WxrDocument, links: tuple[str, ...]) -> dict[str, User]:
    """--link WHO=ACCOUNT_EMAIL: the operator's explicit choice of account for a person of the file."""
    chosen = {}
    for link in links:
        who, _, account_email = link.partition("=")
        user = accounts.find_user(account_email) if account_email.strip() else None
        if user is None or user.is_guest:
            fail(f"--link {link}: no account with the email {account_email.strip() or '(none given)'}")
        chosen[_person_of_file(doc, who.strip())] = user
    return chosen


@click.command("import-wxr")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--course", "slug", required=True, help="Course address (slug); created when missing.")
@click.option("--timezone", help="IANA time zone of a new course, e.g. America/New_York (required then).")
@click.option("--visibility", type=click.Choice(["public", "members"]), default=None,
              help="Who can read a new course's blog (default: members).")
@click.option("--owner", "owner_email", help="Email of the instructor who owns the import (default: first site admin).")
@click.option("--dry-run", is_flag=True, help="Print the report and write nothing.")
@click.option("--link", "links", multiple=True, metavar="WHO=ACCOUNT_EMAIL",
              help="Credit a person of the file (their email or author login) to this account. Without it, "
                   "only members of the course are matched (by email); everyone else becomes a guest author.")
@click.option("--include-drafts", is_flag=True, help="Import drafts as drafts.")
@click.option("--include-pending", is_flag=True, help="Import comments awaiting approval as held comments.")
@with_appcontext
def import_wxr_command(file: str, slug: str, timezone: str | None, visibility: str | None, owner_email: str | None,
                       dry_run: bool, links: tuple[str, ...], include_drafts: bool, include_pending: bool) -> None:
    """Import a WordPress export (WXR) into a course: essays, people, threaded comments."""
    if timezone and not is_timezone(timezone):
        fail(f"unknown time zone: {timezone} (use a name like America/New_York)")
    max_bytes = current_app.config.get("WXR_MAX_BYTES", MAX_WXR_BYTES)
    try:
        doc = parse_wxr(_read_file(file, max_bytes), max_bytes)
    except WxrError as error:
        fail(f"{file}: {error}")
    owner = _owner(owner_email)
    chosen = _links(doc, links)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    new_course = None
    if course is None:
        if not timezone:
            fail(f"course {slug} does not exist: pass --timezone to create it")
        _check_new_course(slug, timezone)
        new_course = NewCourse(slug=slug, timezone=timezone, visibility=visibility or "members")
    elif not is_instructor(owner, course):
        fail(f"course {slug} belongs to someone else ({owner.email} is not its instructor; see --owner)")
    elif timezone and timezone != course.timezone:
        fail(f"course {slug} already uses the time zone {course.timezone}; --timezone is for a new course")
    options = ImportOptions(include_drafts=include_drafts, include_pending=include_pending, dry_run=dry_run)
    try:
        # The import rolls its own savepoint back on an error and after a dry run: nothing is written then.
        report = import_wxr(doc, importer=owner, options=options, course=course, new_course=new_course,
                            chosen=chosen)
    except WxrError as error:
        fail(f"{file}: {error}")
    db.session.commit()
    click.echo("\n".join(report.lines()))


@click.command("export-wxr")
@click.option("--course", "slug", required=True, help="Course address (slug).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
@click.option("--include-emails", is_flag=True, help="Include authors' and commenters' emails.")
@click.option("--site-url", default="http://localhost/", show_default=True, help="This site's address, for links.")
@with_appcontext
def export_wxr_command(slug: str, output: str | None, include_emails: bool, site_url: str) -> None:
    """Export a course blog as WXR 1.2 for WordPress's importer."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        fail(f"no course {slug}")
    parts = wxr_parts(course, site_url=site_url, include_emails=include_emails)
    if not output:
        for part in parts:
            click.echo(part, nl=False)
        return
    try:
        with Path(output).open("w", encoding="utf-8") as file:
            file.writelines(parts)
    except OSError as error:
        fail(f"{output}: cannot write the file ({error.strerror or error})")
    click.echo(f"wrote {output}", err=True)
