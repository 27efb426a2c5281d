"""Student posting: the course blog, essays, writing, uploads and feeds.

Each module registers its routes on the one `posts` blueprint.
"""

from __future__ import annotations

from . import feeds, media, reading, writing  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
