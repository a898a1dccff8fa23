"""Which live, public pages use a snippet: the list ``snippet.changed`` carries.

Two sources, because neither is complete on its own:

- **Wagtail's reference index** knows the references inside StreamFields and
  rich text (a disclaimer block, a link). But it is refreshed by a background
  task after each save, so a page published a moment ago may not be in it
  yet, and it does not record many-to-many fields at all (a service's
  conditions are a ``ParentalManyToManyField``).
- **The pages' own rows**: every foreign key or many-to-many field of a page
  model, or of its inline rows, that can hold the snippet. Always current.

Only live pages outside any view restriction are listed: they are what a
frontend shows. A draft's references are in its revisions, not its row or the
index, so a draft is listed once it is published (its publish is announced
by itself).
"""

from __future__ import annotations

import functools

from django.contrib.contenttypes.models import ContentType
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, ReferenceIndex, get_page_models

from cms.core.visibility import is_public, restricted_paths

# A snippet's payload lists at most this many pages; more, and the receiver
# is told (``pages_truncated``) to revalidate everything instead.
MAX_PAGES_LISTED = 500


def page_ids_using(obj) -> set[int]:
    """Ids of every page (live or not) whose row or indexed content names ``obj``."""
    page_type = ContentType.objects.get_for_model(Page)
    indexed = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    ids = {int(pk) for pk in indexed}
    for model, lookup, page_id_field in _fields_holding(type(obj)):
        rows = model._default_manager.filter(**{lookup: obj.pk})
        ids.update(rows.values_list(page_id_field, flat=True))
    return ids


def pages_using(obj, limit: int | None = None) -> tuple[list[dict], bool]:
    """The live, public pages using ``obj``, in tree order, and whether cut short.

    Each page once, as ``{"id", "type", "html_path"}``, at most ``limit``
    (``MAX_PAGES_LISTED`` by default).
    """
    limit = MAX_PAGES_LISTED if limit is None else limit
    ids = page_ids_using(obj)
    if not ids:
        return [], False
    hidden = restricted_paths()
    listed = []
    for page in Page.objects.live().filter(pk__in=ids).order_by("path").iterator():
        if not is_public(page, paths=hidden):
            continue
        if len(listed) == limit:
            return listed, True
        parts = page.get_url_parts()
        listed.append(
            {
                "id": page.pk,
                "type": page.specific_class._meta.label,
                "html_path": parts[2] if parts else None,
            }
        )
    return listed, False


@functools.cache
def _fields_holding(target: type) -> tuple[tuple[type, str, str], ...]:
    """Where pages can name a ``target``: (model, field, the page id's field).

    Read from the models once per snippet type (page types are known by the
    time anything is saved), naming no page type here.
    """
    found = []
    for model in get_page_models():
        if model._meta.abstract:
            continue
        found.extend((model, name, "pk") for name in _relations_to(model, target))
        for relation in get_all_child_relations(model):
            child = relation.related_model
            found.extend(
                (child, name, relation.field.attname)
                for name in _relations_to(child, target)
            )
    return tuple(dict.fromkeys(found))


def _relations_to(model: type, target: type) -> list[str]:
    """``model``'s own foreign keys and many-to-many fields that point at ``target``.

    Declared on ``model`` itself (a page type inherits Wagtail's own keys, to
    users and other pages, which are not uses of a snippet); a parental key
    ties an inline row to its page and is not a use either.
    """
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.many_to_many)
        and field.model is model
        and not isinstance(field, ParentalKey)
        and field.related_model is target
    ]
