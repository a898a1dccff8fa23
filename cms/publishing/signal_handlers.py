"""Turn content changes into webhook deliveries and cache purges.

Connected from ``PublishingConfig.ready()``. Each handler runs inside the change's
own transaction: deliveries are stored with it, and the queue, the page
cache and the CDN are touched only once it commits (``transaction.on_commit``),
the page cache first, then the CDN (``purge.purge_urls_from_cdn``), so what
the CDN fetches next is fresh. Search results are purged once more when the
search index task has finished (``on_task_finished``).

Which change sends what is listed in docs/webhooks.md ("Events"); the bodies
are described in ``payloads.py``.
"""

from django.apps import apps
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from wagtail.contrib.redirects import signal_handlers as redirect_autocreation
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)
from wagtail.snippets.models import get_snippet_models

from cms.core.models import ClinicSettings
from cms.core.signals import live_pages_changed
from cms.core.visibility import is_public
from cms.publishing import purge, references, renditions, tasks, webhooks
from cms.publishing.models import WebhookEndpoint, WebhookEvent


def _page_changed(page, event, **payload_extra):
    payload = webhooks.page_payload(page, event, **payload_extra)
    tasks.announce(event, payload, page_type=payload["type"])
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        # Worked out now: after a delete or a move the old address is gone.
        urls = purge.page_urls(page, old_html_path=payload_extra.get("old_html_path"))
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(urls))


# What the database held for a page just before it was saved (``on_page_saving``).
STORED_ATTR = "_clinic_stored_before_save"


def on_page_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember a page's stored address and menu flag before a save changes them.

    A publish saves the page, and that save is what gives it a new address
    (``url_path``, from an edited slug) or shows or hides it in menus: by the
    time ``page_published`` is sent, the old values are gone from the instance
    and the database alike. Reading the row here works for every way a page
    is published (the admin, the API, ``revision.publish()`` from code, the
    scheduler). A save that writes neither field (``update_fields`` without
    ``slug`` or ``show_in_menus``, as ``save_revision`` does) costs no query.
    """
    if raw or instance.pk is None or not isinstance(instance, Page):
        return
    if update_fields is not None and not {"slug", "show_in_menus"} & set(update_fields):
        return
    stored = (
        Page.objects.filter(pk=instance.pk)
        .values("url_path", "show_in_menus", "live")
        .first()
    )
    setattr(instance, STORED_ATTR, stored)


def on_page_published(sender, instance, revision=None, **kwargs):
    stored = instance.__dict__.pop(STORED_ATTR, None) or {}
    old_html_path = None
    if stored.get("live") and stored["url_path"] != instance.url_path:
        # Only an address visitors could reach counts as an old address.
        old_html_path = _html_path_for(instance, stored["url_path"])
    _page_changed(
        instance,
        WebhookEvent.PAGE_PUBLISHED,
        revision=revision,
        **webhooks.address_change(instance, old_html_path),
    )
    # Issue 16: the page's image renditions are made by the worker, not by
    # its first visitor.
    renditions.enqueue_after_commit(instance)
    if instance.show_in_menus or stored.get("show_in_menus"):
        # In a menu now or until now (its title, its address, or the flag itself).
        _menu_changed(instance)


def on_page_unpublished(sender, instance, **kwargs):
    _page_changed(instance, WebhookEvent.PAGE_UNPUBLISHED)
    if instance.show_in_menus:
        _menu_changed(instance)


def on_live_pages_changed(sender, pages, reason, **kwargs):
    """Live pages whose HTML changed without a publish (a cited study went).

    Each gets a ``page.changed`` event and leaves the page cache and the CDN,
    as a publish would; ``reason`` says why (``citation_removed``).
    """
    for page in pages:
        _page_changed(page, WebhookEvent.PAGE_CHANGED, reason=reason)


def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    in_menu = instance.live and instance.show_in_menus
    if url_path_before == url_path_after:
        # Reordering siblings changes menus and listings, not any address.
        transaction.on_commit(purge.invalidate_page_cache)
        if in_menu:
            _menu_changed(instance)
        return
    if not instance.live:
        return
    old_html_path = _html_path_for(instance, url_path_before)
    _page_changed(
        instance,
        WebhookEvent.PAGE_MOVED,
        **webhooks.address_change(instance, old_html_path),
    )
    if in_menu:
        _menu_changed(instance)


def _html_path_for(page, url_path: str) -> str | None:
    """The public path a url_path had, relative to the page's site root."""
    site = page.get_site()
    if site is None:
        return None
    root_path = site.root_page.url_path
    if not url_path.startswith(root_path):
        return None
    return "/" + url_path[len(root_path) :]


def _menu_changed(page):
    """A page shown in menus changed: every page's navigation did too."""
    site = page.get_site()
    if site is not None:
        _site_changed(site, reason="menu_changed")


