from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coursesite.participation.rules import (
    CommentFacts,
    EssayFacts,
    Requirement,
    Revision,
    Verdict,
    comment_hint,
    comment_score,
    deadline_for,
    judge_comment,
    reached_words_at,
    tally_student,
)

DUE = datetime(2026, 10, 9, 21, 0, tzinfo=UTC)
REQ = Requirement(assignment_id=1, required=3, min_words=50, per_essay=1, points=10, comments_due_at=DUE)
ME = 100


def essay(post_id, author_id=200, **kw):
    kw.setdefault("assignment_id", 1)
    kw.setdefault("published", True)
    return EssayFacts(post_id=post_id, author_id=author_id, **kw)


def comment(cid, post_id, words=60, at=DUE - timedelta(days=1), author=ME, revisions=None, **kw):
    revisions = revisions or (Revision(at, words),)
    return CommentFacts(comment_id=cid, author_id=author, post_id=post_id, words=words, revisions=revisions, **kw)


def judge(c, e, **kw):
    return judge_comment(c, e, ME, kw.pop("req", REQ), kw.pop("deadline", DUE), **kw).verdict


def test_a_long_enough_comment_on_a_peer_essay_before_the_deadline_counts():
    assert judge(comment(1, 10), essay(10)) == Verdict.ON_TIME


def test_own_essay_never_counts():
    assert judge(comment(1, 10), essay(10, author_id=ME)) == Verdict.OWN_ESSAY


def test_short_hidden_held_deleted_and_unpublished_do_not_count():
    assert judge(comment(1, 10, words=49), essay(10)) == Verdict.TOO_SHORT
    assert judge(comment(1, 10, status="hidden"), essay(10)) == Verdict.NOT_SHOWN
    assert judge(comment(1, 10, status="held"), essay(10)) == Verdict.NOT_SHOWN
    assert judge(comment(1, 10, deleted=True), essay(10)) == Verdict.NOT_SHOWN
    assert judge(comment(1, 10), essay(10, published=False)) == Verdict.NOT_PUBLISHED
    assert judge(comment(1, 10), essay(10, assignment_id=2)) == Verdict.OTHER_ASSIGNMENT
    assert judge(comment(1, 10), essay(10, author_is_student=False)) == Verdict.NOT_A_STUDENT_ESSAY


def test_a_comment_padded_after_the_deadline_is_late():
    revisions = (Revision(DUE - timedelta(hours=2), 30), Revision(DUE + timedelta(hours=1), 55))
    c = comment(1, 10, words=55, revisions=revisions)
    assert reached_words_at(c, 50) == DUE + timedelta(hours=1)
    assert judge(c, essay(10)) == Verdict.LATE


def test_its_time_is_the_first_revision_with_enough_words_even_if_edited_later():
    revisions = (Revision(DUE - timedelta(hours=2), 60), Revision(DUE + timedelta(hours=1), 70))
    assert judge(comment(1, 10, words=70, revisions=revisions), essay(10)) == Verdict.ON_TIME


def test_a_comment_cut_below_the_minimum_does_not_count():
    revisions = (Revision(DUE - timedelta(hours=2), 60), Revision(DUE - timedelta(hours=1), 10))
    assert judge(comment(1, 10, words=10, revisions=revisions), essay(10)) == Verdict.TOO_SHORT


def test_an_extension_moves_the_deadline():
    late = comment(1, 10, at=DUE + timedelta(hours=5))
    assert judge(late, essay(10)) == Verdict.LATE
    assert judge(late, essay(10), deadline=DUE + timedelta(days=1)) == Verdict.ON_TIME
    assert deadline_for(REQ, ME, {ME: DUE + timedelta(days=1)}) == DUE + timedelta(days=1)
    assert deadline_for(REQ, ME, {}) == DUE


def test_assigned_mode_counts_only_the_essays_given():
    req = Requirement(1, 3, 50, peer_mode="assigned", comments_due_at=DUE)
    assert judge(comment(1, 10), essay(10), req=req, assigned={11: None}) == Verdict.NOT_ASSIGNED
    assert judge(comment(1, 11), essay(11), req=req, assigned={11: None}) == Verdict.ON_TIME
    late = comment(1, 11, at=DUE + timedelta(hours=3))
    assert judge(late, essay(11), req=req, assigned={11: DUE + timedelta(days=2)}) == Verdict.ON_TIME


def test_one_comment_per_essay_counts_unless_the_instructor_allows_more():
    essays = {10: essay(10), 11: essay(11)}
    comments = [comment(1, 10), comment(2, 10), comment(3, 11)]
    tally = tally_student(ME, REQ, comments, essays, DUE)
    assert tally.qualifying == 2
    assert [j.verdict for j in tally.not_counted] == [Verdict.OVER_CAP]
    two = Requirement(1, 3, 50, per_essay=2, comments_due_at=DUE)
    assert tally_student(ME, two, comments, essays, DUE).qualifying == 3


def test_late_ones_are_counted_apart_and_do_not_fill_an_essay_already_counted():
    essays = {10: essay(10), 11: essay(11)}
    comments = [comment(1, 10), comment(2, 10, at=DUE + timedelta(hours=1)), comment(3, 11, at=DUE + timedelta(days=1))]
    tally = tally_student(ME, REQ, comments, essays, DUE)
    assert tally.qualifying == 1
    assert [j.comment.comment_id for j in tally.late] == [3]


