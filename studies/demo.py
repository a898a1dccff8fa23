"""The studies the clinic's page cites, loaded word for word from the seed.

Only what the seed states is filled in: the title, the key points in order,
the web address, and the identifier that address spells out (a PMCID or DOI).
Authors, journal, year and study design stay empty for an editor to complete
from the paper; the editor's "Still missing" panel lists them.
"""

from django.utils.text import slugify
from wagtail.models import Page

from cms.core.citations import identifiers_from_url
from cms.core.loading import LoadReport, ensure_page
from cms.core.seed import ClinicSeed
from studies.models import StudyIndexPage, StudySummaryPage


def load(seed: ClinicSeed, home: Page, report: LoadReport) -> list[StudySummaryPage]:
    index = ensure_page(
        home,
        StudyIndexPage,
        slug="studies",
        values={"title": "Studies", "show_in_menus": True},
        report=report,
    )
    studies = []
    for study in seed.studies:
        identifiers = identifiers_from_url(study.source_url)
        studies.append(
            ensure_page(
                index,
                StudySummaryPage,
                slug=slugify(study.title),
                values={
                    "title": study.title,
                    "citation_title": study.title,
                    "source_url": study.source_url,
                    "doi": identifiers.get("doi", ""),
                    "pmcid": identifiers.get("pmcid", ""),
                },
                children={
                    "key_points": [{"text": point} for point in study.key_points]
                },
                report=report,
            )
        )
    return studies
