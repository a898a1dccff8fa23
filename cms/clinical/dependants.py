"""Live clinical pages that cite something, and what happens when it goes.

A live, reviewed service can cite a study summary (a related-studies row or a
study reference in its body), show a disclaimer, name its reviewer and
authors (clinicians) and the conditions it treats. When one of those is
deleted or unpublished the page changes without anyone editing it, so each
live clinical page that cited it gets a log entry in its history, a
"Changed since review" flag (the next approval resolves it), and a
``live_pages_changed`` signal that publishing turns into webhooks and purges.

The effects hang on Django's and Wagtail's signals, not on an admin view, so
every door is covered: the admin, bulk actions, the API and code. The citing
pages are found before the rows go (``pre_delete``) and acted on once the
deletion commits, when it is certain and the pages that remain are known.
"""

import functools
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import (
    ModelLogEntry,
    Page,
    PageLogEntry,
    ReferenceIndex,
    get_page_models,
)
from wagtail.signals import page_unpublished

from cms.clinical.records import ClinicalFlag
from cms.core.models import Clinician, Condition, Disclaimer
from cms.core.signals import live_pages_changed

# The log action recorded on each citing page (registered in dependants_admin).
CITATION_REMOVED = "clinical.citation_removed"
# What ``live_pages_changed`` says to receivers.
REASON = "citation_removed"
# Snippets clinical pages cite; pages cite study summaries (``is_evidence_source``).
CITED_SNIPPETS = (Clinician, Condition, Disclaimer)


# Which pages cite what


def can_be_cited(obj) -> bool:
    """Whether deleting or unpublishing ``obj`` can change a clinical page."""
    if isinstance(obj, Page):
        return bool(getattr(obj.specific_class, "is_evidence_source", False))
    return isinstance(obj, CITED_SNIPPETS)


def live_clinical_pages_citing(obj) -> list:
    """Live clinical pages (specific objects, by title) that cite ``obj``.

    Read from the pages' own rows, so a citation published a moment ago counts
    even though Wagtail's reference index is refreshed by a background task;
    the index adds what rows cannot show, such as study references inside a
    body. Drafts are not read: only what visitors see changes.
    """
    page_ids = _ids_from_rows(obj) | _ids_from_reference_index(obj)
    if isinstance(obj, Page):
        page_ids.discard(obj.pk)
    if not page_ids:
        return []
    pages = Page.objects.live().filter(pk__in=page_ids).specific()
    citing = [page for page in pages if getattr(page, "is_clinical", False)]
    return sorted(citing, key=lambda page: (page.title.lower(), page.pk))


def _ids_from_reference_index(obj) -> set[int]:
    references = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return {int(pk) for pk in references.values_list("object_id", flat=True)}


def _ids_from_rows(obj) -> set[int]:
    target = obj.specific_class if isinstance(obj, Page) else type(obj)
    ids = set()
    for model, lookup, page_field in _citing_fields(target):
        rows = model._default_manager.filter(**{lookup: obj.pk})
        ids.update(rows.values_list(page_field, flat=True))
    return ids


@functools.cache
def _citing_fields(target: type) -> tuple[tuple[type, str, str], ...]:
    """Where clinical pages point at ``target``: (model, field, page id field).

    A foreign key or many-to-many field of a clinical page model itself (the
    reviewer, the disclaimer, the conditions), or of its inline rows (related
    studies, authors). Found from the models, which name no page type here.
    """
    found = []
    for model in get_page_models():
        if model._meta.abstract or not getattr(model, "is_clinical", False):
            continue
        found.extend((model, name, "pk") for name in _fields_to(model, target))
        for relation in get_all_child_relations(model):
            child = relation.related_model
            found.extend(
                (child, name, relation.field.attname)
                for name in _fields_to(child, target)
            )
    return tuple(found)


def _fields_to(model: type, target: type) -> list[str]:
    """``model``'s own relation fields that can hold a ``target``.

    Fields Wagtail's ``Page`` declares (owner, alias of) and parental keys
    are not citations.
    """
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.many_to_many)
        and field.model is model
        and not isinstance(field, ParentalKey)
        and isinstance(field.related_model, type)
        and issubclass(target, field.related_model)
    ]


# What happens to them


@dataclass(frozen=True)
class Removal:
    """What was removed, in editors' words, kept for after it is gone."""

    kind: str  # "study summary", "clinician", ...
    title: str
    change: str  # "deleted", "unpublished" or "changed"
    verb: str = "cites"  # pages cite studies; they name people and conditions

    @classmethod
    def of(cls, obj, change: str) -> "Removal":
        if isinstance(obj, Page):
            kind = obj.specific_class._meta.verbose_name
            return cls(kind=kind, title=obj.title, change=change)
        return cls(obj._meta.verbose_name, str(obj), change, verb="names")

    @property
    def message(self) -> str:
        return (
            f"The {self.kind} “{self.title}” that this page {self.verb} was "
            f"{self.change}. A clinician should check the page."
        )


