"""The frames of a GIF file and the canvas they need, read from its block headers without decoding a pixel.

Pillow widens a GIF's canvas to fit any frame that reaches past the logical screen, and does so (allocating
the frame's area) as it seeks to that frame; so the header's screen size alone understates what decoding
costs. This walks the blocks the way Pillow's reader does, skipping stray bytes as it does.
"""

from __future__ import annotations

from dataclasses import dataclass

SIGNATURES = (b"GIF87a", b"GIF89a")
EXTENSION, IMAGE, TRAILER = 0x21, 0x2C, 0x3B


@dataclass(frozen=True)
class GifLayout:
    frames: int
    width: int
    height: int
    first_width: int
    first_height: int


def _color_table_size(packed: int) -> int:
    return 3 << ((packed & 7) + 1) if packed & 0x80 else 0


def _skip_sub_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at]:
        at += data[at] + 1
    return at + 1


def _u16(data: bytes, at: int) -> int:
    return data[at] | data[at + 1] << 8


def gif_layout(data: bytes) -> GifLayout | None:
    """None when the bytes are not a GIF; frames counts the image descriptors found."""
    if data[:6] not in SIGNATURES or len(data) < 13:
        return None
    width, height = _u16(data, 6), _u16(data, 8)
    at = 13 + _color_table_size(data[10])
    frames, first = 0, (width, height)
    while at < len(data) and data[at] != TRAILER:
        block, at = data[at], at + 1
        if block == EXTENSION:
            at = _skip_sub_blocks(data, at + 1)
        elif block == IMAGE:
            if at + 10 > len(data):
                break
            right, bottom = _u16(data, at) + _u16(data, at + 4), _u16(data, at + 2) + _u16(data, at + 6)
            width, height = max(width, right), max(height, bottom)
            if frames == 0:
                first = (width, height)
            frames += 1
            at = _skip_sub_blocks(data, at + 9 + _color_table_size(data[at + 8]) + 1)
    return GifLayout(frames, width, height, *first)
