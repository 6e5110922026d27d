"""A photo taken on a phone carries where it was taken (EXIF GPS), the
camera and often the owner's name. The desk photographs customers' lost
items, complaints' evidence and faults: none of that may be stored or served."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from mallservice.uploads import PHOTO, upload_check

GPS_IFD, ORIENTATION, ARTIST = 0x8825, 0x0112, 0x013B


def _phone_photo(fmt: str, *, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[ARTIST] = "王磊"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 13.0, 50.0), 3: "E", 4: (121.0, 28.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif)
    return buffer.getvalue()


def _stored(checked) -> Image.Image:
    checked.file.seek(0)
    image = Image.open(io.BytesIO(checked.file.read()))
    image.load()
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_photo_is_stored_without_its_location_camera_or_owner(fmt):
    # given a phone photo with GPS and the owner's name in its EXIF
    raw = _phone_photo(fmt)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)
    # when the desk uploads it
    checked = upload_check(SimpleUploadedFile(f"p.{fmt.lower()}", raw), rule=PHOTO)
    # then the file to store has no EXIF at all, and is still the photo
    stored = _stored(checked)
    assert not stored.getexif()
    assert stored.size == (40, 20)
    assert stored.format == fmt


def test_a_sideways_photo_is_stored_upright_once_its_exif_is_gone():
    # orientation 6: the camera was turned; the viewer rotates it 90°
    checked = upload_check(_phone_photo("JPEG", orientation=6), rule=PHOTO)
    assert _stored(checked).size == (20, 40)


def test_png_text_chunks_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王磊")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG", pnginfo=info)
    stored = _stored(upload_check(buffer.getvalue(), rule=PHOTO))
    assert "Author" not in stored.info


def test_a_photo_without_metadata_is_stored_byte_for_byte():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="JPEG")
    raw = buffer.getvalue()
    checked = upload_check(raw, rule=PHOTO)
    checked.file.seek(0)
    assert checked.file.read() == raw
