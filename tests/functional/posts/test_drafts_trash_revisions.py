"""Drafts, the trash, and revisions with their differences."""

from __future__ import annotations

from datetime import timedelta

from coursesite.extensions import db
from coursesite.models import utcnow
from tests import factories as f
from tests.functional.writing_helpers import essay_form, posts_of, text


def test_drafts_lists_only_my_drafts_and_scheduled_essays(client, auth):
    course = f.make_course()
    me, peer = f.make_member(course), f.make_author(course)
    f.make_post(course, me, status="draft", title="My draft")
    f.make_post(course, me, title="My scheduled", published_at=utcnow() + timedelta(days=1))
    f.make_post(course, me, title="My published")
    f.make_post(course, me, status="draft", title="My trashed draft", deleted_at=utcnow())
    f.make_post(course, peer, status="draft", title="Peer draft")
    auth.login(me)
    html = text(client.get(f"/c/{course.slug}/drafts"))
    assert "My draft" in html and "My scheduled" in html and "Scheduled for" in html
    assert "My published" not in html and "Peer draft" not in html and "My trashed draft" not in html


def test_staff_also_see_students_drafts(client, auth):
    course = f.make_course()
    f.make_post(course, f.make_author(course), status="draft", title="Peer draft")
    auth.login(f.make_member(course, role="ta"))
    html = text(client.get(f"/c/{course.slug}/drafts"))
    assert "Students’ drafts" in html and "Peer draft" in html


def test_delete_moves_to_trash_and_staff_restore(client, auth):
    course = f.make_course()
    author, instructor = f.make_member(course), f.make_member(course, role="instructor")
    post = f.make_post(course, author, title="Regretted")
    db.session.commit()
    auth.login(instructor)
    response = client.post(f"/c/{course.slug}/posts/{post.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/trash")
    db.session.refresh(post)
    assert post.deleted_at is not None and post.deleted_by_id == instructor.id
    assert "Regretted</a>" not in text(client.get(f"/c/{course.slug}/"))
    auth.logout()
    auth.login(author)  # removed by staff: only staff restore it
    assert client.post(f"/c/{course.slug}/posts/{post.id}/restore").status_code == 403
    assert client.get(f"/c/{course.slug}/trash").status_code == 403
    assert "In the trash" not in text(client.get(f"/c/{course.slug}/drafts"))
    auth.logout()
    auth.login(instructor)
    assert "Regretted" in text(client.get(f"/c/{course.slug}/trash"))
    client.post(f"/c/{course.slug}/posts/{post.id}/restore")
    db.session.refresh(post)
    assert post.deleted_at is None
    assert "Regretted</a>" in text(client.get(f"/c/{course.slug}/"))
    assert "The trash is empty" in text(client.get(f"/c/{course.slug}/trash"))


def test_moving_an_essay_to_the_trash_asks_first_and_says_what_happens(client, auth):
    course = f.make_course()
    author, reader = f.make_member(course), f.make_member(course)
    post = f.make_post(course, author, title="Still wanted")
    f.make_comment(post, reader, "A reply worth keeping.", status="visible")
    db.session.commit()
    auth.login(author)
    essay = text(client.get(f"/c/{course.slug}/essays/{post.slug}/"))
    # The essay page links to the question; no form there trashes the essay in one click.
    assert f'action="/c/{course.slug}/posts/{post.id}/delete"' not in essay
    assert f'href="/c/{course.slug}/posts/{post.id}/delete"' in essay
    editor = text(client.get(f"/c/{course.slug}/posts/{post.id}/edit"))
    assert f'action="/c/{course.slug}/posts/{post.id}/delete"' not in editor
    page = text(client.get(f"/c/{course.slug}/posts/{post.id}/delete"))
    assert "Move “Still wanted” to the trash?" in page
    assert "leaves the blog" in page and "Its 1 comment stays with it" in page
    assert "For 30 days you can restore it yourself" in page
    assert f'<form method="post" action="/c/{course.slug}/posts/{post.id}/delete"' in page
    db.session.refresh(post)
    assert post.deleted_at is None  # asking changed nothing


def test_an_author_restores_their_own_essay_published_as_it_was_with_its_comments(client, auth):
    course = f.make_course()
    author, reader = f.make_member(course), f.make_member(course)
    assignment = f.make_assignment(course, title="Essay 1")
    post = f.make_post(course, author, title="Second thoughts", assignment_id=assignment.id)
    published_at = post.published_at
    f.make_comment(post, reader, "Keep this one.", status="visible")
    db.session.commit()
    auth.login(author)
    response = client.post(f"/c/{course.slug}/posts/{post.id}/delete")
    assert response.headers["Location"].endswith("/drafts#trash")
    drafts = text(client.get(f"/c/{course.slug}/drafts"))
    assert "In the trash" in drafts and "Second thoughts" in drafts and "30 days" in drafts
    my_work = text(client.get(f"/c/{course.slug}/my-work"))
    assert "In the trash" in my_work and f"/c/{course.slug}/posts/{post.id}/restore" in my_work
    assert "Your essay “Second thoughts” is in the trash." in my_work  # where Essay 1 would say "not started"
    response = client.post(f"/c/{course.slug}/posts/{post.id}/restore")
    assert response.headers["Location"].endswith(f"/essays/{post.slug}/")
    db.session.refresh(post)
    assert post.deleted_at is None and post.status == "published" and post.published_at == published_at
    essay = text(client.get(f"/c/{course.slug}/essays/{post.slug}/"))
    assert "back on the blog as it was" in essay and "Keep this one." in essay
    assert "Second thoughts</a>" in text(client.get(f"/c/{course.slug}/blog/"))  # a student reads it at /blog/