def record_removal(page_ids, removal: Removal, user=None) -> list:
    """Log, flag and announce each citing page that is still live.

    Run after the change commits; a page deleted in the same change (a whole
    section removed) is no longer there to flag. One transaction, so the log
    entries, flags and webhook deliveries are stored together.
    """
    with transaction.atomic():
        pages = list(Page.objects.live().filter(pk__in=page_ids).specific())
        for page in pages:
            log(
                instance=page,
                action=CITATION_REMOVED,
                user=user,
                content_changed=True,
                data={
                    "kind": removal.kind,
                    "title": removal.title,
                    "change": removal.change,
                    "message": removal.message,
                },
            )
            ClinicalFlag.objects.create(
                page=page,
                kind=ClinicalFlag.Kind.CITATION_REMOVED,
                message=removal.message,
            )
        if pages:
            live_pages_changed.send(sender=Page, pages=pages, reason=REASON)
    return pages


def _after_commit(obj, change: str, still_true=None) -> None:
    """Find the citing pages now; log, flag and announce them on commit.

    ``still_true`` is asked at commit time whether the change really happened.
    """
    pages = live_clinical_pages_citing(obj)
    if not pages:
        return
    removal = Removal.of(obj, change)
    page_ids = [page.pk for page in pages]
    model = obj.specific_class if isinstance(obj, Page) else type(obj)
    pk = obj.pk  # Django clears it once the row is deleted
    user = get_active_log_context().user  # set by the admin's views

    def act():
        if still_true is None or still_true():
            who = user or _removed_by(model, pk, change)
            record_removal(page_ids, removal, who)

    transaction.on_commit(act, robust=True)


def _removed_by(model, pk, change: str):
    """The account Wagtail logged as deleting or unpublishing the object.

    For doors that set no log context (the API): Wagtail's own actions log
    who acted, and that entry outlives the object.
    """
    action = {
        "deleted": "wagtail.delete",
        "unpublished": "wagtail.unpublish",
        "changed": "wagtail.edit",
    }[change]
    if issubclass(model, Page):
        entries = PageLogEntry.objects.filter(page_id=pk)
    else:
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(
                model, for_concrete_model=False
            ),
            object_id=str(pk),
        )
    entry = entries.filter(action=action).order_by("-timestamp", "-pk").first()
    return entry.user if entry else None


@receiver(pre_delete, sender=Page, dispatch_uid="clinical-cited-page-deleted")
def cited_page_deleted(sender, instance, **kwargs):
    # Sent for the base Page row of every deleted page, whichever door.
    if can_be_cited(instance):
        _after_commit(instance, "deleted")


@receiver(page_unpublished, dispatch_uid="clinical-cited-page-unpublished")
def cited_page_unpublished(sender, instance, **kwargs):
    """A study unpublished: its card leaves the pages that cite it.

    Wagtail also unpublishes a live page (in memory) just before deleting it;
    then the page is gone at commit and the deletion is what gets recorded.
    """
    if can_be_cited(instance):
        pk = instance.pk
        _after_commit(
            instance,
            "unpublished",
            still_true=lambda: Page.objects.filter(pk=pk, live=False).exists(),
        )


@receiver(pre_delete, sender=Clinician, dispatch_uid="clinical-cited-clinician-deleted")
@receiver(pre_delete, sender=Condition, dispatch_uid="clinical-cited-condition-deleted")
@receiver(
    pre_delete, sender=Disclaimer, dispatch_uid="clinical-cited-disclaimer-deleted"
)
def cited_snippet_deleted(sender, instance, **kwargs):
    # A disclaimer a page shows is protected: Django refuses before this runs.
    _after_commit(instance, "deleted")


#: What visitors read of a cited snippet on the pages that cite it.
VISIBLE_WORDS = {
    Condition: ("name", "description"),
    Clinician: ("name", "credentials", "role"),
    Disclaimer: ("text", "version"),
}


@receiver(pre_save, sender=Clinician, dispatch_uid="clinical-cited-clinician-changed")
@receiver(pre_save, sender=Condition, dispatch_uid="clinical-cited-condition-changed")
@receiver(pre_save, sender=Disclaimer, dispatch_uid="clinical-cited-disclaimer-changed")
def cited_snippet_changed(sender, instance, raw=False, **kwargs):
    """Rewording a condition, clinician or disclaimer changes reviewed live pages.

    The pages showing it are logged, flagged and announced like a removal, so
    a clinician checks them; a save that changes none of these words does not.
    """
    if raw or instance.pk is None:
        return
    names = VISIBLE_WORDS[sender]
    before = sender.objects.filter(pk=instance.pk).values(*names).first()
    if before is None or all(before[n] == getattr(instance, n) for n in names):
        return
    _after_commit(instance, "changed")
