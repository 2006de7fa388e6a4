"""Photos of listed dwellings are re-encoded: turned the way the camera said, reduced, saved as a JPEG
with no metadata; what is not a JPEG, PNG or WebP image, or is too large, is refused before decoding."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.exchange import photos

GPS = 0x8825
ORIENTATION = 0x0112


def jpeg_with_exif(width: int, height: int, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2026:12:01 10:00:00"  # DateTime
    exif.get_ifd(GPS)[2] = (48.0, 0.0, 0.0)  # GPSLatitude: the place the photo was taken
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_the_copy_has_no_metadata_and_stands_upright():
    data, width, height = photos.reencode(jpeg_with_exif(300, 200, orientation=6))  # taken on its side
    assert (width, height) == (200, 300)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and stored.size == (200, 300)
    assert dict(stored.getexif()) == {} and "icc_profile" not in stored.info and "exif" not in stored.info


def test_a_large_photo_is_reduced():
    _data, width, height = photos.reencode(jpeg_with_exif(4000, 3000))
    assert (width, height) == (photos.MAX_SIDE, 960)


def test_png_and_webp_are_taken():
    for kind in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(out, kind)
        data, width, height = photos.reencode(out.getvalue())
        assert Image.open(io.BytesIO(data)).format == "JPEG" and (width, height) == (50, 40)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"%PDF-1.4 not a photo", "not_image"),
        (b"GIF89a" + bytes(100), "not_image"),
        (jpeg_with_exif(10, 10)[:200], "not_image"),  # cut short
        (bytes(photos.MAX_BYTES + 1), "too_large"),
    ],
    ids=["pdf", "gif", "truncated", "bytes"],
)
def test_what_is_not_a_photo_is_refused(raw, code):
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.reencode(raw)
    assert refused.value.code == code


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # a few kilobytes, 48 million pixels
    assert len(out.getvalue()) < 100_000
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.reencode(out.getvalue())
    assert refused.value.code == "too_large"
