"""The instructor's area: grading, release and gradebook export, for a course's staff only.

The blueprint and its guard live in blueprint.py; each view module adds its routes to it, and importing
the package registers them all. View modules never import one another.
"""

from coursesite.dashboard import export_views, grade_views, people_views, rubric_views, views  # noqa: F401
from coursesite.dashboard.blueprint import bp

__all__ = ["bp"]
