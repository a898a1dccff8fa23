"""Stock ``/api/v3/images/`` with each image's collection read in the same query.

Every image in v3's answer carries its ``collection`` as an ``{id, meta}``
stub, which reads ``image.collection``: one query per image, so a page of 20
images cost 20 queries more than a page of 2 (issue 16: a list's queries must
not grow with its length). Stock's list and detail both ask the module-level
``get_images_queryset``; ``install`` puts in its place the same queryset with
``select_related("collection")``. Filters, ordering, search, permissions and
writes stay stock's.
"""

from wagtail.images.api.v3 import router as stock

_stock_queryset = stock.get_images_queryset


def images_queryset(request):
    """Stock's public images, each with its collection joined in."""
    return _stock_queryset(request).select_related("collection")


def install() -> None:
    """Called from ``cms/api/urls.py`` before the API's URLs are built."""
    stock.get_images_queryset = images_queryset
