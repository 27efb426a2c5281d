"""Assigned peers: who reads whose essay, in an assignment's `assigned` peer mode.

A pure, deterministic algorithm (docs/design.md#peer-assignment). Every reader gets `per_reader` peers'
published essays within their group (a section, or the whole course), never their own; the essays of a
group get readers as evenly as possible (K or K±1 when everyone published). Re-running it keeps the
pairs it may keep: pairs in `locked` (the reader already commented) never move, and other existing pairs
move only to make room for a late essay or to replace an essay that is gone.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Pair:
    reviewer_id: int
    post_id: int


@dataclass(frozen=True)
class Reader:
    user_id: int
    group: Hashable = None


@dataclass(frozen=True)
class PeerEssay:
    post_id: int
    author_id: int
    group: Hashable = None


@dataclass(frozen=True)
class ReaderPlan:
    pairs: frozenset[Pair]
    added: frozenset[Pair]
    removed: frozenset[Pair]

    def essays_of(self, reviewer_id: int) -> list[int]:
        return sorted(p.post_id for p in self.pairs if p.reviewer_id == reviewer_id)

    def readers_of(self, post_id: int) -> list[int]:
        return sorted(p.reviewer_id for p in self.pairs if p.post_id == post_id)


def plan_readers(
    readers: Sequence[Reader],
    essays: Sequence[PeerEssay],
    per_reader: int,
    seed: int | str,
    existing: Iterable[Pair] = (),
    locked: Iterable[Pair] = (),
) -> ReaderPlan:
    """Give each reader `per_reader` essays of their group; keep locked pairs and as many others as fit."""
    existing = frozenset(existing)
    locked = frozenset(locked) & existing
    by_group_readers: dict[Hashable, list[Reader]] = defaultdict(list)
    by_group_essays: dict[Hashable, list[PeerEssay]] = defaultdict(list)
    for reader in readers:
        by_group_readers[reader.group].append(reader)
    for essay in essays:
        by_group_essays[essay.group].append(essay)
    # Locked pairs of people who are no longer readers (they left the course) go; all others stay.
    pairs: set[Pair] = set()
    for group in sorted(by_group_readers, key=repr):
        group_pairs = _plan_group(
            by_group_readers[group], by_group_essays.get(group, []), per_reader, f"{seed}:{group!r}", existing, locked
        )
        pairs |= group_pairs
    pairs = frozenset(pairs)
    return ReaderPlan(pairs, pairs - existing, existing - pairs)


def _plan_group(readers, essays, per_reader, seed, existing, locked) -> set[Pair]:
    rng = random.Random(seed)
    readers = sorted(readers, key=lambda r: r.user_id)
    essays = sorted(essays, key=lambda e: e.post_id)
    rng.shuffle(readers)
    rng.shuffle(essays)
    rank = {e.post_id: i for i, e in enumerate(essays)}
    author = {e.post_id: e.author_id for e in essays}
    reader_ids = {r.user_id for r in readers}
    valid = {p for p in existing if p.post_id in author and p.reviewer_id in reader_ids
             and author[p.post_id] != p.reviewer_id}
    fixed = {p for p in locked if p.reviewer_id in reader_ids}
    state = _State(author, rank)
    for p in fixed | valid:
        state.add(p)
    # A reader may have more than K after K shrank: drop the unlocked extras, most recent ranks last.
    for reader in readers:
        extra = state.count_of(reader.user_id) - per_reader
        for p in sorted(state.pairs_of(reader.user_id) - fixed, key=lambda p: -state.load(p.post_id)):
            if extra <= 0:
                break
            state.remove(p)
            extra -= 1
    for _ in range(per_reader):
        for reader in readers:
            if state.count_of(reader.user_id) < per_reader:
                choice = state.least_loaded_for(reader.user_id)
                if choice is not None:
                    state.add(Pair(reader.user_id, choice))
    _balance(state, fixed)
    return state.all_pairs()


class _State:
    def __init__(self, author: dict[int, int], rank: dict[int, int]):
        self.author = author
        self.rank = rank
        self.by_reader: dict[int, set[int]] = defaultdict(set)
        self.by_essay: dict[int, set[int]] = {post_id: set() for post_id in author}

    def add(self, p: Pair) -> None:
        # A locked pair on an essay that is gone still fills one of the reader's places: their comment
        # keeps its credit.
        self.by_reader[p.reviewer_id].add(p.post_id)
        if p.post_id in self.by_essay:
            self.by_essay[p.post_id].add(p.reviewer_id)

    def remove(self, p: Pair) -> None:
        self.by_reader[p.reviewer_id].discard(p.post_id)
        if p.post_id in self.by_essay:
            self.by_essay[p.post_id].discard(p.reviewer_id)

    def load(self, post_id: int) -> int:
        return len(self.by_essay[post_id])

    def count_of(self, reviewer_id: int) -> int:
        return len(self.by_reader[reviewer_id])

    def pairs_of(self, reviewer_id: int) -> set[Pair]:
        return {Pair(reviewer_id, post_id) for post_id in self.by_reader[reviewer_id]}

    def can_read(self, reviewer_id: int, post_id: int) -> bool:
        return self.author[post_id] != reviewer_id and post_id not in self.by_reader[reviewer_id]

    def least_loaded_for(self, reviewer_id: int) -> int | None:
        options = [post_id for post_id in self.author if self.can_read(reviewer_id, post_id)]
        if not options:
            return None
        return min(options, key=lambda post_id: (self.load(post_id), self.rank[post_id]))

    def all_pairs(self) -> set[Pair]:
        return {Pair(r, post_id) for r, posts in self.by_reader.items() for post_id in posts}


def _balance(state: _State, fixed: set[Pair]) -> None:
    """Move unlocked readers from busy essays to quiet ones until loads differ by at most one."""
    for _ in range(10_000):
        move = _find_move(state, fixed)
        if move is None:
            return
        mover, high, low = move
        state.remove(Pair(mover, high))
        state.add(Pair(mover, low))


def _find_move(state: _State, fixed: set[Pair]) -> tuple[int, int, int] | None:
    ordered = sorted(state.by_essay, key=lambda post_id: (state.load(post_id), state.rank[post_id]))
    for low in ordered:
        for high in reversed(ordered):
            if state.load(high) - state.load(low) <= 1:
                break
            movers = sorted(r for r in state.by_essay[high] if Pair(r, high) not in fixed and state.can_read(r, low))
            if movers:
                return movers[0], high, low
    return None
