"""The demo course's essays show every state an essay can be in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coursesite.demo import course as demo
from coursesite.demo import posts as demo_posts
from coursesite.demo.essays import DEPRESSION_PIECES, ESSAYS
from coursesite.extensions import db
from coursesite.models import Post, PostRevision, utcnow
from tests import factories as f


def test_demo_essays_show_every_state(client):
    course = demo.build_demo()
    db.session.commit()
    now = utcnow()
    posts = list(db.session.scalars(select(Post).where(Post.course_id == course.id)))
    live = [p for p in posts if p.is_live(now)]
    assert len(live) >= 8
    assert len({p.author_id for p in posts}) >= 9
    assert sum(p.status == "draft" for p in posts) == 1
    assert sum(p.is_scheduled(now) for p in posts) == 1
    assert sum(p.is_trashed for p in posts) == 1
    edited = [p for p in live if p.updated_at is not None]
    assert len(edited) == 1
    published_versions = db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == edited[0].id, PostRevision.status == "published"))
    assert len(list(published_versions)) == 2
    dates = sorted(p.published_at for p in live)
    assert dates[-1] - dates[0] >= timedelta(weeks=3)
    for post in posts:
        assert 150 <= post.word_count <= 600, (post.title, post.word_count)
        assert post.body_html.count("<p>") >= 3 and "<h2>" in post.body_html and "<blockquote>" in post.body_html
    essays = [p for p in posts if p.title in {essay["title"] for essay in ESSAYS}]
    assert len(essays) == len(ESSAYS)
    assert all("<ul>" in p.body_html or "<ol>" in p.body_html for p in essays)
    blog = client.get(f"/c/{course.slug}/").get_data(as_text=True)
    assert "The Night the Wall Opened" in blog and "Apollo 11" not in blog and "Versailles" not in blog


def test_demo_essays_answer_the_course_assignments_in_due_order(app):
    course = f.make_course()
    students = [f.make_author(course) for _ in range(12)]
    second = f.make_assignment(course, title="A: Everyday life", post_due_at=utcnow() - timedelta(days=9))
    first = f.make_assignment(course, title="B: Turning points", post_due_at=utcnow() - timedelta(days=28))
    posts = demo_posts.build(course, {"students": students}, utcnow())
    marshall = next(p for p in posts if p.title.startswith("The Marshall Plan"))
    dust_bowl = next(p for p in posts if p.title.startswith("The Dust Bowl"))
    assert marshall.assignment_id == first.id and dust_bowl.assignment_id == second.id
    assert marshall.published_at < first.post_due_at
    late = next(p for p in posts if p.title.startswith("Partition"))
    assert late.published_at > first.post_due_at  # one essay is published a little late
    answers = [p for p in posts if p.assignment_id == second.id]
    assert len(answers) == len(DEPRESSION_PIECES) + 1
    assert len({p.author_id for p in answers}) == len(answers)  # one answer each


def test_without_assignments_essays_stand_alone(app):
    course = f.make_course()
    students = [f.make_author(course) for _ in range(5)]
    posts = demo_posts.build(course, {"students": students}, utcnow())
    assert len(posts) == 5 and all(p.assignment_id is None for p in posts)
