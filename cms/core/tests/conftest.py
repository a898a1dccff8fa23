"""Fixtures for the editorial-trust tests: people in each group, clinical sections."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cms.core.tests.factories import ClinicianFactory
from home.tests.factories import ServiceIndexPageFactory
from studies.tests.factories import StudyIndexPageFactory


def make_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password="password"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


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
