"""The page's JSON-LD graph in API payloads: the very object the HTML embeds.

``cms.core.jsonld.page_graph`` builds it for both, so a headless frontend can
print it into ``<script type="application/ld+json">`` unchanged.

Each node the graph can hold has its own schema here, one per ``@type``, with
the keys ``cms/core/jsonld.py`` may set (``NotRequired`` where a node leaves a
key out rather than guess). There is no recursive "any JSON" type: generators
such as openapi-typescript cannot type a recursive alias, so a frontend would
get ``any``. Unknown keys are refused (``extra="forbid"``), so a node builder
that adds a key without adding it here fails the tests instead of sending an
undocumented field.
"""

from typing import Annotated, Literal, NotRequired, Union

from django.apps import apps
from pydantic import ConfigDict, Field
from typing_extensions import TypedDict

from cms.core import jsonld
from cms.core.serializers.fields import ReadOnlyField

STRICT = ConfigDict(extra="forbid")


def node(name: str, keys: dict) -> type:
    """A TypedDict for one node type; keys such as ``@type`` need this form."""
    schema = TypedDict(name, keys)
    schema.__pydantic_config__ = STRICT
    return schema


NodeReference = node("JsonLdReference", {"@id": str})

PostalAddress = node(
    "JsonLdPostalAddress",
    {
        "@type": Literal["PostalAddress"],
        "addressCountry": str,
        "streetAddress": NotRequired[str],
        "addressLocality": NotRequired[str],
        "addressRegion": NotRequired[str],
        "postalCode": NotRequired[str],
    },
)

Person = node(
    "JsonLdPerson",
    {
        "@type": Literal["Person"],
        "name": str,
        "honorificSuffix": NotRequired[str],
        "jobTitle": NotRequired[str],
        "url": NotRequired[str],
    },
)

MedicalCondition = node(
    "JsonLdMedicalCondition",
    {"@type": Literal["MedicalCondition"], "name": str},
)

Periodical = node("JsonLdPeriodical", {"@type": Literal["Periodical"], "name": str})

PropertyValue = node(
    "JsonLdPropertyValue",
    {
        "@type": Literal["PropertyValue"],
        "propertyID": Literal["DOI", "PMID", "PMCID"],
        "value": str,
    },
)

MedicalScholarlyArticle = node(
    "JsonLdMedicalScholarlyArticle",
    {
        "@type": Literal["MedicalScholarlyArticle"],
        "@id": str,
        "headline": str,
        "author": NotRequired[list[Person]],
        "isPartOf": NotRequired[Periodical],
        "datePublished": NotRequired[str],
        "identifier": NotRequired[list[PropertyValue]],
        "sameAs": NotRequired[list[str]],
    },
)

OpeningHoursSpecification = node(
    "JsonLdOpeningHoursSpecification",
    {
        "@type": Literal["OpeningHoursSpecification"],
        "dayOfWeek": list[str],
        "opens": str,
        "closes": str,
    },
)

MedicalClinic = node(
    "JsonLdMedicalClinic",
    {
        "@type": Literal["MedicalClinic"],
        "@id": str,
        "name": str,
        "url": str,
        "telephone": NotRequired[str],
        "email": NotRequired[str],
        "address": NotRequired[PostalAddress],
        "openingHours": NotRequired[list[str]],
        "openingHoursSpecification": NotRequired[list[OpeningHoursSpecification]],
    },
)

WebSite = node(
    "JsonLdWebSite",
    {
        "@type": Literal["WebSite"],
        "@id": str,
        "url": str,
        "name": str,
        "publisher": NodeReference,
    },
)

MedicalAudience = node(
    "JsonLdMedicalAudience",
    {"@type": Literal["MedicalAudience"], "audienceType": Literal["Patient"]},
)

#: What every web page node has, and what page types may link from it.
WEBPAGE_KEYS = {
    "@id": str,
    "url": str,
    "name": str,
    "isPartOf": NodeReference,
    "publisher": NodeReference,
    "breadcrumb": NodeReference,
    "description": NotRequired[str],
    # Set by a page type's ``jsonld_entities``.
    "mainEntity": NotRequired[NodeReference],
    "about": NotRequired[NodeReference],
    "isBasedOn": NotRequired[NodeReference],
    "citation": NotRequired[list[MedicalScholarlyArticle]],
}

WebPage = node("JsonLdWebPage", {"@type": Literal["WebPage"], **WEBPAGE_KEYS})

MedicalWebPage = node(
    "JsonLdMedicalWebPage",
    {
        "@type": Literal["MedicalWebPage"],
        **WEBPAGE_KEYS,
        "medicalAudience": MedicalAudience,
        "lastReviewed": NotRequired[str],
        "reviewedBy": NotRequired[Person],
    },
)

Drug = node(
    "JsonLdDrug",
    {
        "@type": Literal["Drug"],
        "name": str,
        "nonProprietaryName": str,
        "prescriptionStatus": str,
    },
)

MedicalTherapy = node(
    "JsonLdMedicalTherapy",
    {
        "@type": Literal["MedicalTherapy"],
        "@id": str,
        "name": str,
        "indication": NotRequired[list[MedicalCondition]],
        "drug": NotRequired[Drug],
    },
)

Article = node(
    "JsonLdArticle",
    {
        "@type": Literal["Article"],
        "@id": str,
        "headline": str,
        "datePublished": str,
        "publisher": NodeReference,
        "dateModified": NotRequired[str],
        "author": NotRequired[list[Person]],
        "citation": NotRequired[list[MedicalScholarlyArticle]],
    },
)

ListItem = node(
    "JsonLdListItem",
    {"@type": Literal["ListItem"], "position": int, "name": str, "item": str},
)

BreadcrumbList = node(
    "JsonLdBreadcrumbList",
    {
        "@type": Literal["BreadcrumbList"],
        "@id": str,
        "itemListElement": list[ListItem],
    },
)

#: One node of ``@graph``, told apart by its ``@type``.
JsonLdNode = Annotated[
    Union[  # noqa: UP007 - a discriminated union of TypedDicts
        MedicalClinic,
        WebSite,
        WebPage,
        MedicalWebPage,
        MedicalTherapy,
        Article,
        MedicalScholarlyArticle,
        BreadcrumbList,
    ],
    Field(discriminator="@type"),
]

JsonLdDocument = node(
    "JsonLdDocument",
    {"@context": Literal["https://schema.org"], "@graph": list[JsonLdNode]},
)


class JsonLdField(ReadOnlyField):
    """The page's schema.org graph, as ``cms.core.jsonld.page_graph`` builds it.

    The settings are the request's (``page_settings``), or the page's own
    (``BasePage.clinic_settings``) outside the request's site.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> JsonLdDocument:
        return self.represent(value, None)

    def represent(self, value, request):
        return jsonld.page_graph(value, page_settings(value, request), request)


def page_settings(page, request):
    """The clinic settings of ``page``'s site, read once per request.

    An API answer lists only pages of the request's site, so their settings
    are the request's: ``for_request`` reads them once and keeps them on the
    request, and the page's site is told from the cached site root paths
    (``get_url_parts``), not with a query of its own (issue 16). A page of
    another site (or a call without a request) asks the page itself.
    """
    site = getattr(request, "_wagtail_site", None) if request is not None else None
    parts = page.get_url_parts(request) if site is not None else None
    if site is None or not parts or parts[0] != site.pk:
        return page.clinic_settings()
    # By label: this module imports no model (the page models import it).
    return apps.get_model("core", "ClinicSettings").for_request(request)
