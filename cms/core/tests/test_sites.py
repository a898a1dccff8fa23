"""The request's site and its settings in one query (``cms/core/sites.py``).

``request_site`` chooses among the candidate sites itself, so it must choose
exactly what Wagtail's ``Site.find_for_request`` would, for every mix of
hostnames, ports and default site; and the settings it reads with the site
must be the ones ``ClinicSettings.for_request`` then returns, without a query.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from cms.core.models import ClinicSettings
from cms.core.sites import request_site

pytestmark = pytest.mark.django_db

#: Each case: the sites (hostname, port, is default) and the addresses asked for.
CASES = {
    "only a default site": (
        [("localhost", 80, True)],
        ["localhost:80", "localhost:8000", "elsewhere.org:80"],
    ),
    "a default and another host": (
        [("localhost", 80, True), ("example.org", 80, False)],
        ["example.org:80", "example.org:8080", "localhost:80", "other.org:443"],
    ),
    "one host on two ports beside a default": (
        [
            ("localhost", 80, True),
            ("example.org", 80, False),
            ("example.org", 8080, False),
        ],
        ["example.org:8080", "example.org:80", "example.org:81", "localhost:9000"],
    ),
    "the default shares a host with another site": (
        [("example.org", 8000, True), ("example.org", 80, False)],
        ["example.org:80", "example.org:9000", "example.org:8000", "other.org:80"],
    ),
    "no default site": (
        [("a.org", 80, False), ("a.org", 81, False), ("b.org", 80, False)],
        ["a.org:80", "a.org:81", "a.org:82", "b.org:8080", "c.org:80"],
    ),
    "no site at all": ([], ["localhost:80"]),
}


def make_sites(sites) -> None:
    root = Page.objects.get(depth=1)
    Site.objects.all().delete()
    for hostname, port, is_default in sites:
        Site.objects.create(
            hostname=hostname, port=port, is_default_site=is_default, root_page=root
        )


def request_for(rf, address: str):
    host, port = address.split(":")
    return rf.get("/", HTTP_HOST=address, SERVER_NAME=host, SERVER_PORT=port)


@pytest.mark.parametrize("case", CASES)
def test_the_site_found_is_the_one_wagtail_finds(rf, case):
    sites, addresses = CASES[case]
    make_sites(sites)
    for address in addresses:
        ours = request_site(request_for(rf, address))
        wagtails = Site.find_for_request(request_for(rf, address))
        assert ours == wagtails, address


def test_the_settings_come_with_the_site_and_are_not_read_again(rf, home_page):
    site = Site.objects.get(is_default_site=True)
    settings = ClinicSettings.for_site(site)
    settings.clinic_name = "Utah Ketamine Authority"
    settings.save()
    request = request_for(rf, "localhost:80")
    with CaptureQueriesContext(connection) as queries:
        found = request_site(request)
        again = Site.find_for_request(request)
        clinic = ClinicSettings.for_request(request)
        root = found.root_page
    assert len(queries) == 1
    assert found == again == site
    assert root.pk == home_page.pk
    assert clinic.pk == settings.pk
    assert clinic.clinic_name == "Utah Ketamine Authority"
    assert clinic._request is request  # as for_request keeps it, for page URLs


def test_a_site_without_settings_yet_gets_them_from_wagtail(rf, home_page):
    site = Site.objects.get(is_default_site=True)
    ClinicSettings.objects.filter(site=site).delete()
    request = request_for(rf, "localhost:80")
    assert request_site(request) == site
    clinic = ClinicSettings.for_request(request)
    assert clinic.pk is not None and clinic.site_id == site.pk
    assert ClinicSettings.objects.filter(site=site).count() == 1


def test_a_port_that_is_not_a_number_falls_back_to_the_hostname(rf, home_page):
    request = rf.get("/", HTTP_HOST="localhost", SERVER_PORT="not-a-port")
    assert request_site(request) == Site.objects.get(is_default_site=True)
