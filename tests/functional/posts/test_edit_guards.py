"""Two tabs on one essay, and saves whose answer never arrived: published essays are guarded like drafts, and
an editor's retry of its own lost save is no conflict."""

from __future__ import annotations

import pytest

from coursesite.extensions import db
from coursesite.models import PostAutosave, utcnow
from tests import factories as f
from tests.functional.writing_helpers import essay_form, form_version, text

TAB_ONE = "tab-one-0123456789abcdef"
TAB_TWO = "tab-two-0123456789abcdef"


@pytest.fixture
def course():
    return f.make_course()


@pytest.fixture
def student(course, auth):
    user = f.make_member(course)
    db.session.commit()
    auth.login(user)
    return user


@pytest.fixture
def published(course, student):
    post = f.make_post(course, student, title="Out", body="Published text.", version=2)
    db.session.commit()
    return post


def autosave(client, post, body, version, editor=None, title="Out"):
    payload = {"title": title, "body": body, "version": version}
    if editor:
        payload["editor"] = editor
    return client.post(f"/c/{post.course.slug}/posts/{post.id}/autosave", json=payload)


def update(client, post, body, version, editor="", title="Out"):
    return client.post(f"/c/{post.course.slug}/posts/{post.id}/edit",
                       data=essay_form(title=title, body=body, version=version, action="publish", editor=editor))


def editor_page(client, post) -> str:
    return text(client.get(f"/c/{post.course.slug}/posts/{post.id}/edit"))


# --- published essays: two tabs --------------------------------------------------------------------------


def test_a_stale_tab_cannot_replace_the_other_tabs_pending_text(client, published):
    first = autosave(client, published, "Tab one's work.", 2, TAB_ONE)
    assert first.status_code == 200 and first.get_json()["version"] == 3
    stale = autosave(client, published, "Tab two's older work.", 2, TAB_TWO)
    assert stale.status_code == 409
    assert stale.get_json()["current"] == {"title": "Out", "body": "Tab one's work.", "version": 3}
    assert "Tab one&#39;s work.</textarea>" in editor_page(client, published)
    # Tab one goes on saving from the version it was given.
    assert autosave(client, published, "Tab one's work, longer.", 3, TAB_ONE).get_json()["version"] == 4


def test_a_stale_tab_cannot_wipe_the_pending_text_by_typing_back_the_published_one(client, published):
    autosave(client, published, "Tab one's work.", 2, TAB_ONE)
    assert autosave(client, published, "Published text.", 2, TAB_TWO).status_code == 409
    assert "Tab one&#39;s work.</textarea>" in editor_page(client, published)


def test_update_from_a_stale_tab_is_a_conflict_and_keeps_its_text(client, published):
    autosave(client, published, "Tab one's work.", 2, TAB_ONE)
    response = update(client, published, "Tab two's update.", 2)
    assert response.status_code == 409
    page = text(response)
    assert "changed in another tab or window" in page and "Nothing was" in page
    assert "Tab one&#39;s work." in page and "Tab two&#39;s update.</textarea>" in page
    db.session.refresh(published)
    assert published.body == "Published text." and published.version == 2
    # Having seen both, the writer may save over the other version with the version the page now carries.
    assert form_version(response) == 3
    assert update(client, published, "Tab two's update.", form_version(response)).status_code == 302
    db.session.refresh(published)
    assert published.body == "Tab two's update." and published.version == 4


def test_update_from_the_tab_that_autosaved_publishes_its_text(client, published):
    saved = autosave(client, published, "Tab one's work.", 2, TAB_ONE).get_json()["version"]
    assert update(client, published, "Tab one's work.", saved).status_code == 302
    db.session.refresh(published)
    assert published.body == "Tab one's work." and published.version == saved + 1
    # The tab still holding the essay's old version is refused after the update too.
    assert autosave(client, published, "Tab two.", 2, TAB_TWO).status_code == 409


