"""Where publishing events are sent, and the record of every attempt to send them.

Sending, signing and retrying live in ``cms/publishing/webhooks.py``; the admin (list,
"Send test", "Redeliver") in ``wagtail_hooks.py``.
"""

from django.core.exceptions import ValidationError
from django.db import models

from cms.publishing.egress import validate_webhook_url


class WebhookEvent(models.TextChoices):
    PAGE_PUBLISHED = "page.published", "Page published"
    PAGE_UNPUBLISHED = "page.unpublished", "Page unpublished"
    PAGE_MOVED = "page.moved", "Page moved"
    PAGE_DELETED = "page.deleted", "Page deleted"
    PAGE_VISIBILITY_CHANGED = (
        "page.visibility_changed",
        "Page made private or public again",
    )
    # A live page's HTML changed without a publish (a study it cites was deleted).
    PAGE_CHANGED = "page.changed", "Page changed without a publish"
    SNIPPET_CHANGED = "snippet.changed", "Snippet changed"
    # The clinic settings or a menu: what every page shows in its header and footer.
    SITE_CHANGED = "site.changed", "Clinic settings or menus changed"
    REDIRECT_CREATED = "redirect.created", "Redirect added"
    REDIRECT_DELETED = "redirect.deleted", "Redirect removed"
    # Sent only by the admin's "Send test" button, whatever the endpoint's events.
    TEST = "test", "Test"


SUBSCRIBABLE_EVENTS = [
    (value, label) for value, label in WebhookEvent.choices if value != "test"
]


class WebhookEndpoint(models.Model):
    """A frontend or service that wants to hear when published content changes."""

    name = models.CharField(
        max_length=100,
        help_text="A name you will recognise, e.g. 'Website (Next.js)'.",
    )
    url = models.URLField(
        "address",
        max_length=500,
        help_text=(
            "Where to send the notice: a public internet address starting with "
            "https:// (http:// is allowed only for localhost or 127.0.0.1 while "
            "testing). Addresses inside a private network are refused."
        ),
    )
    secret = models.CharField(
        max_length=128,
        editable=False,
        help_text="Shared secret the receiver uses to check that a notice is ours.",
    )
    events = models.JSONField(
        default=list,
        help_text="Which changes to send. Pick at least one.",
    )
    page_types = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Send page notices only for these kinds of page. Leave empty for all."
        ),
    )
    is_active = models.BooleanField(
        "sending",
        default=True,
        help_text="Untick to pause notices to this address without deleting it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "core_webhookendpoint"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        """Where notices may go (``egress.py``), however the endpoint is validated.

        Here rather than in the admin form so that ``full_clean()`` from code or
        a shell checks it too; the worker checks again before every attempt, so
        a save that skips validation still cannot send anywhere it may not.
        """
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "url" not in errors and "url" not in (exclude or ()):
            try:
                validate_webhook_url(self.url)
            except ValidationError as exc:
                errors["url"] = exc.error_list
        if errors:
            raise ValidationError(errors)

    @property
    def masked_secret(self) -> str:
        """Enough of the secret to tell two apart, never enough to use it."""
        return f"…{self.secret[-4:]}" if self.secret else ""

    def wants(self, event: str, page_type: str | None = None) -> bool:
        if not self.is_active or event not in self.events:
            return False
        return not (page_type and self.page_types and page_type not in self.page_types)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"
    # The endpoint's "sending" was unticked: nothing goes out, retries included,
    # until it is ticked again (then the notice is sent as if new).
    PAUSED = "paused", "Paused (sending to this address is off)"


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, and how sending it went.

    The row is written in the same transaction as the publish, so a crash of
    the worker or the receiver cannot lose it: a pending row is sent again.
    Only the system writes it (``editable=False``); people read it in the admin.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        editable=False,
    )
    event = models.CharField(
        max_length=32, choices=WebhookEvent.choices, editable=False
    )
    payload = models.JSONField(editable=False)
    status = models.CharField(
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
        editable=False,
    )
    attempts = models.PositiveIntegerField(default=0, editable=False)
    response_code = models.PositiveIntegerField(null=True, editable=False)
    # A short reason of ours ("HTTP 503 Service Unavailable", "Timed out after
    # 10 s"), never the receiver's reply: see ``webhooks.attempt_delivery``.
    last_error = models.TextField(blank=True, editable=False)
    next_attempt_at = models.DateTimeField(null=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    # The lease (``webhooks.claim``): which worker is sending this delivery now,
    # and until when its claim holds. A worker that dies mid-attempt leaves the
    # lease to lapse; ``send_pending_webhooks`` then queues the delivery again.
    claimed_by = models.CharField(max_length=100, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        db_table = "core_webhookdelivery"
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.get_event_display()} → {self.endpoint}"
