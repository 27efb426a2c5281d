"""Checking and cleaning uploaded images: by content, resized, re-encoded without metadata.

What an upload may cost is decided from its headers before any pixel is decoded (a worker's memory, not the
file's size, is what a small file of huge or many frames exhausts): a picture stays under MAX_PIXELS, and an
animation's frames together under MAX_ANIMATION_PIXELS, else it keeps its first frame only.
"""

from __future__ import annotations

import io
import struct
import warnings
from contextlib import suppress
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from coursesite.files.gif_layout import GifLayout, gif_layout

MAX_SIDE = 2000
# Pixels decoded for one picture (a 4K screenshot). Pillow holds 4 bytes a pixel for colour, and resizing needs
# about as much again: so a worker handling the worst upload grows by less than 100 MB. A JPEG is decoded at
# the smallest scale that still fills MAX_SIDE, so phone photos of any size stay well within it.
MAX_PIXELS = 3840 * 2160
# An animation, all frames together: each is copied as it is kept, and the encoder compares neighbours.
MAX_ANIMATION_PIXELS = MAX_PIXELS // 2
# A progressive JPEG is decoded from coefficients (2 bytes each) kept for the whole picture at full size:
# a 12-megapixel phone photo needs 73 MB.
MAX_PROGRESSIVE_JPEG_BYTES = 80_000_000
MAX_FRAMES = 300
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "GIF": ("gif", "image/gif"),
           "WEBP": ("webp", "image/webp")}
# Pillow reads a JPEG with extra pictures (MPO, from some cameras) as MPO: its first picture is the photo.
SAME_AS = {"MPO": "JPEG"}
# The first bytes of each accepted kind: a file that starts so yet cannot be read is a damaged picture.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
KIND_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}
NOT_AN_IMAGE = "This file is not an image we can show. Upload a PNG, JPEG, GIF or WebP picture."
# A picture this size fits every budget below, and is as large as the site shows it anyway.
RESIZE_ADVICE = f"Make it at most {MAX_SIDE} pixels wide and high, then upload it again."
TOO_LARGE = f"This image is too large: it has more pixels than this site can take. {RESIZE_ADVICE}"


class ImageError(ValueError):
    """A file that cannot be used as an image; `unsupported` when it cannot be read as an accepted image type."""

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int


def _megapixels(pixels: int, down: bool = False) -> str:
    """8294400 -> "8.3" ("8.2" down: a limit is never shown larger than it is), 4294836225 -> "4,295"."""
    if pixels >= 100_000_000:
        return f"{pixels // 1_000_000 if down else round(pixels / 1_000_000):,}"
    tenths = pixels // 100_000 if down else round(pixels / 100_000)
    return f"{tenths / 10:g}"


def _too_large(size: tuple[int, int], limit: int) -> ImageError:
    width, height = size
    return ImageError(f"This image is too large: {width:,} × {height:,} pixels ({_megapixels(width * height)} "
                      f"megapixels), more than the {_megapixels(limit, down=True)} megapixels this site can take. "
                      + RESIZE_ADVICE)