def _site_changed(site, *, reason: str):
    """``site.changed`` for ``site``, and its pages leave the page cache and CDN.

    Every page shows the clinic settings and the menus (header, footer), and
    ``/api/v3/site/`` serves them, so all of it is purged.
    """
    payload = webhooks.site_payload(site, reason=reason)
    tasks.announce(WebhookEvent.SITE_CHANGED, payload)
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        urls = [site.root_url.rstrip("/") + "/", payload["api_url"]]
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(urls))


def on_page_deleted(sender, instance, **kwargs):
    """Announce live pages only; a draft that was never public concerns no one.

    ``pre_delete`` because afterwards the page has no address to report.
    """
    if not instance.live or instance.specific_class is None:
        return
    _page_changed(instance, WebhookEvent.PAGE_DELETED)
    # No menu check here: Wagtail unpublishes a live page it deletes
    # (``page_unpublished``), and ``on_page_unpublished`` sends site.changed.


# The pages that used a snippet being deleted (``on_object_deleting``).
USED_BY_ATTR = "_clinic_used_by_pages"


def on_object_deleting(sender, instance, **kwargs):
    """Before a snippet goes, note the pages that use it.

    After the delete Wagtail has removed every reference to it from the
    reference index, so ``snippet.changed`` could not list them any more.
    """
    if _is_snippet(sender):
        setattr(instance, USED_BY_ATTR, references.pages_using(instance))


def on_object_changed(sender, instance, created=None, **kwargs):
    """Snippets send ``snippet.changed``; settings send ``site.changed``.

    Settings (the clinic's name, phone, crisis line, …) show on every page and
    in ``/api/v3/site/``, so they are a change of the site, not of a snippet:
    one ``site.changed`` per site they apply to (a generic setting applies to
    every site), and never a ``snippet.changed`` as well.
    """
    deleted = created is None
    if issubclass(sender, BaseSiteSetting | BaseGenericSetting):
        reason = "settings_deleted" if deleted else "settings_saved"
        if isinstance(instance, BaseSiteSetting):
            sites = Site.objects.filter(pk=instance.site_id)
        else:
            sites = Site.objects.all()
        for site in sites:
            _site_changed(site, reason=reason)
        return
    if not _is_snippet(sender):
        return
    payload = webhooks.object_payload(
        instance,
        WebhookEvent.SNIPPET_CHANGED,
        action="deleted" if deleted else "saved",
        pages=instance.__dict__.pop(USED_BY_ATTR, None),
    )
    tasks.announce(WebhookEvent.SNIPPET_CHANGED, payload)
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        # A snippet can show on pages of every site (menus, footers).
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(purge.site_root_urls()))


# What a redirect was before an edit (``on_redirect_saving``).
REDIRECT_BEFORE_ATTR = "_clinic_redirect_before"


def on_redirect_saving(sender, instance, raw=False, **kwargs):
    """Remember an edited redirect as it was, to announce it removed."""
    if raw or instance.pk is None:
        return
    stored = Redirect.objects.filter(pk=instance.pk).first()
    if stored is not None:
        setattr(instance, REDIRECT_BEFORE_ATTR, stored)


def on_redirect_saved(sender, instance, created=False, raw=False, **kwargs):
    """``redirect.created``; an edit is ``redirect.deleted`` then ``redirect.created``.

    An edit can change the old path itself, so a receiver must forget the
    redirect as it was and learn it as it is: two events that each say all
    there is, rather than a third kind of event to handle. An edit that
    changes nothing a visitor sees sends nothing.
    """
    if raw:
        return
    before = instance.__dict__.pop(REDIRECT_BEFORE_ATTR, None)
    after = webhooks.redirect_payload(instance, WebhookEvent.REDIRECT_CREATED)
    urls = set(_redirect_urls(instance))
    if before is not None and not created:
        removed = webhooks.redirect_payload(
            before, WebhookEvent.REDIRECT_DELETED, edit=True
        )
        if _same_redirect(removed, after):
            return
        after["edit"] = True
        tasks.announce(WebhookEvent.REDIRECT_DELETED, removed)
        urls.update(_redirect_urls(before))
    tasks.announce(WebhookEvent.REDIRECT_CREATED, after)
    _purge_redirect(sorted(urls))


def on_redirect_deleting(sender, instance, **kwargs):
    """``pre_delete``: its target page may be going in the same delete."""
    payload = webhooks.redirect_payload(instance, WebhookEvent.REDIRECT_DELETED)
    tasks.announce(WebhookEvent.REDIRECT_DELETED, payload)
    _purge_redirect(sorted(_redirect_urls(instance)))


def on_page_slug_changed(sender, instance, instance_before, **kwargs):
    _announce_automatic_redirects(instance, instance_before.url_path)


def on_page_moved_redirects(
    sender, instance, url_path_before, url_path_after, **kwargs
):
    if url_path_before != url_path_after:
        _announce_automatic_redirects(instance, url_path_before)


