"""Responsive images for API payloads: a set of renditions a frontend can use as is.

Stock v3 gives an image as an ``{id, meta}`` stub and has no rendition endpoint,
so every frontend would need one more request per picture (and could not build
a ``srcset`` at all). Here each image travels with its alt text, the size and
focal point of the original, and renditions at fixed widths in the original's
format plus AVIF and WebP, so a card or a body image is one
``<picture><source type srcset><img src srcset width height alt></picture>`` away.

Every address is absolute on the *media base*, so a frontend on another host
(a Next.js server, ``next/image``) can fetch it: when the storage hands out
absolute URLs (an object store or CDN, ``cms/ops/storage.py``) they are used
as they are; when the site serves its own media (``MEDIA_URL = "/media/"``)
they are joined to the scheme and host of the request the API answered.
Wagtail's ``rendition.full_url`` is not used: it prefixes
``WAGTAILADMIN_BASE_URL``, the editors' host, which a public frontend may not
be able to reach at all. ``media_url`` is the one place that decides.
"""

from collections.abc import Iterator
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field
from typing_extensions import TypedDict
from wagtail.fields import StreamField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site

from cms.core.renditions import images_in
from cms.core.serializers.fields import ReadOnlyField

#: Widths a frontend can choose from; small enough to keep payloads short.
RENDITION_WIDTHS = (320, 640, 960, 1280)
#: The width used for ``src``: the fallback for browsers without ``srcset``.
DEFAULT_WIDTH = 640
#: Modern formats offered as ``<source>`` elements, best compression first; the
#: ``srcset``/``renditions`` fallback keeps the original's format.
SOURCE_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"))

#: The crop of each kind of image in API payloads, shared by the fields that
#: serialise them and by ``api_images`` (the renditions made at publish), so
#: the worker makes exactly the renditions a read will ask for.
LISTING_ASPECT = (16, 9)  # a card's ``listing_image``
SOCIAL_ASPECT = (40, 21)  # ``social_image``: 1200x630, as og:image
BODY_ASPECT = None  # images in a StreamField keep their natural shape

SourceTypeLiteral = Literal["image/avif", "image/webp"]
Percent = Annotated[float, Field(ge=0, le=100)]


class RenditionDict(TypedDict):
    url: str
    width: int
    height: int


class FocalPointDict(TypedDict):
    """The editor's focal point, as percentages of the original image.

    ``x`` and ``y`` are the centre of the focal area (0 = left/top edge,
    100 = right/bottom edge); ``width`` and ``height`` its size. Ready for CSS
    ``object-position: {x}% {y}%`` on the original or a natural-aspect rendition.
    """

    x: Percent
    y: Percent
    width: Percent
    height: Percent


class ImageSourceDict(TypedDict):
    """One ``<source>`` of a ``<picture>``: the same widths in another format."""

    type: SourceTypeLiteral
    srcset: str


class ResponsiveImageDict(TypedDict):
    """An image with everything ``<picture>`` or ``next/image`` needs.

    ``src``, ``width`` and ``height`` describe the default rendition (its
    aspect is the one the renditions are cropped to); ``original_width`` and
    ``original_height`` the uploaded file. ``focal_point`` is null when the
    editor set none. ``object_position`` is the focal point in the renditions'
    own frame, a CSS ``object-position`` value (``"50% 50%"`` without one).
    ``sources`` are AVIF and WebP srcsets, best first, for ``<source>``
    elements; ``srcset`` and ``renditions`` keep the original's format.
    """

    id: int
    alt: str
    decorative: bool
    src: str
    width: int
    height: int
    srcset: str
    renditions: list[RenditionDict]
    original_width: int
    original_height: int
    focal_point: FocalPointDict | None
    object_position: str
    sources: list[ImageSourceDict]


def media_url(url: str, request=None) -> str:
    """``url`` (a storage URL) as an absolute address on the media base.

    Absolute storage URLs (S3, a CDN) are kept; a path served by the site is
    joined to the API request's scheme and host. Without a request (a
    payload built outside a request) the default site's root URL is used.
    Never the admin base URL.
    """
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return url
    if request is not None:
        # Also gives a protocol-relative ``//cdn.example/…`` the request's scheme.
        return request.build_absolute_uri(url)
    if url.startswith("//"):
        return f"https:{url}"
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return url
    return site.root_url.rstrip("/") + "/" + url.lstrip("/")


def rendition_specs(aspect: tuple[int, int] | None) -> list[str]:
    """Wagtail filter specs, one per width: cropped to ``aspect`` or natural."""
    if aspect is None:
        return [f"width-{width}" for width in RENDITION_WIDTHS]
    ratio_w, ratio_h = aspect
    return [
        f"fill-{width}x{round(width * ratio_h / ratio_w)}" for width in RENDITION_WIDTHS
    ]


def all_specs(aspect: tuple[int, int] | None) -> dict[str | None, list[str]]:
    """The specs of every format: ``None`` is the original's format.

    Written ``format-avif|fill-320x180``, the way ``{% picture %}`` writes
    them, so a card's AVIF and WebP renditions are the same rendition rows
    and files as the HTML card's (``templates/includes/page_card.html``)
    instead of a second, identical encoding.
    """
    base = rendition_specs(aspect)
    specs: dict[str | None, list[str]] = {None: base}
    for fmt, _mime in SOURCE_FORMATS:
        specs[fmt] = [f"format-{fmt}|{spec}" for spec in base]
    return specs


