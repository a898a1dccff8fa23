"""Editors can only create each page type where it belongs."""

import pytest
from wagtail.models import Page

from articles.models import ArticleIndexPage, ArticlePage
from articles.tests.factories import ArticleIndexPageFactory
from home.models import (
    ConsultationFormPage,
    HomePage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from home.tests.factories import ServiceIndexPageFactory, StandardPageFactory
from studies.models import StudyIndexPage, StudySummaryPage
from studies.tests.factories import StudyIndexPageFactory

pytestmark = pytest.mark.django_db

ALL_TYPES = [
    HomePage,
    ConsultationFormPage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
    ArticleIndexPage,
    ArticlePage,
    StudyIndexPage,
    StudySummaryPage,
]


def creatable_under(parent) -> set:
    return {model for model in ALL_TYPES if model.can_create_at(parent.specific)}


def test_only_one_home_page(home_page):
    assert HomePage not in creatable_under(Page.get_first_root_node())


def test_home_page_takes_the_sections_the_form_and_general_pages(home_page):
    assert creatable_under(home_page) == {
        ServiceIndexPage,
        ArticleIndexPage,
        StudyIndexPage,
        StandardPage,
        ConsultationFormPage,
    }


def test_each_section_index_exists_once(home_page):
    ServiceIndexPageFactory(parent=home_page)
    ArticleIndexPageFactory(parent=home_page)
    StudyIndexPageFactory(parent=home_page)
    assert creatable_under(home_page) == {StandardPage, ConsultationFormPage}


def test_sections_take_only_their_own_pages(home_page):
    assert creatable_under(ServiceIndexPageFactory(parent=home_page)) == {ServicePage}
    assert creatable_under(ArticleIndexPageFactory(parent=home_page)) == {ArticlePage}
    assert creatable_under(StudyIndexPageFactory(parent=home_page)) == {
        StudySummaryPage
    }


def test_content_pages_have_no_children_except_general_pages(home_page):
    for model in (ServicePage, ArticlePage, StudySummaryPage, ConsultationFormPage):
        assert model.allowed_subpage_models() == []
    assert creatable_under(StandardPageFactory(parent=home_page)) == {StandardPage}


def test_admin_offers_only_allowed_types_under_the_home_page(admin_client, home_page):
    response = admin_client.get(f"/admin/pages/{home_page.pk}/add_subpage/")
    html = response.content.decode()
    assert response.status_code == 200
    for allowed in ("Service index page", "Article index page", "Study index page"):
        assert allowed in html
    assert "Study summary" not in html
    assert "Service page" not in html.replace("Service index page", "")