def test_typing_back_the_published_text_keeps_the_versions_rising(client, published):
    autosave(client, published, "Tab one's work.", 2, TAB_ONE)
    back = autosave(client, published, "Published text.", 3, TAB_ONE)
    assert back.status_code == 200 and back.get_json()["version"] == 4
    # A tab opened before either autosave still holds version 2: it must not pass.
    assert autosave(client, published, "Tab two.", 2, TAB_TWO).status_code == 409
    page = editor_page(client, published)
    assert "not published yet" not in page and 'name="version" value="4"' in page


def test_the_editor_opens_at_the_pending_version(client, published):
    autosave(client, published, "Tab one's work.", 2, TAB_ONE)
    page = editor_page(client, published)
    assert 'name="version" value="3"' in page and "Tab one&#39;s work.</textarea>" in page


# --- a save whose answer never arrived ----------------------------------------------------------------------


def test_a_draft_autosave_retried_after_a_lost_answer_is_not_a_conflict(client, course, student):
    post = f.make_post(course, student, status="draft", title="T", body="Start.", version=5)
    db.session.commit()
    assert autosave(client, post, "Start, then more.", 5, TAB_ONE, title="T").status_code == 200  # answer lost
    retry = autosave(client, post, "Start, then more, and more typed since.", 5, TAB_ONE, title="T")
    assert retry.status_code == 200 and retry.get_json()["version"] == 7
    db.session.refresh(post)
    assert post.body == "Start, then more, and more typed since."


def test_a_published_autosave_retried_after_a_lost_answer_is_not_a_conflict(client, published):
    assert autosave(client, published, "Work.", 2, TAB_ONE).status_code == 200  # answer lost
    assert autosave(client, published, "Work, and more.", 2, TAB_ONE).status_code == 200
    assert update(client, published, "Work, and more, published.", 2, TAB_ONE).status_code == 302
    db.session.refresh(published)
    assert published.body == "Work, and more, published."


def test_a_lost_answer_is_no_excuse_once_another_tab_saved(client, course, student):
    post = f.make_post(course, student, status="draft", title="T", body="Start.", version=5)
    db.session.commit()
    autosave(client, post, "Tab one.", 5, TAB_ONE, title="T")  # answer lost
    autosave(client, post, "Tab two read version 6.", 6, TAB_TWO, title="T")
    assert autosave(client, post, "Tab one, retried.", 5, TAB_ONE, title="T").status_code == 409
    db.session.refresh(post)
    assert post.body == "Tab two read version 6."


def test_another_tab_cannot_borrow_a_lost_answer(client, course, student):
    post = f.make_post(course, student, status="draft", title="T", body="Start.", version=5)
    db.session.commit()
    autosave(client, post, "Tab one.", 5, TAB_ONE, title="T")
    assert autosave(client, post, "Tab two, stale.", 5, TAB_TWO, title="T").status_code == 409
    assert autosave(client, post, "No name, stale.", 5, title="T").status_code == 409
    assert autosave(client, post, "Odd name, stale.", 5, "6:" + TAB_ONE, title="T").status_code == 409


def test_a_version_written_another_way_ends_the_editors_claim(client, course, student):
    post = f.make_post(course, student, status="draft", title="T", body="Start.", version=5)
    db.session.commit()
    autosave(client, post, "Tab one.", 5, TAB_ONE, title="T")
    update(client, post, "Saved without the script.", 6, title="T")  # no page name: the form without script
    assert autosave(client, post, "Tab one, retried.", 5, TAB_ONE, title="T").status_code == 409


def test_an_outdated_pending_autosave_never_lends_its_version_again(client, published):
    db.session.add(PostAutosave(post_id=published.id, title="Out", body="Written on version 1.", base_version=1,
                                version=9, saved_at=utcnow()))
    db.session.commit()
    saved = autosave(client, published, "Newer work.", 2, TAB_ONE)
    assert saved.status_code == 200 and saved.get_json()["version"] == 10
    assert autosave(client, published, "A tab that held 9.", 9, TAB_TWO).status_code == 409
