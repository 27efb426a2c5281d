"""A long comment thread is read fifty top-level comments a page, each with its replies, and a link to a comment
opens the page that holds it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from coursesite.extensions import db
from coursesite.models import Comment
from tests import factories as f
from tests.functional.comment_helpers import seminar
from tests.functional.helpers import login_client

START = datetime(2026, 9, 1, 12, tzinfo=UTC)


@pytest.fixture
def long_thread(app):
    """Bob's 120 comments on Alice's essay, a minute apart ("Comment 1" first); Carol answers the 60th and the
    105th."""
    s = seminar()
    tops = [f.make_thread_comment(s.essay, s.bob, f"Comment {n} on the essay", at=START + timedelta(minutes=n))
            for n in range(1, 121)]
    replies = {n: f.make_thread_comment(s.essay, s.carol, f"Carol answers comment {n}", parent=tops[n - 1],
                                        at=START + timedelta(days=1, minutes=n))
               for n in (60, 105)}
    db.session.commit()
    return s, tops, replies


def shown(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def comment_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<p>Comment (\d+) on the essay</p>", html)]


def nav_links(html: str) -> dict[str, str]:
    """The comment pages' links above the comments: their words (arrows left out) → address."""
    nav = html.split('aria-label="Comment pages"', 1)[1].split("</nav>", 1)[0]
    return {words.strip("←→ "): href.replace("&amp;", "&")
            for href, words in re.findall(r'<a class="pagination__\w+" href="([^"]+)" rel="\w+">([^<]+)</a>', nav)}


def test_a_long_thread_is_shown_fifty_top_level_comments_a_page_oldest_first_with_their_replies(client, long_thread):
    s, _tops, replies = long_thread
    first = shown(client, s.essay_url())
    assert "122 thoughts on “The Illusion of Khrushchev”" in first
    assert comment_numbers(first) == list(range(1, 51))
    assert "Page 1 of 3" in first and "Carol answers" not in first
    assert nav_links(first) == {"Newer comments": f"{s.essay_url()}?cpage=2#comments"}
    assert first.count('class="pagination comment-navigation"') == 2  # above the comments and below them
    assert 'id="respond"' in first

    second = shown(client, f"{s.essay_url()}?cpage=2")
    assert "122 thoughts on" in second and "Page 2 of 3" in second
    assert comment_numbers(second) == list(range(51, 101))
    assert f'id="comment-{replies[60].id}"' in second and f'id="comment-{replies[105].id}"' not in second
    assert nav_links(second) == {"Older comments": f"{s.essay_url()}#comments",
                                 "Newer comments": f"{s.essay_url()}?cpage=3#comments"}
    assert 'id="respond"' in second

    third = shown(client, f"{s.essay_url()}?cpage=3")
    assert comment_numbers(third) == list(range(101, 121)) and "Carol answers comment 105" in third
    assert nav_links(third) == {"Older comments": f"{s.essay_url()}?cpage=2#comments"}
    # Past the last page: the last one; no page number: the first.
    assert comment_numbers(shown(client, f"{s.essay_url()}?cpage=9")) == list(range(101, 121))
    for nonsense in ("abc", "-2", "0", "2.5"):
        assert comment_numbers(shown(client, f"{s.essay_url()}?cpage={nonsense}")) == list(range(1, 51))
    shown(client, f"{s.essay_url()}?cpage={'9' * 30}", status=404)


def test_a_thread_of_fifty_is_one_page_without_page_links(client, app):
    s = seminar()
    for n in range(1, 51):
        f.make_thread_comment(s.essay, s.bob, f"Comment {n} on the essay", at=START + timedelta(minutes=n))
    db.session.commit()
    html = shown(client, s.essay_url())
    assert comment_numbers(html) == list(range(1, 51))
    assert "comment-navigation" not in html and "Page 1 of" not in html


def test_a_link_to_a_comment_opens_the_page_that_holds_it(client, auth, long_thread):
    """The links the site gives to a comment (My comments, notifications, emails, feeds, dashboards) name the
    comment; the essay opens at the page holding it, whatever page number was asked for."""
    s, tops, replies = long_thread
    auth.login(s.carol)
    mine = shown(client, f"/c/{s.course.slug}/my-comments")
    link = re.search(rf'href="([^"]*\?comment={replies[105].id}#comment-{replies[105].id})"', mine)
    assert link, "Carol's list of her comments links to her answer to comment 105"
    html = shown(client, link.group(1).replace("&amp;", "&"))
    assert "Page 3 of 3" in html and f'id="comment-{replies[105].id}"' in html
    assert "Page 2 of 3" in shown(client, f"{s.essay_url()}?comment={tops[51].id}&cpage=3")
    assert "Page 1 of 3" in shown(client, f"{s.essay_url()}?comment=999999")  # no such comment: as asked