def _claimed_kind(data: bytes) -> str | None:
    """The accepted kind the file's first bytes announce, if any."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((kind for start, kind in SIGNATURES.items() if data.startswith(start)), None)


def _unreadable(data: bytes, kind: str | None = None) -> ImageError:
    kind = kind or _claimed_kind(data)
    if kind is None:
        return ImageError(NOT_AN_IMAGE, unsupported=True)
    return ImageError(f"This {KIND_NAMES[kind]} file cannot be read: it is damaged or incomplete. Open it in a photo "
                      "or image editor, save it again, and upload the saved copy.", unsupported=True)


def _too_large_by_header(data: bytes) -> ImageError:
    """Pillow refuses a picture past its own decompression-bomb limit without telling its size: the format's
    reader alone reads the header again (nothing is decoded) so the message can say how large it is."""
    kind = _claimed_kind(data)
    opener = Image.OPEN.get(kind) if kind else None
    if opener is None:
        return ImageError(TOO_LARGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with opener[0](io.BytesIO(data), "") as header:
                _check_pixels(header.size, header.mode, kind)
    except ImageError as error:
        return error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        pass  # some readers (WebP's) check the size themselves as they read the header: too large, size unsaid
    except (OSError, SyntaxError, ValueError, EOFError):
        pass
    return ImageError(TOO_LARGE)


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(1, MAX_SIDE / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _frames_within_budget(image: Image.Image, layout: GifLayout | None) -> int:
    """How many frames to decode: all when they fit the budget together and need no resizing (which would
    cost each frame's size again), else the first alone."""
    frames, canvas = getattr(image, "n_frames", 1), image.size
    if layout is not None:  # the canvas a GIF's later frames would widen it to
        frames, canvas = min(frames, layout.frames), (layout.width, layout.height)
    if frames > MAX_FRAMES or frames * canvas[0] * canvas[1] > MAX_ANIMATION_PIXELS or max(canvas) > MAX_SIDE:
        return 1
    return frames


def _check_jpeg(image: Image.Image) -> None:
    bytes_per_pixel = len(image.getbands()) * 2
    if image.info.get("progressive") and image.width * image.height * bytes_per_pixel > MAX_PROGRESSIVE_JPEG_BYTES:
        raise _too_large(image.size, MAX_PROGRESSIVE_JPEG_BYTES // bytes_per_pixel)
    image.draft(None, _fitted(image.size))  # decode at 1/2, 1/4 or 1/8 scale when that still fills MAX_SIDE


def _check_pixels(size: tuple[int, int], mode: str = "", kind: str = "") -> None:
    copies = 1
    if mode.endswith("A") and max(size) > MAX_SIDE:
        copies += 1  # resizing a transparent picture first copies it, colours premultiplied by the alpha
    if kind == "WEBP":
        copies += 1  # libwebp decodes into a canvas of its own, which Pillow then copies
    if size[0] * size[1] * copies > MAX_PIXELS:
        raise _too_large(size, MAX_PIXELS // copies)


def _open(data: bytes) -> tuple[Image.Image, str, int]:
    """The opened image, its kind, and how many of its frames to keep; nothing decoded yet."""
    layout = gif_layout(data)
    if layout is not None:  # before Pillow parses the first frame, which may allocate its area
        _check_pixels((layout.first_width, layout.first_height))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            kind = SAME_AS.get(image.format, image.format)
            if kind not in FORMATS:
                raise ImageError(NOT_AN_IMAGE, unsupported=True)
            if kind == "JPEG":
                _check_jpeg(image)
            _check_pixels(image.size, image.mode, kind)
            return image, kind, 1 if kind == "JPEG" else _frames_within_budget(image, layout)
    except ImageError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_large_by_header(data) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _unreadable(data) from error


def _fit(frame: Image.Image) -> Image.Image:
    """Upright (phone photos, once EXIF is gone), at most MAX_SIDE, without metadata; changes the frame."""
    if max(frame.size) > MAX_SIDE:  # first: turning a full-size picture would copy it
        frame.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    with suppress(struct.error):  # a truncated EXIF block: the picture stands as stored
        ImageOps.exif_transpose(frame, in_place=True)
    frame.info = {}
    return frame


def _animation(image: Image.Image, count: int) -> tuple[list[Image.Image], list[int]]:
    frames, durations = [], []
    for index in range(count):
        image.seek(index)
        durations.append(image.info.get("duration") or 100)
        frames.append(_fit(image.copy()))
    return frames, durations


def _encode_animation(image: Image.Image, kind: str, count: int) -> bytes:
    loop = image.info.get("loop", 0)
    frames, durations = _animation(image, count)
    out = io.BytesIO()
    options = {"lossless": False, "quality": 85} if kind == "WEBP" else {}
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=durations, loop=loop, **options)
    return out.getvalue()


def _encode(image: Image.Image, kind: str, count: int) -> bytes:
    if count > 1:
        return _encode_animation(image, kind, count)
    frame = _fit(image)
    out = io.BytesIO()
    if kind == "JPEG":
        frame.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        frame.save(out, "PNG", optimize=True)
    elif kind == "WEBP":
        frame.save(out, "WEBP", quality=85)
    else:
        frame.save(out, "GIF")
    return out.getvalue()


def clean_image(data: bytes) -> CleanImage:
    """Verify the bytes are a PNG, JPEG, GIF or WebP image and return it resized and stripped of metadata."""
    if not data:
        raise ImageError("The file is empty. Choose a picture to upload.")
    image, kind, count = _open(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            encoded = _encode(image, kind, count)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageError(TOO_LARGE) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise _unreadable(data, kind) from error
    extension, content_type = FORMATS[kind]
    with Image.open(io.BytesIO(encoded)) as result:
        width, height = result.size
    return CleanImage(encoded, extension, content_type, width, height)