def test_an_author_cannot_restore_after_thirty_days(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    post = f.make_post(course, author, title="Long gone", deleted_at=utcnow() - timedelta(days=31))
    post.deleted_by_id = author.id
    db.session.commit()
    auth.login(author)
    assert "Long gone" not in text(client.get(f"/c/{course.slug}/drafts"))
    assert client.post(f"/c/{course.slug}/posts/{post.id}/restore").status_code == 403
    db.session.refresh(post)
    assert post.deleted_at is not None


def test_students_cannot_trash_a_peers_essay(client, auth):
    course = f.make_course()
    peer_post = f.make_post(course, f.make_author(course))
    peer_draft = f.make_post(course, f.make_author(course), status="draft")
    auth.login(f.make_member(course))
    assert client.post(f"/c/{course.slug}/posts/{peer_post.id}/delete").status_code == 403
    assert client.post(f"/c/{course.slug}/posts/{peer_draft.id}/delete").status_code == 404
    db.session.refresh(peer_post)
    assert peer_post.deleted_at is None


def test_revisions_show_every_version_and_the_differences(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    db.session.commit()
    auth.login(author)
    client.post(f"/c/{course.slug}/posts/new", data=essay_form(title="Versions", body="line one\nline two",
                                                               action="publish"))
    post = posts_of(course)[0]
    client.post(f"/c/{course.slug}/posts/{post.id}/edit",
                data=essay_form(title="Versions", body="line one\nline 2 <b>\nline three", version=post.version,
                                action="publish"))
    page = client.get(f"/c/{course.slug}/posts/{post.id}/revisions")
    html = text(page)
    assert page.status_code == 200 and "Every saved version" in html
    assert "<caption>Before: version 1; after: version 2</caption>" in html
    assert "<del>two</del>" in html and "<ins>2 &lt;b&gt;</ins>" in html and "<ins>line three</ins>" in html
    assert '<th scope="col">Before</th>' in html
    first = client.get(f"/c/{course.slug}/posts/{post.id}/revisions?rev=0")
    assert first.status_code == 200


def test_revisions_are_for_the_author_and_staff(client, auth):
    course = f.make_course()
    post = f.make_post(course, f.make_author(course))
    url = f"/c/{course.slug}/posts/{post.id}/revisions"
    assert client.get(url).status_code == 302
    auth.login(f.make_member(course))
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(f.make_member(course, role="instructor"))
    assert client.get(url).status_code == 200


def test_staff_compare_the_essay_at_the_due_date_with_now(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    due = utcnow() - timedelta(days=2)
    assignment = f.make_assignment(course, post_due_at=due)
    db.session.commit()
    from coursesite.models import PostRevision

    post = f.make_post(course, author, assignment_id=assignment.id, published_at=due - timedelta(hours=1))
    db.session.add_all([
        PostRevision(post_id=post.id, version=1, title="T", body="as submitted", status="published",
                     created_at=due - timedelta(hours=1)),
        PostRevision(post_id=post.id, version=2, title="T", body="improved later", status="published",
                     created_at=due + timedelta(days=1)),
    ])
    db.session.commit()
    auth.login(f.make_member(course, role="ta"))
    html = text(client.get(f"/c/{course.slug}/posts/{post.id}/revisions?compare=due"))
    assert "Changes since the due date" in html
    assert "<del>as submitted</del>" in html and "<ins>improved later</ins>" in html
    assert "The essay as it stood at the due date" in html and "<p>as submitted</p>" in html


def test_the_trash_question_counts_one_comment_and_its_writer_as_one(client, auth):
    course = f.make_course()
    author, reader, other = f.make_member(course), f.make_member(course), f.make_member(course)
    post = f.make_post(course, author, title="Counted right")
    f.make_comment(post, reader, "A reply worth keeping.", status="visible")
    db.session.commit()
    auth.login(author)
    page = text(client.get(f"/c/{course.slug}/posts/{post.id}/delete"))
    assert "still counted for the classmate who wrote it, and comes back" in page
    f.make_comment(post, other, "Another reply worth keeping.", status="visible")
    db.session.commit()
    page = text(client.get(f"/c/{course.slug}/posts/{post.id}/delete"))
    assert "Its 2 comments stay with it, still counted for the classmates who wrote them, and come back" in page
