"""Typed values embedded in v3 page payloads.

Stock v3 renders a foreign key as an ``{id, meta}`` stub and a property as an
untyped ``Any``. Snippet endpoints need a token even to read, so a frontend could
not resolve those stubs anonymously. These DRF-compatible fields (the v3
``APIField(serializer=…)`` path) embed the public details instead, and their
``to_representation`` return annotations give the OpenAPI document real types.
"""

import datetime
from functools import cache
from typing import Any, Literal, get_type_hints

from django.db.models import Choices
from rest_framework.fields import Field
from typing_extensions import TypedDict

from cms.core.citations import format_ama
from cms.core.visibility import is_public

ReviewStatusLiteral = Literal["not_reviewed", "current", "due_soon", "overdue"]


class ClinicianDict(TypedDict):
    id: int
    name: str
    credentials: str
    display_name: str
    role: str
    bio: str
    profile_url: str


class ConditionDict(TypedDict):
    id: int
    name: str
    slug: str
    description: str


class PageLinkDict(TypedDict):
    id: int
    title: str
    url: str | None


class MedicalReviewDict(TypedDict):
    status: ReviewStatusLiteral
    status_label: str
    reviewed_by: ClinicianDict | None
    last_reviewed: datetime.date | None
    next_review_due: datetime.date | None


def public_page_link(page, request) -> PageLinkDict | None:
    """A link to a live, public page, or ``None``: a link carries the title, so a
    draft or private page is never named (``cms.core.visibility``)."""
    if not is_public(page, request):
        return None
    return PageLinkDict(id=page.pk, title=page.title, url=page.get_full_url(request))


def clinician_dict(clinician) -> ClinicianDict:
    return ClinicianDict(
        id=clinician.pk,
        name=clinician.name,
        credentials=clinician.credentials,
        display_name=clinician.display_name,
        role=clinician.role,
        bio=clinician.bio,
        profile_url=clinician.profile_url,
    )


def choice_literal(choices: type[Choices], blank: bool = False) -> Any:
    """The stored values of a set of choices, as a ``Literal`` (an OpenAPI enum).

    ``blank`` adds ``""`` (nothing chosen) when the set lacks it.
    """
    values = [str(value) for value in choices.values]
    if blank and "" not in values:
        values.append("")
    return Literal[tuple(values)]


class ReadOnlyField(Field):
    """A read-only field; subclasses only say how to represent the value.

    ``nullable`` says whether the payload can hold ``null`` here: only a field
    whose source can be empty (an optional foreign key) is; lists, computed
    values and ``source="*"`` fields always have a value.
    """

    nullable = False

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def represent(self, value, request):
        """Like ``to_representation``, with the request (see ``cms/api/context.py``)."""
        return self.to_representation(value)

    def api_type(self) -> Any:
        """The payload's type for the OpenAPI document, ``null`` aside.

        By default ``to_representation``'s return annotation; a field whose
        type depends on its arguments (a set of choices) overrides this.
        """
        return get_type_hints(self.to_representation)["return"]


class ClinicianField(ReadOnlyField):
    """A clinician's public details, in place of a snippet stub."""

    nullable = True  # an optional foreign key

    def to_representation(self, value) -> ClinicianDict:
        return clinician_dict(value)


class ClinicianListField(ReadOnlyField):
    """Several clinicians (e.g. authors), in the order the editor set."""

    def to_representation(self, value) -> list[ClinicianDict]:
        return [clinician_dict(clinician) for clinician in value]


class ConditionListField(ReadOnlyField):
    """The conditions a page is about, with names and slugs for filters."""

    def to_representation(self, value) -> list[ConditionDict]:
        return [
            ConditionDict(
                id=condition.pk,
                name=condition.name,
                slug=condition.slug,
                description=condition.description,
            )
            for condition in value.all()
        ]


