"""Fixtures (a pytest plugin): people in each editorial group, clinical sections."""

import pytest

from cms.core.tests.factories import ClinicianFactory
from cms.core.tests.helpers import make_user
from home.tests.factories import ServiceIndexPageFactory
from studies.tests.factories import StudyIndexPageFactory


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "edna", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    """A medical reviewer whose account is linked to an active clinician."""
    user = make_user(django_user_model, "ana", "Medical reviewers")
    ClinicianFactory(name="Ana Reyes", credentials="MD", user=user)
    return user


@pytest.fixture
def publisher(django_user_model):
    return make_user(django_user_model, "paul", "Publishers")


@pytest.fixture
def study_index(home_page):
    return StudyIndexPageFactory(parent=home_page)


@pytest.fixture
def service_index(home_page):
    return ServiceIndexPageFactory(parent=home_page)
