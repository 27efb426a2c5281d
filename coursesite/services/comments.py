"""Comments on essays: the thread shown under an essay, and the rules for writing one."""

from __future__ import annotations


def thread_context(post, viewer) -> dict:
    """What the essay page needs to show the comment thread and the reply form."""
    return {}
