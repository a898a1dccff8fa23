"""Image renditions made by the worker when a page is published (issue 16).

The first visitor after a publish must not wait for Wagtail to resize and
encode the page's images; ``cms.core.renditions`` knows which renditions the
page's HTML uses, ``cms.core.serializers.images`` which ones its API payloads
use (other widths, crops and formats), and this task makes both on the
queue. The task takes the page id, not the page: by the time the worker runs,
the live version is what the database holds, and that is what visitors will
see.
"""

import logging

from django.db import transaction
from django_tasks import task
from wagtail.models import Page

from cms.core import renditions
from cms.core.models import ClinicSettings
from cms.core.serializers.images import (
    prepare_api_images,
    prepare_api_renditions,
    settings_api_images,
)

logger = logging.getLogger(__name__)


@task()
def prepare_page_renditions(page_id: int) -> int:
    """Make the renditions of live page ``page_id``, for its HTML and its API
    payloads; how many (image, use) pairs it prepared."""
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return 0  # unpublished or deleted since: nobody will view it
    page = page.specific
    return renditions.prepare(page) + prepare_api_renditions(page)


@task()
def prepare_settings_renditions(settings_id: int) -> int:
    """Make the renditions of the images Clinic settings ``settings_id`` put on
    every page (the header logo) and in ``/api/v3/site/`` (logo, default
    sharing image); how many (image, use) pairs it prepared."""
    clinic_settings = (
        ClinicSettings.objects.select_related("logo", "default_social_image")
        .filter(pk=settings_id)
        .first()
    )
    if clinic_settings is None:
        return 0
    return renditions.prepare_images(
        renditions.settings_images(clinic_settings)
    ) + prepare_api_images(settings_api_images(clinic_settings))


def enqueue_after_commit(page: Page) -> None:
    """Queue the task once the publish commits; a queue failure never fails it."""
    _enqueue_after_commit(prepare_page_renditions, page.pk, "page")


def enqueue_settings_after_commit(clinic_settings: ClinicSettings) -> None:
    """Queue the settings' renditions once the save commits."""
    _enqueue_after_commit(prepare_settings_renditions, clinic_settings.pk, "settings")


def _enqueue_after_commit(work, object_id: int, what: str) -> None:
    def enqueue():
        try:
            work.enqueue(object_id)
        except Exception:
            # The change stands either way; its images are then made on the
            # first view, as Wagtail would without this task.
            logger.exception("Could not queue renditions of %s %s", what, object_id)

    transaction.on_commit(enqueue)
