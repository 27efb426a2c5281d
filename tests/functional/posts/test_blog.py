"""The course blog: listing, archives, search, privacy, and a fixed number of queries per page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from coursesite.essays import listing
from coursesite.extensions import db
from coursesite.models import PostTerm, Term, utcnow
from tests import factories as f


def text(response) -> str:
    return response.get_data(as_text=True)


def titles(response) -> list[str]:
    """The essays' titles listed, as read (a search marks the words it found in them)."""
    found = re.findall(r'class="post-summary__title"><a href="[^"]+">(.*?)</a>', text(response))
    return [re.sub(r"</?mark>", "", title) for title in found]


def test_published_essays_newest_first_with_author_wordpress_stamp_and_excerpt(client):
    course = f.make_course()
    author = f.make_member(course, name="Ada Writer")
    f.make_post(course, author, title="Older", published_at=datetime(2017, 4, 1, 16, 0, tzinfo=UTC))
    newer = f.make_post(course, author, title="Newer", published_at=datetime(2017, 4, 3, 16, 23, tzinfo=UTC),
                        body="x")
    newer.body_html = "<h2>Part one</h2><p>" + " ".join(f"word{i}" for i in range(80)) + "</p>"
    db.session.flush()
    page = client.get(f"/c/{course.slug}/")
    assert titles(page) == ["Newer", "Older"]
    html = text(page)
    assert '<time datetime="2017-04-03T12:23:00-04:00">April 3, 2017 at 12:23 pm</time>' in html
    assert "Ada Writer" in html and f'href="/c/{course.slug}/author/{author.id}/"' in html
    assert "word54 […]" in html and "word55" not in html and "Part one" not in html
    assert f'href="/c/{course.slug}/essays/{newer.slug}/"' in html


def test_drafts_scheduled_and_trashed_essays_stay_off_the_blog(client):
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="Visible")
    f.make_post(course, author, title="A draft", status="draft")
    f.make_post(course, author, title="Scheduled", published_at=utcnow() + timedelta(days=1))
    f.make_post(course, author, title="Trashed", deleted_at=utcnow())
    assert titles(client.get(f"/c/{course.slug}/")) == ["Visible"]


def test_course_display_name_is_shown_instead_of_the_account_name(client):
    course = f.make_course()
    author = f.make_member(course, name="Real Name", course_name="Pen Name")
    f.make_post(course, author)
    html = text(client.get(f"/c/{course.slug}/"))
    assert "Pen Name" in html and "Real Name" not in html


def test_comment_counts_count_only_visible_comments(client):
    course = f.make_course()
    author, reader = f.make_member(course), f.make_member(course)
    none, one, many = (f.make_post(course, author, title=t) for t in ("None", "One", "Many"))
    f.make_comment(one, reader)
    f.make_comment(one, reader, status="held")
    f.make_comment(one, reader, deleted_at=utcnow())
    for _ in range(3):
        f.make_comment(many, reader)
    f.make_comment(many, reader, status="hidden")
    html = text(client.get(f"/c/{course.slug}/"))
    assert "No Comments" in html and "1 Comment<" in html and "3 Comments" in html


def test_pagination_older_and_newer_posts(client):
    course = f.make_course()
    author = f.make_member(course)
    start = utcnow() - timedelta(days=30)
    for n in range(12):
        f.make_post(course, author, title=f"Essay {n:02d}", published_at=start + timedelta(days=n))
    first = client.get(f"/c/{course.slug}/")
    assert len(titles(first)) == 10 and "Older posts" in text(first) and "Newer posts" not in text(first)
    second = client.get(f"/c/{course.slug}/?page=2")
    assert titles(second) == ["Essay 01", "Essay 00"]
    assert "Newer posts" in text(second) and "Older posts" not in text(second)
    assert client.get(f"/c/{course.slug}/?page=3").status_code == 404
    assert client.get(f"/c/{course.slug}/?page=abc").status_code == 200


