"""Wrong files are refused on the upload form in editors' words: never a 500.

Each case goes through the admin's single upload view and its multiple upload
view, and no Image or Document row may be left behind.
"""

import html
import io
import random
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

pytestmark = pytest.mark.django_db

DAMAGED = (
    "This image file is damaged or incomplete. Export it again from your photo "
    "editor and upload the new file."
)


def picture(fmt="PNG", size=(64, 48)) -> bytes:
    """A small picture of noise, so that its compressed data is not trivial."""
    noise = random.Random(7)
    image = PILImage.new("RGB", size)
    image.putdata(
        [
            tuple(noise.randrange(256) for _ in range(3))
            for _ in range(size[0] * size[1])
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def first_half(content: bytes) -> bytes:
    return content[: len(content) // 2]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def decompression_bomb() -> bytes:
    """A valid PNG header claiming 100,000 × 100,000 pixels, in under 100 bytes."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def office_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def errors_in(response) -> str:
    """The error text the editor reads, from either upload view."""
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        assert data["success"] is False
        return data["error_message"]
    return html.unescape(response.content.decode())


def upload_image(client, view, name, content):
    upload = SimpleUploadedFile(name, content)
    if view == "single":
        return client.post("/admin/images/add/", {"title": "Room", "file": upload})
    return client.post("/admin/images/multiple/add/", {"files[]": upload})


def upload_document(client, view, name, content):
    upload = SimpleUploadedFile(name, content)
    if view == "single":
        return client.post(
            "/admin/documents/add/", {"title": "Leaflet", "file": upload}
        )
    return client.post("/admin/documents/multiple/add/", {"files[]": upload})


VIEWS = ["single", "multiple"]

IMAGE_CASES = {
    "truncated PNG": ("room.png", first_half(picture("PNG")), DAMAGED),
    "truncated GIF": ("room.gif", first_half(picture("GIF")), DAMAGED),
    "truncated JPEG": ("room.jpg", first_half(picture("JPEG")), DAMAGED),
    "text named .png": (
        "notes.png",
        b"Just some notes, not a picture.",
        "This file is not a picture the site can read. Choose a photo or picture "
        "saved as JPG, PNG, GIF or WEBP.",
    ),
    "SVG named .jpg": (
        "logo.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        "This file's name ends in .jpeg, but it is really a svg file. Save it as a "
        "JPG or PNG from your photo editor and upload that file.",
    ),
    "HTML named .jpg": (
        "photo.jpg",
        b"<html><body><script>alert(1)</script></body></html>",
        "Save it as a JPG or PNG from your photo editor",
    ),
    "decompression bomb": (
        "huge.png",
        decompression_bomb(),
        "This image has too many pixels",
    ),
    "zero bytes": (
        "empty.png",
        b"",
        "This file is empty (0 bytes), so there is nothing to upload.",
    ),
    "PNG named .gif": (
        "room.gif",
        picture("PNG"),
        "This file's name ends in .gif, but it is really a png file.",
    ),
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("case", IMAGE_CASES)
def test_wrong_images_are_refused_with_a_fix(admin_client, view, case):
    name, content, message = IMAGE_CASES[case]
    response = upload_image(admin_client, view, name, content)
    assert message in errors_in(response)
    assert not Image.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
def test_too_many_pixels_names_the_limit(admin_client, settings, view):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    response = upload_image(admin_client, view, "room.png", picture("PNG"))
    assert (
        "This image has too many pixels (3072); the limit is 1000. Resize it"
        in errors_in(response)
    )
    assert not Image.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
def test_too_big_a_file_names_the_limit(admin_client, settings, view):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = upload_image(admin_client, view, "room.png", picture("PNG"))
    assert "This image file is too big (" in errors_in(response)
    assert "the limit is 1.0\xa0KB. Export a smaller version" in errors_in(response)
    assert not Image.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    "fmt,name", [("PNG", "a.png"), ("GIF", "a.gif"), ("JPEG", "a.jpg")]
)
def test_sound_images_are_still_accepted(admin_client, view, fmt, name):
    response = upload_image(admin_client, view, name, picture(fmt))
    assert response.status_code in (200, 302)
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 48)


NOT_A_REAL = "but it is really a web page, script or program"
DOCUMENT_CASES = {
    "web page named .pdf": (
        "leaflet.pdf",
        b"<!DOCTYPE html><html><body>Hi</body></html>",
        "This file's name ends in .pdf, " + NOT_A_REAL,
    ),
    "script named .docx": (
        "form.docx",
        b"<script>document.location='http://evil.example'</script>",
        "This file's name ends in .docx, " + NOT_A_REAL,
    ),
    "program named .pdf": (
        "leaflet.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
        "This file's name ends in .pdf, " + NOT_A_REAL,
    ),
    "SVG named .txt": (
        "notes.txt",
        b'  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "This file's name ends in .txt, " + NOT_A_REAL,
    ),
    "text named .pdf": (
        "leaflet.pdf",
        b"Just some words.",
        "This file's name ends in .pdf, but it is not a PDF document, or it is "
        "damaged. Open it in the program that made it, save or export it again "
        "as .pdf, and upload the new file.",
    ),
    "text named .docx": (
        "form.docx",
        b"Just some words.",
        "This file's name ends in .docx, but it is not a Word document",
    ),
    "binary named .csv": (
        "prices.csv",
        b"PK\x03\x04\x00\x00binary",
        "This file's name ends in .csv, but it is not plain text.",
    ),
    "zero bytes": (
        "leaflet.pdf",
        b"",
        "This file is empty (0 bytes), so there is nothing to upload.",
    ),
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_documents_that_are_not_what_they_say_are_refused(admin_client, view, case):
    name, content, message = DOCUMENT_CASES[case]
    response = upload_document(admin_client, view, name, content)
    assert message in errors_in(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
def test_too_big_a_document_names_the_limit(admin_client, settings, view):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 10
    response = upload_document(admin_client, view, "a.pdf", b"%PDF-1.4\n%%EOF\n")
    assert "This file is too big (15\xa0bytes); the limit is 10\xa0bytes." in (
        errors_in(response)
    )
    assert not Document.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    "name,content",
    [
        ("leaflet.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        ("form.docx", office_file()),
        ("prices.csv", b"Item,Price\nConsultation,0\n"),
        ("notes.txt", "Plain words, café.\n".encode()),
    ],
)
def test_real_documents_are_still_accepted(admin_client, view, name, content):
    response = upload_document(admin_client, view, name, content)
    assert response.status_code in (200, 302)
    assert Document.objects.get().file.name.endswith(name.rsplit(".")[-1])
