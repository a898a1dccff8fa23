"""Idempotent content loading: create what is missing, never overwrite edits.

Used by each app's ``demo.py`` through ``manage.py load_clinic_content``.
An item that already exists is left exactly as editors left it: if it differs
from the seed, the report says so instead of silently reverting their work.
"""

import contextvars
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry

CREATED = "created"
UNCHANGED = "unchanged"
KEPT = "kept"  # exists but differs from the seed: the editor's version wins

#: The page history entry that marks a page as created by the content loader.
IMPORTED = "clinic.imported"

logger = logging.getLogger(__name__)

STATUS_LABELS = {
    CREATED: "created  ",
    UNCHANGED: "unchanged",
    KEPT: "kept     ",
}


_trusted_setup = contextvars.ContextVar("trusted_setup", default="")


@contextmanager
def trusted_setup(reason: str):
    """Create live pages from trusted files without the clinical publish rules.

    The seed loader (and test fixtures) set the site up from content that was
    already public; ``cms.clinical`` honours this and nothing else. ``reason``
    is what the rules' log says.
    """
    logger.info("Clinical publish rules waived: %s", reason)
    token = _trusted_setup.set(reason)
    try:
        yield
    finally:
        _trusted_setup.reset(token)


def trusted_setup_reason() -> str:
    """Why the publish rules are waived right now ("" when they are not)."""
    return _trusted_setup.get()


@dataclass
class LoadReport:
    """Counts what a load did and prints one line per item as it goes."""

    write: Callable[[str], None] = lambda line: None
    counts: Counter = field(default_factory=Counter)

    def record(self, status: str, label: str, note: str = "") -> None:
        self.counts[status] += 1
        suffix = f" ({note})" if note else ""
        self.write(f"  {STATUS_LABELS[status]} {label}{suffix}")

    @property
    def changed_anything(self) -> bool:
        return self.counts[CREATED] > 0

    def summary(self) -> str:
        total = sum(self.counts.values())
        if not self.changed_anything:
            kept = self.counts[KEPT]
            extra = f"; {kept} edited since loading, kept as edited" if kept else ""
            return f"Nothing to change: all {total} items are already loaded{extra}."
        return (
            f"Loaded: {self.counts[CREATED]} created, "
            f"{self.counts[UNCHANGED]} unchanged, {self.counts[KEPT]} kept as edited."
        )


def _field_value(instance, name):
    value = getattr(instance, name)
    if hasattr(value, "raw_data"):  # StreamValue: compare types and values only
        return [(block["type"], block["value"]) for block in value.raw_data]
    return value


def _desired_value(value):
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [(block["type"], block["value"]) for block in value]
    return value


def differs(instance, values: dict, children: dict, many: dict) -> bool:
    """Whether an existing object no longer matches the seed's values."""
    for name, value in values.items():
        if _field_value(instance, name) != _desired_value(value):
            return True
    for relation, items in children.items():
        current = [
            {key: getattr(child, key) for key in items[0]} if items else {}
            for child in getattr(instance, relation).all()
        ]
        if current != list(items):
            return True
    for relation, objects in many.items():
        current = {obj.pk for obj in getattr(instance, relation).all()}
        if current != {obj.pk for obj in objects}:
            return True
    return False


def ensure_page(
    parent: Page,
    model: type[Page],
    *,
    slug: str,
    values: dict,
    report: LoadReport,
    children: dict[str, list[dict]] | None = None,
    many: dict[str, Iterable[models.Model]] | None = None,
) -> Page:
    """The live child page ``slug`` of ``parent``: created and published if missing.

    ``values`` are field values, ``children`` inline (ParentalKey) rows as dicts,
    ``many`` ParentalManyToMany objects. An existing page is never modified.
    """
    children = children or {}
    many = {name: list(objects) for name, objects in (many or {}).items()}
    label = f"{model._meta.verbose_name}: {values.get('title', slug)}"
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        latest = existing.get_latest_revision_as_object()
        status = KEPT if differs(latest, values, children, many) else UNCHANGED
        report.record(status, label, "differs from the seed" if status == KEPT else "")
        return existing

    page = model(slug=slug, **values)
    related_models = {
        relation: page._meta.get_field(relation).related_model for relation in children
    }
    for relation, items in children.items():
        child_model = related_models[relation]
        # Orderable rows need an explicit sort_order: without one their order
        # is whatever the database returns (it differs on PostgreSQL).
        ordered = any(f.name == "sort_order" for f in child_model._meta.fields)
        setattr(
            page,
            relation,
            [
                child_model(**({"sort_order": index} if ordered else {}), **item)
                for index, item in enumerate(items)
            ],
        )
    for relation, objects in many.items():
        setattr(page, relation, objects)
    if getattr(model, "is_clinical", False) and not trusted_setup_reason():
        # Not the first set-up: an editor removed or renamed it since. Put it
        # back as a draft; only a clinician's review brings it live again.
        page.live = False
        parent.add_child(instance=page)
        page.save_revision(log_action=True)
        mark_imported(page)
        report.record(CREATED, label, "as a draft: it needs Clinical review")
        return page
    # add_child saves with Wagtail's full_clean, so the page's own rules apply.
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    mark_imported(page)
    report.record(CREATED, label)
    return page


def mark_imported(page: Page) -> None:
    """Record in the page's history that it came from the clinic's content file.

    The "Still missing" panel tells editors of such pages that the loader
    left unknown facts empty rather than inventing them; a page an editor
    created has no such entry, so it is not told that.
    """
    log(page, IMPORTED, data={"source": "clinic content file"})


def was_imported(page: Page) -> bool:
    """Whether ``page`` was created by the content loader (``mark_imported``)."""
    if not page.pk:
        return False
    return PageLogEntry.objects.filter(page_id=page.pk, action=IMPORTED).exists()


def ensure_object(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict,
    report: LoadReport,
    label: str,
) -> models.Model:
    """A snippet or setting matched by ``lookup``: created if missing, else kept."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        status = KEPT if differs(existing, values, {}, {}) else UNCHANGED
        report.record(status, label, "differs from the seed" if status == KEPT else "")
        return existing
    instance = model(**lookup, **values)
    instance.full_clean()
    instance.save()
    report.record(CREATED, label)
    return instance