def test_archives_by_author_assignment_and_term(client):
    course = f.make_course()
    ada, bo = f.make_member(course, name="Ada"), f.make_member(course, name="Bo")
    assignment = f.make_assignment(course, title="Essay on Empire")
    by_ada = f.make_post(course, ada, title="Ada on empire", assignment_id=assignment.id)
    f.make_post(course, bo, title="Bo on war")
    term = Term(course_id=course.id, kind="tag", name="Empire", slug="empire")
    db.session.add(term)
    db.session.flush()
    db.session.add(PostTerm(post_id=by_ada.id, term_id=term.id))
    db.session.flush()
    assert titles(client.get(f"/c/{course.slug}/author/{ada.id}/")) == ["Ada on empire"]
    page = client.get(f"/c/{course.slug}/assignment/{assignment.id}/")
    assert titles(page) == ["Ada on empire"] and "Essays for Essay on Empire" in text(page)
    assert titles(client.get(f"/c/{course.slug}/tag/empire/")) == ["Ada on empire"]
    assert client.get(f"/c/{course.slug}/category/empire/").status_code == 404
    assert client.get(f"/c/{course.slug}/tag/nothing/").status_code == 404
    assert client.get(f"/c/{course.slug}/author/999999/").status_code == 404


def test_archives_refuse_objects_of_another_course(client):
    course, other = f.make_course(), f.make_course()
    outsider = f.make_member(other)
    assignment = f.make_assignment(other)
    assert client.get(f"/c/{course.slug}/assignment/{assignment.id}/").status_code == 404
    assert client.get(f"/c/{course.slug}/author/{outsider.id}/").status_code == 404


def test_search_title_and_body_case_insensitively(client):
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="The Berlin Airlift", body="Planes and coal.")
    f.make_post(course, author, title="Partition", body="The boundary drawn in BERLIN? No, in Punjab.")
    f.make_post(course, author, title="Dust", body="Nothing about it.")
    f.make_post(course, author, title="Berlin draft", status="draft")
    assert sorted(titles(client.get(f"/c/{course.slug}/search?q=berlin"))) == ["Partition", "The Berlin Airlift"]
    assert titles(client.get(f"/c/{course.slug}/search?q=berlin+coal")) == ["The Berlin Airlift"]
    empty = client.get(f"/c/{course.slug}/search?q=")
    assert empty.status_code == 200 and titles(empty) == []


def test_search_ignores_the_case_of_letters_beyond_ascii(client):
    """SQLite's own lower() folds A-Z only; the app's folds every letter, as PostgreSQL's does."""
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="Österreich nach 1945", body="ÉMIGRÉS in Wien.")
    f.make_post(course, author, title="Ирония судьбы", body="Новый год.")
    f.make_post(course, author, title="Dust", body="Nothing about it.")
    assert titles(client.get(f"/c/{course.slug}/search?q=österreich")) == ["Österreich nach 1945"]
    assert titles(client.get(f"/c/{course.slug}/search?q=émigrés")) == ["Österreich nach 1945"]
    assert titles(client.get(f"/c/{course.slug}/search?q=ИРОНИЯ")) == ["Ирония судьбы"]


def test_search_finds_a_word_said_only_in_a_comment_and_shows_where(client):
    course = f.make_course()
    author = f.make_member(course)
    commenter = f.make_member(course, name="Cleo Reader")
    post = f.make_post(course, author, title="Bartering", body="Goods for goods.")
    f.make_post(course, author, title="Unrelated", body="Nothing here.")
    comment = f.make_comment(post, commenter, body="This reminds me of the Marshall Plan somehow.")
    page = client.get(f"/c/{course.slug}/search?q=marshall+plan")
    assert titles(page) == ["Bartering"]
    html = text(page)
    link = f"/c/{course.slug}/essays/{post.slug}/?comment={comment.id}#comment-{comment.id}"
    assert f'href="{link}">In a comment by Cleo Reader</a>' in html
    assert "the <mark>Marshall</mark> Plan somehow." in html


def test_search_shows_the_essays_words_around_the_match(client):
    course = f.make_course()
    author = f.make_member(course)
    words = "Before " * 30 + "the coal came by air."
    post = f.make_post(course, author, title="Airlift", body=words)
    post.body_html = f"<p>{words}</p>"
    db.session.flush()
    html = text(client.get(f"/c/{course.slug}/search?q=COAL"))
    assert "the <mark>coal</mark> came by air." in html and "\u2026Before" in html


