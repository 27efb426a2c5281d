"""The WordPress section of course settings: upload, preview (a dry run), confirm; and the WXR download."""

import io

import pytest
from sqlalchemy import func, select

from coursesite.extensions import db
from coursesite.models import PendingImport
from tests import factories as f
from tests.functional.wxr_support import FIXTURES, course_comments, course_posts, row_counts


@pytest.fixture
def course(app):
    return f.make_course(timezone="America/New_York")


def _upload(client, course, name="small-export.xml", data=None, **fields):
    data = data if data is not None else (FIXTURES / name).read_bytes()
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post(f"/c/{course.slug}/import", data=form, content_type="multipart/form-data")


# The settings form's radio choices are tuples, which wtforms 3.3 deprecates (not this feature's code).
@pytest.mark.filterwarnings("ignore:Passing SelectField choices:DeprecationWarning")
def test_settings_page_offers_import_and_export(client, auth, course):
    auth.login(f.instructor_of(course))
    page = client.get(f"/c/{course.slug}/settings").get_data(as_text=True)
    assert "Import a WordPress blog" in page and f"/c/{course.slug}/import" in page
    assert f"/c/{course.slug}/export.xml" in page


def test_preview_writes_nothing_then_confirm_imports(client, auth, course):
    auth.login(f.instructor_of(course))
    before = row_counts()
    response = _upload(client, course, include_drafts="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview of the WordPress import" in page
    assert "<strong>5</strong> new essays" in page and "<strong>1</strong> new comment<" in page
    assert "Private Post" in page
    assert row_counts() == before
    token = db.session.scalar(select(PendingImport.token))
    confirmed = client.post(f"/c/{course.slug}/import/confirm", data={"token": token})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(f"/c/{course.slug}/")
    assert len(course_posts(course)) == 5 and len(course_comments(course)) == 1
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0
    blog = client.get(f"/c/{course.slug}/").get_data(as_text=True)
    assert "Imported 5 essays and 1 comment (4 new guest authors)" in blog and "Hello world!" in blog
    again = client.post(f"/c/{course.slug}/import/confirm", data={"token": token})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/c/{course.slug}/import")


def test_second_preview_says_nothing_is_new(client, auth, course):
    auth.login(f.instructor_of(course))
    _upload(client, course)
    client.post(f"/c/{course.slug}/import/confirm", data={"token": db.session.scalar(select(PendingImport.token))})
    page = _upload(client, course).get_data(as_text=True)
    assert "Nothing new to import" in page and "Import now" not in page


@pytest.mark.parametrize(
    "data,message",
    [
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><rss/>", "declares a DOCTYPE"),
        (b"plain text", "not a WordPress export (WXR): this is not an XML file."),
        (b"", "the file is empty."),
        ((FIXTURES / "small-export.xml").read_bytes()[:3000], "the file stops part-way through (line 42)"),
        ((FIXTURES / "malformed.xml").read_bytes(), "mismatched tag"),
    ],
)
def test_bad_files_come_back_with_the_reason(client, auth, course, data, message):
    auth.login(f.instructor_of(course))
    before = row_counts()
    response = _upload(client, course, data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert row_counts() == before and db.session.scalar(select(func.count(PendingImport.id))) == 0


def test_missing_file_is_a_field_error(client, auth, course):
    auth.login(f.instructor_of(course))
    response = client.post(f"/c/{course.slug}/import", data={}, content_type="multipart/form-data")
    assert "Choose the .xml file" in response.get_data(as_text=True)


def test_a_preview_belongs_to_its_course_and_person(client, auth, course):
    teacher = f.instructor_of(course)
    auth.login(teacher)
    _upload(client, course)
    token = db.session.scalar(select(PendingImport.token))
    other = f.make_course(instructor=teacher)
    response = client.post(f"/c/{other.slug}/import/confirm", data={"token": token})
    assert response.status_code == 302 and course_posts(other) == []
    auth.logout()
    admin = f.make_user(is_admin=True)
    auth.login(admin)
    client.post(f"/c/{course.slug}/import/confirm", data={"token": token})
    assert course_posts(course) == []


def test_a_site_admin_can_import_right_after_typing_the_account_links(client, auth, course):
    """The boxes for linking people to accounts come after the preview's first "Import now": the admin who types
    in them finds the button again below the table, not only back at the top."""
    auth.login(f.make_user(is_admin=True))
    page = _upload(client, course).get_data(as_text=True)
    last_box = page.rindex('form="wxr-confirm" id="person-')
    button = page.find('<button type="submit" form="wxr-confirm">Import now</button>', last_box)
    assert last_box > 0 and button > last_box


def test_export_download(client, auth, course):
    student = f.make_member(course, name="Stu Dent")
    f.make_post(course, student, title="An essay on Suez")
    auth.login(f.instructor_of(course))
    response = client.get(f"/c/{course.slug}/export.xml", buffered=False)
    # Sent as it is written: a 3,000-student course's file is some 450 MB.
    assert response.status_code == 200 and response.mimetype == "application/xml" and response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    response.close()
    assert "An essay on Suez" in body and student.email not in body
    assert student.email in client.get(f"/c/{course.slug}/export.xml?emails=1").get_data(as_text=True)


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("student", 403), ("ta", 403), ("outsider", 403),
                                         ("instructor", 200), ("admin", 200)])
def test_who_may_import_and_export(client, auth, course, role, status):
    people = {
        "student": lambda: f.make_member(course),
        "ta": lambda: f.make_member(course, role="ta"),
        "outsider": lambda: f.make_member(f.make_course()),
        "instructor": lambda: f.instructor_of(course),
        "admin": lambda: f.make_user(is_admin=True),
    }
    if role != "anonymous":
        auth.login(people[role]())
    assert client.get(f"/c/{course.slug}/import").status_code == status
    assert client.get(f"/c/{course.slug}/export.xml").status_code == status
    confirm = client.post(f"/c/{course.slug}/import/confirm", data={"token": "x"}).status_code
    assert confirm == (302 if status == 200 else status)


ONE_POST = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>One post</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Alone</title><dc:creator></dc:creator><content:encoded><![CDATA[<p>Words.</p>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2016-03-01 10:00:00</wp:post_date><wp:post_name>alone</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="week-one"><![CDATA[Week one]]></category></item>
</channel></rss>"""


def test_the_preview_counts_in_words_a_person_reads(client, auth, course):
    """One of each reads as one ("1 new category or tag", "Items naming no author: 1"); nothing matched is not
    announced as "0 matched"."""
    auth.login(f.instructor_of(course))
    page = _upload(client, course, name="one.xml", data=ONE_POST).get_data(as_text=True)
    assert "<strong>1</strong> new category or tag<" in page
    assert "Items naming no author: 1, credited to" in page
    assert "matched to members" not in page and "(s)" not in page


ONE_IMAGE_ONE_PAGE = ONE_POST.replace(
    b"<p>Words.</p>", b'<p>Words.</p><img src="https://old.example.org/map.jpg" alt="A map">'
).replace(b"</channel>", b"""<item><title>About</title><wp:post_id>8</wp:post_id>
<wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel>""")


def test_the_preview_names_one_image_and_one_skipped_item_in_the_singular(client, auth, course):
    auth.login(f.instructor_of(course))
    page = _upload(client, course, name="one.xml", data=ONE_IMAGE_ONE_PAGE).get_data(as_text=True)
    assert "<summary>1 image</summary>" in page
    assert "<summary>1 item and why</summary>" in page
