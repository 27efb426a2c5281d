"""The essay page: what it shows, who may see drafts and trashed essays, and its query count."""

from __future__ import annotations

from datetime import timedelta

from coursesite.extensions import db
from coursesite.models import PostRevision, utcnow
from tests import factories as f


def text(response) -> str:
    return response.get_data(as_text=True)


def essay_url(post) -> str:
    return f"/c/{post.course.slug}/essays/{post.slug}/"


def test_essay_page_shows_title_author_date_assignment_and_text(client):
    course = f.make_course()
    author = f.make_author(course, name="Ada Writer")
    assignment = f.make_assignment(course, title="Empire and After")
    post = f.make_post(course, author, title="On Partition", body="x", assignment_id=assignment.id)
    post.body_html = "<p>The <em>rendered</em> essay.</p>"
    db.session.flush()
    html = text(client.get(essay_url(post)))
    assert '<h1 class="essay__title">On Partition</h1>' in html
    assert html.count("<h1") == 1
    assert "Ada Writer" in html and "<time datetime=" in html
    assert f'href="/c/{course.slug}/assignment/{assignment.id}/">Empire and After</a>' in html
    assert "<p>The <em>rendered</em> essay.</p>" in html
    assert f'rel="alternate" type="application/atom+xml" title="{course.title} (Atom feed)"' in html
    assert "Updated" not in html
    assert "Edit" not in html and "Move to trash" not in html


def test_updated_line_after_an_edit_following_publication(client):
    course = f.make_course()
    post = f.make_post(course, f.make_author(course), updated_at=utcnow())
    assert "Updated <time" in text(client.get(essay_url(post)))


def test_previous_and_next_essays(client):
    course = f.make_course()
    author = f.make_author(course)
    now = utcnow()
    first = f.make_post(course, author, title="First", published_at=now - timedelta(days=3))
    middle = f.make_post(course, author, title="Middle", published_at=now - timedelta(days=2))
    f.make_post(course, author, title="Hidden draft", status="draft")
    last = f.make_post(course, author, title="Last", published_at=now - timedelta(days=1))
    html = text(client.get(essay_url(middle)))
    assert f'href="{essay_url(first)}" rel="prev"' in html and f'href="{essay_url(last)}" rel="next"' in html
    assert "Hidden draft" not in html
    assert 'rel="prev"' not in text(client.get(essay_url(first)))


def test_unknown_essay_is_404(client):
    course = f.make_course()
    assert client.get(f"/c/{course.slug}/essays/nothing-here/").status_code == 404


def test_a_draft_is_404_except_for_its_author_and_staff(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    draft = f.make_post(course, author, status="draft", title="Secret draft")
    assert client.get(essay_url(draft)).status_code == 404
    auth.login(f.make_member(course))
    assert client.get(essay_url(draft)).status_code == 404
    auth.logout()
    auth.login(author)
    page = client.get(essay_url(draft))
    assert page.status_code == 200 and "only its author and course staff" in text(page)
    auth.logout()
    auth.login(f.make_member(course, role="ta"))
    assert "Secret draft" in text(client.get(essay_url(draft)))


def test_trashed_and_scheduled_essays_show_a_banner_to_those_who_may_see_them(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    trashed = f.make_post(course, author, deleted_at=utcnow())
    scheduled = f.make_post(course, author, published_at=utcnow() + timedelta(days=2))
    assert client.get(essay_url(trashed)).status_code == 404
    assert client.get(essay_url(scheduled)).status_code == 404
    auth.login(f.make_member(course, role="instructor"))
    assert "This essay is in the trash" in text(client.get(essay_url(trashed)))
    assert "Restore" in text(client.get(essay_url(trashed)))
    assert "Scheduled:" in text(client.get(essay_url(scheduled)))


def test_the_author_sees_edit_revisions_and_trash(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    post = f.make_post(course, author)
    auth.login(author)
    html = text(client.get(essay_url(post)))
    assert f'href="/c/{course.slug}/posts/{post.id}/edit"' in html
    assert f'href="/c/{course.slug}/posts/{post.id}/revisions"' in html
    assert f'href="/c/{course.slug}/posts/{post.id}/delete"' in html  # asks before it trashes


def test_staff_see_edited_after_due_and_students_do_not(client, auth):
    course = f.make_course()
    author = f.make_member(course)
    due = utcnow() - timedelta(days=1)
    assignment = f.make_assignment(course, post_due_at=due)
    post = f.make_post(course, author, assignment_id=assignment.id, published_at=due - timedelta(hours=3))
    db.session.add_all([
        PostRevision(post_id=post.id, version=1, title=post.title, body="v1", status="published",
                     created_at=due - timedelta(hours=3)),
        PostRevision(post_id=post.id, version=2, title=post.title, body="v2", status="published",
                     created_at=due + timedelta(hours=3)),
    ])
    db.session.flush()
    auth.login(author)
    assert "Edited after due" not in text(client.get(essay_url(post)))
    auth.logout()
    auth.login(f.make_member(course, role="ta"))
    assert "Edited after due" in text(client.get(essay_url(post)))


def test_essay_page_query_count_is_fixed(client, count_queries):
    course = f.make_course()
    author = f.make_author(course)
    posts = [f.make_post(course, author, published_at=utcnow() - timedelta(hours=n + 1)) for n in range(3)]
    for post in posts:
        for _ in range(4):
            f.make_comment(post, f.make_author(course))
    db.session.commit()
    counts = []
    for post in posts:
        with count_queries() as queries:
            assert client.get(essay_url(post)).status_code == 200
        counts.append(queries.count)
    assert max(counts) <= 12, counts  # 10 for the page, 2 for the visitors' copy (its comments, the course's essays)


def test_members_course_essay_requires_membership(client, auth):
    course = f.make_course(visibility="members")
    author = f.make_member(course)
    post = f.make_post(course, author)
    assert client.get(essay_url(post)).status_code == 302
    auth.login(f.make_user())
    assert client.get(essay_url(post)).status_code == 403
    auth.logout()
    auth.login(author)
    page = text(client.get(essay_url(post)))
    assert post.title in page and "application/atom+xml" not in page


def test_essays_are_printable(client):
    course = f.make_course()
    post = f.make_post(course, f.make_author(course))
    html = text(client.get(essay_url(post)))
    assert "css/posts.css" in html
    assert 'class="post-navigation no-print"' in html or "post-navigation" not in html


def test_essays_published_at_the_same_moment_follow_one_another_by_their_order_of_creation(client):
    course = f.make_course()
    author = f.make_author(course)
    at = utcnow() - timedelta(days=1)
    before = f.make_post(course, author, title="Before", published_at=at - timedelta(hours=1))
    first, second, third = (f.make_post(course, author, title=title, published_at=at)
                            for title in ("Tie one", "Tie two", "Tie three"))
    after = f.make_post(course, author, title="After", published_at=at + timedelta(hours=1))
    expected = {before: (None, first), first: (before, second), second: (first, third), third: (second, after),
                after: (third, None)}
    for post, (previous, following) in expected.items():
        html = text(client.get(essay_url(post)))
        assert (f'href="{essay_url(previous)}" rel="prev"' in html) if previous else 'rel="prev"' not in html
        assert (f'href="{essay_url(following)}" rel="next"' in html) if following else 'rel="next"' not in html
