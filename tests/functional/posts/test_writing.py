"""Writing an essay: new, save draft, publish, schedule, edit, and every bad input of the issue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coursesite.essays.writing import MAX_BODY_CHARS, MAX_TITLE_CHARS
from coursesite.extensions import db
from coursesite.models import utcnow
from tests import factories as f
from tests.functional.writing_helpers import essay_form, form_version, posts_of, revision_count, text


@pytest.fixture
def course():
    return f.make_course()


@pytest.fixture
def student(course, auth):
    user = f.make_member(course, name="Stu Dent")
    db.session.commit()  # views roll back on refused input: what the test set up must survive that
    auth.login(user)
    return user


def new_url(course) -> str:
    return f"/c/{course.slug}/posts/new"


def edit_url(post) -> str:
    return f"/c/{post.course.slug}/posts/{post.id}/edit"


def test_new_post_form_has_the_documented_fields_and_buttons(client, course, student):
    html = text(client.get(new_url(course)))
    assert 'name="title"' in html and 'name="body"' in html
    assert '<button type="submit" name="action" value="draft" class="button--secondary">Save draft</button>' in html
    assert 'value="publish">Publish</button>' in html
    assert 'role="toolbar"' in html and 'data-format="bold"' in html
    assert "js/editor.js" in html and "js/words.js" in html
    assert 'name="publish_at"' in html and "America/New_York" in html


def test_new_post_from_an_assignment_shows_prompt_due_date_and_minimum(client, course, student):
    assignment = f.make_assignment(course, title="The Cold War", prompt_html="<p>Pick one crisis.</p>",
                                   min_post_words=500)
    html = text(client.get(f"{new_url(course)}?assignment={assignment.id}"))
    assert "The Cold War" in html and "<p>Pick one crisis.</p>" in html
    assert "At least 500 words" in html and "0 / 500 words" in html and 'data-min-words="500"' in html
    # The option carries its minimum too, which the editor's counter takes when another assignment is chosen.
    assert f'<option data-min-words="500" selected value="{assignment.id}">' in html
    assert '<option data-min-words="0" value="0">No assignment</option>' in html


def test_assignment_of_another_course_is_ignored(client, course, student):
    other = f.make_assignment(f.make_course(), title="Elsewhere")
    db.session.commit()
    assert "Elsewhere" not in text(client.get(f"{new_url(course)}?assignment={other.id}"))
    response = client.post(new_url(course), data=essay_form(assignment_id=other.id))
    assert response.status_code == 422 and posts_of(course) == []


def test_save_draft_then_publish(client, course, student):
    response = client.post(new_url(course), data=essay_form(title="My First Essay", body="Hello *there* world."))
    post = posts_of(course)[0]
    assert response.status_code == 302 and response.headers["Location"].endswith(edit_url(post))
    assert (post.status, post.slug, post.word_count, post.version) == ("draft", "my-first-essay", 3, 1)
    assert post.body_html == "<p>Hello <em>there</em> world.</p>\n"
    assert "Draft saved." in text(client.get(response.headers["Location"]))
    assert "My First Essay" not in text(client.get(f"/c/{course.slug}/blog/"))

    response = client.post(edit_url(post), data=essay_form(title="My First Essay", body="Hello world.",
                                                           version=1, action="publish"))
    assert response.headers["Location"].endswith(f"/c/{course.slug}/essays/my-first-essay/")
    db.session.refresh(post)
    assert post.status == "published" and post.published_at is not None and post.updated_at is None
    assert "My First Essay" in text(client.get(f"/c/{course.slug}/blog/"))
    assert revision_count(post) == 2


def test_publish_straight_away(client, course, student):
    response = client.post(new_url(course), data=essay_form(title="Direct", action="publish"))
    post = posts_of(course)[0]
    assert response.status_code == 302 and post.status == "published" and post.is_live(utcnow())


def test_only_a_field_refused_as_empty_is_marked_to_lose_its_message_once_filled(client, course, student):
    """The editor's script takes away a message that asked for a value once the field has one; a title refused for
    its length keeps its message until the form is sent again."""
    html = text(client.post(new_url(course), data=essay_form(title="", body="Kept body", action="publish")))
    assert 'data-refused-empty="title-error"' in html and 'id="title-error"' in html
    html = text(client.post(new_url(course), data=essay_form(title="Kept", body=" ", action="publish")))
    assert 'data-refused-empty="body-error"' in html and 'data-refused-empty="title-error"' not in html
    too_long = essay_form(title="T" * (MAX_TITLE_CHARS + 1), body="Kept body", action="publish")
    html = text(client.post(new_url(course), data=too_long))
    assert 'id="title-error"' in html and "data-refused-empty" not in html


def test_nul_characters_in_an_essay_are_dropped_not_a_server_error(client, course, student):
    """PostgreSQL refuses text holding a NUL (pasted from a PDF, say); the essay is saved without it."""
    response = client.post(new_url(course), data=essay_form(title="Pasted\x00 title", body="Pasted\x00 body."))
    post = posts_of(course)[0]
    assert response.status_code == 302 and (post.title, post.body) == ("Pasted title", "Pasted body.")


@pytest.mark.parametrize("fields, message", [
    ({"title": "", "action": "publish"}, "Give your essay a title."),
    ({"title": "   ", "action": "draft"}, "Give your essay a title."),
    ({"body": "", "action": "publish"}, "Write your essay before publishing it."),
    ({"body": "  \n ", "action": "publish"}, "Write your essay before publishing it."),
])
def test_empty_title_or_body_is_refused_with_the_text_kept(client, course, student, fields, message):
    data = essay_form(**{"title": "Kept title", "body": "Kept body text", **fields})
    response = client.post(new_url(course), data=data)
    assert response.status_code == 422
    assert message in text(response)
    kept = data["title"].strip() or data["body"].strip()
    assert kept in text(response)
    assert posts_of(course) == []


def test_a_body_over_the_limit_is_refused_and_kept(client, course, student):
    body = "word " * (MAX_BODY_CHARS // 5) + "the very end"
    response = client.post(new_url(course), data=essay_form(body=body, action="publish"))
    assert response.status_code == 422
    assert f"the limit is {MAX_BODY_CHARS:,}" in text(response)
    assert "the very end" in text(response)
    assert posts_of(course) == []


def test_a_title_over_the_limit_is_refused(client, course, student):
    response = client.post(new_url(course), data=essay_form(title="x" * 301))
    assert response.status_code == 422 and posts_of(course) == []


def test_scheduled_essay_appears_only_when_its_time_comes(client, course, student):
    response = client.post(new_url(course), data=essay_form(title="Later", action="publish",
                                                            publish_at="2099-05-01T09:30"))
    post = posts_of(course)[0]
    assert response.headers["Location"].endswith(edit_url(post))
    assert post.status == "published" and post.published_at.isoformat() == "2099-05-01T13:30:00+00:00"
    assert "Later" not in text(client.get(f"/c/{course.slug}/"))
    assert "Scheduled for" in text(client.get(f"/c/{course.slug}/drafts"))


def test_publish_at_in_the_past_is_refused(client, course, student):
    response = client.post(new_url(course), data=essay_form(action="publish", publish_at="2001-01-01T10:00"))
    assert response.status_code == 422 and "Choose a time in the future" in text(response)
    assert posts_of(course) == []


def test_publish_at_in_a_dst_gap_is_refused(client, course, student):
    response = client.post(new_url(course), data=essay_form(action="publish", publish_at="2099-03-08T02:30"))
    assert response.status_code == 422 and "does not exist in America/New_York" in text(response)


def test_publish_at_in_a_dst_overlap_takes_the_first(client, course, student):
    client.post(new_url(course), data=essay_form(action="publish", publish_at="2099-11-01T01:30"))
    assert posts_of(course)[0].published_at.isoformat() == "2099-11-01T05:30:00+00:00"


def test_publishing_to_a_closed_assignment_after_its_deadline_is_refused(client, course, student):
    closed = f.make_assignment(course, late_policy="closed", post_due_at=utcnow() - timedelta(hours=2),
                               grace_minutes=60)
    db.session.commit()
    response = client.post(new_url(course), data=essay_form(title="Too late", assignment_id=closed.id,
                                                            action="publish"))
    assert response.status_code == 422 and "closed at its due date" in text(response)
    assert "Too late" in text(response)
    assert posts_of(course) == []
    # Saving it as a draft still works, and nothing about it is published.
    client.post(new_url(course), data=essay_form(title="Too late", assignment_id=closed.id))
    assert posts_of(course)[0].status == "draft"


def test_a_closed_assignment_accepts_essays_within_its_grace_period(client, course, student):
    closed = f.make_assignment(course, late_policy="closed", post_due_at=utcnow() - timedelta(minutes=10),
                               grace_minutes=30)
    db.session.commit()
    client.post(new_url(course), data=essay_form(assignment_id=closed.id, action="publish"))
    assert posts_of(course)[0].status == "published"


def test_editing_a_published_essay_keeps_its_address_date_and_every_version(client, course, student):
    client.post(new_url(course), data=essay_form(title="Original", body="First text.", action="publish"))
    post = posts_of(course)[0]
    published_at, slug = post.published_at, post.slug
    response = client.get(edit_url(post))
    assert 'value="publish">Update</button>' in text(response) and "Save draft" not in text(response)
    client.post(edit_url(post), data=essay_form(title="Renamed", body="Second text.", version=post.version,
                                                action="publish"))
    db.session.refresh(post)
    assert (post.slug, post.published_at, post.title) == (slug, published_at, "Renamed")
    assert post.updated_at is not None and revision_count(post) == 2
    # A save that changes nothing adds no version and no "Updated" date change.
    updated = post.updated_at
    client.post(edit_url(post), data=essay_form(title="Renamed", body="Second text.", version=post.version,
                                                action="publish"))
    db.session.refresh(post)
    assert revision_count(post) == 2 and post.updated_at == updated


def test_a_draft_address_follows_its_title_and_stays_unique(client, course, student):
    f.make_post(course, f.make_author(course), title="Taken").slug = "same-title"
    db.session.commit()
    client.post(new_url(course), data=essay_form(title="Same Title"))
    post = posts_of(course)[-1]
    assert post.slug == "same-title-2"
    client.post(edit_url(post), data=essay_form(title="Another name", version=post.version))
    db.session.refresh(post)
    assert post.slug == "another-name"


def test_a_stale_save_from_another_tab_shows_both_versions_and_overwrites_nothing(client, course, student):
    client.post(new_url(course), data=essay_form(title="Shared", body="Tab one text."))
    post = posts_of(course)[0]
    stale_version = post.version
    client.post(edit_url(post), data=essay_form(title="Shared", body="Saved in tab two.", version=stale_version))
    response = client.post(edit_url(post), data=essay_form(title="Shared", body="Typed in tab one later.",
                                                           version=stale_version))
    assert response.status_code == 409
    html = text(response)
    assert "changed in another tab or window" in html and "Nothing was" in html
    assert "Saved in tab two." in html and "Typed in tab one later." in html
    db.session.refresh(post)
    assert post.body == "Saved in tab two."
    # Having seen both, the writer may save again: the form now carries the current version.
    client.post(edit_url(post), data=essay_form(title="Shared", body="Typed in tab one later.",
                                                version=form_version(response)))
    db.session.refresh(post)
    assert post.body == "Typed in tab one later."


def test_a_stale_save_with_the_same_text_is_not_a_conflict(client, course, student):
    client.post(new_url(course), data=essay_form(body="Same."))
    post = posts_of(course)[0]
    client.post(edit_url(post), data=essay_form(body="Same.", version=0))
    assert client.post(edit_url(post), data=essay_form(body="Same.", version=0)).status_code == 302


def test_windows_line_endings_are_stored_as_newlines(client, course, student):
    client.post(new_url(course), data=essay_form(body="one\r\ntwo"))
    assert posts_of(course)[0].body == "one\ntwo"


def test_categories_and_tags(client, course, student):
    client.post(new_url(course), data=essay_form(title="Tagged", action="publish", categories="Cold War, Europe",
                                                 tags="berlin, 1948, Berlin"))
    post = posts_of(course)[0]
    assert sorted((t.kind, t.name) for t in post.terms) == [
        ("category", "Cold War"), ("category", "Europe"), ("tag", "1948"), ("tag", "berlin")]
    page = text(client.get(f"/c/{course.slug}/essays/{post.slug}/"))
    assert f'href="/c/{course.slug}/category/cold-war/"' in page and f'href="/c/{course.slug}/tag/berlin/"' in page
    client.post(edit_url(post), data=essay_form(title="Tagged", action="publish", version=post.version,
                                                categories="Europe", tags=""))
    db.session.expire_all()
    assert [t.name for t in posts_of(course)[0].terms] == ["Europe"]
    response = client.post(edit_url(post), data=essay_form(version=post.version, tags=",".join("abcdefghijkl")))
    assert response.status_code == 422 and "Use at most 10" in text(response)


def test_assignment_is_fixed_once_published(client, course, student):
    first, second = f.make_assignment(course, title="First"), f.make_assignment(course, title="Second")
    db.session.commit()
    client.post(new_url(course), data=essay_form(assignment_id=first.id, action="publish"))
    post = posts_of(course)[0]
    client.post(edit_url(post), data=essay_form(assignment_id=second.id, version=post.version, action="publish"))
    db.session.refresh(post)
    assert post.assignment_id == first.id


def test_editing_someone_elses_essay(client, course, student):
    peer = f.make_author(course)
    published = f.make_post(course, peer)
    draft = f.make_post(course, peer, status="draft")
    db.session.commit()
    assert client.get(edit_url(published)).status_code == 403
    assert client.post(edit_url(published), data=essay_form(version=1)).status_code == 403
    assert client.get(edit_url(draft)).status_code == 404
    assert client.post(edit_url(draft), data=essay_form(version=1)).status_code == 404
    db.session.refresh(published)
    assert published.title != "A title"


def test_staff_cannot_edit_a_students_essay(client, course, auth):
    post = f.make_post(course, f.make_author(course))
    instructor = f.make_member(course, role="instructor")
    db.session.commit()
    auth.login(instructor)
    assert client.get(edit_url(post)).status_code == 403


def test_a_trashed_essay_or_another_courses_essay_is_not_editable(client, course, student):
    trashed = f.make_post(course, student, deleted_at=utcnow())
    elsewhere = f.make_post(f.make_course(), student)
    db.session.commit()
    assert client.get(edit_url(trashed)).status_code == 404
    assert client.get(f"/c/{course.slug}/posts/{elsewhere.id}/edit").status_code == 404


def test_visitors_are_sent_to_log_in_and_non_members_refused(client, course, auth):
    response = client.get(new_url(course))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login(f.make_user())
    assert client.get(new_url(course)).status_code == 403
    assert client.post(new_url(course), data=essay_form()).status_code == 403


def test_publishing_a_picture_still_described_by_the_image_buttons_stand_in_says_so(client, course, student):
    picture = f"![Describe the picture](/c/{course.slug}/uploads/abc.png)"
    page = text(client.post(new_url(course), data=essay_form(title="Pictured", action="publish",
                                                             body=f"{picture}\n\nA crowd in Accra."),
                            follow_redirects=True))
    assert "Your essay is published." in page
    assert ("A picture still says “Describe the picture”. Edit the essay and replace those words with what the "
            "picture shows, for readers who cannot see it.") in page
    described = picture.replace("Describe the picture", "A crowd outside the assembly")
    page = text(client.post(edit_url(posts_of(course)[0]), data=essay_form(
        title="Pictured", action="publish", body=f"{described}\n\nA crowd in Accra.",
        version=posts_of(course)[0].version), follow_redirects=True))
    assert "Your changes are published." in page and "still says" not in page


def test_the_editor_takes_the_image_buttons_stand_in_description_from_the_server(client, course, student):
    assert 'data-undescribed-picture="Describe the picture"' in text(client.get(new_url(course)))
