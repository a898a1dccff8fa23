"""The study index: filters by condition and evidence level, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.core.tests.factories import ConditionFactory, publish_reviewed
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def add_studies(index, count, design="rct"):
    condition = ConditionFactory()
    for number in range(count):
        study = StudySummaryPageFactory(
            parent=index, title=f"Study {count}-{number:02d}", study_design=design
        )
        study.conditions.set([condition])
        publish_reviewed(study)
    return condition


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listing_queries_do_not_grow_with_its_length(home_page, client):
    small = StudyIndexPageFactory(parent=home_page, slug="small")
    large = StudyIndexPageFactory(parent=home_page, slug="large")
    add_studies(small, 5)
    add_studies(large, 50)
    client.get(small.url)  # warm up per-site caches (settings, site root)
    client.get(large.url)
    assert count_queries(client, small.url) == count_queries(client, large.url)


def test_filter_by_evidence_level_and_condition(home_page, client):
    index = StudyIndexPageFactory(parent=home_page)
    add_studies(index, 2, design="rct")
    animal = add_studies(index, 1, design="preclinical_animal")
    by_level = client.get(index.url, {"evidence": "2"}).content.decode()
    assert "2 studies" in by_level
    assert "Level of evidence: Strong: randomised trial" in by_level
    lab = client.get(index.url, {"evidence": "preclinical"}).content.decode()
    assert "1 study<" in lab
    assert "Laboratory or animal study: not evidence in people" in lab
    by_condition = client.get(index.url, {"condition": animal.slug}).content.decode()
    assert ">Study 1-00</a>" in by_condition and ">Study 2-00</a>" not in by_condition