def test_replying_to_a_comment_on_a_later_page_stays_on_that_page(client, auth, long_thread):
    s, tops, _replies = long_thread
    auth.login(s.carol)
    # Without JavaScript, Reply opens the form for that comment on its own page.
    third = shown(client, f"{s.essay_url()}?replytocom={tops[109].id}")
    assert "Page 3 of 3" in third and "Reply to Bob Brandt" in third
    response = client.post(s.create_url(), data={"body": "Carol agrees with comment one hundred and ten here.",
                                                 "parent_id": str(tops[109].id)})
    assert response.status_code == 302
    reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == tops[109].id))
    assert response.headers["Location"].endswith(f"?comment={reply.id}#comment-{reply.id}")
    landed = shown(client, response.headers["Location"])
    assert "Page 3 of 3" in landed and f'id="comment-{reply.id}"' in landed


def test_each_page_of_comments_has_its_own_tag_and_kept_copy_for_visitors(client, long_thread):
    s, _tops, _replies = long_thread
    first, second = client.get(s.essay_url()), client.get(f"{s.essay_url()}?cpage=2")
    assert first.headers["ETag"] != second.headers["ETag"]
    again = client.get(f"{s.essay_url()}?cpage=2", headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(s.essay_url(), headers={"If-None-Match": second.headers["ETag"]}).status_code == 200
    kept = client.get(f"{s.essay_url()}?cpage=2")  # from the copy kept for visitors
    assert comment_numbers(kept.get_data(as_text=True)) == list(range(51, 101))
    assert "public" in kept.headers["Cache-Control"]


def login_link(html: str) -> str:
    return re.search(r'href="(/auth/login\?next=[^"]*)">Log in</a>', html).group(1)


@pytest.mark.parametrize("spelling", ["evil-text", "01", "1", "", "02"])
def test_a_page_number_written_otherwise_is_not_kept_for_every_visitor(client, long_thread, spelling):
    """The page carries its own address (Log in's way back): a page asked for as `?cpage=01` or `?cpage=<text>`
    is not the copy every visitor of that page number gets, nor tagged as it."""
    s, _tops, _replies = long_thread
    odd = client.get(f"{s.essay_url()}?cpage={spelling}")
    assert odd.status_code == 200 and "ETag" not in odd.headers
    assert "public" not in odd.headers.get("Cache-Control", "")
    assert "cpage" not in login_link(shown(client, s.essay_url()))
    assert login_link(shown(client, f"{s.essay_url()}?cpage=2")).endswith("?cpage%3D2")


def form_action(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" id="commentform"', html).group(1).replace("&amp;", "&")


def test_a_refused_comment_on_a_later_page_is_shown_again_on_that_page_with_its_text(client, auth, long_thread):
    s, _tops, _replies = long_thread
    auth.login(s.carol)
    action = form_action(shown(client, f"{s.essay_url()}?cpage=3"))
    assert action == f"{s.create_url()}?cpage=3#respond"
    too_long = "Carol has a great deal to say. " * 400
    refused = client.post(action, data={"body": too_long, "parent_id": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Page 3 of 3" in html and comment_numbers(html) == list(range(101, 121))
    assert "the limit is 10,000" in html and too_long.strip() in html
    assert form_action(html) == action  # corrected and sent again from the same page
    # The refused comment's address reloaded: the form on that page; a comment's permalink followed from it
    # (relative to that address): the comment.
    assert client.get(action).headers["Location"] == f"{s.essay_url()}?cpage=3#respond"
    permalink = re.search(r'class="comment-permalink" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    followed = client.get(urljoin(f"http://coursesite.test{action}", permalink))
    assert followed.headers["Location"] == f"{s.essay_url()}{permalink}"


def test_a_comment_sent_after_the_login_ended_leads_back_to_its_page_of_the_thread(app, client, auth, long_thread):
    s, tops, _replies = long_thread
    auth.login(s.carol)
    login_client(app, s.carol).post("/auth/logout")  # a logout elsewhere ends this login too
    for parent, back_to in (("", f"{s.essay_url()}?cpage=3#respond"),
                            (str(tops[109].id), f"{s.essay_url()}?replytocom={tops[109].id}#respond")):
        response = client.post(f"{s.create_url()}?cpage=3", data={"body": "Typed before the logout.",
                                                                  "parent_id": parent})
        assert parse_qs(urlsplit(response.headers["Location"]).query)["next"] == [back_to]
    auth.login(s.carol)
    html = shown(client, f"{s.essay_url()}?replytocom={tops[109].id}")
    assert "Page 3 of 3" in html and "Reply to Bob Brandt" in html


def test_cancel_reply_and_deleting_a_comment_stay_on_the_page_of_the_thread(client, auth, long_thread):
    s, tops, replies = long_thread
    auth.login(s.carol)
    html = shown(client, f"{s.essay_url()}?replytocom={tops[109].id}")
    assert f'id="cancel-comment-reply-link" href="{s.essay_url()}?cpage=3#respond"' in html
    delete = re.search(rf'action="(/c/[^"]+/comments/{replies[105].id}/delete)".*?name="next" value="([^"]+)"',
                       html, re.S)
    response = client.post(delete.group(1), data={"next": delete.group(2)})
    assert response.headers["Location"] == f"{s.essay_url()}?cpage=3#comments"
    landed = shown(client, response.headers["Location"])
    assert "Page 3 of 3" in landed and "Your comment is deleted." in landed
    assert "Carol answers comment 105" not in landed
    elsewhere = client.post(f"/c/{s.course.slug}/comments/{replies[60].id}/delete", data={"next": "//evil.example/"})
    assert elsewhere.headers["Location"] == f"{s.essay_url()}#comments"  # only an address on this site


def test_a_visitor_logging_in_to_comment_comes_back_to_the_page_they_were_reading(client, long_thread):
    s, _tops, _replies = long_thread
    html = shown(client, f"{s.essay_url()}?cpage=2")
    link = re.search(r'href="([^"]+)">Log in to leave a comment', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query)["next"] == [f"{s.essay_url()}?cpage=2#respond"]


def test_a_comments_permalink_copied_from_a_later_page_opens_it_for_a_reader_whose_pages_differ(client, auth,
                                                                                             long_thread):
    """Staff also see comments held for approval, so their pages differ from a student's: the permalink a student
    copies (the comment's time) names the comment, not the student's page number."""
    s, tops, _replies = long_thread
    for n in range(60):
        f.make_thread_comment(s.essay, s.alice, f"Held {n}", at=START + timedelta(seconds=n), status="held")
    db.session.commit()
    auth.login(s.carol)
    page_url = f"http://coursesite.test{s.essay_url()}?cpage=3"
    html = shown(client, page_url)
    assert "Page 3 of 3" in html and comment_numbers(html)[9] == 110
    href = re.search(r'class="comment-permalink" href="([^"]+)"><time[^<]*</time></a>(?:(?!comment-meta).)*'
                     r'<p>Comment 110 on the essay</p>', html, re.S)
    permalink = urljoin(page_url, href.group(1).replace("&amp;", "&"))
    auth.logout()
    auth.login(s.instructor)
    staff_page = shown(client, permalink)
    assert "Page 4 of 4" in staff_page and f'id="comment-{tops[109].id}"' in staff_page
    assert permalink.endswith(f"{s.essay_url()}?comment={tops[109].id}#comment-{tops[109].id}")


def test_a_page_number_past_the_last_is_the_last_page_but_no_copy_to_share(client, long_thread):
    """Every number up to the largest id would otherwise be another copy of the last page in the proxies' cache."""
    s, _tops, _replies = long_thread
    last = client.get(f"{s.essay_url()}?cpage=3")
    assert "public" in last.headers["Cache-Control"]
    for number in ("4", "9", "123456789"):
        past = client.get(f"{s.essay_url()}?cpage={number}")
        assert comment_numbers(past.get_data(as_text=True)) == list(range(101, 121))
        assert "public" not in past.headers["Cache-Control"] and "private" in past.headers["Cache-Control"]


def test_a_link_naming_a_comment_the_reader_may_not_see_opens_the_page_asked_for(client, auth, long_thread):
    """Held, hidden and removed comments, and comments on another essay, move no one to their page: the page shown
    is the one asked for, as for an id that names nothing, so the page number tells nothing."""
    s, _tops, _replies = long_thread
    later = START + timedelta(days=3)
    unseen = [f.make_thread_comment(s.essay, s.alice, "Held", at=later, status="held"),
              f.make_thread_comment(s.essay, s.alice, "Hidden", at=later, status="hidden", hidden_reason="x"),
              f.make_thread_comment(s.essay, s.alice, "Removed", at=later, deleted_at=later),
              f.make_thread_comment(s.bob_essay, s.alice, "On Berlin", at=later)]
    db.session.commit()
    auth.login(s.carol)
    for comment in unseen:
        html = shown(client, f"{s.essay_url()}?comment={comment.id}&cpage=2")
        assert "Page 2 of 3" in html and f'id="comment-{comment.id}"' not in html, comment.body
    auth.logout()
    auth.login(s.instructor)  # staff see the held and hidden ones, on the page after Bob's last comment
    for comment in unseen[:2]:
        assert "Page 3 of 3" in shown(client, f"{s.essay_url()}?comment={comment.id}&cpage=2")
