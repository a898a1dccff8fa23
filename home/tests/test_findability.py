"""Search, sitemap, robots.txt and the article feed, on the clinic's content."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

from articles.models import ArticleIndexPage
from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.models import HomePage, ServiceIndexPage
from home.tests.factories import ServicePageFactory
from studies.models import StudyIndexPage
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db):
    call_command("load_clinic_content", stdout=StringIO())
    return HomePage.objects.get()


def search(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_a_study_by_a_word_from_its_key_points(clinic, client):
    page_html = search(client, q="neurotoxicity")
    assert "1 result for “neurotoxicity”." in page_html
    assert '<p class="hit-type">Study summary</p>' in page_html
    assert ">Ketamine for pain management</a>" in page_html


def test_search_shows_type_and_summary_of_each_hit(clinic, client):
    service = ServicePageFactory(
        parent=ServiceIndexPage.objects.get(),
        title="Physical therapy",
        summary="Exercises that build strength.",
    )
    page_html = search(client, q="physical therapy")
    assert '<p class="hit-type">Service</p>' in page_html
    assert f'<a href="{service.url}">Physical therapy</a>' in page_html
    assert "Exercises that build strength." in page_html


def hit_titles(page_html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page_html)


def test_the_main_ketamine_service_ranks_first_for_ketamine_pain(clinic, client):
    page_html = search(client, q="ketamine pain")
    assert hit_titles(page_html) == [
        "Ketamine and Pain Management",
        "Ketamine for pain management",
        "Ketamine Use for Cancer and Chronic Pain Management",
    ]
    labels = re.findall(r'<p class="hit-type">([^<]+)</p>', page_html)
    assert labels == ["Service", "Study summary", "Study summary"]


def test_a_title_match_outranks_a_page_that_only_mentions_the_words(clinic, client):
    ServicePageFactory(
        parent=ServiceIndexPage.objects.get(),
        title="Physical therapy",
        summary="Gentle exercise; some people also try ketamine for nerve pain.",
    )
    ArticlePageFactory(
        parent=ArticleIndexPage.objects.get(), title="Ketamine for nerve pain explained"
    )
    titles = hit_titles(search(client, q="nerve pain"))
    assert titles[0] == "Ketamine for nerve pain explained"
    assert "Physical therapy" in titles[1:]


def test_every_hit_has_a_snippet_with_the_words_marked(clinic, client):
    page_html = search(client, q="ketamine pain")
    snippets = re.findall(r'<p class="hit-snippet">(.*?)</p>', page_html, re.S)
    assert len(snippets) == len(hit_titles(page_html)) == 3
    for text in snippets:
        assert re.search(r"<mark>(ketamine|pain)</mark>", text, re.I), text
        # Nothing but the marks is markup.
        assert re.sub(r"</?mark>", "", text).count("<") == 0, text


def test_snippets_escape_what_editors_typed(clinic, client):
    ServicePageFactory(
        parent=ServiceIndexPage.objects.get(),
        title="Hydrotherapy",
        summary='Warm water & "hydrotherapy" <mark>pools</mark> <script>x</script>'
        " for pain < 5/10.",
    )
    page_html = search(client, q="hydrotherapy pools")
    snippet = page_html.split('<p class="hit-snippet">', 1)[1].split("</p>", 1)[0]
    assert snippet == (
        "Warm water &amp; &quot;<mark>hydrotherapy</mark>&quot; <mark>pools</mark>"
        " x for pain &lt; 5/10."
    )


def test_search_and_not_found_pages_have_real_titles(clinic, client):
    assert "<title>Search | Utah Ketamine Authority</title>" in search(client)
    assert (
        "<title>Search results for “ketamine” | Utah Ketamine Authority</title>"
        in search(client, q="ketamine")
    )
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<title>Page not found | Utah Ketamine Authority</title>" in (
        response.content.decode()
    )


def test_search_results_ask_search_engines_not_to_index_them(clinic, client):
    assert '<meta name="robots" content="noindex">' in search(client, q="ketamine")


def test_not_found_page_offers_search_and_the_main_sections(clinic, client):
    response = client.get("/services/no-such-service/")
    assert response.status_code == 404
    page_html = response.content.decode()
    main = page_html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<h1>Page not found</h1>" in main
    assert 'action="/search/"' in main and 'role="search"' in main
    assert '<label for="search-query">' in main
    sections = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a></li>',
        main.split('class="section-links"', 1)[1],
    )
    assert sections == [
        ("/", "Home page"),
        ("/services/", "Services"),
        ("/studies/", "Studies"),
        ("/articles/", "Articles"),
        ("/consultation/", "Request a consultation"),
    ]


def test_search_never_returns_drafts(clinic, client):
    draft = StudySummaryPageFactory(
        parent=StudyIndexPage.objects.get(), title="Unpublished zebrafish study"
    )
    draft.unpublish()
    assert "No results for “zebrafish”." in search(client, q="zebrafish")


def test_search_has_helpful_empty_states(clinic, client):
    assert "Type a word or two" in search(client)
    page_html = search(client, q="qwertyuiop")
    assert "No results for “qwertyuiop”." in page_html
    assert 'href="/services/"' in page_html


def test_search_results_are_paginated(clinic, client):
    index = ServiceIndexPage.objects.get()
    for number in range(12):
        ServicePageFactory(parent=index, title=f"Biofeedback session {number}")
    first = search(client, q="biofeedback")
    assert "12 results" in first
    assert "Page 1 of 2" in first
    assert 'href="?q=biofeedback&amp;page=2"' in first
    second = search(client, q="biofeedback", page=2)
    assert len(re.findall(r'class="hit-type"', second)) == 2


def test_sitemap_lists_every_live_page_and_no_draft(clinic, client):
    draft = StudySummaryPageFactory(
        parent=StudyIndexPage.objects.get(), title="Draft in sitemap?"
    )
    draft.unpublish()
    # The clinic fits in one sitemap: /sitemap.xml is that urlset itself, not
    # an index (issue 16), so the pages' addresses are read from it directly.
    body = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in body
    assert "<sitemapindex" not in body
    listed = set(re.findall(r"<loc>(.*?)</loc>", body))
    live = {page.full_url for page in Page.objects.live().public().filter(depth__gt=1)}
    assert listed == live
    assert draft.full_url not in body
    # Home, three sections, the service, two studies, the consultation form
    # and the "About our evidence levels" page.
    assert len(listed) == 9


def test_robots_txt_points_to_the_sitemap(clinic, client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_article_feed_lists_newest_live_articles(home_page, client):
    index = ArticleIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=index, title="Older", date=datetime.date(2025, 1, 1))
    ArticlePageFactory(
        parent=index,
        title="Newer",
        summary="About sleep.",
        date=datetime.date(2026, 1, 1),
    )
    ArticlePageFactory(parent=index, title="Hidden draft").unpublish()
    response = client.get("/feeds/articles.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    titles = re.findall(r"<item><title>(.*?)</title>", response.content.decode())
    assert titles == ["Newer", "Older"]
    assert "<description>About sleep.</description>" in response.content.decode()


THIRD_PARTY = re.compile(
    r"googletagmanager|google-analytics|doubleclick|connect\.facebook|facebook\.com/tr"
    r"|analytics\.tiktok|snap\.licdn|bat\.bing|hotjar|segment\.(io|com)"
)


def test_no_page_loads_a_third_party_script(clinic, client):
    paths = [page.url for page in Page.objects.live().public().filter(depth__gt=1)]
    paths += ["/search/?q=ketamine", "/consultation/thanks/"]
    for path in paths:
        page_html = client.get(path).content.decode()
        assert not THIRD_PARTY.search(page_html), path
        for src in re.findall(r'<(?:script|iframe|img)[^>]*\ssrc="([^"]+)"', page_html):
            assert src.startswith("/"), (path, src)


def test_section_pages_without_an_introduction_still_have_a_description(clinic, client):
    """Issue 15: every page type has a meta description (Lighthouse SEO), even
    a section page whose introduction editors have not written yet."""
    for page in Page.objects.live().exclude(depth__lte=1).specific():
        html = client.get(page.url).content.decode()
        found = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert found, f"{page.url} has no meta description"
        assert len(found[1]) > 40, (page.url, found[1])
