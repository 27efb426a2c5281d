"""Reply chains of any depth: drawn five levels deep, the deeper replies at the fifth, never a broken page."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment
from tests import factories as f
from tests.functional.comment_helpers import seminar


def reply_chain(s, length: int, start=None, first_parent=None) -> list:
    """`length` replies, each answering the one before, Bob and Carol taking turns, a second apart."""
    start = start or datetime.now(UTC) - timedelta(days=1)
    chain, parent = [], first_parent
    for n in range(length):
        parent = f.make_thread_comment(s.essay, s.bob if n % 2 == 0 else s.carol, f"Reply number {n} in the chain.",
                                       parent=parent, at=start + timedelta(seconds=n))
        chain.append(parent)
    db.session.commit()
    return chain


def item_classes(html: str, comment) -> str:
    match = re.search(rf'<li id="comment-{comment.id}" class="([^"]*)"', html)
    assert match, comment.id
    return match.group(1)


def comment_html(html: str, comment) -> str:
    """The comment's own article (its heading, text and links), without the replies below it."""
    start = html.index(f'<article class="comment-body" id="div-comment-{comment.id}"')
    return html[start:html.index("</article>", start)]


def test_a_thousand_deep_reply_chain_is_a_page_for_visitors_and_members(client, auth, app, count_queries):
    s = seminar()
    auth.login(s.carol)
    short = reply_chain(s, 3)
    with count_queries() as q:
        assert client.get(s.essay_url()).status_code == 200
    statements_for_a_short_thread = q.count

    chain = reply_chain(s, 1000, first_parent=short[-1])
    with count_queries() as q:
        response = client.get(s.essay_url())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Reply number 999 in the chain." in html
    assert f"replytocom={chain[-1].id}#respond" in html
    assert "1003 thoughts on" in html
    assert q.count == statements_for_a_short_thread

    auth.logout()
    response = client.get(s.essay_url())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Reply number 999 in the chain." in html and "Log in to Reply" in html

    auth.login(s.instructor)
    assert client.get(s.essay_url()).status_code == 200


def test_replies_below_the_fifth_level_follow_in_order_saying_whom_they_answer(client, app):
    s = seminar()
    chain = reply_chain(s, 8)  # levels 1 to 8: Bob, Carol, Bob, ...
    at = datetime.now(UTC) - timedelta(hours=1)
    # A second answer to the sixth reply, and an answer to that, written after the rest of the chain.
    branch = f.make_thread_comment(s.essay, s.ta, "Another answer to the sixth.", parent=chain[5], at=at)
    under_branch = f.make_thread_comment(s.essay, s.alice, "An answer to the TA.", parent=branch,
                                         at=at + timedelta(minutes=1))
    db.session.commit()
    html = client.get(s.essay_url()).get_data(as_text=True)

    assert [item_classes(html, c).split()[1] for c in chain] == ["depth-1", "depth-2", "depth-3", "depth-4"] + [
        "depth-5"] * 4
    assert "depth-5" in item_classes(html, branch) and "depth-5" in item_classes(html, under_branch)
    # Oldest first under each comment, a reply right after what it answers, each deeper one in the same list.
    page_order = [chain[4], chain[5], chain[6], chain[7], branch, under_branch]
    positions = [html.index(f'id="comment-{c.id}"') for c in page_order]
    assert positions == sorted(positions)
    fifth_level = html[html.index(f'id="comment-{chain[4].id}"'):]
    assert '<ol class="children">' not in fifth_level  # nothing nests below the fifth level

    # Nested replies need no label; the ones beside what they answer name it and link to it.
    for nested in chain[:5]:
        assert "In reply to" not in comment_html(html, nested)
    answered = {chain[5]: chain[4], chain[6]: chain[5], chain[7]: chain[6], branch: chain[5], under_branch: branch}
    names = {s.bob.id: "Bob Brandt", s.carol.id: "Carol Chen", s.ta.id: "Tess Aide"}
    for reply, parent in answered.items():
        assert (f'<a href="#comment-{parent.id}">In reply to {names[parent.author_id]}</a>'
                in comment_html(html, reply))


def test_a_reply_to_the_deepest_comment_is_posted_beside_it(client, auth, app):
    s = seminar()
    chain = reply_chain(s, 7)
    auth.login(s.alice)
    html = client.get(s.essay_url() + f"?replytocom={chain[-1].id}").get_data(as_text=True)
    assert f'value="{chain[-1].id}"' in html and 'data-default="Leave a Reply">Reply to Bob Brandt</span>' in html
    response = client.post(s.create_url(), data={"body": "Answering the last word in this thread.",
                                                 "parent_id": str(chain[-1].id)})
    assert response.status_code == 302
    reply = db.session.scalar(select(Comment).order_by(Comment.id.desc()))
    assert reply.parent_id == chain[-1].id
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "depth-5" in item_classes(html, reply)
    assert html.index(f'id="comment-{chain[-1].id}"') < html.index(f'id="comment-{reply.id}"')
    assert f'<a href="#comment-{chain[-1].id}">In reply to Bob Brandt</a>' in comment_html(html, reply)


def test_a_reply_below_a_removed_comment_does_not_name_its_author(client, app):
    s = seminar()
    chain = reply_chain(s, 6)
    chain[4].deleted_at = datetime.now(UTC)
    db.session.commit()
    html = client.get(s.essay_url()).get_data(as_text=True)
    assert "This comment was removed." in comment_html(html, chain[4])
    assert f'<a href="#comment-{chain[4].id}">In reply to a removed comment</a>' in comment_html(html, chain[5])
