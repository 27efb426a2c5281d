"""Uploaded images: verified by content, resized, re-encoded without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from coursesite.files.gif_layout import gif_layout
from coursesite.files.images import MAX_FRAMES, MAX_PIXELS, MAX_SIDE, ImageError, clean_image
from tests.payloads_images import animation, gif_of_frames


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


@pytest.mark.parametrize("side", [12000, 20000])  # past Pillow's own limit, and past twice that
def test_a_decompression_bomb_is_refused_saying_how_large_it_is(side):
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    with pytest.raises(ImageError, match=f"too large: {side:,} × {side:,} pixels .* than the 8.2 megapixels"):
        clean_image(out.getvalue())


@pytest.mark.parametrize("fmt, name", [("PNG", "PNG"), ("JPEG", "JPEG"), ("GIF", "GIF"), ("WEBP", "WebP")])
def test_a_damaged_picture_of_an_accepted_kind_is_called_damaged(fmt, name):
    mode = "P" if fmt == "GIF" else "RGB"
    whole = image_bytes(fmt, size=(300, 300), mode=mode)
    with pytest.raises(ImageError, match=f"This {name} file cannot be read: it is damaged or incomplete"):
        clean_image(whole[:len(whole) // 3] if fmt != "WEBP" else whole[:40])


def frames_of(data: bytes) -> int:
    return getattr(Image.open(io.BytesIO(data)), "n_frames", 1)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_an_animation_within_the_pixel_budget_keeps_its_frames(fmt):
    result = clean_image(animation(fmt, 4, (200, 150)))
    assert frames_of(result.data) == 4
    assert (result.width, result.height) == (200, 150)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_an_animation_over_the_pixel_budget_keeps_only_its_first_frame(fmt):
    data = animation(fmt, 3, (2000, 2000))  # 12 million pixels decoded, from a file of a few KB
    assert len(data) < 300_000
    result = clean_image(data)
    assert frames_of(result.data) == 1
    assert (result.width, result.height) == (2000, 2000)


def test_an_animation_of_too_many_frames_keeps_only_its_first():
    result = clean_image(animation("GIF", MAX_FRAMES + 1, (4, 4)))
    assert frames_of(result.data) == 1


def test_a_gif_frame_that_would_widen_the_canvas_is_not_decoded():
    data = gif_of_frames((1, 1), (9000, 9000))
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert gif_layout(data).width == 9000
    result = clean_image(data)
    assert (result.width, result.height) == (1, 1)
    assert frames_of(result.data) == 1


def test_a_gif_whose_first_frame_is_past_the_pixel_limit_is_refused():
    with pytest.raises(ImageError, match="This image is too large"):
        clean_image(gif_of_frames((5000, 5000)))


def test_a_picture_over_the_pixel_limit_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("RGB", (4000, 2400)).save(out, "PNG")  # a few KB, 38 MB decoded
    with pytest.raises(ImageError, match="This image is too large"):
        clean_image(out.getvalue())
    assert MAX_PIXELS < 4000 * 2400


def test_a_huge_photo_is_decoded_at_a_smaller_scale_and_accepted():
    out = io.BytesIO()
    Image.new("RGB", (8000, 6000), (20, 60, 90)).save(out, "JPEG", quality=60)  # 48 megapixels
    result = clean_image(out.getvalue())
    assert (result.width, result.height) == (2000, 1500)


def test_a_huge_progressive_jpeg_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (8000, 6000), (20, 60, 90)).save(out, "JPEG", quality=60, progressive=True)
    with pytest.raises(ImageError, match=r"8,000 × 6,000 pixels \(48 megapixels\), more than the 13.3 megapixels"):
        clean_image(out.getvalue())


def test_exif_orientation_turns_a_resized_picture_upright():
    image = Image.new("RGB", (3000, 1000), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 8  # rotate 270° to show
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif.tobytes())
    result = clean_image(out.getvalue())
    assert (result.width, result.height) == (667, 2000)
    assert not Image.open(io.BytesIO(result.data)).getexif()


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_picture_with_a_truncated_exif_block_is_kept_as_stored(fmt):
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (3000, 20)).save(out, fmt, exif=exif.tobytes()[:12])
    result = clean_image(out.getvalue())
    assert (result.width, result.height) == (2000, 13)
