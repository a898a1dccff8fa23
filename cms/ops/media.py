"""Images from ``MEDIA_ROOT`` in the single-server setup, and nothing else from it.

Without an object store, uploads live under ``MEDIA_ROOT`` and WhiteNoise
(static files only) does not serve them. Pointing a web server at the whole
folder would also serve ``documents/``, bypassing the view restrictions of
private collections. This view serves only Wagtail's two image folders
(``original_images/`` and ``images/``, the renditions); documents are reached
only through Wagtail's ``/documents/`` view, which checks permissions. The
equivalent rule for a web server in front is in docs/deployment.md.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.views.static import serve

IMAGE_FOLDERS = ("original_images", "images")
# A day: renditions and originals get a new file name when the image changes.
MAX_AGE = 24 * 60 * 60


def serve_image(request, folder: str, path: str):
    """One image file from ``MEDIA_ROOT/<folder>/``; 404 for anything not an image."""
    if folder not in IMAGE_FOLDERS:
        raise Http404("Not an image folder")
    content_type, _encoding = mimetypes.guess_type(path)
    if not content_type or not content_type.startswith("image/"):
        raise Http404("Not an image")
    if content_type == "image/svg+xml":
        # SVG can carry script; the site never accepts SVG uploads anyway.
        raise Http404("Not served")
    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / folder)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
