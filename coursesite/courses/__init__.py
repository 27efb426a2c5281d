"""Courses: the list, creating and joining one, settings, roster, invitations, assignments and exceptions.

Each view module adds its routes to the one `courses` blueprint (blueprint.py); importing the package
registers them all. What several of them share is in pages.py: view modules never import one another.
"""

from coursesite.courses import assignment_views, exception_views, invitation_views, roster_views, views, work_views  # noqa: F401
from coursesite.courses.blueprint import bp

__all__ = ["bp"]
