"""The image renditions a page's HTML uses, made ahead of the first visitor.

Wagtail makes a rendition (resize, crop, AVIF/WebP encode) the first time a
template asks for it, inside that visitor's request: one AVIF encode of a large
photo takes longer than rendering a whole page. So when a page is published the
worker makes them all (``cms.publishing.tasks.prepare_page_renditions``) and
visitors only ever read rows that exist.

The specs below are the ones the templates write, in the same order and with
the same ``format-…|…`` spelling as ``{% picture %}`` expands them, so the
rows made here are the rows the templates find:

- ``CARD``: ``templates/includes/page_card.html`` (a page's listing image on
  index pages, related-study cards, the home page);
- ``SOCIAL``: ``templates/includes/seo_meta.html`` (``og:image``);
- ``BODY_IMAGE``: ``templates/blocks/captioned_image_block.html`` (every
  image inside a page's StreamFields);
- ``LOGO``: ``templates/includes/site_header.html`` (the clinic's logo, on
  every page; made when Clinic settings are saved, ``settings_images``).

A template that changes its specs must change them here too; the test of
this module renders pages after the task and fails on any rendition the task
did not make.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, Q, prefetch_related_objects
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, Filter, SourceImageIOError

CARD = "format-{avif,webp,jpeg}|fill-{320x180,640x360}"
SOCIAL = "fill-1200x630"
BODY_IMAGE = "format-{avif,webp,jpeg}|width-{400,800,1200}"
LOGO = "height-96"


def specs(pattern: str) -> list[Filter]:
    """Wagtail filters for a brace pattern, as ``{% picture %}`` expands it."""
    return [Filter(spec=spec) for spec in Filter.expand_spec(pattern)]


def images_in(value) -> Iterator[AbstractImage]:
    """Every image in a StreamField value, however deeply its blocks nest."""
    if isinstance(value, AbstractImage):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from images_in(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from images_in(child)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from images_in(child)


def page_images(page) -> list[tuple[AbstractImage, str]]:
    """(image, spec pattern) pairs for everything ``page``'s HTML shows."""
    found = []
    if getattr(page, "listing_image", None):
        found.append((page.listing_image, CARD))
    if getattr(page, "social_image", None):
        found.append((page.social_image, SOCIAL))
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            found.extend(
                (image, BODY_IMAGE) for image in images_in(getattr(page, field.name))
            )
    return found


def settings_images(clinic_settings) -> list[tuple[AbstractImage, str]]:
    """(image, spec pattern) pairs every page shows from Clinic settings."""
    return [(clinic_settings.logo, LOGO)] if clinic_settings.logo else []


def prepare(page) -> int:
    """Make every rendition ``page`` uses that does not exist yet; how many images."""
    return prepare_images(page_images(page))


def prepare_images(pairs: Iterable[tuple[AbstractImage, str]]) -> int:
    """Make the renditions of (image, spec pattern) ``pairs`` that do not exist
    yet; how many images.

    ``get_renditions`` finds the existing rows in one query per image and
    makes only the missing ones. An original that cannot be read (a file
    lost from storage) is skipped: the page shows its alt text, as it would
    on a visit.
    """
    prepared = 0
    for image, pattern in pairs:
        try:
            image.get_renditions(*specs(pattern))
        except SourceImageIOError:
            continue
        prepared += 1
    return prepared


#: Wagtail's own ``AbstractImage.create_renditions``, which the guard below wraps.
_stock_create_renditions = AbstractImage.create_renditions


def create_renditions_once(self, *filters: Filter) -> dict:
    """Wagtail's ``create_renditions``, returning the rows the database keeps.

    When the worker prepares a page's renditions while the first visitor's
    request makes the same ones (the page is live before the worker runs),
    both encode the images and both insert. Wagtail inserts several
    renditions with ``bulk_create(ignore_conflicts=True)``, and the process
    whose insert is ignored goes on with its own copies: it shows their
    files, stores them in the shared rendition cache, and leaves them in the
    bucket with no row. Two app servers then showed the same picture under
    different addresses (the production lane caught it).

    So after Wagtail's insert the rows are read back (one query, only when
    something was made), the copies that lost are deleted from storage, and
    every caller gets the kept rows: every server shows one address.
    A single rendition goes through Wagtail's ``get_or_create``, which never
    writes the losing file, so it needs no check.
    """
    made = _stock_create_renditions(self, *filters)
    if len(made) < 2:
        return made
    kept_q = Q()
    for rendition in made.values():
        kept_q |= Q(
            filter_spec=rendition.filter_spec,
            focal_point_key=rendition.focal_point_key,
        )
    kept = {
        (row.filter_spec, row.focal_point_key): row
        for row in self.renditions.filter(kept_q)
    }
    for filter, rendition in made.items():
        row = kept.get((rendition.filter_spec, rendition.focal_point_key))
        if row is not None and row.file.name != rendition.file.name:
            rendition.file.delete(save=False)
            made[filter] = row
    return made


def guard_rendition_races() -> None:
    """Make every image's ``create_renditions`` return the kept rows
    (``create_renditions_once``); run once, when the apps are ready."""
    AbstractImage.create_renditions = create_renditions_once


def card_renditions(pages: Iterable, filters: list[Filter] | None = None) -> None:
    """Let the cards of ``pages`` find their image renditions without a query each.

    Wagtail looks a rendition up in its rendition cache, then in the database
    one image at a time, so a listing's queries grew with its cards when the
    cache was cold (after a restart, or with Redis down). Here the cache is
    asked about every card image at once; the images it does not know get
    their ``CARD`` renditions read in one query for all of them. A page of
    cards so costs one query at most, and none once the cache is warm.

    ``filters`` are the renditions the cards use: the HTML card's ``CARD``
    unless told otherwise (the API's cards use their own widths and formats).
    """
    images = [
        page.listing_image
        for page in pages
        if getattr(page, "listing_image_id", None) and page.listing_image
    ]
    if not images:
        return
    filters = filters or specs(CARD)
    rendition_model = images[0].get_rendition_model()
    keys = {
        id(image): [
            rendition_model.construct_cache_key(
                image, spec.get_cache_key(image), spec.spec
            )
            for spec in filters
        ]
        for image in images
    }
    cached = rendition_model.cache_backend.get_many(
        [key for image_keys in keys.values() for key in image_keys]
    )
    missing = [
        image for image in images if not all(key in cached for key in keys[id(image)])
    ]
    if missing:
        prefetch_related_objects(
            missing,
            Prefetch(
                "renditions",
                queryset=rendition_model.objects.filter(
                    filter_spec__in=[spec.spec for spec in filters]
                ),
                to_attr="prefetched_renditions",
            ),
        )
