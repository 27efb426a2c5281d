"""Checking and cleaning uploaded images: by content, resized, re-encoded without metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_SIDE = 2000
# Far above any phone photo (50 megapixels), far below what would exhaust memory when decoded.
MAX_PIXELS = 60_000_000
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "GIF": ("gif", "image/gif"),
           "WEBP": ("webp", "image/webp")}
NOT_AN_IMAGE = "This file is not an image we can show. Upload a PNG, JPEG, GIF or WebP picture."
TOO_MANY_PIXELS = "This picture has too many pixels. Make it smaller and upload it again."


class ImageError(ValueError):
    """A file that cannot be used as an image; `unsupported` when it is not an accepted image type at all."""

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


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ImageError(NOT_AN_IMAGE, unsupported=True)
            if image.width * image.height > MAX_PIXELS:
                raise ImageError(TOO_MANY_PIXELS)
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageError(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageError(NOT_AN_IMAGE, unsupported=True) from error
    return image


def _fit(frame: Image.Image) -> Image.Image:
    frame = ImageOps.exif_transpose(frame)  # phone photos stand the right way up once EXIF is gone
    if max(frame.size) > MAX_SIDE:
        frame = frame.copy()
        frame.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return frame


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = [_fit(frame.copy()) for frame in ImageSequence.Iterator(image)]
        for frame in frames:
            frame.info = {}
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:],
                       duration=image.info.get("duration", 100), loop=image.info.get("loop", 0))
        return out.getvalue()
    frame = _fit(image)
    frame.info = {}
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
    image = _open(data)
    kind = image.format
    try:
        encoded = _encode(image, kind)
    except (OSError, ValueError) as error:
        raise ImageError(NOT_AN_IMAGE, unsupported=True) from error
    extension, content_type = FORMATS[kind]
    with Image.open(io.BytesIO(encoded)) as result:
        width, height = result.size
    return CleanImage(encoded, extension, content_type, width, height)
