"""Peer commenting: threaded, timestamped comments on essays.

Each view module adds its routes to the one `comments` blueprint (blueprint.py); importing the package
registers them all. What several of them share is in pages.py: view modules never import one another.
"""

from coursesite.comments import feed_views, moderation_views, notification_views, participation_views, views  # noqa: F401
from coursesite.comments.blueprint import bp

__all__ = ["bp"]
