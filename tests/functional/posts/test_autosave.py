"""Autosave and preview: the JSON endpoints the editor script calls every few seconds."""

from __future__ import annotations

import pytest

from coursesite.essays.writing import MAX_BODY_CHARS
from coursesite.extensions import db
from coursesite.models import PostAutosave, utcnow
from tests import factories as f
from tests.functional.writing_helpers import essay_form, posts_of, revision_count, text


@pytest.fixture
def course():
    return f.make_course()


@pytest.fixture
def student(course, auth):
    user = f.make_member(course)
    db.session.commit()
    auth.login(user)
    return user


def autosave(client, post, **payload):
    return client.post(f"/c/{post.course.slug}/posts/{post.id}/autosave", json=payload)


def test_the_first_autosave_of_a_new_post_creates_a_draft(client, course, student):
    response = client.post(f"/c/{course.slug}/posts/new", data=essay_form(title="A start", body="Only a body so far",
                                                                          action="autosave"),
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    data = response.get_json()
    post = posts_of(course)[0]
    assert (post.status, post.body, post.version) == ("draft", "Only a body so far", 1)
    assert data["post_id"] == post.id and data["version"] == 1
    assert data["autosave_url"] == f"/c/{course.slug}/posts/{post.id}/autosave"
    assert data["edit_url"] == f"/c/{course.slug}/posts/{post.id}/edit"
    assert data["storage_key"] == f"coursesite:{student.id}:essay:{course.slug}:{post.id}"  # one person's copy
    assert data["saved_text"].startswith("Saved at ")


def test_autosave_of_a_draft_saves_in_place_and_bumps_the_version(client, course, student):
    post = f.make_post(course, student, status="draft", title="Draft", body="old", version=3)
    db.session.commit()
    response = autosave(client, post, title="Draft", body="new text", version=3)
    assert response.status_code == 200 and response.get_json()["version"] == 4
    db.session.refresh(post)
    assert post.body == "new text" and post.word_count == 2 and post.modified_at is not None
    assert revision_count(post) == 0  # autosaves are not versions; explicit saves are
    assert autosave(client, post, title="Draft", body="new text", version=4).get_json()["version"] == 4


def test_autosave_of_a_published_essay_leaves_readers_text_alone(client, course, student):
    post = f.make_post(course, student, title="Out", body="Published text.", version=2)
    db.session.commit()
    assert autosave(client, post, title="Out", body="Work in progress.", version=2).status_code == 200
    db.session.refresh(post)
    assert post.body == "Published text." and post.version == 2
    assert "Published text." in text(client.get(f"/c/{course.slug}/essays/{post.slug}/"))
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert "Work in progress." in editor and "to publish them" in editor
    client.post(f"/c/{course.slug}/posts/{post.id}/edit",
                data=essay_form(title="Out", body="Work in progress.", version=2, action="publish"))
    db.session.refresh(post)
    assert post.body == "Work in progress." and post.updated_at is not None
    assert db.session.scalar(db.select(PostAutosave).where(PostAutosave.post_id == post.id)) is None


def test_an_autosave_written_on_an_old_version_is_offered_not_loaded(client, course, student):
    post = f.make_post(course, student, title="Out", body="Current text.", version=5)
    db.session.add(PostAutosave(post_id=post.id, title="Out", body="Old autosave.", base_version=4,
                                saved_at=utcnow()))
    db.session.commit()
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert "written on an older version" in editor and "Old autosave." in editor
    assert "Current text.</textarea>" in editor


def test_a_stale_autosave_is_a_conflict_with_the_current_text(client, course, student):
    post = f.make_post(course, student, status="draft", title="T", body="Saved elsewhere.", version=7)
    db.session.commit()
    response = autosave(client, post, title="T", body="Typed here.", version=6)
    assert response.status_code == 409
    data = response.get_json()
    assert data["error"] == "conflict" and "another tab" in data["message"]
    assert data["current"] == {"title": "T", "body": "Saved elsewhere.", "version": 7}
    db.session.refresh(post)
    assert post.body == "Saved elsewhere."


def test_autosave_refusals_are_json(client, course, student, auth):
    post = f.make_post(course, student, status="draft", version=1)
    peer_post = f.make_post(course, f.make_author(course), status="draft")
    db.session.commit()
    too_long = autosave(client, post, title="T", body="x" * (MAX_BODY_CHARS + 1), version=1)
    assert too_long.status_code == 422 and "limit" in too_long.get_json()["message"]
    assert autosave(client, post, title="T", body="b").status_code == 400  # no version
    assert autosave(client, peer_post, title="T", body="b", version=1).status_code == 404
    auth.logout()
    logged_out = autosave(client, post, title="T", body="b", version=1)
    assert logged_out.status_code == 401 and "log in" in logged_out.get_json()["message"]


def test_preview_renders_with_the_server_pipeline(client, course, student):
    response = client.post(f"/c/{course.slug}/preview", json={"body": "## Hi\n\n**Bold** <script>x</script> words"})
    data = response.get_json()
    assert data["html"].startswith("<h2>Hi</h2>") and "<strong>Bold</strong>" in data["html"]
    assert "<script>" not in data["html"]
    assert data["word_count"] == 4


def test_preview_refuses_too_long_and_visitors(client, course, student, auth):
    assert client.post(f"/c/{course.slug}/preview", json={"body": "x" * (MAX_BODY_CHARS + 1)}).status_code == 422
    auth.logout()
    assert client.post(f"/c/{course.slug}/preview", json={"body": "x"}).status_code == 401
    auth.login(f.make_user())
    assert client.post(f"/c/{course.slug}/preview", json={"body": "x"}).status_code == 403


def _field_value(html: str, name: str) -> str:
    return html.split(f'name="{name}"', 1)[1].split('value="', 1)[1].split('"', 1)[0]


def test_autosave_keeps_a_drafts_categories_and_tags(client, course, student):
    post = f.make_post(course, student, status="draft", title="Draft", body="Text.", version=1)
    db.session.commit()
    response = autosave(client, post, title="Draft", body="Text.", version=1, categories="Cold War, Europe",
                        tags="1956")
    assert response.status_code == 200
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert _field_value(editor, "categories") == "Cold War, Europe"
    assert _field_value(editor, "tags") == "1956"


def test_the_first_autosave_of_a_new_post_keeps_its_categories(client, course, student):
    client.post(f"/c/{course.slug}/posts/new", headers={"Accept": "application/json"},
                data=essay_form(title="Titled", body="", categories="Empire", tags="Rome", action="autosave"))
    post = posts_of(course)[0]
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert (_field_value(editor, "categories"), _field_value(editor, "tags")) == ("Empire", "Rome")


def test_a_published_essays_typed_tags_wait_for_update(client, course, student):
    post = f.make_post(course, student, title="Out", body="Published text.", version=2)
    db.session.commit()
    assert autosave(client, post, title="Out", body="Published text.", version=2, categories="",
                    tags="Berlin").status_code == 200
    assert "Berlin" not in text(client.get(f"/c/{course.slug}/essays/{post.slug}/"))  # readers see no change
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert _field_value(editor, "tags") == "Berlin" and "to publish them" in editor


def test_a_bad_category_in_an_autosave_is_refused_as_json(client, course, student):
    post = f.make_post(course, student, status="draft", title="Draft", body="Text.", version=1)
    db.session.commit()
    response = autosave(client, post, title="Draft", body="Text.", version=1, categories="x" * 200)
    assert response.status_code == 422 and response.get_json()["field"] == "categories"


def _autosave_new(client, course, **fields):
    return client.post(f"/c/{course.slug}/posts/new", headers={"Accept": "application/json"},
                       data=essay_form(action="autosave", **fields))


def test_a_few_stray_words_without_a_title_make_no_draft(client, course, student):
    response = _autosave_new(client, course, title="", body="hello hi ok")
    assert response.status_code == 422
    assert "once it has a title or 20 words" in response.get_json()["message"]
    assert posts_of(course) == []
    assert "Untitled draft" not in text(client.get(f"/c/{course.slug}/drafts"))


def test_twenty_words_without_a_title_make_a_draft(client, course, student):
    assert _autosave_new(client, course, title="", body="word " * 19).status_code == 422
    assert _autosave_new(client, course, title="", body="word " * 20).status_code == 200
    assert [p.status for p in posts_of(course)] == ["draft"]


def test_a_student_can_discard_a_draft_from_drafts_and_my_work(client, course, student):
    assignment = f.make_assignment(course, title="Essay 1")
    draft = f.make_post(course, student, status="draft", title="", body="", assignment_id=assignment.id)
    db.session.commit()
    discard = f'href="/c/{course.slug}/posts/{draft.id}/delete"'
    assert discard in text(client.get(f"/c/{course.slug}/drafts"))
    assert discard in text(client.get(f"/c/{course.slug}/my-work"))
    client.post(f"/c/{course.slug}/posts/{draft.id}/delete")
    assert "Untitled draft</a>" not in text(client.get(f"/c/{course.slug}/drafts"))


def test_half_a_utf16_pair_or_a_nul_in_the_editors_json_is_saved_as_text_not_an_error(client, course, student):
    """JSON may carry what no form can: "\\ud800" (half of a pair) and "\\u0000". The essay is saved and previewed
    with U+FFFD in the half's place and no NUL, as a form's undecodable bytes are."""
    post = f.make_post(course, student, status="draft", title="Draft", body="old", version=1)
    db.session.commit()
    typed = "Half \ud800 a pair\x00, and a whole \U0001F600 one."
    saved = autosave(client, post, title="Draft \udfff", body=typed, version=1)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    db.session.refresh(post)
    assert (post.title, post.body) == ("Draft \ufffd", "Half \ufffd a pair, and a whole \U0001F600 one.")
    preview = client.post(f"/c/{course.slug}/preview", json={"body": typed})
    assert preview.status_code == 200
    assert "Half \ufffd a pair, and a whole \U0001F600 one." in preview.get_json()["html"]


def test_json_nested_as_deep_as_python_reads_it_is_no_server_error(client, course, student):
    post = f.make_post(course, student, status="draft", title="Draft", body="old", version=1)
    db.session.commit()
    deep = '{"title": "Draft", "body": "new", "version": 1, "x": ' + "[" * 900 + "]" * 900 + "}"
    response = client.post(f"/c/{course.slug}/posts/{post.id}/autosave", data=deep,
                           content_type="application/json")
    assert response.status_code == 200
    db.session.refresh(post)
    assert post.body == "new"
