"""The blog's search in SQL (essays/listing.found_essays) against its rule written plainly in Python, on
generated courses, on SQLite and PostgreSQL alike: every word in the essay's title or text, or in one comment
shown under it, of a visible essay; the newest first, at most SEARCH_MOST_LISTED of them; among the newest
SEARCH_NEWEST_FIRST only, when a word has no three letters or digits in a row (no index finds it).

The limits are made small so that both ways of searching run: matches found among the newest essays alone, and
the search of every essay when those hold too few."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coursesite.essays import listing
from coursesite.extensions import db
from coursesite.models import Comment, Post, utcnow
from coursesite.models.post import searched_text
from tests import factories as f

# Case, letters beyond A-Z, wildcards as text, a word inside another word, title and text side by side.
VOCABULARY = ["coal", "Coal", "COAL", "charcoal", "Berlin", "ÉMIGRÉS", "émigrés", "100%", "a_b", "war", "ward"]
QUERIES = ["coal", "COAL coal", "émigrés", "%", "_", "a_b", "war", "ward coal", "berlin émigrés", "oal", "zz",
           "coal zz", "100%"]
NOW = utcnow()

words = st.lists(st.sampled_from(VOCABULARY), max_size=4).map(" ".join)
comments = st.lists(st.tuples(words, st.sampled_from(["visible", "visible", "held", "hidden", "deleted"])),
                    max_size=3)
essays = st.lists(
    st.fixed_dictionaries({
        "title": words.map(lambda text: text or "Untitled"),
        "body": words,
        "state": st.sampled_from(["live", "live", "live", "draft", "scheduled", "trashed"]),
        "hours_ago": st.integers(1, 6),  # ties on the date are broken by the id, as the blog's are
        "comments": comments,
    }),
    max_size=10,
)


def _build(course, author, reader, spec: list[dict]) -> list[tuple]:
    """The essays of `spec` as (published_at, id, visible, title, body, [(comment body, shown)])."""
    built = []
    for essay in spec:
        state = essay["state"]
        published_at = NOW + timedelta(hours=1) if state == "scheduled" else NOW - timedelta(hours=essay["hours_ago"])
        post = f.make_post(course, author, title=essay["title"], body=essay["body"] or "-",
                           status="draft" if state == "draft" else "published",
                           published_at=None if state == "draft" else published_at,
                           deleted_at=NOW if state == "trashed" else None)
        said = []
        for body, status in essay["comments"]:
            deleted = status == "deleted"
            f.make_comment(post, reader, body=body or "-", status="visible" if deleted else status,
                           deleted_at=NOW if deleted else None)
            said.append((body or "-", status == "visible"))
        built.append((published_at, post.id, state == "live", post.title, post.body, said))
    return built


def _longest_run(word: str) -> int:
    """The most letters or digits in a row in `word`."""
    longest = run = 0
    for character in word:
        run = run + 1 if character.isalnum() else 0
        longest = max(longest, run)
    return longest


def _by_the_rule(built: list[tuple], text: str, most: int, newest: int) -> tuple[list[int], bool, tuple]:
    wanted = [word.lower() for word in text.split()]
    too_short = tuple(word for word in text.split() if _longest_run(word) < 3)

    def holds(found_in: str) -> bool:
        return all(word in found_in.lower() for word in wanted)

    visible = sorted(((published_at, post_id, title, body, said)
                      for published_at, post_id, visible, title, body, said in built if visible), reverse=True)
    searched = visible[:newest] if too_short else visible
    found = [post_id for published_at, post_id, title, body, said in searched
             if holds(f"{title} {body}") or any(shown and holds(comment) for comment, shown in said)]
    if len(found) > most or len(visible) <= newest:
        too_short = ()  # the newest held enough, or were every essay: nothing older was left out
    return found[:most], len(found) > most, too_short


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=essays, elsewhere=essays, most=st.integers(1, 3), newest=st.integers(1, 6),
       text=st.sampled_from(QUERIES))
def test_the_sql_search_finds_what_the_rule_says(app, spec, elsewhere, most, newest, text):
    savepoint = db.session.begin_nested()
    try:
        course, other = f.make_course(), f.make_course()
        built = _build(course, f.make_member(course), f.make_member(course), spec)
        _build(other, f.make_member(other), f.make_member(other), elsewhere)  # never found from `course`
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(listing, "SEARCH_MOST_LISTED", most)
            patch.setattr(listing, "SEARCH_NEWEST_FIRST", newest)
            found = listing.found_essays(course, text, now=NOW)
        assert (found.ids, found.more, found.too_short) == _by_the_rule(built, text, most, newest)
    finally:
        savepoint.rollback()


def test_postgresql_can_find_the_words_from_the_trigram_indexes(app):
    """The indexes hold the very expressions the search reads (models.post.searched_text, a comment's text):
    else searching every essay would read every essay's text. With nothing but an index to read rows by, a
    plan that cannot use one scans the table."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no trigram index")
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_indexscan = off")
    for found, index in ((select(Post.id).where(searched_text(Post.title, Post.body).ilike("%marshall%")),
                          "ix_posts_text_trgm"),
                         (select(Comment.id).where(Comment.body.ilike("%marshall%")), "ix_comments_body_trgm")):
        statement = found.compile(db.engine)
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", statement.params))
        assert f"Bitmap Index Scan on {index}" in plan, plan
