"""Issue 16: a page's image renditions are made when it is published, not viewed."""

import pytest
from django.core.cache import caches
from wagtail.images.models import Rendition

from cms.core import renditions
from cms.core.models import ClinicSettings
from cms.core.serializers import images
from cms.core.tests.factories import publish_reviewed
from cms.core.tests.fixtures import make_image
from cms.publishing import renditions as publishing_renditions
from cms.publishing.renditions import prepare_page_renditions

pytestmark = pytest.mark.django_db

#: Every page that shows the service's images: its own page (body image,
#: og:image) and the pages listing it as a card.
PAGES_SHOWING_THE_SERVICE = ("/services/iv-ketamine/", "/services/", "/")


def forget_renditions() -> None:
    """No rendition anywhere: not in the database, nor in Wagtail's rendition
    cache (the default cache here), which would otherwise hand back a rendition
    an earlier test made for an image with the same id."""
    Rendition.objects.all().delete()
    caches["default"].clear()


def get_pages(client, paths) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path


def test_publishing_makes_every_rendition_the_pages_then_use(
    clinic, client, django_capture_on_commit_callbacks
):
    service = clinic["service"]
    service.social_image = make_image("Clinic front", width=1400, height=800)
    forget_renditions()
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(service)
    made = set(Rendition.objects.values_list("image_id", "filter_spec"))
    # Card (3 formats × 2 sizes), og:image, body image (3 formats × 3 widths).
    # og:image for the HTML, and the API's sharing-image sizes and formats.
    assert {spec for image, spec in made if image == service.social_image_id} == {
        "fill-1200x630",
        *images.api_specs(images.SOCIAL_ASPECT),
    }
    assert ("format-avif|fill-320x180") in {spec for _, spec in made}
    assert ("format-webp|width-800") in {spec for _, spec in made}
    before = Rendition.objects.count()

    get_pages(client, PAGES_SHOWING_THE_SERVICE)
    body = client.get("/services/iv-ketamine/").content.decode()

    assert Rendition.objects.count() == before, "a view made a rendition"
    assert 'type="image/avif"' in body
    assert "og:image" in body


def test_without_the_task_the_first_view_makes_them(clinic, client):
    """The check above can fail: a view does make what is missing."""
    forget_renditions()
    get_pages(client, PAGES_SHOWING_THE_SERVICE)
    assert Rendition.objects.count() > 0


def test_the_task_skips_a_page_that_is_no_longer_live(clinic):
    service = clinic["service"]
    service.unpublish()
    forget_renditions()
    assert prepare_page_renditions.call(service.pk) == 0
    assert not Rendition.objects.exists()


def test_images_are_found_however_deep_the_blocks_nest(clinic):
    service = clinic["service"].specific
    found = renditions.page_images(service)
    assert (clinic["image"].pk, renditions.CARD) in [
        (image.pk, pattern) for image, pattern in found
    ]
    assert renditions.BODY_IMAGE in [pattern for _, pattern in found]


#: The API payloads showing the service's images: its detail (card image,
#: sharing image, body image) and the list of service cards.
def api_reads(service) -> tuple[str, ...]:
    return (f"/api/v3/services/{service.pk}/", "/api/v3/services/")


def test_publishing_makes_every_rendition_the_api_then_reads(
    clinic, client, django_capture_on_commit_callbacks
):
    service = clinic["service"]
    service.social_image = make_image("Clinic sign", width=1400, height=800)
    forget_renditions()
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(service)
    made = set(Rendition.objects.values_list("image_id", "filter_spec"))
    assert (service.social_image_id, "format-avif|fill-1280x672") in made
    assert (clinic["image"].pk, "format-webp|width-960") in made
    before = Rendition.objects.count()
    # Wagtail's rendition cache lives in the default cache: forget it, so a
    # read must find each rendition row (or make it, which would count).
    caches["default"].clear()

    detail, cards = (client.get(path) for path in api_reads(service))

    assert detail.status_code == cards.status_code == 200
    assert Rendition.objects.count() == before, "an API read made a rendition"
    data = detail.json()
    body_image = next(b for b in data["body"] if b["type"] == "image")
    assert body_image["value"]["image"]["sources"][0]["type"] == "image/avif"
    assert data["social_image"]["width"] == 640
    assert cards.json()["items"][0]["listing_image"]["src"].endswith(".png")


def test_without_the_task_the_first_api_read_makes_them(clinic, client):
    """The check above can fail: an API read makes whatever is missing."""
    forget_renditions()
    for path in api_reads(clinic["service"]):
        assert client.get(path).status_code == 200
    assert Rendition.objects.filter(filter_spec="format-avif|width-960").exists()


def test_the_api_sizes_are_the_ones_the_serializers_ask_for(clinic):
    """One list of sizes: what the task makes is what ``responsive_image`` reads."""
    service = clinic["service"].specific
    found = {(image.pk, aspect) for image, aspect in images.api_images(service)}
    assert (clinic["image"].pk, images.LISTING_ASPECT) in found
    assert (clinic["image"].pk, images.BODY_ASPECT) in found
    assert images.api_specs(images.LISTING_ASPECT)[:2] == [
        "fill-320x180",
        "fill-640x360",
    ]
    assert "format-webp|width-1280" in images.api_specs(images.BODY_ASPECT)


def save_settings_with_images(home_page, on_commit):
    clinic_settings = ClinicSettings.for_site(home_page.get_site())
    clinic_settings.logo = make_image("Clinic logo", width=600, height=200)
    clinic_settings.default_social_image = make_image(
        "Clinic front door", width=1400, height=800
    )
    forget_renditions()
    on_commit(clinic_settings.save)
    return clinic_settings


def test_saving_clinic_settings_makes_the_logo_every_page_shows(
    home_page, client, on_commit
):
    clinic_settings = save_settings_with_images(home_page, on_commit)
    made = set(Rendition.objects.values_list("image_id", "filter_spec"))
    assert (clinic_settings.logo_id, renditions.LOGO) in made
    assert (
        clinic_settings.default_social_image_id,
        images.api_specs(images.SOCIAL_ASPECT)[0],
    ) in made
    before = Rendition.objects.count()
    caches["default"].clear()

    page = client.get("/")
    site = client.get("/api/v3/site/")

    assert page.status_code == site.status_code == 200
    assert 'class="brand__logo"' in page.content.decode()
    assert site.json()["logo"]["src"]
    assert site.json()["default_social_image"]["src"]
    assert Rendition.objects.count() == before, "a view made a rendition"


def test_without_the_settings_task_the_first_visitor_makes_the_logo(
    home_page, client, on_commit, monkeypatch
):
    """The check above can fail: with nothing queued, the first view makes it."""
    monkeypatch.setattr(
        publishing_renditions, "enqueue_settings_after_commit", lambda _settings: None
    )
    clinic_settings = save_settings_with_images(home_page, on_commit)
    assert not Rendition.objects.filter(image=clinic_settings.logo).exists()
    assert 'class="brand__logo"' in client.get("/").content.decode()
    assert Rendition.objects.filter(
        image=clinic_settings.logo, filter_spec=renditions.LOGO
    ).exists()
