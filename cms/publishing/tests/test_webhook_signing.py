"""Signing and sending rules that need no database."""

import hashlib
import hmac

import pytest

from cms.publishing import signing, webhooks
from cms.publishing.models import WebhookEndpoint

BODY = b'{"event":"page.published","page_id":7}'


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    expected = hmac.new(b"s3cret", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signing.sign("s3cret", 1700000000, BODY) == f"v1={expected}"


@pytest.mark.parametrize("timestamp", ["", "soon", None, "1e9"])
def test_a_malformed_timestamp_never_verifies(timestamp):
    signature = signing.sign("s3cret", 1700000000, BODY)
    assert not signing.verify("s3cret", BODY, signature, timestamp, now=1700000000)


def test_a_fresh_notice_verifies_and_a_stale_one_does_not():
    signature = signing.sign("s3cret", 1700000000, BODY)
    assert signing.verify("s3cret", BODY, signature, "1700000000", now=1700000299)
    assert not signing.verify("s3cret", BODY, signature, "1700000000", now=1700000301)


def test_only_web_addresses_are_ever_opened():
    with pytest.raises(ValueError, match="Not a web address"):
        webhooks.post("file:///etc/passwd", BODY, {}, timeout=1)


def test_the_masked_secret_shows_only_its_last_four_characters():
    endpoint = WebhookEndpoint(secret="abcdefghijklmnop")
    assert endpoint.masked_secret == "…mnop"


def test_page_type_filters_apply_to_page_events_only():
    endpoint = WebhookEndpoint(
        events=["page.published", "snippet.changed"],
        page_types=["studies.StudySummaryPage"],
    )
    assert endpoint.wants("page.published", "studies.StudySummaryPage")
    assert not endpoint.wants("page.published", "home.ServicePage")
    assert endpoint.wants("snippet.changed")
    assert not endpoint.wants("page.moved", "studies.StudySummaryPage")
    endpoint.is_active = False
    assert not endpoint.wants("page.published", "studies.StudySummaryPage")
