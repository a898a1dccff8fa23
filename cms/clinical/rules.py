"""The publish rules: what must be true before a clinical page version goes live.

One engine for every door. ``enforcement.py`` asks ``publish_blockers`` whenever
a page row is saved live with a new version (the editor, bulk actions,
workflow approval, scheduled go-live, every API write, ``Revision.publish()``
from code); the admin hooks ask it first so editors get the same words before
anything is attempted. Concrete page types are recognised by attributes on
their classes (``is_clinical``, ``clinical_fields``, ``required_sections``,
``uses_ketamine()``), never imported.
"""

import json
import re

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.fields import StreamField

from cms.clinical.records import ClinicalApproval
from cms.clinical.wording import fda_claims
from cms.core.models import Clinician, Disclaimer


class PublishRefused(ValidationError):
    """A page version that may not go live; ``problems`` say why, in editors' words.

    A ``ValidationError``, so the API answers 422 with one entry per problem
    and the admin can show each one.
    """

    def __init__(self, page, problems: list[str]):
        self.page = page
        self.problems = list(problems)
        title = getattr(page, "title", "") or "This page"
        super().__init__(
            [f"“{title}” was not published. {problem}" for problem in self.problems],
            code="publish_refused",
        )


def clinician_for(user):
    """The active clinician record linked to an admin account, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Clinician.objects.filter(user=user, is_active=True).first()


# What a clinician approved, and whether it is still what goes live


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
_BETWEEN_TAGS = re.compile(r">\s+<")
_SAME_TAGS = {"<strong>": "<b>", "</strong>": "</b>", "<em>": "<i>", "</em>": "</i>"}


def _same_text(value):
    """Rich text as it reads: the editor's block keys and empty paragraphs dropped.

    Saving a page in the editor rewrites its HTML that way without changing a
    word; that alone must not count as a change since review.
    """
    if not isinstance(value, str) or "<" not in value:
        return value
    value = value.replace("&nbsp;", " ").replace("\u00a0", " ")
    for tag, same in _SAME_TAGS.items():
        value = value.replace(tag, same)
    value = _EMPTY_PARAGRAPH.sub("", _BLOCK_KEY.sub("", value))
    return _BETWEEN_TAGS.sub("><", " ".join(value.split()))


def _without_ids(value):
    """Stream block data without block ids, its rich text as it reads."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return _same_text(value)


def _row(row) -> dict:
    return {
        field.attname: _same_text(_json(field.value_from_object(row)))
        for field in row._meta.concrete_fields
        if not field.primary_key
        and field.name != "sort_order"
        and not isinstance(field, ParentalKey)
    }


def _field_value(page, name: str):
    field = page._meta.get_field(name)
    if field.one_to_many or (field.auto_created and not field.concrete):
        return [_row(row) for row in getattr(page, name).all()]
    if field.many_to_many:
        # The words visitors read (a condition's name), not only which rows.
        # Lists, not tuples: the approval stores this as JSON and reads back
        # lists, and a tuple never equals a list.
        return sorted(
            [related.pk, str(related)] for related in getattr(page, name).all()
        )
    if isinstance(field, StreamField):
        value = getattr(page, name)
        return _without_ids(_json(value.get_prep_value())) if value else []
    if isinstance(field, models.ForeignKey):
        return getattr(page, field.attname)
    return _same_text(_json(field.value_from_object(page)))


def clinical_snapshot(page) -> dict:
    """The page's clinical fields (``clinical_fields``) as comparable data."""
    return {name: _field_value(page, name) for name in page.clinical_fields}


def _field_label(page, name: str) -> str:
    field = page._meta.get_field(name)
    if field.one_to_many or (field.auto_created and not field.concrete):
        return name.replace("_", " ").capitalize()  # "Related studies"
    return str(field.verbose_name).capitalize()


def latest_approval(page):
    """The most recent clinical approval of ``page``, or ``None``."""
    if page.pk is None:
        return None
    return (
        ClinicalApproval.objects.filter(page_id=page.pk)
        .order_by("-approved_at", "-pk")
        .first()
    )


def approved_content(approval) -> dict | None:
    """What the approval covered; older approvals point at their live revision."""
    if approval.clinical_content is not None:
        return approval.clinical_content
    if approval.revision is None:
        return None
    return clinical_snapshot(approval.revision.as_object())


