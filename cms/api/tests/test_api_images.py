"""Images in API payloads: addresses on the media base, focal point, sizes, alt
text, AVIF and WebP sources, and a list's queries independent of its length."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.images.rect import Rect

from cms.core.serializers.images import media_url
from cms.core.tests.factories import publish_reviewed
from cms.core.tests.fixtures import make_image
from home.tests.factories import ServiceIndexPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

URL_PATTERN = re.compile(r"https?://[^ ,\"]+")
#: Addresses in one image payload: src, srcset, AVIF and WebP srcsets, renditions.
PER_IMAGE = 1 + 4 + 2 * 4 + 4


def get_json(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def card_image(client, **extra) -> dict:
    return get_json(client, "/api/v3/services/", **extra)["items"][0]["listing_image"]


def body_image(client, service, **extra) -> dict:
    body = get_json(client, f"/api/v3/services/{service.pk}/", **extra)["body"]
    return next(block for block in body if block["type"] == "image")["value"]["image"]


def services(home_page):
    return ServiceIndexPageFactory(parent=home_page, title="Services")


def urls_of(image: dict) -> list[str]:
    """Every address an image payload carries: src, srcsets, renditions."""
    text = " ".join(
        [
            image["src"],
            image["srcset"],
            *(source["srcset"] for source in image["sources"]),
            *(rendition["url"] for rendition in image["renditions"]),
        ]
    )
    return URL_PATTERN.findall(text)


def file_on_disk(url: str) -> Path:
    return Path(settings.MEDIA_ROOT) / url.split("/media/", 1)[1]


@override_settings(MEDIA_URL="/media/", WAGTAILADMIN_BASE_URL="https://admin.example")
def test_site_served_media_is_on_the_api_host_not_the_admin_host(client, clinic):
    service = clinic["service"]
    card = card_image(client)
    body = body_image(client, service)
    detail = get_json(client, f"/api/v3/services/{service.pk}/")
    urls = urls_of(card) + urls_of(body) + urls_of(detail["listing_image"])
    assert len(urls) == 3 * PER_IMAGE
    assert all(url.startswith("http://testserver/media/images/") for url in urls)
    # The same API asked under another of its host names answers with that host.
    other = card_image(client, HTTP_HOST="localhost")
    assert all(
        url.startswith("http://localhost/media/images/") for url in urls_of(other)
    )
    assert not any("admin.example" in url for url in urls_of(other))


def test_absolute_storage_urls_are_kept_as_they_are(client, clinic, tmp_path):
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(settings.MEDIA_ROOT),
                "base_url": "https://media.example/clinic/",
            },
        },
    }
    with override_settings(
        STORAGES=storages, WAGTAILADMIN_BASE_URL="https://admin.example"
    ):
        card = card_image(client)
        body = body_image(client, clinic["service"])
    urls = urls_of(card) + urls_of(body)
    assert len(urls) == 2 * PER_IMAGE
    assert all(url.startswith("https://media.example/clinic/images/") for url in urls)


def test_media_url_without_a_request_uses_the_default_site(clinic):
    assert media_url("/media/images/a.png") == "http://localhost/media/images/a.png"
    assert media_url("https://cdn.example/a.png") == "https://cdn.example/a.png"
    assert media_url("//cdn.example/a.png") == "https://cdn.example/a.png"


def test_sizes_alt_and_no_focal_point(client, clinic):
    card = card_image(client)
    assert (card["original_width"], card["original_height"]) == (1600, 900)
    assert (card["width"], card["height"]) == (640, 360)
    assert card["alt"] == "A calm treatment room with a reclining chair"
    assert card["decorative"] is False
    assert card["focal_point"] is None
    assert card["object_position"] == "50% 50%"
    body = body_image(client, clinic["service"])
    assert body["alt"] == "Our treatment room"
    assert (body["original_width"], body["original_height"]) == (1600, 900)
    assert [r["width"] for r in body["renditions"]] == [320, 640, 960, 1280]
    assert [r["height"] for r in body["renditions"]] == [180, 360, 540, 720]


def test_focal_point_is_given_as_percentages_of_the_original(client, clinic):
    image = Image.objects.get(pk=clinic["image"].pk)
    # Centre at (400, 225) of 1600x900, 200 wide and 100 high.
    image.set_focal_point(Rect(300, 175, 500, 275))
    image.save()
    card = card_image(client)
    assert card["focal_point"] == {"x": 25.0, "y": 25.0, "width": 12.5, "height": 11.11}
    # A 16:9 crop of a 16:9 original keeps the whole picture.
    assert card["object_position"] == "25% 25%"


def test_cropped_renditions_keep_the_focal_point_in_view(client, home_page):
    # A tall original cropped to 16:9 around a focal point near its top.
    image = make_image(title="Tall room", width=900, height=1600)
    image.set_focal_point(Rect(400, 300, 500, 400))
    image.save()
    page = ServicePageFactory(
        parent=services(home_page), title="Tall", listing_image=image
    )
    publish_reviewed(page)
    card = card_image(client)
    assert card["focal_point"] == {
        "x": 50.0,
        "y": 21.88,
        "width": 11.11,
        "height": 6.25,
    }
    assert (card["original_width"], card["original_height"]) == (900, 1600)
    assert card["width"] / card["height"] == pytest.approx(16 / 9, rel=0.01)
    # Wagtail places the crop so the focal point keeps its relative place
    # (21.9% from the top), which the renditions' object-position repeats.
    assert card["object_position"] == "50% 21%"
    with PILImage.open(file_on_disk(card["src"])) as written:
        assert written.size == (640, 360)


def test_avif_and_webp_sources_hold_every_width_in_their_format(client, clinic):
    card = card_image(client)
    assert [source["type"] for source in card["sources"]] == [
        "image/avif",
        "image/webp",
    ]
    for source, fmt, ext in zip(
        card["sources"], ("AVIF", "WEBP"), (".avif", ".webp"), strict=True
    ):
        entries = [entry.rsplit(" ", 1) for entry in source["srcset"].split(", ")]
        assert [width for _url, width in entries] == ["320w", "640w", "960w", "1280w"]
        for url, width in entries:
            assert url.endswith(ext)
            with PILImage.open(file_on_disk(url)) as written:
                assert written.format == fmt
                assert f"{written.width}w" == width
    # The fallback keeps the original's format (PNG here).
    assert all(r["url"].endswith(".png") for r in card["renditions"])


def test_decorative_image_block_has_empty_alt(client, home_page):
    image = make_image(title="Pattern")
    image.decorative = True
    image.contextual_alt_text = ""
    page = ServicePageFactory(
        parent=services(home_page),
        title="Decorated",
        body=[("image", {"image": image, "caption": ""})],
    )
    publish_reviewed(page)
    value = body_image(client, page)
    assert value["alt"] == ""
    assert value["decorative"] is True
    assert len(value["sources"]) == 2


def test_small_original_is_not_upscaled(client, home_page):
    image = make_image(title="Small", width=480, height=270)
    page = ServicePageFactory(
        parent=services(home_page), title="Small", listing_image=image
    )
    publish_reviewed(page)
    card = card_image(client)
    assert [r["width"] for r in card["renditions"]] == [320, 480]
    assert card["src"] == card["renditions"][-1]["url"]
    for source in card["sources"]:
        assert [entry.rsplit(" ", 1)[1] for entry in source["srcset"].split(", ")] == [
            "320w",
            "480w",
        ]


def make_cards(index, start, count):
    """``count`` live services, each with its own small image."""
    for number in range(start, start + count):
        image = make_image(title=f"Room {number}", width=400, height=225)
        page = ServicePageFactory(
            parent=index, title=f"Service {number:02}", listing_image=image
        )
        publish_reviewed(page)


def test_card_images_cost_the_same_queries_however_many_cards(
    client, home_page, django_assert_max_num_queries
):
    index = services(home_page)
    make_cards(index, 0, 2)
    client.get("/api/v3/services/")  # make the renditions once
    with django_assert_max_num_queries(12) as few:
        assert get_json(client, "/api/v3/services/")["count"] == 2
    # Counted now: the next request clears the connection's query log.
    few_count = len(few)
    make_cards(index, 2, 8)
    client.get("/api/v3/services/")
    with django_assert_max_num_queries(few_count):
        data = get_json(client, "/api/v3/services/")
    assert data["count"] == 10
    assert all(len(item["listing_image"]["sources"]) == 2 for item in data["items"])


def test_card_sources_are_the_same_files_the_html_card_shows(client, clinic):
    page_html = client.get(clinic["services"].url).content.decode()
    avif_320 = card_image(client)["sources"][0]["srcset"].split(" ")[0]
    # Same rendition, so one AVIF encoding serves the site and the API.
    assert avif_320.removeprefix("http://testserver") in page_html
