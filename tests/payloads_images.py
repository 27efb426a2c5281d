"""Hostile images: small files that are costly to decode. Each builder returns the file's bytes.

Used by the upload memory test (tests/functional/posts/test_upload_memory.py) and by `make scan` against a running
server. A worker handling any of them must stay under 200 MB and answer 201 (kept within the pixel budget,
an animation reduced to its first frame), 400 (too large to decode) or 415 (not an image it can read), never a 500.
"""

from __future__ import annotations

import io
import struct

from PIL import Image, PngImagePlugin


def animation(fmt: str, frames: int, size: tuple[int, int]) -> bytes:
    """Frames that differ, so no encoder folds them together: small on disk, large decoded."""
    out = io.BytesIO()
    pictures = [Image.new("RGB", size, (i * 5 % 256, 90, 160)) for i in range(frames)]
    pictures[0].save(out, fmt, save_all=True, append_images=pictures[1:], duration=60, loop=0)
    return out.getvalue()


def still(fmt: str, size: tuple[int, int], mode: str = "RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 90).save(out, fmt, **options)
    return out.getvalue()


def gif_of_frames(*sizes: tuple[int, int]) -> bytes:
    """A 1 x 1 GIF whose frames claim these sizes, each with one pixel of data: Pillow widens the canvas to
    a frame that reaches past the screen, whatever its data holds."""
    frames = b"".join(b"," + struct.pack("<HHHHB", 0, 0, *size, 0) + b"\x02\x02\x44\x01\x00" for size in sizes)
    return b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff" + frames + b";"


def oriented_png(size: tuple[int, int], orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return still("PNG", size, "RGBA", exif=exif.tobytes())


def png_with_text(chunks: int, size: int) -> bytes:
    """Compressed text chunks: 1 MB each when read, a few hundred bytes in the file."""
    info = PngImagePlugin.PngInfo()
    for index in range(chunks):
        info.add_text(f"note{index}", "a" * size, zip=True)
    return still("PNG", (10, 10), pnginfo=info)


# name -> (builder, the status a worker answers)
HOSTILE_IMAGES = {
    "gif-40-frames-of-2000": (lambda: animation("GIF", 40, (2000, 2000)), 201),
    "apng-12-frames-of-2000": (lambda: animation("PNG", 12, (2000, 2000)), 201),
    "webp-12-frames-of-2000": (lambda: animation("WEBP", 12, (2000, 2000)), 201),
    "gif-frame-widening-the-canvas": (lambda: gif_of_frames((1, 1), (9000, 9000), (9000, 9000)), 201),
    "gif-first-frame-past-the-screen": (lambda: gif_of_frames((20000, 20000)), 400),
    "png-20000-square": (lambda: still("PNG", (20000, 20000), "1"), 400),
    "jpeg-48-megapixels-progressive": (lambda: still("JPEG", (8000, 6000), progressive=True), 400),
    "jpeg-48-megapixels": (lambda: still("JPEG", (8000, 6000)), 201),
    "png-4k-screenshot": (lambda: still("PNG", (3840, 2160)), 201),
    "png-transparent-turned-by-exif": (lambda: oriented_png((2800, 1400), 6), 201),
    "png-70-mb-of-compressed-text": (lambda: png_with_text(70, 1_000_000), 415),  # Pillow stops at 64 MB
    "tiff": (lambda: still("TIFF", (100, 100)), 415),
}
