"""Links to pages inside rich text, expanded with one query per text.

Wagtail's handler reads the linked pages and then each as its own type
(``specific()``, a second query) only to ask each for its address, which the
plain page gives just the same: the address comes from the page's
``url_path`` and the site root paths Wagtail caches, and no clinic page type
builds its address differently. Every rich-text field and block with a page
link so costs one query (issue 16), on the site and in the API alike; what is
written out is unchanged, ``<a href="/services/iv-ketamine/">``.

Pages the request has read already (``cms.core.request_pages``: a detail's
related and cited studies) are not read again, and the pages read here are
kept for the request's other texts, so a page's texts cost one query between
them, or none when they link only to pages it shows anyway.
"""

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler as WagtailPageLinkHandler

from cms.core import request_pages


class PageLinkHandler(WagtailPageLinkHandler):
    """Wagtail's page link handler, reading plain pages."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        pages = request_pages.known(Page, ids)
        missing = [page_id for page_id in ids if page_id not in pages]
        if missing:
            read = {str(page.pk): page for page in Page.objects.filter(pk__in=missing)}
            request_pages.keep(read.values(), missing)
            pages.update({page_id: read.get(page_id) for page_id in missing})
        return [pages.get(page_id) for page_id in ids]
