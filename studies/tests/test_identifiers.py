"""DOI, PMID and PMCID as editors paste them: labels, resolver links, spaces.

Whatever form is pasted, the page stores the bare identifier, and the admin's
input never cuts a paste short: typing ``PMID: 29870457`` once saved ``298704``,
another paper, because the browser stopped at the field's old 12 characters.
"""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from studies.models import StudySummaryPage
from studies.tests.factories import StudyIndexPageFactory
from studies.tests.helpers import add_url, study_form

pytestmark = pytest.mark.django_db

DOI = "10.1097/AAP.0000000000000808"
PMID = "29870457"
PMCID = "PMC6181464"

PASTED = [
    ("doi", DOI, DOI),
    ("doi", f"doi:{DOI}", DOI),
    ("doi", f"DOI: {DOI}", DOI),
    ("doi", f"DOI {DOI}", DOI),
    ("doi", f"https://doi.org/{DOI}", DOI),
    ("doi", f"http://dx.doi.org/{DOI}", DOI),
    ("doi", f"https://dx.doi.org/{DOI}", DOI),
    ("doi", f"doi.org/{DOI}", DOI),
    ("doi", f"  https://doi.org/{DOI}  ", DOI),
    (
        "doi",
        "https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949%3A8"
        "%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-2",
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-2",
    ),
    ("pmid", PMID, PMID),
    ("pmid", f"PMID: {PMID}", PMID),
    ("pmid", f"PMID:{PMID}", PMID),
    ("pmid", f"pmid {PMID}", PMID),
    ("pmid", f"  {PMID} ", PMID),
    ("pmid", f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/", PMID),
    ("pmid", f"pubmed.ncbi.nlm.nih.gov/{PMID}", PMID),
    ("pmid", f"https://www.ncbi.nlm.nih.gov/pubmed/{PMID}", PMID),
    ("pmcid", PMCID, PMCID),
    ("pmcid", "pmc6181464", PMCID),
    ("pmcid", "6181464", PMCID),
    ("pmcid", f"PMCID: {PMCID}", PMCID),
    ("pmcid", f"pmcid {PMCID}", PMCID),
    ("pmcid", f" {PMCID}  ", PMCID),
    ("pmcid", f"https://www.ncbi.nlm.nih.gov/pmc/articles/{PMCID}/", PMCID),
    ("pmcid", f"https://pmc.ncbi.nlm.nih.gov/articles/{PMCID}/", PMCID),
    ("pmcid", f"pmc.ncbi.nlm.nih.gov/articles/{PMCID}", PMCID),
]

REFUSED = [
    ("doi", "fphar.2020.599721", "is not a DOI. A DOI starts with 10."),
    ("doi", "https://example.org/10.1097/AAP.1", "or paste its https://doi.org/"),
    ("pmid", "PMC6181464", "Enter a PubMed ID such as 29870458"),
    ("pmid", "PMID: 0298704", "Enter a PubMed ID such as 29870458"),
    ("pmid", "2987045701", "or paste its PubMed address"),
    ("pmid", "https://pubmed.ncbi.nlm.nih.gov/", "is not a PubMed ID"),
    ("pmid", "https://example.org/29870457/", "is not a PubMed ID"),
    ("pmcid", "PMCX1", "Enter one such as PMC6181464"),
    ("pmcid", f"https://example.org/{PMCID}/", "is not a PubMed Central ID"),
]


@pytest.fixture
def study_index(home_page):
    return StudyIndexPageFactory(parent=home_page)


def input_maxlength(response, name: str) -> int:
    """How many characters the browser lets the editor type or paste."""
    soup = WagtailTestUtils.get_soup(response.content)
    return int(soup.select_one(f"input[name={name}]")["maxlength"])


def field_shown(response, name: str):
    """The admin's block for one field: label, error, help and input."""
    soup = WagtailTestUtils.get_soup(response.content)
    return soup.select_one(f'[data-contentpath="{name}"]')


@pytest.mark.parametrize("field_name, pasted, stored", PASTED)
def test_model_clean_stores_the_bare_identifier(
    study_index, field_name, pasted, stored
):
    study = study_index.add_child(instance=StudySummaryPage(title="A", live=False))
    study.citation_title = "A"
    setattr(study, field_name, pasted)
    study.full_clean()  # runs clean(), as every form (the API's too) does
    study.save()
    assert getattr(StudySummaryPage.objects.get(pk=study.pk), field_name) == stored


@pytest.mark.parametrize("field_name, pasted, message", REFUSED)
def test_model_clean_refuses_other_text_naming_the_expected_form(
    study_index, field_name, pasted, message
):
    study = study_index.add_child(instance=StudySummaryPage(title="A", live=False))
    study.citation_title = "A"
    setattr(study, field_name, pasted)
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert message in " ".join(error.value.message_dict[field_name])


@pytest.mark.parametrize("field_name, pasted, stored", PASTED)
def test_admin_input_takes_the_whole_paste_and_saves_the_bare_identifier(
    admin_client, study_index, field_name, pasted, stored
):
    form = admin_client.get(add_url(study_index))
    # The browser stops at maxlength: the whole paste must fit.
    assert len(pasted) <= input_maxlength(form, field_name)
    response = admin_client.post(
        add_url(study_index), study_form(**{field_name: pasted})
    )
    assert response.status_code == 302
    study = StudySummaryPage.objects.get(slug="new-study")
    assert getattr(study, field_name) == stored


def test_a_labelled_pmid_longer_than_the_old_limit_is_saved_whole(
    admin_client, study_index
):
    pasted = "PMID: 29870457"  # 14 characters: the old input kept "PMID: 298704"
    form = admin_client.get(add_url(study_index))
    assert input_maxlength(form, "pmid") >= len(pasted)
    admin_client.post(add_url(study_index), study_form(pmid=pasted))
    assert StudySummaryPage.objects.get(slug="new-study").pmid == "29870457"


@pytest.mark.parametrize("field_name, pasted, message", REFUSED)
def test_admin_shows_the_field_error_and_saves_nothing(
    admin_client, study_index, field_name, pasted, message
):
    response = admin_client.post(
        add_url(study_index), study_form(**{field_name: pasted})
    )
    assert response.status_code == 200
    field = field_shown(response, field_name)
    assert message in field.select_one(".error-message").get_text()
    # The editor's text stays in the box, to be corrected rather than retyped.
    assert field.select_one(f"input[name={field_name}]")["value"] == pasted
    assert not StudySummaryPage.objects.filter(slug="new-study").exists()


def test_text_longer_than_any_accepted_form_is_refused_not_cut(
    admin_client, study_index
):
    # No browser sends it (the input stops at maxlength); another client is told.
    pasted = "PMID: " + "1" * 70
    response = admin_client.post(add_url(study_index), study_form(pmid=pasted))
    error = field_shown(response, "pmid").select_one(".error-message").get_text()
    assert "at most 64 characters" in error
    assert not StudySummaryPage.objects.filter(slug="new-study").exists()