def test_a_comment_keeps_credit_when_the_essay_is_trashed():
    # The loader reports a trashed essay as published (it was): trashing does not take credit away.
    tally = tally_student(ME, REQ, [comment(1, 10)], {10: essay(10, published=True)}, DUE)
    assert tally.qualifying == 1


def test_other_students_comments_are_ignored():
    tally = tally_student(ME, REQ, [comment(1, 10, author=300)], {10: essay(10)}, DUE)
    assert tally.qualifying == 0


def test_score():
    assert comment_score(10, 0, 3) == 0
    assert abs(comment_score(10, 2, 3) - 20 / 3) < 1e-9
    assert comment_score(10, 5, 3) == 10
    assert comment_score(10, 0, 0) == 10
    assert comment_score(0, 3, 3) == 0


def test_hints_say_whether_a_comment_will_count():
    now = DUE - timedelta(days=2)
    tally = tally_student(ME, REQ, [comment(1, 10)], {10: essay(10)}, DUE)

    def hint(post_id: int, author_id: int = 200, at=now):
        return comment_hint(ME, essay(post_id, author_id=author_id), REQ, "Essay 2", tally.counted(post_id), DUE, at)

    assert hint(11).counts and hint(11).text == "This will count toward Essay 2 once it has 50 words: 1 of 3 done."
    assert not hint(12, author_id=ME).counts
    assert hint(12, author_id=ME).text.startswith("Your own essay: does not count")
    assert not hint(10).counts
    assert hint(10).text == "Your comment here already counts toward Essay 2 (1 of 3 done)."
    late = hint(11, at=DUE + timedelta(hours=1))
    assert late.counts and "late" in late.text


# Property-based tests -------------------------------------------------------------------------------

times = st.integers(min_value=-72, max_value=72).map(lambda h: DUE + timedelta(hours=h))


@st.composite
def worlds(draw):
    n_essays = draw(st.integers(1, 6))
    essays = {}
    for post_id in range(1, n_essays + 1):
        essays[post_id] = essay(post_id, author_id=draw(st.sampled_from([ME, 200, 201, 202])),
                                published=draw(st.booleans()), assignment_id=draw(st.sampled_from([1, 1, 1, 2])))
    comments = []
    for cid in range(draw(st.integers(0, 15))):
        words = sorted(draw(st.lists(st.integers(0, 120), min_size=1, max_size=4)))
        words = draw(st.permutations(words))
        start = draw(times)
        revisions = tuple(Revision(start + timedelta(hours=i), w) for i, w in enumerate(words))
        comments.append(CommentFacts(cid, draw(st.sampled_from([ME, ME, 200])), draw(st.sampled_from(list(essays))),
                                     words[-1], revisions,
                                     draw(st.sampled_from(["visible", "visible", "held", "hidden"])),
                                     draw(st.booleans()) and draw(st.booleans())))
    req = Requirement(1, draw(st.integers(0, 5)), draw(st.integers(0, 100)), per_essay=draw(st.integers(1, 3)),
                      points=draw(st.floats(0, 100)), peer_mode=draw(st.sampled_from(["open", "assigned"])),
                      comments_due_at=DUE)
    assigned = {p: None for p in essays if draw(st.booleans())}
    return essays, comments, req, assigned


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_count_never_exceeds_peer_essays_times_the_cap_and_own_essay_never_counts(world):
    essays, comments, req, assigned = world
    tally = tally_student(ME, req, comments, essays, DUE, assigned)
    peer_essays = {p for p, e in essays.items() if e.author_id != ME}
    assert tally.qualifying + len(tally.late) <= len(peer_essays) * req.per_essay
    counted = tally.on_time + tally.late
    assert all(essays[j.comment.post_id].author_id != ME for j in counted)
    assert all(j.comment.status == "visible" and not j.comment.deleted for j in counted)
    assert all(j.comment.words >= req.min_words for j in counted)
    if req.peer_mode == "assigned":
        assert all(j.comment.post_id in assigned for j in counted)
    assert 0 <= comment_score(req.points, tally.qualifying, req.required) <= req.points


@settings(max_examples=300, deadline=None)
@given(worlds(), st.integers(1, 200), st.integers(1, 48))
def test_padding_a_short_comment_after_the_deadline_never_makes_it_on_time(world, extra, hours_after):
    essays, comments, req, assigned = world
    padded = []
    for c in comments:
        revisions = c.revisions + (Revision(DUE + timedelta(hours=hours_after + 100), c.words + extra),)
        padded.append(
            CommentFacts(c.comment_id, c.author_id, c.post_id, c.words + extra, revisions, c.status, c.deleted))
    before = tally_student(ME, req, comments, essays, DUE, assigned)
    after = tally_student(ME, req, padded, essays, DUE, assigned)
    on_time_before = {j.comment.comment_id for j in before.on_time}

    def on_time(cs):
        return {c.comment_id for c in cs if c.post_id in essays
                and judge_comment(c, essays[c.post_id], ME, req, DUE, assigned).verdict == Verdict.ON_TIME}

    judged_on_time_after, judged_on_time_before = on_time(padded), on_time(comments)
    assert judged_on_time_after <= judged_on_time_before
    assert after.qualifying <= max(before.qualifying, len(on_time_before))


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1000), st.integers(-5, 50), st.integers(0, 20))
def test_score_stays_within_zero_and_the_points(points, qualifying, required):
    assert 0 <= comment_score(points, qualifying, required) <= points
