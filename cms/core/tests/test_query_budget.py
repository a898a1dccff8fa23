"""What a visitor's page costs in queries, with the page cache off (issue 16).

Every page type an anonymous visitor can open is rendered within its budget
(8 queries for the home page, 10 for any other), and costs the same with 20
of each thing it lists as with 2: cards, related studies and the citations
they give the JSON-LD, authors, key points, menu entries and breadcrumbs.
The tests settings keep no page cache (``PAGE_CACHE_SECONDS = 0``), so each
request renders.

Each count is taken on a second request: the first fills what Wagtail keeps
per process (content types, site root paths, the rendition cache), as the
first visitor after a restart would. The pages are checked for what they
show as well, so a page cannot meet its budget by losing its content.
"""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image

from articles.models import ArticleAuthor, ArticleRelatedStudy
from articles.tests.factories import ArticlePageFactory
from cms.core.loading import LoadReport, trusted_setup
from cms.core.models import ClinicSettings
from cms.core.tests.factories import ClinicianFactory, ConditionFactory
from home.demo import load_consultation
from home.models import ServiceRelatedStudy
from home.tests.factories import ServicePageFactory, StandardPageFactory
from studies.evidence_guide import EVIDENCE_GUIDE_SLUG
from studies.models import StudyKeyPoint
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

HOME_BUDGET = 8
PAGE_BUDGET = 10


def small_image(title: str) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), "#336699").save(buffer, "PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.replace(' ', '-')}.png")
    )


@pytest.fixture
def site(clinic, home_page):
    """The clinic fixture's pages plus one of each remaining page type."""
    ClinicSettings.objects.update_or_create(
        site=home_page.get_site(),
        defaults={"clinic_name": "Calm Clinic", "phone": "(801) 555-0100"},
    )
    consultation = load_consultation(home_page, LoadReport())
    consultation.to_address = "intake@clinic.example"
    consultation.save_revision().publish()
    guide = StandardPageFactory(
        parent=home_page, slug=EVIDENCE_GUIDE_SLUG, title="About our evidence levels"
    )
    about = StandardPageFactory(parent=home_page, title="About us", show_in_menus=True)
    service = clinic["service"]
    service.social_image = clinic["image"]
    # The fixture's body shows one block of each kind; the clinic's own
    # services are text (a body's choosers are counted by the last test).
    service.body = [
        ("heading", {"text": "What it is", "level": "h2"}),
        ("paragraph", "<p>Infusions given in the clinic, with monitoring.</p>"),
    ]
    with trusted_setup("test fixture"):
        service.save_revision().publish()
    return {
        **clinic,
        "consultation": consultation,
        "guide": guide,
        "about": about,
        "deepest": about,
    }


def pages(site) -> dict[str, tuple[str, int, str]]:
    """Each page type: its address, status and a text it must show."""
    studies = site["studies"].url
    condition = site["condition"].slug
    return {
        "home": ("/", 200, "IV ketamine"),
        "service index": (site["services"].url, 200, "IV ketamine"),
        "service": (site["service"].url, 200, "Ketamine for chronic pain: a review"),
        "standard": (site["deepest"].url, 200, site["deepest"].title),
        "consultation form": (site["consultation"].url, 200, "Send request"),
        "article index": (site["articles"].url, 200, "Sleep and pain"),
        "article": (site["article"].url, 200, "Rae Patel"),
        "study index": (studies, 200, "Ketamine for chronic pain: a review"),
        "study index, filtered": (
            f"{studies}?condition={condition}&evidence=1",
            200,
            "Ketamine for chronic pain: a review",
        ),
        "study index, page 2": (f"{studies}?page=2", 200, "stud"),
        "study": (site["study"].url, 200, "Short-term relief is likely."),
        "evidence levels": (site["guide"].url, 200, "About our evidence levels"),
        "search results": ("/search/?q=ketamine", 200, "IV ketamine"),
        "page not found": ("/no-such-page/", 404, "Page not found"),
    }


def count_queries(client, url: str, status: int, shows: str) -> int:
    client.get(url)  # fills Wagtail's per-process caches, as a first visitor
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, url
    assert shows in response.content.decode(), url
    return len(captured)


def budget(name: str) -> int:
    return HOME_BUDGET if name == "home" else PAGE_BUDGET


