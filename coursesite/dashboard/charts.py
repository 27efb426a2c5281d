"""Geometry for the dashboard's two pictures, drawn as inline SVG by templates/dashboard/_charts.html.

Activity over time: essays published and comments written per day (course time zone), as bars.
Who comments on whom: a heat-map of commenter × essay author, with the count in each cell, for up to
WEB_LIMIT students; a larger class shows its WEB_TOP most active students.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, cast, func, literal, select, union_all

from coursesite.dashboard.facts import CourseFacts, StudentInfo
from coursesite.extensions import db
from coursesite.models import Comment, Course, Enrollment, Post
from coursesite.participation.sqltime import local_day_key, per_local_day

DAY_WIDTH = 16
BAR_WIDTH = 7
CHART_HEIGHT = 180
LEFT, TOP, BOTTOM = 36, 12, 34
# The scale is repeated at the right end, where the chart opens when it is wider than the page.
RIGHT = 36
MAX_DAYS = 120  # about a term
# A quiet stretch longer than any term break: activity before it (an essay imported from an old blog, say) is
# left out of the chart, which then spans only the current run of activity, and said in words instead.
GAP_DAYS = 28
WEB_LIMIT = 60
WEB_TOP = 30
# A 300-student class has some 13,000 pairs: the table lists the most frequent; each student's page has all
# of theirs.
WEB_PAIRS_LISTED = 300
CELL = 22
LABEL = 160


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    kind: str  # "posts" | "comments"
    count: int
    day: date


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class DayLabel:
    x: float
    day: date


@dataclass(frozen=True)
class ActivityChart:
    days: list[tuple[date, int, int]]  # (day, essays, comments), for the table view
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[DayLabel]
    width: int
    height: int
    bar_width: int
    baseline: float
    total_posts: int
    total_comments: int
    left_out_posts: int = 0  # before the first day charted
    left_out_comments: int = 0

    @property
    def first_day(self) -> date:
        return self.days[0][0]


class PairCounts:
    """Comments per (commenter, essay author), as two sorted arrays rather than a dict: a class of 3,000 has a
    hundred thousand pairs."""

    def __init__(self, counts: Counter[tuple[int, int]]):
        keyed = sorted((giver << 32 | receiver, n) for (giver, receiver), n in counts.items())
        self.keys = array("Q", [key for key, _n in keyed])
        self.counts = array("I", [n for _key, n in keyed])

    def __len__(self) -> int:
        return len(self.keys)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairCounts) and (self.keys, self.counts) == (other.keys, other.counts)

    def items(self) -> Iterator[tuple[int, int, int]]:
        """(commenter, author, count) of every pair."""
        return ((key >> 32, key & 0xFFFFFFFF, n) for key, n in zip(self.keys, self.counts, strict=True))

    def get(self, giver: int, receiver: int) -> int:
        key = giver << 32 | receiver
        i = bisect_left(self.keys, key)
        return self.counts[i] if i < len(self.keys) and self.keys[i] == key else 0

    def peak(self) -> int:
        return max(self.counts, default=0)


@dataclass
class ChartCounts:
    """What the two pictures count."""

    timezone: str
    essays_per_day: Counter[date]  # live essays by publication day (course time)
    comments_per_day: Counter[date]  # undeleted comments on assignment essays, by the day first written
    # Undeleted comments by one student on another's essays: the pairs the picture and its table can show
    # (among the students shown, and every pair as frequent as the table's last), not all of a large class's.
    pairs: PairCounts
    activity: Counter[int]  # per student: comments given to and received from the others
    students: dict[int, str]  # every current student's shown name
    pairs_total: int | None = None  # how many pairs there are in all (len(pairs) when None)
    peak: int | None = None  # the most comments of any pair (pairs.peak() when None)

    def pair_count(self) -> int:
        return len(self.pairs) if self.pairs_total is None else self.pairs_total

    def pair_peak(self) -> int:
        return self.pairs.peak() if self.peak is None else self.peak

    def most_frequent_pairs(self) -> list[tuple[int, int]]:
        """The most frequent pairs, then by the commenter's and the author's names."""
        students = self.students
        rank = {uid: i for i, uid in enumerate(sorted(students, key=lambda uid: (students[uid], uid)))}
        width = len(rank)
        top = heapq.nsmallest(WEB_PAIRS_LISTED, self.pairs.items(),
                              key=lambda c: (width * width) * -c[2] + width * rank[c[0]] + rank[c[1]])
        return [(giver, receiver) for giver, receiver, _n in top]


def chart_counts(facts: CourseFacts) -> ChartCounts:
    return chart_counts_of(facts.course, facts.students, facts.now)


def chart_counts_of(course: Course, class_list: list[StudentInfo], now: datetime) -> ChartCounts:
    """Essays and comments counted in SQL by stretches of the day (then put on the course's days), comments by pair:
    only the pairs the picture and its table show are read."""
    tz = course.timezone
    students = {s.user_id: s.name for s in class_list}
    on_essays = (Post.course_id == course.id, Post.assignment_id.is_not(None), Comment.deleted_at.is_(None))
    dialect, today = db.session.get_bind().dialect.name, now.astimezone(UTC).date()
    written = local_day_key(Comment.created_at, tz, today, dialect)
    per_day = per_local_day(db.session.execute(
        select(written, func.count()).join(Post, Post.id == Comment.post_id).where(*on_essays).group_by(written)
    ), tz)
    published = local_day_key(Post.published_at, tz, today, dialect)
    essays = per_local_day(db.session.execute(
        select(published, func.count())
        .where(Post.course_id == course.id, Post.status == "published", Post.published_at <= now,
               Post.deleted_at.is_(None))
        .group_by(published)
    ), tz)
    pairs_total, peak, activity, frequent = _pair_summary(course, on_essays)
    shown = web_students(students, activity)
    pairs = Counter(frequent)
    for giver, receiver, n in db.session.execute(_pairs(on_essays).where(
            Comment.author_id.in_(shown), Post.author_id.in_(shown))):
        pairs[(giver, receiver)] = n
    pairs = Counter({pair: n for pair, n in pairs.items() if pair[0] in students and pair[1] in students})
    return ChartCounts(tz, essays, per_day, PairCounts(pairs), activity, students, pairs_total, peak)


def _pairs(on_essays: tuple):
    """(commenter, essay author, comments) for each pair of different people."""
    return (select(Comment.author_id.label("giver"), Post.author_id.label("receiver"), func.count().label("n"))
            .join(Post, Post.id == Comment.post_id)
            .where(*on_essays, Comment.author_id != Post.author_id)
            .group_by(Comment.author_id, Post.author_id))


def _pair_summary(course: Course, on_essays: tuple):
    """Over the pairs of current students, in one statement: how many, the largest count, each student's
    comments given and received, and the pairs at least as frequent as the WEB_PAIRS_LISTED-th."""
    current = select(Enrollment.user_id).where(Enrollment.course_id == course.id, Enrollment.role == "student",
                                               Enrollment.ended_at.is_(None))
    # Grouped first, then kept to current students: filtering the comments by author instead would read them
    # through the author index, one by one.
    grouped = _pairs(on_essays).subquery("grouped")
    pairs = select(grouped).where(grouped.c.giver.in_(current), grouped.c.receiver.in_(current)).cte("pairs")
    listed_last = func.coalesce(select(pairs.c.n).order_by(pairs.c.n.desc()).limit(1)
                                .offset(WEB_PAIRS_LISTED - 1).scalar_subquery(), 0)
    summed = cast(func.sum(pairs.c.n), BigInteger)  # PostgreSQL's sum of counts is numeric: ids stay integers
    rows = db.session.execute(union_all(
        select(literal(0), func.count(), func.coalesce(func.max(pairs.c.n), 0), literal(0)).select_from(pairs),
        select(literal(1), pairs.c.giver, summed, literal(0)).group_by(pairs.c.giver),
        select(literal(1), pairs.c.receiver, summed, literal(0)).group_by(pairs.c.receiver),
        select(literal(2), pairs.c.giver, pairs.c.receiver, pairs.c.n).where(pairs.c.n >= listed_last),
    ))
    total = peak = 0
    activity: Counter[int] = Counter()
    frequent: dict[tuple[int, int], int] = {}
    for kind, a, b, c in rows:
        if kind == 0:
            total, peak = int(a), int(b)
        elif kind == 1:
            activity[int(a)] += int(b)
        else:
            frequent[(int(a), int(b))] = int(c)
    return total, peak, activity, frequent


def web_students(students: dict[int, str], activity: Counter[int]) -> list[int]:
    """The students the picture shows, by name: all of a class up to WEB_LIMIT, else the WEB_TOP most active."""
    ids = sorted(students, key=lambda uid: (students[uid].casefold(), uid))
    if len(ids) > WEB_LIMIT:
        keep = set(sorted(ids, key=lambda uid: -activity[uid])[:WEB_TOP])  # the sort keeps name order in a tie
        ids = [uid for uid in ids if uid in keep]
    return ids


def activity_chart(counts: ChartCounts) -> ActivityChart | None:
    posts, comments = counts.essays_per_day, counts.comments_per_day
    if not posts and not comments:
        return None
    first, last = _charted_span([*posts, *comments])
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rows = [(d, posts.get(d, 0), comments.get(d, 0)) for d in days]
    peak = max(max(p, c) for _d, p, c in rows) or 1
    plot = CHART_HEIGHT - TOP - BOTTOM
    baseline = TOP + plot
    bars = []
    for i, (day, p, c) in enumerate(rows):
        x = LEFT + i * DAY_WIDTH + 1
        for offset, kind, count in ((0, "posts", p), (BAR_WIDTH, "comments", c)):
            if count:
                h = plot * count / peak
                bars.append(Bar(x + offset, baseline - h, h, kind, count, day))
    ticks = [Tick(baseline - plot * v / peak, v) for v in sorted({0, (peak + 1) // 2, peak})]
    step = 7 if len(days) > 14 else 1 if len(days) <= 7 else 2
    labels = [DayLabel(LEFT + i * DAY_WIDTH + DAY_WIDTH / 2, d) for i, d in enumerate(days) if i % step == 0]
    return ActivityChart(rows, bars, ticks, labels, LEFT + len(days) * DAY_WIDTH + RIGHT, CHART_HEIGHT, BAR_WIDTH,
                         baseline, sum(p for _d, p, _c in rows), sum(c for _d, _p, c in rows),
                         _before(posts, first), _before(comments, first))


def _before(per_day: Counter[date], first: date) -> int:
    return sum(n for day, n in per_day.items() if day < first)


def _charted_span(active: list[date]) -> tuple[date, date]:
    """(first, last) day charted: the latest run of days with activity and no gap over GAP_DAYS, up to MAX_DAYS."""
    last = max(active)
    earliest = last - timedelta(days=MAX_DAYS - 1)
    first = last
    for day in sorted(active, reverse=True):
        if day < earliest or (first - day).days > GAP_DAYS:
            break
        first = day
    return first, last


@dataclass(frozen=True)
class WebCell:
    x: int
    y: int
    count: int
    level: int  # 1..4, for the shade; the count is printed too
    commenter: str
    author: str


@dataclass(frozen=True)
class CommentWeb:
    names: list[str]
    cells: list[WebCell]
    pairs: list[tuple[str, str, int]]  # (commenter, author, count), most first, for the table view
    pairs_total: int
    size: int
    cell: int
    label: int
    shown: int
    total_students: int

    @property
    def width(self) -> int:
        """Room on the right for the last column's slanted name."""
        return self.size + 110

    @property
    def truncated(self) -> bool:
        return self.shown < self.total_students

    @property
    def pairs_cut(self) -> bool:
        return len(self.pairs) < self.pairs_total


def comment_web(chart_counts: ChartCounts) -> CommentWeb | None:
    """Comments by each student on essays by each student (undeleted comments, shown or not).

    Ties are broken by name, so the picture is the same however the counts were gathered.
    """
    students, counts = chart_counts.students, chart_counts.pairs
    if not chart_counts.pair_count():
        return None
    ids = web_students(students, chart_counts.activity)
    peak = chart_counts.pair_peak()
    cells = [
        WebCell(LABEL + column * CELL, LABEL + row * CELL, n,
                min(4, 1 + (3 * (n - 1)) // max(peak - 1, 1)) if peak > 1 else 2, students[giver], students[receiver])
        for row, giver in enumerate(ids) for column, receiver in enumerate(ids)
        if (n := counts.get(giver, receiver))
    ]
    pairs = [(students[g], students[r], counts.get(g, r)) for g, r in chart_counts.most_frequent_pairs()]
    return CommentWeb([students[uid] for uid in ids], cells, pairs, chart_counts.pair_count(),
                      LABEL + len(ids) * CELL + 4, CELL, LABEL, len(ids), len(students))
