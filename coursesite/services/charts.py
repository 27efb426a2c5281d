"""Geometry for the dashboard's two pictures, drawn as inline SVG by templates/dashboard/_charts.html.

Activity over time: essays published and comments written per day (course time zone), as bars.
Who comments on whom: a heat-map of commenter × essay author, with the count in each cell, for up to
WEB_LIMIT students; a larger class shows its WEB_TOP most active students.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from .dashboard_data import CourseFacts
from .timefmt import to_local

DAY_WIDTH = 16
BAR_WIDTH = 7
CHART_HEIGHT = 180
LEFT, TOP, BOTTOM = 36, 12, 34
MAX_DAYS = 120
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


def activity_chart(facts: CourseFacts) -> ActivityChart | None:
    tz = facts.course.timezone
    posts = Counter(to_local(p.published_at, tz).date() for p in facts.posts if p.live(facts.now))
    comments = Counter(
        to_local(c.revisions[0].at, tz).date()
        for comments in facts.participation.comments_by_author.values() for c in comments
        if not c.deleted and c.revisions
    )
    if not posts and not comments:
        return None
    last = max([*posts, *comments])
    first = max(min([*posts, *comments]), last - timedelta(days=MAX_DAYS - 1))
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
    return ActivityChart(rows, bars, ticks, labels, LEFT + len(days) * DAY_WIDTH + 8, CHART_HEIGHT, BAR_WIDTH,
                         baseline, sum(p for _d, p, _c in rows), sum(c for _d, _p, c in rows))


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


def comment_web(facts: CourseFacts) -> CommentWeb | None:
    """Comments by each student on essays by each student (undeleted comments, shown or not)."""
    students = {s.user_id: s.name for s in facts.students}
    essays = facts.participation.essays
    counts: Counter[tuple[int, int]] = Counter()
    for author_id, comments in facts.participation.comments_by_author.items():
        for c in comments:
            essay = essays.get(c.post_id)
            if c.deleted or essay is None or author_id not in students or essay.author_id not in students:
                continue
            if essay.author_id != author_id:
                counts[(author_id, essay.author_id)] += 1
    if not counts:
        return None
    ids = sorted(students, key=lambda uid: (students[uid].casefold(), uid))
    if len(ids) > WEB_LIMIT:
        activity: Counter[int] = Counter()
        for (giver, receiver), n in counts.items():
            activity[giver] += n
            activity[receiver] += n
        keep = {uid for uid, _n in activity.most_common(WEB_TOP)}
        ids = [uid for uid in ids if uid in keep]
    index = {uid: i for i, uid in enumerate(ids)}
    peak = max(counts.values())
    cells = [
        WebCell(LABEL + index[receiver] * CELL, LABEL + index[giver] * CELL, n,
                min(4, 1 + (3 * (n - 1)) // max(peak - 1, 1)) if peak > 1 else 2, students[giver], students[receiver])
        for (giver, receiver), n in counts.items() if giver in index and receiver in index
    ]
    pairs = heapq.nsmallest(WEB_PAIRS_LISTED, ((students[g], students[r], n) for (g, r), n in counts.items()),
                            key=lambda p: (-p[2], p[0], p[1]))
    return CommentWeb([students[uid] for uid in ids], cells, pairs, len(counts),
                      LABEL + len(ids) * CELL + 4, CELL, LABEL, len(ids), len(students))
