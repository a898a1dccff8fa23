import pytest

from cms.core.citations import (
    Citation,
    InvalidIdentifier,
    format_ama,
    identifiers_from_url,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)

CONSENSUS = Citation(
    title=(
        "Consensus guidelines on the use of intravenous ketamine infusions for "
        "chronic pain from the American Society of Regional Anesthesia and Pain "
        "Medicine, the American Academy of Pain Medicine, and the American Society "
        "of Anesthesiologists"
    ),
    authors=(
        "Cohen SP",
        "Bhatia A",
        "Buvanendran A",
        "Schwenk ES",
        "Wasan AD",
        "Hurley RW",
        "Viscusi ER",
        "Narouze S",
        "Davis FN",
        "Ritchie EC",
        "Lubenow TR",
        "Hooten WM",
    ),
    journal="Reg Anesth Pain Med",
    year=2018,
    volume="43",
    issue="5",
    pages="521-546",
    doi="10.1097/AAP.0000000000000808",
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("10.3389/fphar.2020.599721", "10.3389/fphar.2020.599721"),
        ("https://doi.org/10.3389/fphar.2020.599721", "10.3389/fphar.2020.599721"),
        (
            "http://dx.doi.org/10.1097/AAP.0000000000000808",
            "10.1097/AAP.0000000000000808",
        ),
        (" doi:10.1176/appi.ajp.2020.20081251 ", "10.1176/appi.ajp.2020.20081251"),
        (
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-2",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-2",
        ),
    ],
)
def test_doi_is_normalised_to_the_bare_identifier(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize("raw", ["10.12/x", "11.1000/xyz", "10.1000/abc def", "fphar"])
def test_malformed_doi_is_refused_with_an_example(raw):
    with pytest.raises(InvalidIdentifier, match="e.g. 10.3389/fphar.2020.599721"):
        normalize_doi(raw)


def test_pmid_and_pmcid_rules():
    assert normalize_pmid("29870458") == "29870458"
    assert normalize_pmid("PMID: 29870458") == "29870458"
    for bad in ("012345", "1234567890", "PMC123"):
        with pytest.raises(InvalidIdentifier):
            normalize_pmid(bad)
    assert normalize_pmcid("pmc6181464") == "PMC6181464"
    assert normalize_pmcid("6181464") == "PMC6181464"
    with pytest.raises(InvalidIdentifier):
        normalize_pmcid("PMCX1")


def test_ama_lists_three_authors_then_et_al_beyond_six():
    assert format_ama(CONSENSUS) == (
        "Cohen SP, Bhatia A, Buvanendran A, et al. Consensus guidelines on the use "
        "of intravenous ketamine infusions for chronic pain from the American "
        "Society of Regional Anesthesia and Pain Medicine, the American Academy of "
        "Pain Medicine, and the American Society of Anesthesiologists. Reg Anesth "
        "Pain Med. 2018;43(5):521-546. doi:10.1097/AAP.0000000000000808"
    )


def test_ama_lists_all_of_six_authors_and_leaves_out_unknown_parts():
    citation = Citation(
        title="A study", authors=("A A", "B B", "C C", "D D", "E E", "F F"), year=2020
    )
    assert format_ama(citation) == "A A, B B, C C, D D, E E, F F. A study. 2020."


def test_identifier_urls_use_the_resolvers():
    citation = Citation(doi="10.3389/fphar.2020.599721", pmid="123", pmcid="PMC1")
    assert citation.identifier_urls == {
        "doi": "https://doi.org/10.3389/fphar.2020.599721",
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/123/",
        "pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/",
    }


def test_identifiers_are_read_from_the_seed_links_only():
    assert identifiers_from_url(
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6181464/"
    ) == {"pmcid": "PMC6181464"}
    assert identifiers_from_url(
        "https://www.frontiersin.org/articles/10.3389/fphar.2020.599721/full"
    ) == {"doi": "10.3389/fphar.2020.599721"}
    assert identifiers_from_url("https://example.org/page") == {}