def grow(site, total: int) -> None:
    """Bring each listed thing up to ``total``, every card with its own image."""
    start = site.get("grown", 1)
    review = {
        "reviewed_by": site["reviewer"],
        "last_reviewed": datetime.date(2026, 1, 5),
        "next_review_due": datetime.date(2099, 1, 5),
    }
    for number in range(start, total):
        condition = ConditionFactory(name=f"Condition {number}")
        study = StudySummaryPageFactory(
            parent=site["studies"],
            title=f"Ketamine study {number:02d}",
            journal="Pain",
            year=2020,
            study_design="systematic_review",
            summary="A study of ketamine.",
            listing_image=small_image(f"study {number}"),
            **review,
        )
        study.conditions.set([site["condition"], condition])
        service = ServicePageFactory(
            parent=site["services"],
            title=f"Ketamine service {number:02d}",
            listing_image=small_image(f"service {number}"),
            **review,
        )
        ArticlePageFactory(
            parent=site["articles"],
            title=f"Article {number:02d}",
            summary="About pain.",
            listing_image=small_image(f"article {number}"),
            **review,
        )
        # Cited by the service and the article (cards and JSON-LD citations);
        # the new service cites the fixture's study (its "Related services").
        ServiceRelatedStudy.objects.create(
            page=site["service"], study=study, sort_order=number
        )
        ArticleRelatedStudy.objects.create(
            page=site["article"], study=study, sort_order=number
        )
        ServiceRelatedStudy.objects.create(page=service, study=site["study"])
        ArticleAuthor.objects.create(
            page=site["article"],
            clinician=ClinicianFactory(name=f"Author {number}"),
            sort_order=number,
        )
        StudyKeyPoint.objects.create(
            page=site["study"], text=f"Finding {number}.", sort_order=number
        )
        StandardPageFactory(
            parent=site["home"], title=f"Menu page {number}", show_in_menus=True
        )
        StandardPageFactory(
            parent=site["about"], title=f"Under about {number}", show_in_menus=True
        )
        site["deepest"] = StandardPageFactory(
            parent=site["deepest"], title=f"Level {number}"
        )
    site["grown"] = total


def all_counts(client, site) -> dict[str, int]:
    return {name: count_queries(client, *page) for name, page in pages(site).items()}


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "service index",
        "service",
        "standard",
        "consultation form",
        "article index",
        "article",
        "study index",
        "study index, filtered",
        "study index, page 2",
        "study",
        "evidence levels",
        "search results",
        "page not found",
    ],
)
def test_each_page_type_renders_within_its_query_budget(
    site, client, django_assert_max_num_queries, name
):
    url, status, shows = pages(site)[name]
    client.get(url)
    with django_assert_max_num_queries(budget(name)):
        response = client.get(url)
    assert response.status_code == status
    assert shows in response.content.decode()


def test_twenty_of_everything_cost_the_same_queries_as_two(site, client, settings):
    # Renditions live in Redis in production, which drops nothing; the test
    # settings' in-memory cache drops entries past 300, fewer than sixty card
    # images' renditions, and a dropped one costs a query to find again.
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 10_000}},
    }
    grow(site, 2)
    few = all_counts(client, site)
    grow(site, 20)
    many = all_counts(client, site)
    # Search results too: with 2 hits they are of two page types, with 20
    # the first page shows one type; either way the hits cost one query.
    assert many == few
    assert all(count <= budget(name) for name, count in many.items()), many


def test_with_twenty_of_everything_the_pages_still_show_them_all(site, client):
    grow(site, 20)
    service = client.get(site["service"].url).content.decode()
    assert service.count('class="card"') == 20  # every cited study has its card
    assert service.count("MedicalScholarlyArticle") == 20
    assert service.count('type="image/avif"') >= 19  # each card's own picture
    article = client.get(site["article"].url).content.decode()
    assert "Author 19" in article and "Rae Patel" in article
    study = client.get(site["study"].url).content.decode()
    assert "Finding 19." in study and "Ketamine service 19" in study
    home = client.get("/").content.decode()
    assert "Menu page 19" in home
    deepest = client.get(site["deepest"].url).content.decode()
    breadcrumbs = deepest[deepest.index('class="breadcrumbs"') :]
    assert breadcrumbs.count("<li>") == 21  # home, about, 19 levels (the page last)
    second = client.get(f"{site['studies'].url}?page=2").content.decode()
    assert "Page 2 of 2" in second
