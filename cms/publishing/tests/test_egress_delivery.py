"""Webhooks cannot reach inside: refused when saved, refused again when sent.

Names are answered by a fake resolver; connections go to receivers on 127.0.0.1,
or to a stand-in socket that records where it was asked to connect and refuses,
so nothing here leaves this machine.
"""

import importlib
import socket
import ssl
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.publishing import transport, webhooks
from cms.publishing.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.publishing.tests.network import PUBLIC_V4, FakeDNS, NoConnections
from cms.publishing.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

ADD_URL = reverse("webhook_endpoints:add")
PRIVATE_ERROR = (
    "This address leads to a private network (10.0.0.5). Webhooks may only go "
    "to public internet addresses."
)


@pytest.fixture
def dns(monkeypatch):
    fake = FakeDNS(
        {
            "hooks.example.com": [PUBLIC_V4],
            "internal.example.com": ["10.0.0.5"],
            "receiver.test": ["127.0.0.1"],
        }
    )
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def no_connections(monkeypatch):
    spy = NoConnections()
    monkeypatch.setattr(socket, "socket", spy)
    return spy


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def endpoint_form(**overrides):
    data = {
        "name": "Website",
        "url": "https://hooks.example.com/revalidate",
        "events": ["page.published"],
        "is_active": "on",
    }
    return {**data, **overrides}


def make_endpoint(url) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        name="Website", url=url, secret="s3cret", events=["page.published"]
    )


def attempt(endpoint) -> WebhookDelivery:
    delivery = webhooks.make_test_notice(endpoint)
    webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


# Saving: the admin form and the model


def test_the_admin_form_refuses_a_name_that_leads_to_a_private_network(
    admin_client, dns
):
    response = admin_client.post(
        ADD_URL, endpoint_form(url="https://internal.example.com/hooks")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [PRIVATE_ERROR]
    assert PRIVATE_ERROR in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (
            "https://169.254.169.254/latest/meta-data/",
            "This address leads to a cloud provider's metadata service "
            "(169.254.169.254). Webhooks may only go to public internet addresses.",
        ),
        ("https://hooks.example.com:8443/", "Port 8443 is not allowed."),
        (
            "https://editor:pw@hooks.example.com/",
            "Remove the user name and password (the part before @)",
        ),
        ("https://no-such.example.com/", "No server could be found at no-such"),
    ],
)
def test_the_admin_form_names_each_rule_on_the_address_field(
    admin_client, dns, url, error
):
    response = admin_client.post(ADD_URL, endpoint_form(url=url))
    [message] = response.context["form"].errors["url"]
    assert message.startswith(error)
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_form_accepts_a_public_address(admin_client, dns):
    response = admin_client.post(ADD_URL, endpoint_form())
    assert response.status_code == 200  # the page showing the secret once
    assert WebhookEndpoint.objects.get().url == "https://hooks.example.com/revalidate"


def test_editing_an_endpoint_to_a_private_address_keeps_the_old_one(admin_client, dns):
    endpoint = make_endpoint("https://hooks.example.com/revalidate")
    edit_url = reverse("webhook_endpoints:edit", args=[endpoint.pk])
    response = admin_client.post(
        edit_url, endpoint_form(url="https://internal.example.com/hooks")
    )
    assert response.context["form"].errors["url"] == [PRIVATE_ERROR]
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.com/revalidate"


def test_without_the_loopback_setting_the_form_refuses_this_machine(
    admin_client, dns, settings
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1:9000/h", "http://localhost:9000/h", "http://[::1]/"):
        response = admin_client.post(ADD_URL, endpoint_form(url=url))
        [message] = response.context["form"].errors["url"]
        assert message.startswith("This address leads to this server itself ("), url
    assert not WebhookEndpoint.objects.exists()


def test_validating_in_code_applies_the_same_rules(dns):
    endpoint = WebhookEndpoint(
        name="Shell", url="https://10.0.0.5/hooks", secret="s", events=["test"]
    )
    with pytest.raises(ValidationError) as caught:
        endpoint.full_clean()
    assert caught.value.message_dict["url"] == [PRIVATE_ERROR]


# Sending: checked again, connected to as checked


def test_an_endpoint_changed_behind_the_forms_back_is_refused_without_connecting(
    admin_client, dns, no_connections
):
    admin_client.post(ADD_URL, endpoint_form())
    endpoint = WebhookEndpoint.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url="https://10.0.0.5/hooks")
    delivery = attempt(endpoint)
    assert delivery.status == DeliveryStatus.PENDING  # retried like any failure
    assert delivery.response_code is None
    assert delivery.last_error == "Refused: address 10.0.0.5 is on a private network"
    assert no_connections.connects == []

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        url="https://internal.example.com/hooks"
    )
    webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "Refused: address 10.0.0.5 is on a private network"
    assert no_connections.connects == []

    page = admin_client.get(reverse("webhook_deliveries:index")).content.decode()
    assert "Refused: address 10.0.0.5 is on a private network" in page


def test_a_loopback_receiver_sees_no_connection_when_loopback_is_off(
    receiver, settings
):
    endpoint = make_endpoint(receiver.url)  # saved while loopback was allowed
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    delivery = attempt(endpoint)
    assert delivery.last_error == (
        "Refused: address 127.0.0.1 is this server itself (loopback)"
    )
    assert (receiver.connections, receiver.requests) == (0, [])


