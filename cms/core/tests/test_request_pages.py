"""Pages read once per request for study references and rich-text links
(``cms/core/request_pages.py``), as visitors and API readers see them.

What is kept must change nothing a reader sees: the same addresses, the same
studies, in the same places, and nothing kept from one request may reach the
next (a renamed page shows its new address on the very next read).
"""

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import PageChooserBlock

from cms.core import request_pages
from cms.core.blocks.medical import CitationReferenceBlock, KnownPageChooserBlock
from cms.core.tests.factories import publish_reviewed
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def link_to(page, text="this") -> str:
    return f'<p>See <a linktype="page" id="{page.pk}">{text}</a>.</p>'


@pytest.fixture
def linked(clinic):
    """The clinic's service, its body linking to an About page in two texts and
    in an FAQ answer, as well as to the study it cites."""
    about = StandardPageFactory(parent=clinic["home"], title="About", slug="about")
    service = clinic["service"]
    service.body = [
        *[(block.block_type, block.value) for block in service.body],
        ("paragraph", link_to(about, "about us")),
        ("paragraph", link_to(about, "about us again")),
        (
            "faq",
            {
                "heading": "Questions",
                "items": [{"question": "Who?", "answer": link_to(about, "our team")}],
            },
        ),
    ]
    publish_reviewed(service)
    return {**clinic, "about": about}


def hrefs(html: str, text: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.find_all("a") if a.get_text(strip=True) == text]


def test_the_page_shows_every_link_and_citation_at_its_address(client, linked):
    html = client.get("/services/iv-ketamine/").content.decode()
    assert hrefs(html, "about us") == ["/about/"]
    assert hrefs(html, "about us again") == ["/about/"]
    assert hrefs(html, "our team") == ["/about/"]
    assert hrefs(html, "the review") == ["/studies/ketamine-review/"]
    soup = BeautifulSoup(html, "html.parser")
    assert "Ketamine for chronic pain: a review" in soup.get_text()


def test_the_api_shows_the_same_links_and_cited_study(client, linked):
    data = client.get(f"/api/v3/services/{linked['service'].pk}/").json()
    texts = [block for block in data["body"] if block["type"] == "paragraph"]
    assert 'href="/about/"' in texts[-1]["value"]
    assert 'href="/studies/ketamine-review/"' in texts[0]["value"]
    (reference,) = [b for b in data["body"] if b["type"] == "study_reference"]
    assert reference["value"]["study"]["id"] == linked["study"].pk
    assert [s["id"] for s in data["related_studies"]] == [linked["study"].pk]


def api_html(data) -> str:
    """Every text of an API answer, joined: where the rich text's links are."""
    if isinstance(data, dict):
        return " ".join(api_html(value) for value in data.values())
    if isinstance(data, list):
        return " ".join(api_html(value) for value in data)
    return data if isinstance(data, str) else ""


def test_a_renamed_page_shows_its_new_address_on_the_next_read(client, linked):
    path = f"/api/v3/services/{linked['service'].pk}/"
    assert hrefs(api_html(client.get(path).json()), "our team") == ["/about/"]
    about = linked["about"]
    about.slug = "who-we-are"
    about.save_revision().publish()
    text = api_html(client.get(path).json())
    assert hrefs(text, "our team") == ["/who-we-are/"]
    assert hrefs(text, "about us") == ["/who-we-are/"]
    html = client.get("/services/iv-ketamine/").content.decode()
    assert hrefs(html, "our team") == ["/who-we-are/"]


def test_nothing_is_kept_once_the_request_is_answered(client, linked):
    client.get("/services/iv-ketamine/")
    assert request_pages.known(object, [linked["about"].pk]) == {}


def test_the_links_in_every_text_are_found(linked):
    service = type(linked["service"]).objects.get(pk=linked["service"].pk)
    assert request_pages.linked_page_ids(service) == {
        str(linked["about"].pk),
        str(linked["study"].pk),
    }
    assert set(request_pages.chosen_page_ids(service)) >= {linked["study"].pk}


def test_outside_a_request_the_chooser_reads_like_wagtails(clinic):
    study = clinic["study"]
    block = CitationReferenceBlock().child_blocks["study"]
    pages = block.bulk_to_python([study.pk, study.pk, 999_999, None])
    assert pages[0] == study and pages[1] == study and pages[0] is not pages[1]
    assert pages[2:] == [None, None]
    stock = PageChooserBlock(page_type="studies.StudySummaryPage")
    assert pages == stock.bulk_to_python([study.pk, study.pk, 999_999, None])


def test_the_chooser_is_stored_as_wagtails_own():
    block = KnownPageChooserBlock(page_type="studies.StudySummaryPage")
    path, _args, kwargs = block.deconstruct()
    assert path == "wagtail.blocks.PageChooserBlock"
    assert (
        kwargs
        == PageChooserBlock(page_type="studies.StudySummaryPage").deconstruct()[2]
    )
