import factory
import wagtail_factories
from wagtail.models import Page

from cms.core.tests.factories import ClinicalPageFactory
from home.models import HomePage, ServiceIndexPage, ServicePage, StandardPage


def paragraph(text: str) -> list[dict]:
    """A body StreamField value holding one paragraph."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Example Clinic"
    slug = factory.Sequence(lambda n: f"home-{n}")
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = HomePage


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Services"
    slug = "services"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = ServiceIndexPage


class ServicePageFactory(ClinicalPageFactory):
    title = factory.Sequence(lambda n: f"Example service {n}")
    parent = factory.SubFactory(ServiceIndexPageFactory)
    body = factory.LazyFunction(lambda: paragraph("How the example service works."))

    class Meta:
        model = ServicePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Example page {n}")
    parent = factory.SubFactory(HomePageFactory)
    body = factory.LazyFunction(lambda: paragraph("About the example clinic."))

    class Meta:
        model = StandardPage