def test_search_marks_the_words_found_in_a_title_and_shows_an_essay_found_by_its_title_alone(client):
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="The Berlin Airlift: <b>BERLIN</b>, 1948", body="Planes and coal.")
    f.make_post(course, author, title="Coal in Berlin", body="Coal came by air.")
    html = text(client.get(f"/c/{course.slug}/search?q=berlin+airl"))
    # Every word found, in any case, marked in the title as written; markup in a title stays text.
    assert "The <mark>Berlin</mark> <mark>Airl</mark>ift: &lt;b&gt;<mark>BERLIN</mark>&lt;/b&gt;, 1948</a>" in html
    # Found by its title alone, the essay shows its opening, as the blog does, without a mark.
    assert '<p class="post-summary__excerpt">Planes and coal.' in html
    html = text(client.get(f"/c/{course.slug}/search?q=coal+berlin"))
    assert "<mark>Coal</mark> in <mark>Berlin</mark></a>" in html and "<mark>Coal</mark> came by air." in html


def test_search_shows_hostile_words_around_the_match_as_text(client):
    course = f.make_course()
    author = f.make_member(course)
    post = f.make_post(course, author, title="Plain", body="Plain.")
    comment = f.make_comment(post, f.make_member(course), body="x")
    comment.body, comment.body_html = ("<script>alert(1)</script> marker",
                                       "<p>&lt;script&gt;alert(1)&lt;/script&gt; marker</p>")
    db.session.flush()
    html = text(client.get(f"/c/{course.slug}/search?q=marker+%3Cimg+src%3Dx+onerror%3Dalert(2)%3E"))
    assert "<script>alert" not in html and "<img src=x" not in html
    html = text(client.get(f"/c/{course.slug}/search?q=marker"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>marker</mark>" in html


def test_search_never_finds_what_the_reader_may_not_read(client):
    course = f.make_course()
    author = f.make_member(course)
    commenter = f.make_member(course)
    post = f.make_post(course, author, title="Open essay", body="Plain.")
    f.make_comment(post, commenter, body="A held secretword.", status="held")
    f.make_comment(post, commenter, body="A hidden secretword.", status="hidden")
    f.make_comment(post, commenter, body="A deleted secretword.", deleted_at=utcnow())
    draft = f.make_post(course, author, title="Draft", status="draft")
    f.make_comment(draft, commenter, body="On a draft: secretword.")
    other = f.make_course()
    f.make_comment(f.make_post(other, f.make_member(other), title="Elsewhere"), f.make_member(other),
                   body="Another course's secretword.")
    assert titles(client.get(f"/c/{course.slug}/search?q=secretword")) == []


def test_search_treats_wildcards_as_text(client):
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="Growth of 100% in a year", body="x")
    f.make_post(course, author, title="Plain", body="nothing special")
    assert titles(client.get(f"/c/{course.slug}/search?q=%25")) == ["Growth of 100% in a year"]
    assert titles(client.get(f"/c/{course.slug}/search?q=_")) == []
    assert client.get(f"/c/{course.slug}/search?q=" + "x" * 5000).status_code == 200


def test_search_lists_the_newest_matches_up_to_its_limit_and_says_more_were_found(client, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_MOST_LISTED", 2)
    monkeypatch.setattr(listing, "SEARCH_NEWEST_FIRST", 4)  # the newest four hold three matches: enough
    course = f.make_course()
    author, reader = f.make_member(course), f.make_member(course)
    f.make_post(course, author, title="Oldest coal", published_at=utcnow() - timedelta(days=9))
    f.make_post(course, author, title="Older coal", published_at=utcnow() - timedelta(days=4))
    f.make_post(course, author, title="Old coal", published_at=utcnow() - timedelta(days=3))
    commented = f.make_post(course, author, title="Commented", body="x", published_at=utcnow() - timedelta(days=2))
    f.make_comment(commented, reader, body="Coal, said in a comment.")
    held = f.make_post(course, author, title="Held", body="x", published_at=utcnow() - timedelta(days=1))
    f.make_comment(held, reader, body="Coal, in a comment still held.", status="held")
    page = client.get(f"/c/{course.slug}/search?q=coal")
    assert titles(page) == ["Commented", "Old coal"]
    assert "More than 2 essays found: the newest 2 are listed. Add a word to narrow the search." in text(page)
    assert client.get(f"/c/{course.slug}/search?q=coal&page=2").status_code == 404


def test_search_reads_every_essay_when_the_newest_hold_too_few_matches(client, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_NEWEST_FIRST", 2)
    course = f.make_course()
    author, reader = f.make_member(course), f.make_member(course)
    old = f.make_post(course, author, title="Old", body="x", published_at=utcnow() - timedelta(days=5))
    f.make_comment(old, reader, body="The Marshall Plan, in a comment.")
    f.make_post(course, author, title="Marshall in the title", published_at=utcnow() - timedelta(days=4))
    for day in (3, 2, 1):
        f.make_post(course, author, title=f"Newer {day}", body="x", published_at=utcnow() - timedelta(days=day))
    page = client.get(f"/c/{course.slug}/search?q=marshall")
    assert titles(page) == ["Marshall in the title", "Old"] and "2 essays found." in text(page)


def test_a_word_no_index_finds_is_looked_for_in_the_newest_essays_only_and_the_page_says_so(client, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_NEWEST_FIRST", 2)
    course = f.make_course()
    author = f.make_member(course)
    f.make_post(course, author, title="Old UN charter", published_at=utcnow() - timedelta(days=5))
    f.make_post(course, author, title="UN charter again", published_at=utcnow() - timedelta(days=2))
    f.make_post(course, author, title="Newest", body="x", published_at=utcnow() - timedelta(days=1))
    page = client.get(f"/c/{course.slug}/search?q=UN+charter")
    assert titles(page) == ["UN charter again"]
    assert ("1 essay found among the newest 2: “UN” is too short to look for in older essays. Leave it out to "
            "search every essay.") in text(page)
    assert titles(client.get(f"/c/{course.slug}/search?q=charter")) == ["UN charter again", "Old UN charter"]
    monkeypatch.setattr(listing, "SEARCH_NEWEST_FIRST", 3)  # the newest are every essay: nothing left out
    page = client.get(f"/c/{course.slug}/search?q=UN+charter")
    assert titles(page) == ["UN charter again", "Old UN charter"] and "2 essays found." in text(page)


def test_an_empty_search_asks_for_words_and_counts_nothing(client):
    course = f.make_course()
    f.make_post(course, f.make_member(course), title="Coal")
    page = text(client.get(f"/c/{course.slug}/search?q=+"))
    assert "Type a word or two to search the essays." in page and "essays found" not in page


def test_public_course_is_noindex_unless_the_instructor_opts_in(client):
    hidden = f.make_course()
    listed = f.make_course(allow_indexing=True)
    assert 'name="robots" content="noindex"' in text(client.get(f"/c/{hidden.slug}/"))
    assert "noindex" not in text(client.get(f"/c/{listed.slug}/"))


def test_members_course_is_for_members_only(client, auth):
    course = f.make_course(visibility="members")
    member = f.make_member(course)
    f.make_post(course, member, title="Members only essay")
    visitor = client.get(f"/c/{course.slug}/")
    assert visitor.status_code == 302 and "/auth/login" in visitor.headers["Location"]
    stranger = f.make_user()
    auth.login(stranger)
    refused = client.get(f"/c/{course.slug}/")
    assert refused.status_code == 403 and "/join" in text(refused)
    auth.logout()
    auth.login(member)  # a student reads the blog at /blog/: their course home is This week
    assert "Members only essay" in text(client.get(f"/c/{course.slug}/blog/"))


def test_blog_links_the_course_feed_only_when_public(client, auth):
    public = f.make_course()
    members = f.make_course(visibility="members")
    assert f'type="application/atom+xml" title="{public.title} (Atom feed)" href="/c/{public.slug}/feed.atom"' in text(
        client.get(f"/c/{public.slug}/"))
    auth.login(f.make_member(members))
    assert "application/atom+xml" not in text(client.get(f"/c/{members.slug}/blog/"))


def _categorise(course, posts, name: str) -> None:
    term = Term(course_id=course.id, kind="category", name=name, slug=name.lower().replace(" ", "-"))
    db.session.add(term)
    db.session.flush()
    db.session.add_all(PostTerm(post_id=post.id, term_id=term.id) for post in posts)
    db.session.flush()


def sidebar_categories(response) -> tuple[list[str], str, list[str]]:
    """The side column's categories: the names shown at once, the disclosure's label, the names behind it."""
    section = re.search(r'<h2 id="sidebar-categories">.*?</section>', text(response), re.S)[0]
    shown, _, folded = section.partition("<details")
    label = re.search(r"<summary>([^<]*)</summary>", folded)
    names = re.compile(r'/category/[^/"]+/">([^<]+)</a>')
    return names.findall(shown), label[1] if label else "", names.findall(folded)


def test_many_categories_show_the_most_used_first_and_every_one_behind_a_disclosure(client):
    """An imported blog's wall of categories: a phone reader sees the twelve most used, and can open the rest."""
    course = f.make_course()
    author = f.make_member(course)
    essays = [f.make_post(course, author) for _ in range(5)]
    unseen = [f.make_post(course, author, status="draft"), f.make_post(course, author, deleted_at=utcnow())]
    _categorise(course, essays, "Zulu")
    _categorise(course, essays[:3], "Yankee")
    _categorise(course, essays[:2] + unseen, "X-ray")  # only the two essays readers see count
    others = [f"Cat {n:02d}" for n in range(1, 18)]
    for name in others:
        _categorise(course, essays[:1], name)
    shown, label, folded = sidebar_categories(client.get(f"/c/{course.slug}/"))
    assert shown == ["Zulu", "Yankee", "X-ray", *others[:9]]  # ties by name
    assert label == "All 20 categories"
    assert folded == sorted(["Zulu", "Yankee", "X-ray", *others])
    assert 'X-ray</a> <span class="term-count">(2<span class="visually-hidden"> essays</span>)</span>' in text(
        client.get(f"/c/{course.slug}/"))


def test_a_few_categories_stay_one_plain_list_by_name(client):
    course = f.make_course()
    author = f.make_member(course)
    essays = [f.make_post(course, author) for _ in range(3)]
    for name, used in (("Europe", essays), ("Cold War", essays[:1]), ("Economy", essays[:2])):
        _categorise(course, used, name)
    shown, label, folded = sidebar_categories(client.get(f"/c/{course.slug}/"))
    assert (shown, label, folded) == (["Cold War", "Economy", "Europe"], "", [])
    assert "term-count" not in text(client.get(f"/c/{course.slug}/"))


def _fill(course, count: int):
    start = utcnow() - timedelta(days=60)
    readers = [f.make_author(course) for _ in range(3)]
    assignment = f.make_assignment(course)
    for n in range(count):
        author = f.make_author(course, course_name=f"Pen {n}")
        post = f.make_post(course, author, published_at=start + timedelta(hours=n), assignment_id=assignment.id)
        term = Term(course_id=course.id, kind="category", name=f"Cat {n}", slug=f"cat-{n}")
        db.session.add(term)
        db.session.flush()
        db.session.add(PostTerm(post_id=post.id, term_id=term.id))
        for reader in readers:
            f.make_comment(post, reader)
    db.session.commit()


def test_blog_queries_do_not_grow_with_the_essays_shown(app, client, count_queries):
    small, large = f.make_course(), f.make_course()
    _fill(small, 3)
    _fill(large, 30)
    counts = []
    for course in (small, large):
        client.get(f"/c/{course.slug}/")  # warm up
        with count_queries() as queries:
            assert client.get(f"/c/{course.slug}/").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12


def test_members_course_blog_query_count_with_a_signed_in_member(client, auth, count_queries):
    course = f.make_course(visibility="members")
    _fill(course, 12)
    auth.login(f.make_member(course))
    with count_queries() as queries:
        assert client.get(f"/c/{course.slug}/blog/").status_code == 200
    assert queries.count <= 14


def test_the_blogs_title_names_the_course_once(client):
    course = f.make_course(title="Writing About History")
    author = f.make_member(course)
    for n in range(11):
        f.make_post(course, author, title=f"Essay {n}")
    db.session.flush()
    title = re.compile(r"<title>([^<]*)</title>")
    assert title.search(text(client.get(f"/c/{course.slug}/")))[1] == "Blog · Writing About History"
    assert title.search(text(client.get(f"/c/{course.slug}/?page=2")))[1] == "Blog · page 2 · Writing About History"
