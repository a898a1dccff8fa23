"""Turn content changes into webhook deliveries and cache purges.

Connected from ``PublishingConfig.ready()``. Each handler runs inside the change's
own transaction: deliveries are stored with it, and the queue, the page
cache and the CDN are touched only once it commits (``transaction.on_commit``),
the page cache first, then the CDN (``purge.purge_urls_from_cdn``), so what
the CDN fetches next is fresh. Search results are purged once more when the
search index task has finished (``on_task_finished``).
"""

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.core.signals import live_pages_changed
from cms.core.visibility import is_public
from cms.publishing import purge, tasks, webhooks
from cms.publishing.models import WebhookEndpoint, WebhookEvent


def _page_changed(page, event, **payload_extra):
    payload = webhooks.page_payload(page, event, **payload_extra)
    tasks.announce(event, payload, page_type=payload["type"])
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        # Worked out now: after a delete or a move the old address is gone.
        urls = purge.page_urls(page, old_html_path=payload_extra.get("old_html_path"))
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(urls))


def on_page_published(sender, instance, revision=None, **kwargs):
    _page_changed(instance, WebhookEvent.PAGE_PUBLISHED, revision=revision)


def on_page_unpublished(sender, instance, **kwargs):
    _page_changed(instance, WebhookEvent.PAGE_UNPUBLISHED)


def on_live_pages_changed(sender, pages, reason, **kwargs):
    """Live pages whose HTML changed without a publish (a cited study went).

    Each gets a ``page.changed`` event and leaves the page cache and the CDN,
    as a publish would; ``reason`` says why (``citation_removed``).
    """
    for page in pages:
        _page_changed(page, WebhookEvent.PAGE_CHANGED, reason=reason)


def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        # Reordering siblings changes menus and listings, not any address.
        transaction.on_commit(purge.invalidate_page_cache)
        return
    if not instance.live:
        return
    old_html_path = _html_path_for(instance, url_path_before)
    _page_changed(instance, WebhookEvent.PAGE_MOVED, old_html_path=old_html_path)


def _html_path_for(page, url_path: str) -> str | None:
    """The public path a url_path had, relative to the page's site root."""
    site = page.get_site()
    if site is None:
        return None
    root_path = site.root_page.url_path
    if not url_path.startswith(root_path):
        return None
    return "/" + url_path[len(root_path) :]


def on_page_deleted(sender, instance, **kwargs):
    """Announce live pages only; a draft that was never public concerns no one.

    ``pre_delete`` because afterwards the page has no address to report.
    """
    if not instance.live or instance.specific_class is None:
        return
    _page_changed(instance, WebhookEvent.PAGE_DELETED)


def on_object_changed(sender, instance, created=None, **kwargs):
    if not _is_watched(sender):
        return
    action = "deleted" if created is None else "saved"
    payload = webhooks.object_payload(
        instance, WebhookEvent.SNIPPET_CHANGED, action=action
    )
    tasks.announce(WebhookEvent.SNIPPET_CHANGED, payload)
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        # A snippet or setting shows on pages of every site (menus, footers).
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(purge.site_root_urls()))


def on_view_restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again) changes what visitors may see.

    Every cached copy must go at once: the page's own, and those of pages that
    name it (a service citing a study made private). Frontends hear of it by
    a ``page.visibility_changed`` event saying whether the page is now public.
    """
    transaction.on_commit(purge.invalidate_page_cache)
    if _deleted_with_its_page(kwargs.get("origin")):
        return  # the page's own "page.deleted" event says all there is
    page = Page.objects.filter(pk=instance.page_id).specific().first()
    if page is None or not page.live:
        return  # a draft that was never public concerns no one
    payload = webhooks.page_payload(
        page, WebhookEvent.PAGE_VISIBILITY_CHANGED, public=is_public(page)
    )
    tasks.announce(
        WebhookEvent.PAGE_VISIBILITY_CHANGED, payload, page_type=payload["type"]
    )
    if purge.cdn_configured():
        urls = purge.site_urls(page)
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(urls))


def on_endpoint_saved(sender, instance, **kwargs):
    """ "Sending" ticked again: the notices held back while paused go out now."""
    if instance.is_active:
        tasks.resume(instance)


def _deleted_with_its_page(origin) -> bool:
    """True when a restriction goes because its page is being deleted.

    Django names the object a delete started from (``origin``); for a cascade
    from a page, announcing the page "public again" would be wrong.
    """
    if origin is None:
        return False
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return not issubclass(model, PageViewRestriction)


def _is_watched(model) -> bool:
    """Snippets and settings: what pages show besides their own fields.

    Checked per save rather than once at start-up, because snippets are
    registered when the admin hooks load, after this app is ready.
    """
    return issubclass(model, BaseSiteSetting | BaseGenericSetting) or (
        model in get_snippet_models()
    )


def on_task_finished(sender, task_result, **kwargs):
    """A page was re-indexed for search: cached search results go, again.

    Wagtail updates the search index in a task (on the worker in production),
    so it runs after the publish has already emptied the page cache; a search
    made in between was cached without the new page. Purging once more when
    the index task has finished closes that gap.
    """
    if task_result.task.module_path != insert_or_update_object_task.module_path:
        return
    if task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    app_label, model_name, pk = task_result.args[:3]
    model = apps.get_model(app_label, model_name)
    if not issubclass(model, Page):
        return  # images and documents are not in the site search
    page = model.objects.filter(pk=pk).first()
    if page is not None:
        transaction.on_commit(lambda: purge.search_index_updated(page))


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="core-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="core-page-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="core-page-moved")
    live_pages_changed.connect(on_live_pages_changed, dispatch_uid="pages-changed")
    task_finished.connect(on_task_finished, dispatch_uid="core-search-reindexed")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="core-page-del")
    post_save.connect(on_object_changed, dispatch_uid="core-object-saved")
    post_delete.connect(on_object_changed, dispatch_uid="core-object-deleted")
    post_save.connect(
        on_endpoint_saved, sender=WebhookEndpoint, dispatch_uid="endpoint-resumed"
    )
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"core-view-restriction-{uid}",
        )
