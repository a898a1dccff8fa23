import factory
import wagtail_factories

from cms.core.tests.factories import ClinicalPageFactory
from home.tests.factories import HomePageFactory
from studies.models import StudyIndexPage, StudySummaryPage


class StudyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Studies"
    slug = "studies"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = StudyIndexPage


class StudySummaryPageFactory(ClinicalPageFactory):
    title = factory.Sequence(lambda n: f"Example study {n}")
    citation_title = factory.SelfAttribute("title")
    parent = factory.SubFactory(StudyIndexPageFactory)
    source_url = "https://example.org/study"

    class Meta:
        model = StudySummaryPage
