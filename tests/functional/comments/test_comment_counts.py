"""The blog's comment counts follow every change to an essay's comments at once."""

from __future__ import annotations

from coursesite.extensions import db
from tests import factories as f


def blog(client, course) -> str:
    response = client.get(f"/c/{course.slug}/blog/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_count_follows_new_hidden_and_deleted_comments(app, client, auth):
    course = f.make_course(visibility="public")
    post = f.make_post(course, f.make_author(course), title="Letters from Yalta")
    first = f.make_comment(post, f.make_member(course), body="The first thought.")
    db.session.commit()
    assert "1 Comment" in blog(client, course)
    assert "1 Comment" in blog(client, course)
    student = f.make_member(course)
    db.session.commit()
    auth.login(student)
    posted = client.post(f"/c/{course.slug}/essays/{post.slug}/comments", data={"body": "A second one."})
    assert posted.status_code == 302
    assert "2 Comments" in blog(client, course)
    first.status = "hidden"
    db.session.commit()
    assert "1 Comment" in blog(client, course)
    auth.logout()
    assert "1 Comment" in blog(client, course)
