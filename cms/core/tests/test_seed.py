"""The seed parser finds the clinic page's parts without changing a word."""

import re
from pathlib import Path

import pytest

from cms.core.seed import SEED_FILE, SeedFormatError, load_seed, parse_seed

SHARED_SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / SEED_FILE.name


@pytest.mark.skipif(
    not SHARED_SEED.exists(),
    reason="a clean clone has no shared/ folder beside it; the committed copy "
    "is then the only seed, and the other tests check it",
)
def test_committed_seed_matches_the_shared_seed_when_present():
    assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_parser_finds_every_part_of_the_clinic_page():
    seed = load_seed()
    raw = SEED_FILE.read_text(encoding="utf-8")
    assert seed.clinic_name == "Utah Ketamine Authority"
    assert seed.service_title == "Ketamine and Pain Management"
    assert seed.service_subtitle == "Ketamine and Treatment of Pain Management"
    assert seed.studies_heading == "Resources and Relevant Studies"
    assert len(seed.service_paragraphs) == 3
    for paragraph in seed.service_paragraphs:
        assert paragraph in raw
    assert [s.title for s in seed.studies] == [
        "Ketamine for pain management",
        "Ketamine Use for Cancer and Chronic Pain Management",
    ]
    numbered = re.findall(r"^\s+\d+\.\s+(.+)$", raw, flags=re.MULTILINE)
    assert seed.studies[0].key_points == numbered
    assert seed.studies[0].has_key_points_heading
    assert len(seed.studies[1].key_points) == 4
    assert seed.studies[1].key_points[0].startswith("Ketamine’s analgesic effects")


def test_a_study_without_a_link_is_a_format_error():
    text = "Clinic\n\nService\n\nSub\n\nA paragraph.\n\nStudies\n\nA study\n\nText.\n"
    with pytest.raises(SeedFormatError, match="has no web address"):
        parse_seed(text)