def _announce_automatic_redirects(page, old_url_path: str):
    """``redirect.created`` for the redirects Wagtail made from a page's old addresses.

    On a slug change or a move Wagtail adds a redirect from the old address of
    the page and of each live descendant, in bulk, so no ``post_save`` is
    sent: they are looked up here, right after Wagtail made them (see
    ``register_signal_handlers`` for the order).
    """
    if not page.live:
        return
    old_html_path = _html_path_for(page, old_url_path)
    if not old_html_path or old_html_path == "/":
        return
    prefix = Redirect.normalise_path(old_html_path)
    made = Redirect.objects.filter(
        automatically_created=True, redirect_page__path__startswith=page.path
    ).filter(Q(old_path=prefix) | Q(old_path__startswith=prefix + "/"))
    urls = set()
    for redirect in made.select_related("site", "redirect_page").order_by("old_path"):
        payload = webhooks.redirect_payload(redirect, WebhookEvent.REDIRECT_CREATED)
        tasks.announce(WebhookEvent.REDIRECT_CREATED, payload)
        urls.update(redirect.old_links())
    if urls:
        _purge_redirect(sorted(urls))


def _same_redirect(before: dict, after: dict) -> bool:
    ignored = {"event", "timestamp", "edit"}
    return {k: v for k, v in before.items() if k not in ignored} == {
        k: v for k, v in after.items() if k not in ignored
    }


def _redirect_urls(redirect) -> list[str]:
    """The addresses a redirect answers on (its old path on its site, or every site)."""
    return sorted(redirect.old_links())


def _purge_redirect(urls: list[str]):
    """The old path answered a page or a 404 until now: cached copies must go.

    The page cache is checked before the redirect middleware runs, so a cached
    404 of the old path would hide a new redirect (and a cached redirect a
    removed one) until it expired.
    """
    transaction.on_commit(purge.invalidate_page_cache)
    if purge.cdn_configured():
        transaction.on_commit(lambda: purge.purge_urls_from_cdn(urls))


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


def _is_snippet(model) -> bool:
    """Snippets: what pages show besides their own fields (settings aside).

    Checked per save rather than once at start-up, because snippets are
    registered when the admin hooks load, after this app is ready.
    """
    if issubclass(model, BaseSiteSetting | BaseGenericSetting | Redirect):
        return False  # ``site.changed`` and the redirect events say those
    return model in get_snippet_models()


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


def on_site_changed(sender, instance, **kwargs):
    """A site's host, port or root changed: every stored page and route may be wrong.

    Cached pages, fragments and remembered routes (``routes.py``) are all
    keyed by the content generation; a site edit is rare and replaces it.
    """
    transaction.on_commit(purge.invalidate_page_cache)


def on_clinic_settings_saved(sender, instance, **kwargs):
    """The logo every page shows, and the site API's images, are made by the
    worker after the save, not in the first visitor's request (issue 16)."""
    renditions.enqueue_settings_after_commit(instance)


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="core-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="core-page-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="core-page-moved")
    live_pages_changed.connect(on_live_pages_changed, dispatch_uid="pages-changed")
    task_finished.connect(on_task_finished, dispatch_uid="core-search-reindexed")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="core-page-del")
    # No sender: pre_save is sent for the specific page class, never for Page.
    pre_save.connect(on_page_saving, dispatch_uid="page-address-before-save")
    post_save.connect(on_object_changed, dispatch_uid="core-object-saved")
    pre_delete.connect(on_object_deleting, dispatch_uid="snippet-used-by")
    post_delete.connect(on_object_changed, dispatch_uid="core-object-deleted")
    pre_save.connect(on_redirect_saving, sender=Redirect, dispatch_uid="redir-before")
    post_save.connect(on_redirect_saved, sender=Redirect, dispatch_uid="redir-saved")
    pre_delete.connect(
        on_redirect_deleting, sender=Redirect, dispatch_uid="redirect-deleted"
    )
    # Wagtail makes redirects from a page's old addresses in receivers of these
    # two signals; ours must run after them to find the new rows. A signal calls
    # its receivers in the order they connected, and this app is ready before
    # wagtail.contrib.redirects, so Wagtail's receivers are connected here
    # first: its own ready() connecting the same functions again is a no-op.
    page_slug_changed.connect(redirect_autocreation.autocreate_redirects_on_slug_change)
    post_page_move.connect(redirect_autocreation.autocreate_redirects_on_page_move)
    page_slug_changed.connect(on_page_slug_changed, dispatch_uid="redirects-made-slug")
    post_page_move.connect(on_page_moved_redirects, dispatch_uid="redirects-made-move")
    post_save.connect(
        on_endpoint_saved, sender=WebhookEndpoint, dispatch_uid="endpoint-resumed"
    )
    post_save.connect(
        on_clinic_settings_saved, sender=ClinicSettings, dispatch_uid="settings-images"
    )
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(on_site_changed, sender=Site, dispatch_uid=f"site-{uid}")
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"core-view-restriction-{uid}",
        )
