"""Uploaded images: verified by content, resized, re-encoded without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from coursesite.services.images import MAX_SIDE, ImageError, clean_image


def image_bytes(fmt: str, size=(40, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 40, 40) if mode == "RGB" else 1).save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_exif(size=(3000, 4000)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x010F] = "PhoneMaker"
    exif[0x010E] = "Taken at home, 12 Elm Street"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret location")
    return out.getvalue()


@pytest.mark.parametrize("fmt, content_type, extension", [
    ("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("GIF", "image/gif", "gif"),
    ("WEBP", "image/webp", "webp"),
])
def test_each_accepted_format_is_recognised_by_content(fmt, content_type, extension):
    mode = "P" if fmt == "GIF" else "RGB"
    result = clean_image(image_bytes(fmt, mode=mode))
    assert (result.content_type, result.extension) == (content_type, extension)
    assert (result.width, result.height) == (40, 30)
    assert Image.open(io.BytesIO(result.data)).format == fmt


def test_a_phone_photo_is_resized_turned_upright_and_stripped():
    result = clean_image(jpeg_with_exif())
    assert max(result.width, result.height) == MAX_SIDE
    assert result.width > result.height  # orientation 6 turns the 3000 x 4000 portrait sideways
    cleaned = Image.open(io.BytesIO(result.data))
    assert not cleaned.getexif()
    for secret in (b"PhoneMaker", b"Elm Street", b"secret location"):
        assert secret not in result.data


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Private Person")
    data = image_bytes("PNG", pnginfo=info)
    assert b"Private Person" in data
    assert b"Private Person" not in clean_image(data).data


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (30, 20), (i * 80, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0, comment=b"hidden")
    result = clean_image(out.getvalue())
    assert Image.open(io.BytesIO(result.data)).n_frames == 3
    assert b"hidden" not in result.data


@pytest.mark.parametrize("data", [
    b"",
    b"just some text, not an image",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"%PDF-1.4\n%fake pdf",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature with nothing behind it
    b"GIF89a<script>alert(1)</script>",
])
def test_non_images_are_refused_with_a_message(data):
    with pytest.raises(ImageError) as error:
        clean_image(data)
    assert str(error.value)


def test_other_image_formats_are_refused():
    with pytest.raises(ImageError, match="PNG, JPEG, GIF or WebP"):
        clean_image(image_bytes("BMP"))
    with pytest.raises(ImageError):
        clean_image(image_bytes("TIFF"))


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    with pytest.raises(ImageError, match="too many pixels"):
        clean_image(out.getvalue())