class PageLinkListField(ReadOnlyField):
    """Links to other live pages (related studies, supported services).

    ``pages_for`` names the page's method that gives them for a request (e.g.
    ``related_studies_for``): they are then checked against the view
    restrictions the request has read already, and shared with the JSON-LD
    that asked for them first, instead of read again without the request.
    """

    def __init__(self, pages_for: str | None = None, **kwargs):
        self.pages_for = pages_for
        if pages_for:
            kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> list[PageLinkDict]:
        return self.represent(value, None)

    def represent(self, value, request):
        if self.pages_for:
            value = getattr(value, self.pages_for)(request)
        links = (public_page_link(page, request) for page in value)
        return [link for link in links if link is not None]


class MedicalReviewField(ReadOnlyField):
    """Who reviewed the page, when, when it is next due, and the derived status."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> MedicalReviewDict:
        status = value.review_status
        reviewer = value.reviewed_by
        return MedicalReviewDict(
            status=status.value,
            status_label=status.label,
            reviewed_by=clinician_dict(reviewer) if reviewer else None,
            last_reviewed=value.last_reviewed,
            next_review_due=value.next_review_due,
        )


class ChoiceDict(TypedDict):
    value: str
    label: str


@cache
def choice_dict_type(choices: type[Choices]) -> type:
    """``{value, label}`` with ``value`` one of ``choices``: one schema per set."""
    return TypedDict(
        f"{choices.__name__}Choice", {"value": choice_literal(choices), "label": str}
    )


class ChoiceValueField(ReadOnlyField):
    """A choice (e.g. a study design) with its stored value and its plain label.

    ``choices`` is the set the value comes from, so the OpenAPI document lists
    the values a frontend can meet (an enum, not any string).
    """

    def __init__(self, choices: type[Choices], **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def to_representation(self, value) -> ChoiceDict:
        return ChoiceDict(value=str(value.value), label=str(value.label))

    def api_type(self) -> Any:
        return choice_dict_type(self.choices)


class CitationDict(TypedDict):
    title: str
    authors: list[str]
    journal: str
    year: int | None
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str
    pmcid: str
    url: str
    ama: str
    doi_url: str | None
    pubmed_url: str | None
    pmc_url: str | None


class CitationField(ReadOnlyField):
    """A structured citation with its AMA text and resolver links."""

    def to_representation(self, value) -> CitationDict:
        urls = value.identifier_urls
        return CitationDict(
            title=value.title,
            authors=list(value.authors),
            journal=value.journal,
            year=value.year,
            volume=value.volume,
            issue=value.issue,
            pages=value.pages,
            doi=value.doi,
            pmid=value.pmid,
            pmcid=value.pmcid,
            url=value.url,
            ama=format_ama(value),
            doi_url=urls.get("doi"),
            pubmed_url=urls.get("pubmed"),
            pmc_url=urls.get("pmc"),
        )


class DisclaimerDict(TypedDict):
    id: int
    kind: str
    version: str
    text: str


@cache
def disclaimer_dict_type(kinds: type[Choices]) -> type:
    """``DisclaimerDict`` with ``kind`` one of ``kinds``; built once per set.

    ``""`` is allowed too: a disclaimer saved without validation (a v3
    snippet create) has no kind, and the page must still be served.
    """
    return TypedDict(
        "DisclaimerDict",
        {
            "id": int,
            "kind": choice_literal(kinds, blank=True),
            "version": str,
            "text": str,
        },
    )


class DisclaimerField(ReadOnlyField):
    """The disclaimer a page shows, with the version of its wording.

    ``kinds`` are the disclaimer kinds (``Disclaimer.Kind``), passed by the page
    model: this module cannot import models (they import it).
    """

    nullable = True  # a page may have no disclaimer chosen yet

    def __init__(self, kinds: type[Choices], **kwargs):
        self.kinds = kinds
        super().__init__(**kwargs)

    def api_type(self) -> Any:
        return disclaimer_dict_type(self.kinds)

    def to_representation(self, value) -> DisclaimerDict:
        return DisclaimerDict(
            id=value.pk, kind=value.kind, version=value.version, text=value.text
        )


class BooleanValueField(ReadOnlyField):
    """A computed yes/no (e.g. ``is_preclinical``), typed as a boolean."""

    def to_representation(self, value) -> bool:
        return bool(value)
