"""Demo grading: a rubric for the first past assignment, a few graded essays with feedback, one release.

Does nothing when the course has no assignment whose essay deadline has passed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from coursesite.grading import grades
from coursesite.grading.reports import active_students, course_assignments
from coursesite.grading.rubrics import CriterionRow, LevelRow, check_rubric, criteria_of, save_rubric
from coursesite.models import Course

FEEDBACK = [
    "Your thesis is clear from the first paragraph, and the primary sources you quote carry the argument. "
    "Say more about why the other side chose not to act.",
    "Good use of the figures you found. The second half drifts into summary: tie each paragraph back to "
    "your claim, and cut what does not serve it.",
    "An ambitious comparison. Keep it, but trim the background to make room for the witnesses' own "
    "accounts, which are the strongest part of the essay.",
    "A careful reading of the sources. Check the dates in the third paragraph, and give the reader a "
    "sentence on what each government hoped to gain.",
]
SHARES = [(1.0, 0.75, 1.0), (0.75, 0.75, 0.5), (0.5, 0.75, 1.0), (1.0, 1.0, 0.5)]


def _rubric_rows(points: float) -> list[CriterionRow]:
    thesis = evidence = round(points * 0.4, 2)
    return [
        CriterionRow(title="Thesis", description="A clear, arguable claim, stated early.", points=thesis,
                     levels=tuple(LevelRow(name, math.floor(thesis * share * 2) / 2)
                                  for name, share in (("Excellent", 1.0), ("Good", 0.75), ("Weak", 0.5)))),
        CriterionRow(title="Evidence", description="Primary sources quoted and explained.", points=evidence),
        CriterionRow(title="Style", description="Clear sentences; sources cited.",
                     points=round(points - thesis - evidence, 2)),
    ]


def build(course: Course, people: Mapping, now: datetime) -> None:
    past = [a for a in course_assignments(course.id) if a.post_due_at is not None and a.post_due_at < now]
    if not past:
        return
    first = past[0]
    if not criteria_of(first.id) and first.post_points > 0:
        rows, errors = check_rubric(_rubric_rows(first.post_points), "rubric", first.post_points)
        if not errors:
            save_rubric(first, rows)
    criteria = criteria_of(first.id)
    graders = [people["instructor"], people.get("ta") or people["instructor"]]
    for index, student in enumerate(active_students(course.id)[: len(FEEDBACK)]):
        shares = SHARES[index % len(SHARES)]
        awarded = {c.id: math.floor(c.points * share * 2) / 2 for c, share in zip(criteria, shares, strict=False)}
        override, reason = (None, "")
        if index == 1 and first.comment_points:
            override, reason = first.comment_points, "Two comments were lost when the site was down on Tuesday."
        entry = grades.GradeEntry(
            awarded=awarded,
            single=None if criteria else round(first.post_points * shares[0], 1),
            override=override,
            reason=reason,
            feedback=FEEDBACK[index],
        )
        existing = grades.grade_for(first.id, student.user_id)
        grades.save_grade(first, student.user_id, graders[index % 2], entry, existing.version if existing else 0, now)
    grades.release_grades(first, now)