def changed_since_review(page) -> list[str] | None:
    """Labels of clinical fields changed since the last approval (``None``: never)."""
    # An alias shows its original's content, so the original's approval counts.
    subject = page.alias_of.specific if page.alias_of_id else page
    approval = latest_approval(subject)
    approved = approved_content(approval) if approval else None
    if approved is None:
        return None
    now = clinical_snapshot(page)
    return [
        _field_label(page, name)
        for name in page.clinical_fields
        if now.get(name) != approved.get(name)
    ]


# The rules


def uses_ketamine(page) -> bool:
    """Ticked as a ketamine service, or naming ketamine anywhere it matters."""
    detect = getattr(page, "uses_ketamine", None)
    return bool(detect()) if callable(detect) else False


def disclaimer_blockers(page, *, for_reviewer: bool = False) -> list[str]:
    """Why a ketamine service cannot go live with its current disclaimer.

    ``for_reviewer``: the reader is the medical reviewer, who adds disclaimers
    themselves (a reviewer is never told to ask a reviewer).
    """
    if not uses_ketamine(page):
        return []
    kind = Disclaimer.Kind.KETAMINE_OFF_LABEL
    active = Disclaimer.objects.filter(kind=kind, is_active=True).first()
    chosen = page.disclaimer if page.disclaimer_id else None
    if active is None:
        who = "Add one" if for_reviewer else "Ask a medical reviewer to add one"
        return [
            "This service involves ketamine, and there is no off-label ketamine "
            f"disclaimer in use. {who} under Clinical › "
            "Disclaimers and tick “in use”, then choose it on this page."
        ]
    if chosen is None or chosen.pk != active.pk:
        return [
            "This service involves ketamine, so it must show the off-label "
            f"ketamine disclaimer in use ({active.version}). Choose it under "
            "“Disclaimer and booking” (Content tab)."
        ]
    return []


def section_blockers(page) -> list[str]:
    """Safety sections the page type requires (``required_sections``) left empty."""
    missing = [
        _field_label(page, name)
        for name in getattr(page, "required_sections", ())
        if not strip_tags(str(getattr(page, name, "") or "")).strip()
    ]
    if not missing:
        return []
    return [
        f"The {page._meta.verbose_name} needs "
        + ", ".join(f"“{label}”" for label in missing)
        + " (Content tab): patients must read these before they book. An editor "
        "can fill them in."
    ]


def review_blockers(page) -> list[str]:
    """Why this version of a clinical page has no clinician's approval."""
    if not getattr(page, "is_clinical", False):
        return []
    changed = changed_since_review(page)
    if changed is None:
        return [
            "This clinical page has not been medically reviewed. Save it and "
            "choose “Submit to Clinical review”: a medical reviewer's approval "
            "records the review and publishes it."
        ]
    if changed:
        return [
            "Its clinical content changed since the last medical review ("
            + ", ".join(changed)
            + "). Submit it to Clinical review again; the reviewer's approval "
            "publishes it. Changes to search and sharing fields alone publish "
            "directly."
        ]
    return []


def publish_blockers(page) -> list[str]:
    """Everything that stops this page version going live, in editors' words."""
    if not getattr(page, "is_clinical", False):
        return []
    return [*review_blockers(page), *section_blockers(page), *disclaimer_blockers(page)]


def approval_blockers(page, user, *, fda_wording_checked: bool = False) -> list[str]:
    """Why this user cannot approve this page in clinical review right now."""
    problems = []
    if clinician_for(user) is None:
        problems.append(
            "Your account is not linked to an active clinician, so your approval "
            "cannot be recorded as a medical review. Ask an administrator to "
            "choose your account on your record under Clinical › Clinicians."
        )
    latest = page.get_latest_revision_as_object()
    problems.extend(section_blockers(latest))
    problems.extend(disclaimer_blockers(latest, for_reviewer=True))
    if fda_claims(latest) and not fda_wording_checked:
        problems.append(
            "The page says “FDA-approved” (or cleared) beside pain or depression, "
            "but ketamine is FDA-approved as an anaesthetic only. Reword it, or "
            "tick “I have checked the FDA wording” when you approve."
        )
    return problems