def api_specs(aspect: tuple[int, int] | None) -> list[str]:
    """Every spec ``responsive_image`` asks for, in one list (all formats)."""
    return [spec for group in all_specs(aspect).values() for spec in group]


def api_images(page) -> Iterator[tuple[object, tuple[int, int] | None]]:
    """(image, aspect) for every image ``page``'s API detail and card show.

    The same fields the payload serialises: the card image, the sharing image
    and every image inside the page's StreamFields, however deeply nested.
    """
    listing = getattr(page, "listing_image", None)
    if listing is not None:
        yield listing, LISTING_ASPECT
    social = getattr(page, "social_image", None)
    if social is not None:
        yield social, SOCIAL_ASPECT
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for image in images_in(getattr(page, field.name)):
                yield image, BODY_ASPECT


def settings_api_images(clinic_settings) -> Iterator[tuple[object, tuple | None]]:
    """(image, aspect) for the images ``/api/v3/site/`` shows (``cms/api/site.py``)."""
    if clinic_settings.logo is not None:
        yield clinic_settings.logo, None
    if clinic_settings.default_social_image is not None:
        yield clinic_settings.default_social_image, SOCIAL_ASPECT


def prepare_api_renditions(page) -> int:
    """Make the renditions ``page``'s API payloads use; how many images.

    Run by the worker when the page is published
    (``cms.publishing.renditions``), so the first API reader after a publish
    waits for no resize or AVIF encode.
    """
    return prepare_api_images(api_images(page))


def prepare_api_images(pairs) -> int:
    """Make the API renditions of (image, aspect) ``pairs``; how many images.

    Existing renditions are found, not made again; an original missing from
    storage is skipped, as a read would.
    """
    prepared = 0
    for image, aspect in pairs:
        try:
            image.get_renditions(*api_specs(aspect))
        except SourceImageIOError:
            continue
        prepared += 1
    return prepared


def focal_point_percent(image) -> FocalPointDict | None:
    """The focal point as percentages of the original, or None when unset."""
    rect = image.get_focal_point()
    if rect is None or not image.width or not image.height:
        return None

    def percent(value: float, whole: int) -> float:
        return round(min(max(value * 100 / whole, 0.0), 100.0), 2)

    return FocalPointDict(
        x=percent(rect.centroid_x, image.width),
        y=percent(rect.centroid_y, image.height),
        width=percent(rect.width, image.width),
        height=percent(rect.height, image.height),
    )


def distinct_widths(renditions) -> list:
    """Renditions sorted by width; Wagtail never upscales, so small originals
    give duplicate widths, and those are dropped."""
    found = {}
    for rendition in renditions:
        found.setdefault(rendition.width, rendition)
    return [found[width] for width in sorted(found)]


def rendition_dicts(renditions, request) -> list[RenditionDict]:
    return [
        RenditionDict(
            url=media_url(rendition.url, request),
            width=rendition.width,
            height=rendition.height,
        )
        for rendition in renditions
    ]


def srcset(renditions: list[RenditionDict]) -> str:
    return ", ".join(f"{item['url']} {item['width']}w" for item in renditions)


def responsive_image(
    image,
    *,
    request=None,
    aspect: tuple[int, int] | None = None,
    alt: str | None = None,
    decorative: bool = False,
) -> ResponsiveImageDict | None:
    """Renditions of ``image`` for every width and format, or None when its
    file is missing.

    All specs go to one ``get_renditions`` call, so renditions come from the
    prefetch cache or Wagtail's rendition cache when warm: a list that
    prefetches ``listing_image__renditions`` runs no extra query per card.
    Pass the request (``media_url``) so that addresses are on the right host.
    """
    if image is None:
        return None
    specs = all_specs(aspect)
    try:
        found = image.get_renditions(*api_specs(aspect))
    except SourceImageIOError:
        return None
    by_format = {
        fmt: rendition_dicts(distinct_widths(found[spec] for spec in group), request)
        for fmt, group in specs.items()
    }
    fallback = distinct_widths(found[spec] for spec in specs[None])
    default = next(
        (rendition for rendition in fallback if rendition.width >= DEFAULT_WIDTH),
        fallback[-1],
    )
    renditions = by_format[None]
    return ResponsiveImageDict(
        id=image.pk,
        alt="" if decorative else (alt if alt is not None else image.default_alt_text),
        decorative=decorative,
        src=media_url(default.url, request),
        width=default.width,
        height=default.height,
        srcset=srcset(renditions),
        renditions=renditions,
        original_width=image.width,
        original_height=image.height,
        focal_point=focal_point_percent(image),
        object_position=(
            f"{default.background_position_x} {default.background_position_y}"
        ),
        sources=[
            ImageSourceDict(type=mime, srcset=srcset(by_format[fmt]))
            for fmt, mime in SOURCE_FORMATS
        ],
    )


class ResponsiveImageField(ReadOnlyField):
    """An image foreign key as renditions (the v3 ``APIField(serializer=…)`` path).

    A ``ReadOnlyField``, so ``cms/api/context.py`` hands it the request and
    the addresses come out on the API's own host.
    """

    def __init__(self, aspect: tuple[int, int] | None = None, **kwargs):
        self.aspect = aspect
        super().__init__(**kwargs)

    def to_representation(self, value) -> ResponsiveImageDict | None:
        return self.represent(value, None)

    def represent(self, value, request):
        return responsive_image(value, request=request, aspect=self.aspect)
