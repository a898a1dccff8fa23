"""The clinic's brand as the browser sees it: colour, monogram and icons.

Editors give a name, optionally a logo and a colour (Clinic settings). From
those this module derives everything a browser asks for on its own: the
favicon, the touch icon for a phone's home screen, the web manifest, and the
small stylesheet that sets the brand colour. A clinic without a logo still
gets a recognisable mark, its initials on the brand colour (the monogram), so
no visitor meets a blank tab icon or an empty header.

The pictures are drawn with Pillow from the settings alone, so they change
the moment an editor saves a new logo or colour: ``brand_version`` hashes
everything they depend on, and the page links carry it so browsers and the
CDN may keep each version for a year.
"""

import hashlib
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

#: The colour ``site.css`` uses when the clinic chose none (``--brand``); a
#: test keeps the two equal. It passes the AA check of ``cms/core/colour.py``.
DEFAULT_BRAND_COLOUR = "#0b5cad"
WHITE = "#ffffff"
#: Square icon sizes the manifest lists (Android asks for 192 and 512).
MANIFEST_ICON_SIZES = (192, 512)
APPLE_TOUCH_ICON_SIZE = 180
FAVICON_ICO_SIZES = (16, 32, 48)
#: Words left out of a monogram: "Clinic of the Valley" is "CV", not "COTV".
MINOR_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "&"})
MAX_INITIALS = 3


def monogram_initials(name: str) -> str:
    """Up to three capital initials of the clinic's name, e.g. 'UKA'.

    Minor words are skipped unless the name has nothing else; a name without
    letters gives an empty string (the icon is then a plain square).
    """
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    major = [word for word in words if word.lower() not in MINOR_WORDS] or words
    return "".join(word[0] for word in major[:MAX_INITIALS]).upper()


@dataclass(frozen=True)
class Brand:
    """What the header, icons and manifest need from Clinic settings."""

    name: str
    colour: str
    logo: object | None  # a wagtailimages Image, or None for the monogram

    @property
    def initials(self) -> str:
        return monogram_initials(self.name)

    @property
    def monogram_markup(self) -> SafeString:
        """The header's monogram, safe to insert (its only text is escaped)."""
        return mark_safe(monogram_svg(self, size=40))  # noqa: S308

    @property
    def has_custom_colour(self) -> bool:
        """True when the colour differs from the stylesheet's own default.

        Only then does a page link ``/brand.css``: the default costs no request.
        """
        return self.colour.lower() != DEFAULT_BRAND_COLOUR

    @property
    def version(self) -> str:
        """A short hash of everything the icons and brand stylesheet show."""
        logo = self.logo
        logo_key = f"{logo.pk}:{logo.file_hash or logo.file.name}" if logo else ""
        source = f"{self.name}|{self.colour.lower()}|{logo_key}"
        return hashlib.sha256(source.encode()).hexdigest()[:12]


def brand_from_settings(clinic_settings) -> Brand:
    """The brand of a site's Clinic settings (``None`` gives the defaults)."""
    if clinic_settings is None:
        return Brand(name="", colour=DEFAULT_BRAND_COLOUR, logo=None)
    return Brand(
        name=clinic_settings.clinic_name,
        colour=clinic_settings.brand_colour or DEFAULT_BRAND_COLOUR,
        logo=clinic_settings.logo,
    )


def brand_css(brand: Brand) -> str:
    """The stylesheet that sets the brand colour over ``site.css``'s default.

    A separate file, not a ``style`` attribute: the public site's CSP allows
    styles from this origin only (no inline styles, and no nonces, since the
    page cache hands the same HTML to every visitor).
    """
    # ``html:root`` outranks site.css's ``:root``, whichever file loads first.
    return f"html:root {{ --brand: {brand.colour}; }}\n"


def monogram_svg(brand: Brand, *, size: int = 64, rounded: bool = True) -> str:
    """The monogram as SVG: the initials in white on the brand colour.

    Used inline in the header (``aria-hidden``: the clinic's name is written
    next to it) and as ``/favicon.svg``. The system font stack matches the
    site's text; no font file is fetched.
    """
    initials = escape(brand.initials)
    radius = size // 8 if rounded else 0
    font_size = size * (0.46 if len(brand.initials) < 3 else 0.32)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}">'
        f'<rect width="{size}" height="{size}" rx="{radius}" fill="{brand.colour}"/>'
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="{WHITE}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'font-weight="700" font-size="{font_size:g}">{initials}</text></svg>'
    )


def _monogram_picture(brand: Brand, size: int) -> PILImage.Image:
    picture = PILImage.new("RGB", (size, size), brand.colour)
    if brand.initials:
        draw = ImageDraw.Draw(picture)
        share = 0.46 if len(brand.initials) < 3 else 0.32
        # Pillow's bundled font: the same on every machine, nothing to install.
        font = ImageFont.load_default(size=max(8, round(size * share)))
        draw.text(
            (size / 2, size / 2), brand.initials, fill=WHITE, font=font, anchor="mm"
        )
    return picture


def _logo_picture(logo, size: int) -> PILImage.Image:
    """The logo scaled to fit a white square with a margin (phones crop corners)."""
    with logo.open_file() as handle:
        source = PILImage.open(handle)
        source.load()
    source = source.convert("RGBA")
    inner = round(size * 0.84)
    source.thumbnail((inner, inner), PILImage.Resampling.LANCZOS)
    picture = PILImage.new("RGB", (size, size), WHITE)
    offset = ((size - source.width) // 2, (size - source.height) // 2)
    picture.paste(source, offset, source)
    return picture


def icon_picture(brand: Brand, size: int) -> PILImage.Image:
    """A square icon: the logo when there is one, else the monogram.

    A logo file that cannot be read (missing, or not a picture Pillow knows)
    falls back to the monogram: a tab icon is never worth an error page.
    """
    if brand.logo is not None:
        try:
            return _logo_picture(brand.logo, size)
        except (OSError, ValueError):
            pass
    return _monogram_picture(brand, size)


def icon_png(brand: Brand, size: int) -> bytes:
    buffer = io.BytesIO()
    icon_picture(brand, size).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def favicon_ico(brand: Brand) -> bytes:
    buffer = io.BytesIO()
    largest = max(FAVICON_ICO_SIZES)
    icon_picture(brand, largest).save(
        buffer, "ICO", sizes=[(size, size) for size in FAVICON_ICO_SIZES]
    )
    return buffer.getvalue()


def web_manifest(brand: Brand, icon_url) -> str:
    """The web manifest; ``icon_url(size)`` gives each PNG icon's address."""
    name = brand.name or "Clinic"
    manifest = {
        "name": name,
        "short_name": brand.initials if len(name) > 12 and brand.initials else name,
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "background_color": WHITE,
        "theme_color": brand.colour,
        "icons": [
            {"src": icon_url(size), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in MANIFEST_ICON_SIZES
        ],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2)
