"""Health endpoints and, without an object store, the image files of ``MEDIA_ROOT``."""

from django.conf import settings
from django.urls import path, re_path

from cms.ops import health, media

urlpatterns = [
    path("healthz/", health.liveness, name="liveness"),
    path("readyz/", health.readiness, name="readiness"),
]

if settings.SERVE_MEDIA_IMAGES:
    urlpatterns += [
        re_path(
            r"^media/(?P<folder>original_images|images)/(?P<path>.+)$",
            media.serve_image,
            name="media_image",
        )
    ]
