"""A WordPress import never borrows an account: only members of the course are found by email.

An instructor's file may name anyone's email (a student of another course, the site admin, another instructor);
those people become guest authors, names as text with no link to the account, on the essay, its comments and
the feeds alike, and the preview shows them exactly as it shows an email nobody has.
"""

import hashlib
import io
import re

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, PendingImport, Post, User, utcnow
from coursesite.people import accounts
from tests import factories as f
from tests.functional.wxr_people_support import Essay, Person, wxr
from tests.functional.wxr_support import course_comments, course_posts, run_import
from tests.payloads import IMPERSONATED_EMAIL, OTHER_EMAIL_VARIANTS, SAME_EMAIL_VARIANTS


@pytest.fixture
def world(app):
    course = f.make_course(slug="history", title="History")
    other = f.make_course(slug="physics", title="Physics")
    return {
        "course": course,
        "instructor": f.instructor_of(course),
        "admin": f.make_user("Site Admin", email=IMPERSONATED_EMAIL, is_admin=True),
        "outside_student": f.make_member(other, name="Olga Outsider"),
        "other_instructor": f.instructor_of(other),
        "member": f.make_member(course, name="Mia Member"),
    }


def borrowed_file(world) -> bytes:
    """Essays and comments credited, by email, to people who have nothing to do with the course."""
    return wxr(
        [Person("boss", "The Boss", "Admin@Example.edu"),
         Person("olga", "O. O.", world["outside_student"].email)],
        [Essay(10, "Borrowed essay", "boss", [(1, "Commenter", world["other_instructor"].email)]),
         Essay(11, "Second borrowed essay", "olga", [(2, "Nobody", "nobody@nowhere.example")])],
    )


def test_emails_of_accounts_outside_the_course_become_guest_authors(client, world):
    run_import(world["course"], world["instructor"], borrowed_file(world))
    outsiders = {world[k].id for k in ("admin", "outside_student", "other_instructor")}
    posts = course_posts(world["course"])
    comments = course_comments(world["course"])
    assert len(posts) == 2 and len(comments) == 2
    for item in [*posts, *comments]:
        assert item.author_id not in outsiders
        author = db.session.get(User, item.author_id)
        assert author.is_guest and author.email is None and not author.is_active
    slug = world["course"].slug
    essay = client.get(f"/c/{slug}/essays/{posts[0].slug}/").get_data(as_text=True)
    feed = client.get(f"/c/{slug}/feed.atom").get_data(as_text=True)
    comment_feed = client.get(f"/c/{slug}/comments.atom").get_data(as_text=True)
    for page in (essay, feed, comment_feed):
        for outsider in outsiders:
            user = db.session.get(User, outsider)
            assert user.display_name not in page
            assert f"/author/{outsider}/" not in page
    assert "By <a" in essay and "The Boss" in essay


@pytest.mark.parametrize("variant", OTHER_EMAIL_VARIANTS)
def test_other_addresses_of_a_member_are_not_that_member(world, variant):
    member = world["admin"]
    accounts.enroll(member, world["course"])
    run_import(world["course"], world["instructor"], wxr([Person("x", "X", variant)], [Essay(21, "E", "x")]))
    [post] = course_posts(world["course"])
    assert post.author_id != member.id and db.session.get(User, post.author_id).is_guest


@pytest.mark.parametrize("variant", SAME_EMAIL_VARIANTS)
def test_case_variants_of_a_members_email_are_that_member(world, variant):
    member = world["admin"]
    accounts.enroll(member, world["course"])
    run_import(world["course"], world["instructor"], wxr([Person("x", "X", variant)], [Essay(22, "E", "x")]))
    [post] = course_posts(world["course"])
    assert post.author_id == member.id


def test_members_are_found_by_email_whatever_its_case(world):
    member = world["member"]
    data = wxr([Person("mia", "Mia on WordPress", member.email.upper())],
               [Essay(20, "Mia's essay", "mia", [(3, "Mia again", f"  {member.email.title()} ")])])
    report = run_import(world["course"], world["instructor"], data)
    [post] = course_posts(world["course"])
    [comment] = course_comments(world["course"])
    assert post.author_id == member.id and comment.author_id == member.id
    assert report.people_created == [] and "a member of this course" in report.people_matched[0]


@pytest.mark.parametrize("variant", [*SAME_EMAIL_VARIANTS, *OTHER_EMAIL_VARIANTS])
def test_email_variants_of_an_outside_account_find_nobody(world, variant):
    run_import(world["course"], world["instructor"], wxr([Person("x", "X", variant)], [Essay(30, "E", "x")]))
    [post] = course_posts(world["course"])
    assert post.author_id != world["admin"].id and db.session.get(User, post.author_id).is_guest


def test_a_login_or_name_equal_to_an_account_name_is_not_that_account(world):
    data = wxr([Person("Site Admin", "Site Admin"), Person("mia", "Mia Member")],
               [Essay(31, "By login", "Site Admin"), Essay(32, "By name", "mia")])
    report = run_import(world["course"], world["instructor"], data)
    posts = {p.title: db.session.get(User, p.author_id) for p in course_posts(world["course"])}
    assert posts["By login"].id != world["admin"].id and posts["By login"].is_guest
    # A guest never takes the name a member of the course goes by.
    assert posts["By name"].is_guest and posts["By name"].display_name == "Mia Member (imported)"
    assert "Mia Member, shown as Mia Member (imported)" in report.people_created


