"""The banner an editor, reviewer or publisher reads after a clinical action.

One banner per outcome, in the words of the person who acted: "Approved and
published", "Approved: goes live on 3 March at 09:00", "Not published: …".
Wagtail adds its own generic lines along the way ("Page 'X' has been
updated.", "… submitted for moderation."); shown above a refusal they read as
a contradiction. So clinical outcomes are announced here, tagged, and
``one_banner_per_outcome`` (run by the admin middleware before the messages are
stored or drawn) drops Wagtail's generic lines of the same request.
"""

import datetime

from django.contrib import messages as django_messages
from django.utils import timezone
from wagtail.admin import messages as admin_messages

#: Marks a message as the outcome of a clinical action.
OUTCOME_TAG = "clinical-outcome"
# Wagtail's generic confirmations; warnings and errors are always kept.
_GENERIC_LEVELS = {django_messages.SUCCESS, django_messages.INFO}


def when(moment: datetime.datetime, today: datetime.date | None = None) -> str:
    """ "3 March at 09:00" (the year only when it is not this year), local time."""
    local = timezone.localtime(moment)
    today = today or timezone.localdate()
    day = f"{local.day} {local:%B}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day} at {local:%H:%M}"


def success(request, text: str) -> None:
    """Say what happened; this is the only banner of the request's outcome.

    Wagtail's helpers escape the text (titles are typed by editors) and draw
    it as the admin draws its own messages.
    """
    admin_messages.success(request, text, extra_tags=OUTCOME_TAG)


def refusal(request, text: str) -> None:
    admin_messages.error(request, text, extra_tags=OUTCOME_TAG)


def one_banner_per_outcome(request) -> None:
    """Drop Wagtail's generic confirmations when a clinical outcome was announced.

    Only messages added during this request are looked at (Django keeps them
    in the storage's queue until the response is stored); there is no public
    API to withdraw a queued message, hence the queue is read directly.
    """
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", None)
    if not queued:
        return
    if not any(OUTCOME_TAG in (message.extra_tags or "") for message in queued):
        return
    queued[:] = [
        message
        for message in queued
        if OUTCOME_TAG in (message.extra_tags or "")
        or message.level not in _GENERIC_LEVELS
    ]


def approved_text(page) -> str:
    """What a reviewer reads after approving: published now, or when it goes live."""
    title = page.get_admin_display_title()
    scheduled = page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at:
        go_live = when(scheduled.approved_go_live_at)
        return f"Approved: “{title}” goes live on {go_live}."
    if page.live:
        return f"Approved and published: “{title}” is live."
    return f"Approved: “{title}”."


def _after_colon(problems: list[str]) -> str:
    """The problems as one sentence run on after "Not approved:"."""
    text = " ".join(problems)
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def not_approved_text(problems: list[str]) -> str:
    return "Not approved: " + _after_colon(problems)


def not_published_text(problems: list[str], *, draft_kept: bool = True) -> str:
    text = "Not published: " + _after_colon(problems)
    if draft_kept:
        text += " Your changes are saved as a draft."
    return text


def submitted_text(page) -> str:
    title = page.get_admin_display_title()
    go_live = page.go_live_at
    timing = (
        f"When they approve it, it goes live on {when(go_live)}."
        if go_live and go_live > timezone.now()
        else "It goes live when they approve it."
    )
    return (
        f"Submitted to Clinical review: a medical reviewer will check “{title}”. "
        f"{timing} To change it before then, choose “Withdraw from Clinical "
        "review” on its edit screen."
    )


def withdrawn_text(page) -> str:
    return (
        f"Withdrawn from Clinical review: you can edit “"
        f"{page.get_admin_display_title()}” again. Choose “Submit to Clinical "
        "review” when it is ready."
    )


def review_started_text(page) -> str:
    return (
        f"“{page.get_admin_display_title()}” is now in Clinical review: medical "
        "reviewers see it on their dashboard and can approve it from its edit "
        "screen."
    )
