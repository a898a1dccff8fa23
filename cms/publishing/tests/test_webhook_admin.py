"""The webhook admin: clear errors, a secret shown once, test and redeliver."""

import socket

import pytest
from django.urls import reverse

from cms.publishing import webhooks
from cms.publishing.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.publishing.tests.network import PUBLIC_V4, FakeDNS

pytestmark = pytest.mark.django_db

ADD_URL = reverse("webhook_endpoints:add")


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Saving an endpoint resolves its address: answer here, never from the net."""
    fake = FakeDNS({"frontend.example.com": [PUBLIC_V4]})
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


def endpoint_form(**overrides):
    data = {
        "name": "Website",
        "url": "https://frontend.example.com/hooks",
        "events": ["page.published", "page.unpublished"],
        "is_active": "on",
    }
    return {**data, **overrides}


def test_a_plain_http_address_is_refused_with_the_fix(admin_client):
    response = admin_client.post(
        ADD_URL, endpoint_form(url="http://frontend.example.com/hooks")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "url" in errors
    assert "https://" in errors["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_http_is_allowed_for_loopback_while_testing(admin_client):
    response = admin_client.post(ADD_URL, endpoint_form(url="http://127.0.0.1:9/h"))
    assert response.status_code == 200
    assert WebhookEndpoint.objects.get().url == "http://127.0.0.1:9/h"


def test_no_event_ticked_names_the_field(admin_client):
    response = admin_client.post(ADD_URL, endpoint_form(events=[]))
    assert response.context["form"].errors["events"] == [
        "Pick at least one change to send."
    ]


def test_the_secret_is_shown_once_at_creation_and_then_only_masked(admin_client):
    response = admin_client.post(ADD_URL, endpoint_form())
    endpoint = WebhookEndpoint.objects.get()
    assert len(endpoint.secret) >= 40
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    edit_url = reverse("webhook_endpoints:edit", args=[endpoint.pk])
    for url in (edit_url, reverse("webhook_endpoints:index")):
        page = admin_client.get(url).content.decode()
        assert endpoint.secret not in page
    assert endpoint.secret[-4:] in admin_client.get(edit_url).content.decode()


def test_replacing_the_secret_shows_the_new_one_once(admin_client):
    admin_client.post(ADD_URL, endpoint_form())
    endpoint = WebhookEndpoint.objects.get()
    old = endpoint.secret
    edit_url = reverse("webhook_endpoints:edit", args=[endpoint.pk])
    response = admin_client.post(edit_url, endpoint_form(replace_secret="on"))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()

    response = admin_client.post(edit_url, endpoint_form(name="Renamed"))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "Renamed"


def test_send_test_queues_a_signed_test_notice(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        webhooks, "post", lambda url, body, headers, timeout: sent.append(body) or 204
    )
    endpoint = WebhookEndpoint.objects.create(
        name="Site", url="https://x.example/h", secret="s", events=["page.published"]
    )
    url = reverse("webhook_endpoints:send_test", args=[endpoint.pk])
    assert "Send test" in admin_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "test"
    assert delivery.status == DeliveryStatus.DELIVERED  # immediate backend in tests
    assert len(sent) == 1


def test_the_delivery_log_lists_status_and_errors_and_cannot_be_edited(
    admin_client,
):
    endpoint = WebhookEndpoint.objects.create(
        name="Site", url="https://x.example/h", secret="s", events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"event": "page.published"},
        status=DeliveryStatus.FAILED,
        attempts=10,
        response_code=503,
        last_error="HTTP 503 Service Unavailable",
    )
    page = admin_client.get(reverse("webhook_deliveries:index")).content.decode()
    assert "HTTP 503 Service Unavailable" in page
    assert "Failed (gave up)" in page
    assert reverse("webhook_deliveries:redeliver", args=[delivery.pk]) in page
    assert "Add webhook delivery" not in page
    refused = admin_client.get(reverse("webhook_deliveries:add"))
    assert (refused.status_code, refused.url) == (302, "/admin/")


def test_redeliver_starts_a_failed_delivery_over(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(webhooks, "post", lambda *args: 200)
    endpoint = WebhookEndpoint.objects.create(
        name="Site", url="https://x.example/h", secret="s", events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"event": "page.published"},
        status=DeliveryStatus.FAILED,
        attempts=10,
    )
    url = reverse("webhook_deliveries:redeliver", args=[delivery.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_editors_without_permission_cannot_send_or_redeliver(client, db):
    from django.contrib.auth.models import Permission
    from django.contrib.auth.models import User as UserModel

    editor = UserModel.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    endpoint = WebhookEndpoint.objects.create(
        name="Site", url="https://x.example/h", secret="s", events=["page.published"]
    )
    url = reverse("webhook_endpoints:send_test", args=[endpoint.pk])
    refused = client.post(url)
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert not WebhookDelivery.objects.exists()
