"""Issue 16: ``generate_demo_content`` makes marked synthetic pages on their own
site, never among the clinic's, and ``--remove`` takes exactly them away."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from articles.models import ArticlePage
from cms.demo.models import SyntheticPage
from studies.models import StudySummaryPage

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "synthetic.localhost"}


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_demo_content", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(clinic, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "synthetic.localhost"]
    output = generate("--studies", "30", "--articles", "5")
    return output


def test_generates_marked_live_pages_on_their_own_site(demo, clinic):
    assert "study summaries: 30 of 30" in demo
    assert "Generated 30 study summaries and 5 articles" in demo
    synthetic = Page.objects.filter(synthetic_marker__isnull=False)
    # Home, two indexes, 30 studies, 5 articles: every one marked.
    assert synthetic.count() == 38
    assert set(synthetic.values_list("live", flat=True)) == {True}
    site = Site.objects.get(hostname="synthetic.localhost")
    assert site.root_page.title == "Synthetic demo content (not the clinic's)"
    assert not site.is_default_site
    studies = StudySummaryPage.objects.filter(synthetic_marker__isnull=False)
    assert studies.count() == 30
    assert all(s.title.startswith("Synthetic study") for s in studies)
    assert all(s.key_points.count() == 2 for s in studies[:3])
    # The tree is consistent, as if each page had been added one by one.
    index = studies.first().get_parent()
    assert index.numchild == 30
    assert index.get_children().count() == 30
    assert Page.find_problems() == ([], [], [], [], [])


def test_synthetic_pages_show_on_their_site_and_never_on_the_clinics(demo, client):
    studies = client.get("/studies/", **HOST).content.decode()
    assert "Synthetic study 00001" in studies
    page = client.get("/studies/synthetic-study-00007/", **HOST)
    assert page.status_code == 200
    assert "Synthetic study 00007" in page.content.decode()
    api = client.get("/api/v3/studies/?limit=20", **HOST).json()
    assert len(api["items"]) == 20
    assert all(item["title"].startswith("Synthetic") for item in api["items"])

    clinic_studies = client.get("/studies/").content.decode()
    clinic_api = client.get("/api/v3/studies/").json()
    clinic_sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "Ketamine for chronic pain" in clinic_studies
    assert "Synthetic" not in clinic_studies
    assert [item["title"] for item in clinic_api["items"]] == [
        "Ketamine for chronic pain: a review"
    ]
    assert "synthetic" not in clinic_sitemap


def test_site_search_finds_synthetic_pages_only_on_their_own_site(demo, client):
    own = client.get("/search/?q=synthetic+study", **HOST).content.decode()
    clinic_search = client.get("/search/?q=synthetic+study").content.decode()
    assert "Synthetic study 00001" in own
    assert "Synthetic study" not in clinic_search
    assert "No results for" in clinic_search


def test_the_synthetic_pages_are_in_the_search_index(demo):
    hits = StudySummaryPage.objects.live().search("Synthetic")
    assert len(hits) == 30


def test_remove_deletes_exactly_the_synthetic_pages(demo, clinic):
    clinic_pages = set(
        Page.objects.filter(synthetic_marker__isnull=True).values_list("pk", flat=True)
    )
    output = generate("--remove")
    assert "Removed 38 synthetic pages and their site." in output
    assert not SyntheticPage.objects.exists()
    assert not Site.objects.filter(hostname="synthetic.localhost").exists()
    assert set(Page.objects.values_list("pk", flat=True)) == clinic_pages
    assert not ArticlePage.objects.filter(title__startswith="Synthetic").exists()
    assert StudySummaryPage.objects.live().search("Synthetic").count() == 0
    assert Page.find_problems() == ([], [], [], [], [])
    assert "No synthetic content to remove." in generate("--remove")


def test_running_again_replaces_the_synthetic_pages(demo):
    generate("--studies", "3", "--articles", "0")
    assert StudySummaryPage.objects.filter(synthetic_marker__isnull=False).count() == 3
    assert Site.objects.filter(hostname="synthetic.localhost").count() == 1


def test_refuses_absurd_numbers(db):
    with pytest.raises(CommandError, match="--studies must be"):
        generate("--studies", "-1")
