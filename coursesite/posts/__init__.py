"""Student posting: the course blog, essays, writing, uploads and feeds.

Each view module adds its routes to the one `posts` blueprint (blueprint.py); importing the package
registers them all. What several of them share is in pages.py: view modules never import one another.
"""

from coursesite.posts import feeds, media, reading, writing  # noqa: F401
from coursesite.posts.blueprint import bp

__all__ = ["bp"]
