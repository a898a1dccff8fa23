"""Image and document uploads that refuse a wrong file politely, in editors' words.

Wagtail's own image field reads only an image's header, so a photo cut short by
a failed transfer passes it and the server errors later, while making the
image's metadata or first rendition. Here every frame is decoded while the
form is validated, and anything the image library cannot read becomes an
error on the file field: never a 500, never an Image row. Documents are
checked for being what their name says (a ".pdf" that is really a web page or
a program is refused), since visitors download them from the clinic's site.

Wired in through ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
``WAGTAILDOCS_DOCUMENT_FORM_BASE``, so the single and multiple upload views
and the choosers' upload tabs all use them. The limits are Wagtail's settings
(``WAGTAILIMAGES_MAX_UPLOAD_SIZE``, ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``,
``WAGTAILDOCS_MAX_UPLOAD_SIZE``), described in docs/deployment.md.
"""

import os
import warnings
import zipfile

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

IMAGE_FORMATS = "JPG, PNG, GIF or WEBP"
DAMAGED_IMAGE = (
    "This image file is damaged or incomplete. Export it again from your photo "
    "editor and upload the new file."
)
EMPTY_FILE = (
    "This file is empty (0 bytes), so there is nothing to upload. Choose the "
    "file again; if it is still empty, save or export it again and upload the "
    "new file."
)
IMAGE_MESSAGES = {
    "empty": EMPTY_FILE,
    "invalid_image": (
        "This file is not a picture the site can read. Choose a photo or "
        f"picture saved as {IMAGE_FORMATS}."
    ),
    "invalid_image_extension": (
        f"Images must be {IMAGE_FORMATS} files. Save the picture in one of those "
        "formats from your photo editor and upload that file."
    ),
    "invalid_image_known_format": (
        "This file's name ends in .%(extension)s, but it is really a "
        "%(image_format)s file. Save it as a JPG or PNG from your photo editor "
        "and upload that file."
    ),
    "file_too_large": (
        "This image file is too big (%(file_size)s); the limit is "
        "%(max_filesize)s. Export a smaller version, for example 2000 pixels "
        "wide, and upload that."
    ),
    "file_too_many_pixels": (
        "This image has too many pixels (%(num_pixels)s); the limit is "
        "%(max_pixels_count)s. Resize it to at most about 4000 pixels on its "
        "longest side in your photo editor and upload it again."
    ),
}
# What a document may contain, by extension: its first bytes, or a zip
# archive holding the named entry (Office and OpenDocument files are zips).
DOCUMENT_SIGNATURES = {
    "pdf": ("PDF", b"%PDF-", None),
    "rtf": ("RTF", b"{\\rtf", None),
    "docx": ("Word", None, "[Content_Types].xml"),
    "xlsx": ("Excel", None, "[Content_Types].xml"),
    "pptx": ("PowerPoint", None, "[Content_Types].xml"),
    "odt": ("OpenDocument", None, "mimetype"),
}
TEXT_EXTENSIONS = {"csv", "txt"}
HEAD_BYTES = 8192
# The beginnings (lower-cased) of files a browser would run rather than
# display: web pages, scripts, SVG drawings.
ACTIVE_CONTENT = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<?xml",
    b"#!",
)
# Windows and Linux programs, as their first bytes (case matters).
PROGRAMS = (b"MZ", b"\x7fELF")


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, plus a full decode; every refusal in editors' words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages.update(IMAGE_MESSAGES)
        self.error_messages["file_too_large_unknown_size"] = (
            f"This image file is too big. The limit is {self.max_upload_size_text}."
        )

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # the image library choked on the header
            raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from error
        if upload is not None:
            decode_every_frame(upload)
        return upload


def decode_every_frame(data) -> None:
    """Read every pixel of every frame once, or say the file is damaged.

    The pixel count was already checked against the limit, so this is bounded;
    Wagtail would decode the image anyway when it makes the first rendition.
    """
    data.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(data) as image:
                for frame in ImageSequence.Iterator(image):
                    frame.load()
    except Exception as error:  # truncated, corrupt, or not what it claimed
        raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from error
    finally:
        data.seek(0)


class CheckedDocumentField(WagtailDocumentField):
    """Wagtail's document field, refusing files that are not what their name says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["empty"] = EMPTY_FILE
        self.error_messages["file_too_large"] = (
            "This file is too big (%(file_size)s); the limit is %(max_filesize)s. "
            "Save a smaller version, for example with fewer or smaller pictures, "
            "and upload that."
        )
        self.error_messages["file_too_large_unknown_size"] = (
            f"This file is too big. The limit is {self.max_upload_size_text}."
        )

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            problem = document_content_problem(upload)
            if problem:
                raise ValidationError(problem, code="document_content_mismatch")
        return upload


def document_content_problem(upload) -> str | None:
    """Why the file's contents do not match its extension, in editors' words."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    active = start.startswith(ACTIVE_CONTENT) or b"<script" in head.lower()
    if active or head.startswith(PROGRAMS):
        return (
            f"This file's name ends in .{extension}, but it is really a web page, "
            "script or program, which the site cannot offer for download. Upload "
            f"the real .{extension} document instead."
        )
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head:
            return (
                f"This file's name ends in .{extension}, but it is not plain text. "
                f"Save it as .{extension} from the program that made it and upload "
                "that file."
            )
        return None
    expected = DOCUMENT_SIGNATURES.get(extension)
    if expected is None:
        return None
    kind, magic, zip_entry = expected
    if magic is not None and magic in head[:1024]:
        return None
    if zip_entry is not None and _zip_has(upload, zip_entry):
        return None
    return (
        f"This file's name ends in .{extension}, but it is not a {kind} document, "
        "or it is damaged. Open it in the program that made it, save or export it "
        f"again as .{extension}, and upload the new file."
    )


def _zip_has(upload, entry: str) -> bool:
    """Whether the upload is a zip archive listing ``entry`` (nothing is extracted)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            return entry in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _use_checked_field(form, field_class) -> None:
    """Swap the form's file field for the checked one, keeping widget and label.

    Wagtail builds these forms with its own field callback, so the field cannot
    be chosen in ``Meta``; and declaring it on the class would put it back on
    the multiple-upload edit form, which leaves the file out on purpose.
    """
    current = form.fields.get("file")
    if current is None:
        return
    form.fields["file"] = field_class(
        label=current.label, required=current.required, widget=current.widget
    )


#: The image's description is its default alt text: say who it is for.
IMAGE_DESCRIPTION_HELP = (
    "Describe what the picture shows, in a sentence. Screen readers read this "
    "aloud to people who cannot see the image, wherever the site shows it "
    "without a description of its own."
)


class CheckedImageForm(BaseImageForm):
    """The admin's image form with the checked file field, its fields explained."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_checked_field(self, CheckedImageField)
        if "description" in self.fields:
            self.fields["description"].help_text = IMAGE_DESCRIPTION_HELP


class CheckedDocumentForm(BaseDocumentForm):
    """The admin's document form with the checked file field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_checked_field(self, CheckedDocumentField)
