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
from cms.core.serializers.images import prepare_api_renditions

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


def enqueue_after_commit(page: Page) -> None:
    """Queue the task once the publish commits; a queue failure never fails it."""

    def enqueue(page_id=page.pk):
        try:
            prepare_page_renditions.enqueue(page_id)
        except Exception:
            # The page is published either way; its images are then made on
            # the first view, as Wagtail would without this task.
            logger.exception("Could not queue renditions of page %s", page_id)

    transaction.on_commit(enqueue)
