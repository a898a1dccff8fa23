"""Removing something live clinical pages cite: a study, a condition, a clinician.

The confirmation names every live clinical page that cites it; afterwards each
of those pages has an entry in its history, shows as "Changed since review" in
the review report and on the dashboard, and goes out as a ``page.changed``
webhook and a cache purge, whichever door the removal came through (the admin,
the API, code).
"""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import APIToken, Page, PageLogEntry, ReferenceIndex

from cms.clinical.dependants import CITATION_REMOVED
from cms.clinical.records import ClinicalFlag
from cms.core.tests.factories import DisclaimerFactory
from cms.publishing import webhooks
from cms.publishing.models import WebhookDelivery, WebhookEndpoint
from home.tests.factories import ServicePageFactory
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/clinical-review-due/"
STUDY = "Ketamine for chronic pain: a review"


class RecordingCDN(BaseBackend):
    """A CDN purge backend that records what it was asked to purge."""

    purged: list[str] = []

    def purge_batch(self, urls):
        RecordingCDN.purged.extend(urls)


@pytest.fixture
def sent(monkeypatch):
    """Webhook notices as the receiver gets them (the network is not used)."""
    notices = []

    def post(url, body, headers, timeout):
        notices.append(json.loads(body))
        return 200

    monkeypatch.setattr(webhooks, "post", post)
    return notices


@pytest.fixture
def endpoint(db):
    return WebhookEndpoint.objects.create(
        name="Website", url="https://hooks.example.com/", events=["page.changed"]
    )


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.RecordingCDN"}}
    RecordingCDN.purged = []
    return RecordingCDN


def open_flags(page) -> list[str]:
    return list(
        ClinicalFlag.objects.filter(page=page, resolved_at__isnull=True).values_list(
            "message", flat=True
        )
    )


def history(client, page) -> str:
    url = reverse("wagtailadmin_pages:history", args=[page.pk])
    return client.get(url).content.decode()


def changed_notices(sent) -> dict[int, dict]:
    return {n["page_id"]: n for n in sent if n["event"] == "page.changed"}


# Deleting a cited study in the admin


def test_the_delete_confirmation_names_every_live_page_citing_the_study(
    clinic, admin_client
):
    response = admin_client.get(
        reverse("wagtailadmin_pages:delete", args=[clinic["study"].pk])
    )
    html = response.content.decode()
    assert "These 2 live clinical pages cite it:" in html
    for page in (clinic["service"], clinic["article"]):
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert f'<a href="{edit}">{page.title}</a>' in html
    assert "these pages will lose the citation" in html
    assert "flagged “Changed since review”" in html
    assert "Yes, delete it" in html  # Wagtail's own confirmation, extended


@pytest.fixture
def deleted_in_admin(clinic, admin_client, endpoint, sent, cdn, on_commit):
    """The study deleted by confirming Wagtail's delete page."""
    study = clinic["study"]
    url = reverse("wagtailadmin_pages:delete", args=[study.pk])
    response = on_commit(lambda: admin_client.post(url, follow=True))
    assert response.status_code == 200
    assert not Page.objects.filter(pk=study.pk).exists()
    return response


def test_after_the_delete_the_admin_says_which_pages_are_flagged(deleted_in_admin):
    html = deleted_in_admin.content.decode()
    assert "2 live clinical page(s) lost their citation of" in html
    assert "“IV ketamine”, “Sleep and pain”" in html


def test_each_citing_page_has_a_history_entry(clinic, admin_client, deleted_in_admin):
    message = (
        f"The study summary “{STUDY}” that this page cites was deleted. "
        "A clinician should check the page."
    )
    for page in (clinic["service"], clinic["article"]):
        assert message in history(admin_client, page)
        entry = PageLogEntry.objects.get(page=page, action=CITATION_REMOVED)
        assert entry.user == admin_client.user
    assert "Citation removed" in history(admin_client, clinic["service"])


