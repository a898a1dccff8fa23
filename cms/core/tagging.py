"""A page's tag names in the order the editor gave them, read with the page.

v3 reads a tag field with its own query per page (``values_list`` on the
manager), even when the page's tags were prefetched; and a prefetch of the
tags themselves comes back in no set order. Prefetching the page's tagged
items instead (``tagged_items_prefetch``, with their tags, in the order they
were added) gives one query for the page and the editor's order, the order
v3's own query returns; ``tag_names`` reads them from there for the
template and the API alike, and falls back to v3's query otherwise.
"""

from django.db.models import Prefetch


def tagged_items_accessor(model, field_name: str = "tags") -> str:
    """The name of the relation from ``model``'s pages to their tagged items."""
    through = model._meta.get_field(field_name).remote_field.through
    return through._meta.get_field("content_object").remote_field.get_accessor_name()


def tagged_items_prefetch(model, field_name: str = "tags") -> Prefetch:
    """Prefetch ``model``'s tagged items with their tags, oldest first.

    For one page read on its own (its detail or preview), not for listings:
    the queryset stays cached on the page's manager (django-modelcluster
    issue 170).
    """
    through = model._meta.get_field(field_name).remote_field.through
    return Prefetch(
        tagged_items_accessor(model, field_name),
        queryset=through.objects.select_related("tag").order_by("pk"),
    )


def tag_names(page, field_name: str = "tags") -> list[str]:
    """The names of ``page``'s tags, oldest first.

    From the prefetched tagged items, or from the tags held in memory (a
    preview of unsaved edits); otherwise one query, as v3 reads them.
    """
    manager = getattr(page, field_name)
    items = manager.get_tagged_item_manager()
    accessor = tagged_items_accessor(type(page), field_name)
    if items.is_deferring or accessor in getattr(page, "_prefetched_objects_cache", {}):
        return [item.tag.name for item in items.all()]
    return list(manager.values_list("name", flat=True))
