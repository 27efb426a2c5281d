from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from coursesite.essays.revisions import as_it_stood, diff_lines, edited_after, trim_context, word_diff

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def rev(hours: float, body: str, status: str = "published", title: str = "T"):
    return SimpleNamespace(created_at=T0 + timedelta(hours=hours), body=body, title=title, status=status)


def test_diff_marks_changed_added_and_removed_lines():
    rows = diff_lines("a\nb\nc", "a\nB\nc\nd")
    assert [r.kind for r in rows] == ["same", "changed", "same", "added"]
    assert rows[1].old_text == "b" and rows[1].new_text == "B"
    assert rows[3].old_number is None and rows[3].new_number == 4
    assert [r.kind for r in diff_lines("a\nb", "a")] == ["same", "removed"]


@given(st.lists(st.sampled_from(["x", "y", "z", ""]), max_size=12),
       st.lists(st.sampled_from(["x", "y", "w"]), max_size=12))
def test_diff_rebuilds_both_texts(old, new):
    rows = diff_lines("\n".join(old), "\n".join(new))
    assert [r.old_text for r in rows if r.old_number is not None] == "\n".join(old).splitlines()
    assert [r.new_text for r in rows if r.new_number is not None] == "\n".join(new).splitlines()


def test_word_diff_shows_deleted_and_inserted_words():
    assert word_diff("the old text", "the new text") == [("same", "the"), ("del", "old"), ("ins", "new"),
                                                          ("same", "text")]


def test_trim_context_keeps_changes_and_marks_gaps():
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    trimmed = trim_context(diff_lines(old, new), context=1)
    assert trimmed[0] is None and trimmed[-1] is None
    assert [r.kind for r in trimmed if r is not None] == ["same", "changed", "same"]
    assert trim_context(diff_lines("same", "same")) == [None]


def test_the_essay_as_it_stood_at_the_deadline():
    history = [rev(-30, "draft", "draft"), rev(-5, "v1"), rev(2, "v2")]
    assert as_it_stood(history, T0).body == "v1"
    assert edited_after(history, T0)
    assert not edited_after(history[:2], T0)


def test_no_flag_when_published_only_after_the_deadline():
    history = [rev(-30, "draft", "draft"), rev(3, "late"), rev(5, "late, edited")]
    assert as_it_stood(history, T0) is None
    assert not edited_after(history, T0)


def test_republishing_the_same_text_is_not_an_edit():
    history = [rev(-5, "v1"), rev(4, "v1", title="T")]
    assert not edited_after(history, T0)
