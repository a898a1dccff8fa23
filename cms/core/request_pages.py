"""Pages one request has read already, for the blocks and links that point at them.

A service page or article shows its related studies (read with their card
images) and, in its body, study references (a page chooser each) and links
in rich text. Wagtail reads the chooser's pages and the linked pages apart,
from code that does not know the request or what it read; on an API detail
that was two queries of the eight it may cost (issue 16). So the related
studies are read with the studies the body cites and the pages its rich text
links to, in one query (``RelatedStudiesMixin.related_and_cited_studies``),
and kept here; the body's
study chooser (``cms.core.blocks.medical.KnownPageChooserBlock``) and the
rich-text link handler (``cms.core.page_links``) take what they need from
here first, and read only what is missing, keeping that too.

What is kept lives for one request (``RequestPagesMiddleware``): outside a
request (a command, the worker, a test without a client) nothing is kept
and every page is read as Wagtail reads it. Nothing kept decides who may see
a page: the same rows Wagtail would read are returned, and every check that
follows (live, view restrictions) still runs on them.
"""

from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from wagtail.blocks import (
    ListBlock,
    PageChooserBlock,
    StreamBlock,
    StructBlock,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

_kept: ContextVar[dict | None] = ContextVar("request_pages", default=None)


class RequestPagesMiddleware:
    """Keep the pages read for one request, and forget them when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _kept.set({})
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)


def keep(pages: Iterable, ids: Iterable = ()) -> None:
    """Keep ``pages`` for this request; ``ids`` that were asked for but not
    found are kept as missing, so they are not asked for again."""
    kept = _kept.get()
    if kept is None:
        return
    for page_id in ids:
        kept.setdefault(str(page_id), None)
    for page in pages:
        kept[str(page.pk)] = page


def known(model, ids: Iterable) -> dict[str, object | None]:
    """Those of ``ids`` this request has read, as ``model`` (or as missing).

    Keyed by the id as a string, as choosers and links store it. A page
    kept as another type than ``model`` counts as not read.
    """
    kept = _kept.get() or {}
    found = {}
    for page_id in ids:
        key = str(page_id)
        if key in kept and (kept[key] is None or isinstance(kept[key], model)):
            found[key] = kept[key]
    return found


#: Where ``linked_page_ids`` keeps its answer on the page it read.
_LINKS_ATTR = "_linked_page_ids"


def linked_page_ids(page) -> set[str]:
    """The ids of the pages ``page``'s rich text links to, in its rich-text
    fields and in every text inside its StreamFields, read from the stored
    HTML (``<a linktype="page" id="…">``) without building any block.

    Kept on the page: a detail asks twice (with its related studies, then
    with its ancestors), and the page read for one request does not change.
    """
    if _LINKS_ATTR in page.__dict__:
        return page.__dict__[_LINKS_ATTR]
    texts = []
    for field in page._meta.get_fields():
        if isinstance(field, RichTextField):
            texts.append(getattr(page, field.attname) or "")
        elif isinstance(field, StreamField):
            texts.extend(_strings(list(getattr(page, field.attname).raw_data)))
    ids = set()
    for text in texts:
        if "linktype" not in text:
            continue
        for tag in FIND_A_TAG.finditer(text):
            attrs = extract_attrs(tag.group(1))
            if attrs.get("linktype") == "page" and attrs.get("id", "").isdigit():
                ids.add(attrs["id"])
    page.__dict__[_LINKS_ATTR] = ids
    return ids


def unknown_link_ids(page) -> set[str]:
    """``linked_page_ids`` this request has not read yet."""
    ids = linked_page_ids(page)
    kept = _kept.get() or {}
    return {page_id for page_id in ids if page_id not in kept}


def _strings(data) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def chosen_page_ids(page) -> Iterator[int]:
    """The ids of the pages chosen in ``page``'s StreamFields (page choosers in
    any block), read from the stored JSON without building the blocks."""
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            stream = getattr(page, field.attname)
            yield from chosen_ids(field.stream_block, list(stream.raw_data))


def chosen_ids(block, raw) -> Iterator[int]:
    """The page ids the page choosers inside ``raw`` (raw stream data for
    ``block``) point at."""
    if raw is None:
        return
    if isinstance(block, PageChooserBlock):
        if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
            yield int(raw)
    elif isinstance(block, StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            yield from chosen_ids(child, raw.get(name))
    elif isinstance(block, ListBlock) and isinstance(raw, list):
        for item in raw:
            value = (
                item.get("value") if isinstance(item, dict) and "type" in item else item
            )
            yield from chosen_ids(block.child_block, value)
    elif isinstance(block, StreamBlock) and isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                child = block.child_blocks.get(item.get("type"))
                if child is not None:
                    yield from chosen_ids(child, item.get("value"))
