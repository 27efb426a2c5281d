from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from coursesite.participation.peers import Pair, PeerEssay, Reader, plan_readers


def course(n_students, n_essays=None, groups=1):
    readers = [Reader(uid, uid % groups) for uid in range(1, n_students + 1)]
    n_essays = n_students if n_essays is None else n_essays
    essays = [PeerEssay(1000 + uid, uid, uid % groups) for uid in range(1, n_essays + 1)]
    return readers, essays


def loads(plan, essays):
    counts = Counter(p.post_id for p in plan.pairs)
    return [counts.get(e.post_id, 0) for e in essays]


def test_everyone_published_gives_every_essay_exactly_k_readers():
    readers, essays = course(12)
    plan = plan_readers(readers, essays, 3, seed=7)
    assert set(loads(plan, essays)) == {3}
    assert all(len(plan.essays_of(r.user_id)) == 3 for r in readers)


def test_nobody_reads_their_own_essay():
    readers, essays = course(5)
    plan = plan_readers(readers, essays, 4, seed=1)
    author = {e.post_id: e.author_id for e in essays}
    assert all(author[p.post_id] != p.reviewer_id for p in plan.pairs)


def test_sections_read_within_their_section():
    readers, essays = course(12, groups=2)
    plan = plan_readers(readers, essays, 2, seed="s")
    group = {e.post_id: e.group for e in essays}
    reader_group = {r.user_id: r.group for r in readers}
    assert all(group[p.post_id] == reader_group[p.reviewer_id] for p in plan.pairs)


def test_a_late_essay_is_folded_in_without_moving_pairs_with_comments():
    readers, essays = course(9, n_essays=8)
    first = plan_readers(readers, essays, 2, seed=3)
    locked = set(sorted(first.pairs)[::2])
    late = essays + [PeerEssay(1009, 9, 0)]
    second = plan_readers(readers, late, 2, seed=3, existing=first.pairs, locked=locked)
    assert locked <= second.pairs
    assert set(loads(second, late)) == {2}
    assert len(second.added) == len(second.removed) > 0


def test_readers_of_a_vanished_essay_are_reassigned():
    readers, essays = course(8)
    first = plan_readers(readers, essays, 2, seed=3)
    gone = essays[0]
    second = plan_readers(readers, essays[1:], 2, seed=3, existing=first.pairs)
    assert not any(p.post_id == gone.post_id for p in second.pairs)
    assert all(len(second.essays_of(r.user_id)) == 2 for r in readers)
    assert {p for p in first.pairs if p.post_id == gone.post_id} <= second.removed


def test_rerunning_changes_nothing():
    readers, essays = course(10, n_essays=7)
    first = plan_readers(readers, essays, 3, seed=11)
    again = plan_readers(readers, essays, 3, seed=11, existing=first.pairs)
    assert again.pairs == first.pairs and not again.added and not again.removed


def test_fewer_essays_than_k_gives_what_there_is():
    readers, essays = course(4, n_essays=2)
    plan = plan_readers(readers, essays, 3, seed=0)
    assert len(plan.essays_of(1)) == 1  # the other essay only
    assert len(plan.essays_of(3)) == 2


@st.composite
def classes(draw, all_posted=False):
    n = draw(st.integers(2, 25))
    groups = draw(st.integers(1, 3))
    readers = [Reader(uid, uid % groups) for uid in range(1, n + 1)]
    posted = list(range(1, n + 1)) if all_posted else draw(
        st.lists(st.sampled_from(range(1, n + 1)), unique=True, min_size=1, max_size=n))
    essays = [PeerEssay(1000 + uid, uid, uid % groups) for uid in posted]
    return readers, essays, draw(st.integers(1, 5)), draw(st.integers(0, 10**6))


@settings(max_examples=300, deadline=None)
@given(classes())
def test_balance_no_self_and_every_reader_served(world):
    readers, essays, k, seed = world
    plan = plan_readers(readers, essays, k, seed)
    author = {e.post_id: e.author_id for e in essays}
    assert all(author[p.post_id] != p.reviewer_id for p in plan.pairs)
    for group in {r.group for r in readers}:
        group_essays = [e for e in essays if e.group == group]
        if not group_essays:
            continue
        group_loads = loads(plan, group_essays)
        assert max(group_loads) - min(group_loads) <= 1
        for r in (r for r in readers if r.group == group):
            available = sum(1 for e in group_essays if e.author_id != r.user_id)
            assert len(plan.essays_of(r.user_id)) == min(k, available)


@settings(max_examples=200, deadline=None)
@given(classes(all_posted=True))
def test_everyone_published_means_k_or_k_plus_minus_one(world):
    readers, essays, k, seed = world
    plan = plan_readers(readers, essays, k, seed)
    for group in {r.group for r in readers}:
        group_essays = [e for e in essays if e.group == group]
        if len(group_essays) > k:
            assert set(loads(plan, group_essays)) <= {k - 1, k, k + 1}


@settings(max_examples=100, deadline=None)
@given(classes())
def test_deterministic_for_a_seed(world):
    readers, essays, k, seed = world
    assert plan_readers(readers, essays, k, seed) == plan_readers(list(reversed(readers)), essays[::-1], k, seed)


@settings(max_examples=150, deadline=None)
@given(classes(), st.data())
def test_locked_pairs_never_move(world, data):
    readers, essays, k, seed = world
    first = plan_readers(readers, essays, k, seed)
    locked = set(data.draw(st.lists(st.sampled_from(sorted(first.pairs)), unique=True))) if first.pairs else set()
    keep = [e for e in essays if data.draw(st.booleans())] or essays
    second = plan_readers(readers, keep, k, seed + 1, existing=first.pairs, locked=locked)
    assert locked <= second.pairs
    assert all(isinstance(p, Pair) for p in second.added)