def test_the_report_and_dashboard_show_the_pages_changed_since_review(
    clinic, admin_client, deleted_in_admin
):
    html = admin_client.get(REPORT).content.decode()
    assert "IV ketamine" in html and "Sleep and pain" in html
    assert "Changed since review" in html
    assert f"The study summary “{STUDY}” that this page cites was deleted." in html

    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong data-count="citation_removed">2</strong> changed since' in dashboard


def test_the_report_csv_has_the_flag_and_what_changed(clinic, admin_client):
    ClinicalFlag.objects.create(
        page=clinic["service"],
        kind=ClinicalFlag.Kind.CITATION_REMOVED,
        message="The condition “Back pain” that this page names was deleted.",
    )
    response = admin_client.get(REPORT, {"export": "csv", "ordering": "status"})
    content = b"".join(response.streaming_content).decode()
    first = content.splitlines()[1]
    assert first.startswith("IV ketamine,Service page,Changed since review,")
    assert "“Back pain” that this page names was deleted." in first


def test_each_citing_page_goes_out_as_a_page_changed_webhook_and_purge(
    clinic, deleted_in_admin, sent, cdn
):
    notices = changed_notices(sent)
    assert set(notices) == {clinic["service"].pk, clinic["article"].pk}
    service = notices[clinic["service"].pk]
    assert service["url"] == "http://localhost/services/iv-ketamine/"
    assert service["reason"] == "citation_removed"
    delivery = WebhookDelivery.objects.get(
        event="page.changed", payload__page_id=clinic["service"].pk
    )
    assert delivery.status == "delivered"
    assert "http://localhost/services/iv-ketamine/" in cdn.purged
    assert "http://localhost/articles/sleep-and-pain/" in cdn.purged


@override_settings(PAGE_CACHE_SECONDS=600)
def test_visitors_see_the_service_without_the_deleted_study_at_once(
    clinic, admin_client, on_commit
):
    visitor = Client()
    assert STUDY in visitor.get("/services/iv-ketamine/").content.decode()
    assert visitor.get("/services/iv-ketamine/")["X-Page-Cache"] == "hit"

    url = reverse("wagtailadmin_pages:delete", args=[clinic["study"].pk])
    on_commit(lambda: admin_client.post(url))
    fresh = visitor.get("/services/iv-ketamine/")
    assert fresh["X-Page-Cache"] == "miss"
    assert STUDY not in fresh.content.decode()


# Other doors and other cited things


