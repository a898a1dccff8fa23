"""Responsive images for API payloads: a set of renditions a frontend can use as is.

Stock v3 gives an image as an ``{id, meta}`` stub and has no rendition endpoint,
so every frontend would need one more request per picture (and could not build
a ``srcset`` at all). Here each image travels with its alt text and a few
renditions at fixed widths, absolute URLs included, so a card or a body image
is one ``<img src srcset width height alt>`` away.
"""

from rest_framework.fields import Field
from typing_extensions import TypedDict
from wagtail.images.models import SourceImageIOError

#: Widths a frontend can choose from; small enough to keep payloads short.
RENDITION_WIDTHS = (320, 640, 960, 1280)
#: The width used for ``src``: the fallback for browsers without ``srcset``.
DEFAULT_WIDTH = 640


class RenditionDict(TypedDict):
    url: str
    width: int
    height: int


class ResponsiveImageDict(TypedDict):
    id: int
    alt: str
    decorative: bool
    src: str
    width: int
    height: int
    srcset: str
    renditions: list[RenditionDict]


def rendition_specs(aspect: tuple[int, int] | None) -> list[str]:
    """Wagtail filter specs, one per width: cropped to ``aspect`` or natural."""
    if aspect is None:
        return [f"width-{width}" for width in RENDITION_WIDTHS]
    ratio_w, ratio_h = aspect
    return [
        f"fill-{width}x{round(width * ratio_h / ratio_w)}" for width in RENDITION_WIDTHS
    ]


def responsive_image(
    image,
    *,
    aspect: tuple[int, int] | None = None,
    alt: str | None = None,
    decorative: bool = False,
) -> ResponsiveImageDict | None:
    """Renditions of ``image`` for every width, or None when its file is missing.

    Renditions come from the prefetch cache or Wagtail's rendition cache when
    warm, so a list that prefetches ``listing_image__renditions`` runs no extra
    query per card. Wagtail never upscales, so small originals give duplicate
    widths; those are dropped from ``srcset``.
    """
    if image is None:
        return None
    try:
        found = image.get_renditions(*rendition_specs(aspect))
    except SourceImageIOError:
        return None
    renditions: list[RenditionDict] = []
    seen_widths = set()
    for rendition in found.values():
        if rendition.width in seen_widths:
            continue
        seen_widths.add(rendition.width)
        renditions.append(
            RenditionDict(
                url=rendition.full_url, width=rendition.width, height=rendition.height
            )
        )
    renditions.sort(key=lambda item: item["width"])
    default = next(
        (item for item in renditions if item["width"] >= DEFAULT_WIDTH),
        renditions[-1],
    )
    return ResponsiveImageDict(
        id=image.pk,
        alt="" if decorative else (alt if alt is not None else image.default_alt_text),
        decorative=decorative,
        src=default["url"],
        width=default["width"],
        height=default["height"],
        srcset=", ".join(f"{item['url']} {item['width']}w" for item in renditions),
        renditions=renditions,
    )


class ResponsiveImageField(Field):
    """An image foreign key as renditions (the v3 ``APIField(serializer=…)`` path)."""

    def __init__(self, aspect: tuple[int, int] | None = None, **kwargs):
        self.aspect = aspect
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> ResponsiveImageDict | None:
        return responsive_image(value, aspect=self.aspect)