def test_dns_rebinding_cannot_move_the_connection_after_the_check(dns, no_connections):
    # Public when checked, this machine on any later lookup (allowed in tests,
    # so only connecting to the checked address keeps the worker off it).
    dns.sequence("rebind.example.com", [PUBLIC_V4], ["127.0.0.1"])
    delivery = attempt(make_endpoint("https://rebind.example.com/hooks"))
    assert no_connections.connects == [(PUBLIC_V4, 443)]
    assert dns.calls == ["rebind.example.com"]
    assert delivery.last_error == "Connection refused"


class RecordingTLS:
    """An SSL context that records the name it was asked to verify, then fails."""

    def __init__(self, code, message):
        self.names = []
        self.code, self.message = code, message

    def wrap_socket(self, sock, server_hostname=None):
        self.names.append(server_hostname)
        error = ssl.SSLCertVerificationError(1, "certificate verify failed")
        error.verify_code, error.verify_message = self.code, self.message
        raise error


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        (62, "Hostname mismatch", "TLS certificate not valid for hooks.example.com"),
        (
            20,
            "unable to get local issuer certificate",
            "TLS certificate not trusted (unable to get local issuer certificate)",
        ),
    ],
)
def test_https_connects_to_the_checked_address_and_verifies_the_name(
    dns, monkeypatch, code, message, reason
):
    spy = NoConnections(accept=True)
    monkeypatch.setattr(socket, "socket", spy)
    tls = RecordingTLS(code, message)
    monkeypatch.setattr(transport, "tls_context", lambda: tls)
    delivery = attempt(make_endpoint("https://hooks.example.com/revalidate"))
    assert spy.connects == [(PUBLIC_V4, 443)]
    assert tls.names == ["hooks.example.com"]  # SNI and certificate use the name
    assert delivery.last_error == reason


def test_the_real_tls_context_checks_certificates_and_names():
    context = transport.tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_http_connects_to_the_checked_address_with_the_original_host_header(
    dns, receiver
):
    endpoint = make_endpoint(f"http://receiver.test:{receiver.port}/hooks/")
    delivery = attempt(endpoint)
    assert delivery.status == DeliveryStatus.DELIVERED
    [received] = receiver.requests
    assert received.headers["Host"] == f"receiver.test:{receiver.port}"


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(receiver):
    receiver.status, receiver.location = 302, "/somewhere-else/"
    delivery = attempt(make_endpoint(receiver.url))
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.response_code == 302
    assert delivery.last_error == "HTTP 302 Found (redirects are not followed)"
    assert len(receiver.requests) == 1


def test_a_receiver_that_hangs_is_reported_in_our_words(receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    delivery = attempt(make_endpoint(receiver.url))
    assert delivery.last_error == "Timed out after 0.3 s"


# The delivery log: status and a short reason, never the receiver's reply

BANNER = "SSH-2.0-internal-banner root:x:0:0"
REASON = "Leaked-Reason-Phrase"


def test_the_log_keeps_the_status_and_never_the_receivers_reply(admin_client, receiver):
    receiver.status, receiver.reason = 500, REASON
    receiver.reply = f"<h1>{BANNER}</h1>".encode()
    delivery = attempt(make_endpoint(receiver.url))
    assert delivery.response_code == 500
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    row = WebhookDelivery.objects.filter(pk=delivery.pk).values().get()
    assert BANNER not in str(row) and REASON not in str(row)

    pages = [
        admin_client.get(reverse("webhook_deliveries:index")),
        admin_client.get(reverse("webhook_deliveries:inspect", args=[delivery.pk])),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "HTTP 500 Internal Server Error" in html
        assert "SSH-2.0" not in html and REASON not in html


def test_an_answer_that_is_not_http_is_not_quoted_either():
    # A service that is not a web server answers with its own first line.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]
    endpoint = make_endpoint(f"http://127.0.0.1:{port}/")
    delivery = webhooks.make_test_notice(endpoint)

    def answer():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(f"{BANNER}\r\n".encode())

    server = threading.Thread(target=answer, daemon=True)
    server.start()
    try:
        webhooks.attempt_delivery(delivery.pk)
    finally:
        server.join(timeout=5)
        listener.close()
    delivery.refresh_from_db()
    assert delivery.last_error == "The receiver's answer was not valid HTTP"
    assert BANNER not in delivery.last_error


def test_old_log_entries_lose_the_replies_they_quoted():
    migration = importlib.import_module(
        "cms.publishing.migrations.0003_delivery_log_keeps_no_reply"
    )
    endpoint = make_endpoint("https://hooks.example.com/")
    old = {
        f"HTTP 500 Internal Server Error: <h1>{BANNER}</h1>": (
            "HTTP 500 Internal Server Error"
        ),
        "HTTP 503 Whatever-They-Said: busy": "HTTP 503 Service Unavailable",
        "HTTP 404": "HTTP 404 Not Found",
        f"BadStatusLine: {BANNER}": migration.REMOVED,
        "URLError: [Errno 111] Connection refused": "Connection refused",
        "TimeoutError: timed out": "Timed out",
        "URLError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed": (
            "TLS certificate not valid"
        ),
        "Bad gateway": "Bad gateway",  # not written the old way: left alone
        "": "",
    }
    rows = {
        WebhookDelivery.objects.create(
            endpoint=endpoint, event="test", payload={}, last_error=text
        ).pk: expected
        for text, expected in old.items()
    }
    migration.rewrite_reasons(apps, None)
    for pk, expected in rows.items():
        assert WebhookDelivery.objects.get(pk=pk).last_error == expected
