"""The posts blueprint, with every route of the package's view modules on it (see __init__.py)."""

from __future__ import annotations

from coursesite.posts.blueprint import bp

__all__ = ["bp"]
