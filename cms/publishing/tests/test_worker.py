"""The worker honours go-live and expiry dates (``manage.py run_worker``)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from home.models import StandardPage
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_scheduled_page_goes_live_and_expired_page_comes_down(home_page):
    soon = timezone.now() + datetime.timedelta(hours=1)
    scheduled = StandardPageFactory(parent=home_page, title="Opening hours", live=False)
    scheduled.go_live_at = soon
    revision = scheduled.save_revision()
    revision.publish()
    scheduled.refresh_from_db()
    assert not scheduled.live  # waiting for its go-live time
    revision.refresh_from_db()
    assert revision.approved_go_live_at == soon
    # Time passes: the go-live time is now a minute ago.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    expiring = StandardPageFactory(parent=home_page, title="Winter offer")
    StandardPage.objects.filter(pk=expiring.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    out = StringIO()
    call_command("run_worker", "--no-queue", "--max-runs", "1", stdout=out)

    scheduled.refresh_from_db()
    expiring.refresh_from_db()
    assert scheduled.live
    assert not expiring.live and expiring.expired
    assert "Worker stopped." in out.getvalue()