def test_deleting_a_cited_study_through_the_api_flags_the_citing_pages(
    client, clinic, publisher, endpoint, sent, on_commit
):
    study = clinic["study"]
    Page.objects.filter(pk=study.pk).update(owner=publisher)  # theirs to delete
    _token, secret = APIToken.create_token(user=publisher, name="frontend")
    response = on_commit(
        lambda: client.delete(
            f"/api/v3/pages/{study.pk}/", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    )
    assert response.status_code == 204
    assert not Page.objects.filter(pk=study.pk).exists()
    for page in (clinic["service"], clinic["article"]):
        assert open_flags(page) == [
            f"The study summary “{STUDY}” that this page cites was deleted. "
            "A clinician should check the page."
        ]
        entry = PageLogEntry.objects.get(page=page, action=CITATION_REMOVED)
        assert entry.user == publisher
    assert set(changed_notices(sent)) == {clinic["service"].pk, clinic["article"].pk}


def test_unpublishing_a_cited_study_flags_every_page_citing_it(
    clinic, admin_client, endpoint, sent, on_commit
):
    study = clinic["study"]
    # This one cites the study only in its body, through a study reference.
    aftercare = ServicePageFactory(
        parent=clinic["services"],
        title="Infusion aftercare",
        body=[("study_reference", {"study": study, "note": "Why we monitor"})],
    )
    url = reverse("wagtailadmin_pages:unpublish", args=[study.pk])
    html = admin_client.get(url).content.decode()
    assert "These 3 live clinical pages cite it:" in html
    assert "Infusion aftercare" in html
    assert "If you unpublish it, these pages will lose the citation" in html

    on_commit(lambda: admin_client.post(url))
    assert not Page.objects.get(pk=study.pk).live
    for page in (clinic["service"], clinic["article"], aftercare):
        assert open_flags(page) == [
            f"The study summary “{STUDY}” that this page cites was unpublished. "
            "A clinician should check the page."
        ]
    assert set(changed_notices(sent)) == {
        clinic["service"].pk,
        clinic["article"].pk,
        aftercare.pk,
    }
    assert open_flags(study) == []  # the study itself cites nothing


def test_a_bulk_delete_names_the_citing_pages_under_each_study_then_flags_them(
    clinic, admin_client, on_commit
):
    lonely = StudySummaryPageFactory(parent=clinic["studies"], title="Uncited trial")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    explore = reverse("wagtailadmin_explore", args=[clinic["studies"].pk])
    url += f"?id={clinic['study'].pk}&id={lonely.pk}&next={explore}"
    html = admin_client.get(url).content.decode()
    assert html.count("data-clinical-citing-pages") == 1  # under the cited one
    assert "These 2 live clinical pages cite it:" in html

    response = on_commit(lambda: admin_client.post(url, follow=True))
    assert not Page.objects.filter(pk__in=[clinic["study"].pk, lonely.pk]).exists()
    assert "2 live clinical page(s) lost their citation of" in response.content.decode()
    for page in (clinic["service"], clinic["article"]):
        assert len(open_flags(page)) == 1


def test_deleting_a_condition_live_pages_name_asks_then_flags_them(
    clinic, admin_client, on_commit
):
    condition = clinic["condition"]
    url = reverse("wagtailsnippets_core_condition:delete", args=[condition.pk])
    html = admin_client.get(url).content.decode()
    assert "These 3 live clinical pages cite it:" in html
    for page in (clinic["service"], clinic["article"], clinic["study"]):
        assert page.title in html

    on_commit(lambda: admin_client.post(url))
    message = (
        "The condition “Back pain” that this page names was deleted. "
        "A clinician should check the page."
    )
    for page in (clinic["service"], clinic["article"], clinic["study"]):
        assert open_flags(page) == [message]
        assert message in history(admin_client, page)


def test_deleting_a_clinician_in_code_flags_the_pages_they_reviewed(clinic, on_commit):
    on_commit(clinic["reviewer"].delete)
    for page in (clinic["service"], clinic["article"], clinic["study"]):
        assert open_flags(page) == [
            "The clinician “Rae Patel, MD” that this page names was deleted. "
            "A clinician should check the page."
        ]


def test_a_disclaimer_in_use_is_protected_and_its_pages_are_named(clinic, admin_client):
    disclaimer = DisclaimerFactory()
    service = clinic["service"]
    type(service).objects.filter(pk=service.pk).update(disclaimer=disclaimer)
    # As a publish would; the update above bypasses Wagtail's reference index.
    ReferenceIndex.create_or_update_for_object(Page.objects.get(pk=service.pk).specific)
    url = reverse("wagtailsnippets_core_disclaimer:delete", args=[disclaimer.pk])
    html = admin_client.get(url).content.decode()
    assert "This live clinical page cites it:" in html
    assert "IV ketamine" in html
    assert "It cannot be deleted while this page uses it" in html
    assert "Yes, delete" not in html


def test_a_study_nobody_cites_is_deleted_without_flags(
    clinic, admin_client, endpoint, sent, on_commit
):
    lonely = StudySummaryPageFactory(parent=clinic["studies"], title="Uncited trial")
    url = reverse("wagtailadmin_pages:delete", args=[lonely.pk])
    html = admin_client.get(url).content.decode()
    assert "live clinical page" not in html

    response = on_commit(lambda: admin_client.post(url, follow=True))
    assert not Page.objects.filter(pk=lonely.pk).exists()
    assert "lost their citation" not in response.content.decode()
    assert not ClinicalFlag.objects.exists()
    assert not PageLogEntry.objects.filter(action=CITATION_REMOVED).exists()
    assert changed_notices(sent) == {}
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong data-count="citation_removed">0</strong>' in dashboard
