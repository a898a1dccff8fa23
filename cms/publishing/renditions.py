"""Image renditions made by the worker when a page is published (issue 16).

The first visitor after a publish must not wait for Wagtail to resize and
encode the page's images; ``cms.core.renditions`` knows which renditions the
page's HTML uses, and this task makes them on the queue. The task takes the
page id, not the page: by the time the worker runs, the live version is what
the database holds, and that is what visitors will see.
"""

import logging

from django.db import transaction
from django_tasks import task
from wagtail.models import Page

from cms.core import renditions

logger = logging.getLogger(__name__)


@task()
def prepare_page_renditions(page_id: int) -> int:
    """Make the renditions of live page ``page_id``; how many images it uses."""
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return 0  # unpublished or deleted since: nobody will view it
    return renditions.prepare(page.specific)


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
