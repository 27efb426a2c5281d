"""File sizes as people read them, matching how the limits are configured (1 MB = 1024 × 1024 bytes)."""

from __future__ import annotations

KB = 1024
MB = 1024 * KB


def size_text(size: int) -> str:
    """16777216 -> "16 MB", 1572864 -> "1.5 MB", 307200 -> "300 KB": never rounded up past the real size."""
    unit, name = (MB, "MB") if size >= MB else (KB, "KB")
    value = int(size * 10 / unit) / 10  # truncated, so a limit is never shown larger than it is
    return f"{value:g} {name}"
