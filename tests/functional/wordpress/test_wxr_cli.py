"""`flask import-wxr` and `export-wxr`: a report on success; one line on stderr and nothing written on bad input."""

import os
import threading

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Course, Enrollment
from tests import factories as f
from tests.functional.wordpress.test_wxr_limits import with_comment_dates
from tests.functional.wxr_support import FIXTURES, course_posts, row_counts

SMALL = str(FIXTURES / "small-export.xml")


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


@pytest.fixture
def admin(app):
    return f.make_user("Site Admin", is_admin=True)


def test_import_creates_a_members_course_owned_by_the_first_admin(cli, admin):
    result = cli.invoke(args=["import-wxr", SMALL, "--course", "trunk-blog", "--timezone", "Europe/Paris"])
    assert result.exit_code == 0, result.output
    assert "essays: 5 created" in result.output and "comments: 1 created" in result.output
    course = db.session.scalar(select(Course).where(Course.slug == "trunk-blog"))
    assert (course.title, course.timezone, course.visibility) == ("trunk", "Europe/Paris", "members")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id))
    assert (enrollment.user_id, enrollment.role) == (admin.id, "instructor")
    assert len(course_posts(course)) == 5


def test_import_with_owner_and_public_visibility_then_again(cli, admin):
    owner = f.make_user("Owner")
    args = ["import-wxr", SMALL, "--course", "pub", "--timezone", "UTC", "--visibility", "public",
            "--owner", owner.email]
    assert cli.invoke(args=args).exit_code == 0
    course = db.session.scalar(select(Course).where(Course.slug == "pub"))
    assert course.visibility == "public"
    before = row_counts()
    again = cli.invoke(args=["import-wxr", SMALL, "--course", "pub", "--owner", owner.email])
    assert again.exit_code == 0 and "essays: 0 created, 5 already imported" in again.output
    assert row_counts() == before


def test_dry_run_prints_the_report_and_writes_nothing(cli, admin):
    before = row_counts()
    result = cli.invoke(args=["import-wxr", SMALL, "--course", "dry", "--timezone", "UTC", "--dry-run"])
    assert result.exit_code == 0
    assert result.output.startswith("Dry run: nothing was written.")
    assert "post 13 “Private Post”: status “private” is not imported" in result.output
    assert row_counts() == before