def test_commenters_whose_enrollment_ended_are_guests_suspended_members_are_themselves(world):
    course = world["course"]
    gone = f.make_member(course, name="Gina Gone")
    quiet = f.make_member(course, name="Sam Suspended", comment_suspended=True)
    accounts.enroll(gone, course).ended_at = utcnow()
    db.session.flush()
    data = wxr([Person("mia", "Mia", world["member"].email)],
               [Essay(40, "E", "mia", [(5, "Gina", gone.email), (6, "Sam", quiet.email)])])
    run_import(course, world["instructor"], data)
    by_wp = {c.wp_comment_id: c.author_id for c in course_comments(course)}
    assert by_wp[5] != gone.id and db.session.get(User, by_wp[5]).is_guest
    assert by_wp[6] == quiet.id


def test_importing_the_same_file_again_finds_the_same_guests(world):
    data = borrowed_file(world)
    run_import(world["course"], world["instructor"], data)
    guests = db.session.scalars(select(User.id).where(User.is_guest.is_(True)).order_by(User.id)).all()
    again = run_import(world["course"], world["instructor"], data)
    assert again.changes_nothing
    # New items of the same people land on the same guests.
    more = data.replace(b"<wp:post_id>11</wp:post_id>", b"<wp:post_id>12</wp:post_id>").replace(
        b"<wp:comment_id>2</wp:comment_id>", b"<wp:comment_id>9</wp:comment_id>")
    report = run_import(world["course"], world["instructor"], more)
    assert report.people_created == [] and len(report.posts_created) == 1
    assert db.session.scalars(select(User.id).where(User.is_guest.is_(True)).order_by(User.id)).all() == guests


def _upload(client, course, data):
    form = {"file": (io.BytesIO(data), "blog.xml")}
    return client.post(f"/c/{course.slug}/import", data=form, content_type="multipart/form-data")


def test_preview_does_not_tell_which_emails_have_accounts(client, auth, world):
    auth.login(world["instructor"])
    outside, unknown = world["outside_student"].email, "unknown.person@example.org"
    data = wxr([Person("a", "Same Name", outside), Person("b", "Same Name", unknown)],
               [Essay(50, "One", "a"), Essay(51, "Two", "b")])
    page = _upload(client, world["course"], data).get_data(as_text=True)
    rows = {email: re.search(rf"&lt;{re.escape(email)}&gt;</th>\s*<td>(.*?)</td>", page, re.S).group(1)
            for email in (outside, unknown)}
    assert rows[outside] == rows[unknown] == "New guest author “Same Name” (no account)"
    assert world["outside_student"].display_name not in page
    assert "<strong>2</strong> guest authors to create" in page
    assert "An account of this site has this email" not in page and 'name="person-' not in page


def _confirm(client, course, **fields):
    token = db.session.scalar(select(PendingImport.token).order_by(PendingImport.id.desc()))
    return client.post(f"/c/{course.slug}/import/confirm", data={"token": token, **fields})


def test_a_site_admin_links_a_person_of_the_file_to_any_account(client, auth, world):
    auth.login(world["admin"])
    course, outside = world["course"], world["outside_student"]
    data = wxr([Person("olga", "O. O.", outside.email)], [Essay(60, "Olga's", "olga")])
    page = _upload(client, course, data).get_data(as_text=True)
    [ref] = re.findall(r'name="person-(\w+)"', page)
    assert "An account of this site has this email" in page
    bad = _confirm(client, course, **{f"person-{ref}": "no.such@example.org"})
    assert bad.status_code == 200 and "No account has the email no.such@example.org" in bad.get_data(as_text=True)
    assert course_posts(course) == []
    assert _confirm(client, course, **{f"person-{ref}": outside.email.upper()}).status_code == 302
    [post] = course_posts(course)
    assert post.author_id == outside.id


def test_an_instructor_cannot_link_accounts(client, auth, world):
    auth.login(world["instructor"])
    course, outside = world["course"], world["outside_student"]
    _upload(client, course, wxr([Person("olga", "O. O.", outside.email)], [Essay(61, "Olga's", "olga")]))
    # The field a site admin would get, sent by hand.
    ref = hashlib.sha256(f"email:{outside.email}".encode()).hexdigest()[:16]
    assert _confirm(client, course, **{f"person-{ref}": outside.email}).status_code == 302
    [post] = course_posts(course)
    assert post.author_id != outside.id and db.session.get(User, post.author_id).is_guest


def test_cli_matches_members_only_and_links_on_request(app, world, tmp_path):
    cli = app.test_cli_runner()
    path = tmp_path / "blog.xml"
    path.write_bytes(borrowed_file(world))
    course, admin = world["course"], world["admin"]
    args = ["import-wxr", str(path), "--course", course.slug, "--owner", world["instructor"].email]
    result = cli.invoke(args=[*args, "--link", "olga=" + world["outside_student"].email])
    assert result.exit_code == 0, result.output
    authors = {p.title: p.author_id for p in db.session.scalars(select(Post).where(Post.course_id == course.id))}
    assert authors["Second borrowed essay"] == world["outside_student"].id
    assert authors["Borrowed essay"] != admin.id
    commenters = db.session.scalars(select(Comment.author_id)).all()
    assert world["other_instructor"].id not in commenters
    refused = cli.invoke(args=[*args, "--link", "olga=nobody@example.org"])
    assert refused.exit_code != 0 and "no account with the email nobody@example.org" in refused.output