def _bad(cli, args, expected):
    before = row_counts()
    result = cli.invoke(args=args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert row_counts() == before


def test_bad_files_are_refused(cli, admin, tmp_path):
    not_xml = tmp_path / "notes.txt"
    not_xml.write_text("just some notes")
    rss = tmp_path / "feed.xml"
    rss.write_text("<rss><channel><title>A feed</title></channel></rss>")
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss>&b;</rss>')
    for path, expected in ((not_xml, "this is not an XML file"), (rss, "not a WordPress export"),
                           (bomb, "refused: the file declares a DOCTYPE"),
                           (FIXTURES / "malformed.xml", "not well-formed XML: mismatched tag: line 90"),
                           (tmp_path / "absent.xml", "cannot read the file")):
        _bad(cli, ["import-wxr", str(path), "--course", "new-one", "--timezone", "UTC"], expected)


def test_a_file_of_more_items_than_an_export_holds_is_refused(cli, admin, tmp_path):
    items = tmp_path / "items.xml"
    small = (FIXTURES / "small-export.xml").read_bytes()
    end = small.rindex(b"</channel>")
    items.write_bytes(small[:end] + b"<item/>" * 20_001 + small[end:])
    _bad(cli, ["import-wxr", str(items), "--course", "new-one", "--timezone", "UTC"],
         "items.xml: refused: the file holds more than 20,000 items (posts, pages and media)")


def test_files_over_the_size_limit_are_refused(cli, admin, app):
    app.config["WXR_MAX_BYTES"] = 1000
    _bad(cli, ["import-wxr", SMALL, "--course", "new-one", "--timezone", "UTC"], "larger than the limit")


def test_a_stream_with_no_size_is_read_only_up_to_the_limit(cli, admin, app, tmp_path):
    """A pipe (or /dev/zero) reports size 0: the command stops reading one byte past the limit."""
    app.config["WXR_MAX_BYTES"] = 1000
    pipe = tmp_path / "endless.xml"
    os.mkfifo(pipe)
    offered, written = 8 * 1024 * 1024, []

    def feed():
        try:
            with open(pipe, "wb", buffering=0) as writer:
                for _ in range(offered // 4096):
                    written.append(writer.write(b"<" * 4096))
        except BrokenPipeError:
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    _bad(cli, ["import-wxr", str(pipe), "--course", "new-one", "--timezone", "UTC", "--dry-run"],
         "endless.xml: the file is larger than the limit of")
    feeder.join(timeout=10)
    assert not feeder.is_alive() and sum(written) < offered // 8


def test_bad_options_are_refused(cli, admin):
    _bad(cli, ["import-wxr", SMALL, "--course", "new-one", "--timezone", "Mars/Olympus"], "unknown time zone")
    _bad(cli, ["import-wxr", SMALL, "--course", "new-one"], "pass --timezone to create it")
    _bad(cli, ["import-wxr", SMALL, "--course", "Bad Slug!", "--timezone", "UTC"],
         "--course Bad Slug!: Use lower-case letters")
    _bad(cli, ["import-wxr", SMALL, "--course", "new-one", "--timezone", "UTC", "--owner", "nobody@example.org"],
         "no account with the email")


def test_a_course_of_someone_else_is_refused(cli, admin):
    course = f.make_course()
    _bad(cli, ["import-wxr", SMALL, "--course", course.slug], "belongs to someone else")
    outsider = f.make_user("Other Teacher")
    _bad(cli, ["import-wxr", SMALL, "--course", course.slug, "--owner", outsider.email], "belongs to someone else")
    ok = cli.invoke(args=["import-wxr", SMALL, "--course", course.slug, "--owner", f.instructor_of(course).email])
    assert ok.exit_code == 0


def test_no_owner_at_all_is_refused(cli):
    _bad(cli, ["import-wxr", SMALL, "--course", "new-one", "--timezone", "UTC"], "no owner for the course")


def test_export_to_a_file_and_to_stdout(cli, admin, tmp_path):
    # Only accounts carry emails (guest authors have none): link the file's editor to one.
    f.make_user("Edith Editor", email="editor@example.org")
    cli.invoke(args=["import-wxr", SMALL, "--course", "src", "--timezone", "UTC",
                     "--link", "editor=editor@example.org"])
    out = tmp_path / "blog.xml"
    result = cli.invoke(args=["export-wxr", "--course", "src", "-o", str(out)])
    assert result.exit_code == 0
    xml = out.read_text()
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in xml and "Hello world!" in xml and "@" not in xml
    with_emails = cli.invoke(args=["export-wxr", "--course", "src", "--include-emails"])
    assert "editor@example.org" in with_emails.output
    _bad(cli, ["export-wxr", "--course", "nope"], "no course nope")


def test_the_documented_import_works_on_the_demo_as_it_stands(cli):
    """The README's command, on what `make run` sets up: the demo's site admin owns the new course."""
    assert cli.invoke(args=["demo"]).exit_code == 0
    result = cli.invoke(args=["import-wxr", SMALL, "--course", "hist-101", "--timezone", "America/New_York"])
    assert result.exit_code == 0, result.output
    course = db.session.scalar(select(Course).where(Course.slug == "hist-101"))
    owner = db.session.scalar(
        select(Enrollment).where(Enrollment.course_id == course.id, Enrollment.role == "instructor"))
    assert owner.user.email == "admin@example.edu"


def test_a_date_the_site_cannot_show_is_named_not_a_traceback(cli, admin, tmp_path):
    course = f.make_course(instructor=admin, timezone="America/New_York")
    dated = tmp_path / "dated.xml"
    dated.write_bytes(with_comment_dates("9999-12-31 23:59:59", ""))
    _bad(cli, ["import-wxr", str(dated), "--course", course.slug, "--dry-run"],
         "dated.xml: refused: comment 1 by Mr WordPress on “Hello world!”: its date 9999-12-31 23:59:59 is outside")
