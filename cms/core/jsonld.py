"""schema.org JSON-LD for every page, built in one place for HTML and API alike.

The graph states only what the page shows: the clinic (from ClinicSettings),
the page as a ``MedicalWebPage`` with its review record, a ``BreadcrumbList``,
and whatever main entity the page type adds through ``jsonld_entities``
(``MedicalTherapy``, ``Article``, ``MedicalScholarlyArticle``). Page models call
the node builders below; this module knows no concrete page type.
See ``reference/health-anchors.md`` §1.
"""

from collections.abc import Iterable

from cms.core.citations import Citation
from cms.core.navigation import breadcrumb_trail, page_site

CONTEXT = "https://schema.org"


def absolute_url(page, request=None) -> str:
    return page.get_full_url(request) or ""


def site_root_url(page, request=None) -> str:
    site = page_site(page, request)
    return f"{site.root_url}/" if site else "/"


def clinic_id(root_url: str) -> str:
    return f"{root_url}#clinic"


def clinic_node(settings, root_url: str) -> dict:
    """The clinic as a ``MedicalClinic``; unknown details are left out, not guessed."""
    node = {
        "@type": "MedicalClinic",
        "@id": clinic_id(root_url),
        "name": settings.clinic_name,
        "url": root_url,
    }
    if settings.phone:
        node["telephone"] = settings.phone
    if settings.email:
        node["email"] = settings.email
    if settings.street_address or settings.locality:
        address = {"@type": "PostalAddress", "addressCountry": "US"}
        for key, value in (
            ("streetAddress", settings.street_address),
            ("addressLocality", settings.locality),
            ("addressRegion", settings.region),
            ("postalCode", settings.postal_code),
        ):
            if value:
                address[key] = value
        node["address"] = address
    if settings.opening_hours_lines:
        node["openingHours"] = settings.opening_hours_lines
    if periods := settings.opening_periods:
        node["openingHoursSpecification"] = opening_hours_nodes(periods)
    return node


def opening_hours_nodes(periods: list[dict]) -> list[dict]:
    """Each group of days with the same hours as an ``OpeningHoursSpecification``."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"{CONTEXT}/{day}" for day in period["days"]],
            "opens": period["opens"],
            "closes": period["closes"],
        }
        for period in periods
    ]


def person_node(clinician) -> dict:
    """A clinician as a ``Person``: credentials go in honorificSuffix, not the name."""
    node = {"@type": "Person", "name": clinician.name}
    if clinician.credentials:
        node["honorificSuffix"] = clinician.credentials
    if clinician.role:
        node["jobTitle"] = clinician.role
    if clinician.profile_url:
        node["url"] = clinician.profile_url
    return node


def condition_nodes(conditions: Iterable) -> list[dict]:
    return [{"@type": "MedicalCondition", "name": c.name} for c in conditions]


def breadcrumb_node(page, request=None) -> dict:
    """Home to this page, 1-based, absolute URLs; the site's root is the first crumb."""
    ancestors = breadcrumb_trail(page)
    return {
        "@type": "BreadcrumbList",
        "@id": f"{absolute_url(page, request)}#breadcrumb",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": absolute_url(crumb, request),
            }
            for position, crumb in enumerate(ancestors, start=1)
        ],
    }


def scholarly_article_node(citation: Citation) -> dict:
    """A published study as a ``MedicalScholarlyArticle`` with its identifiers."""
    urls = citation.identifier_urls
    node = {
        "@type": "MedicalScholarlyArticle",
        "@id": urls.get("doi") or urls.get("pmc") or urls.get("pubmed") or citation.url,
        "headline": citation.title,
    }
    if citation.authors:
        node["author"] = [{"@type": "Person", "name": a} for a in citation.authors]
    if citation.journal:
        node["isPartOf"] = {"@type": "Periodical", "name": citation.journal}
    if citation.year:
        node["datePublished"] = str(citation.year)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in (
            ("DOI", citation.doi),
            ("PMID", citation.pmid),
            ("PMCID", citation.pmcid),
        )
        if value
    ]
    if identifiers:
        node["identifier"] = identifiers
    same_as = [*urls.values(), *([citation.url] if citation.url else [])]
    if same_as:
        node["sameAs"] = same_as
    return node


def webpage_node(page, request, root_url: str) -> dict:
    url = absolute_url(page, request)
    node = {
        "@type": "MedicalWebPage" if page.is_clinical else "WebPage",
        "@id": url,
        "url": url,
        "name": page.seo_title or page.title,
        "isPartOf": {"@id": f"{root_url}#website"},
        "publisher": {"@id": clinic_id(root_url)},
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
    }
    if page.meta_description:
        node["description"] = page.meta_description
    if page.is_clinical:
        node["medicalAudience"] = {
            "@type": "MedicalAudience",
            "audienceType": "Patient",
        }
        if page.last_reviewed:
            node["lastReviewed"] = page.last_reviewed.isoformat()
        if page.reviewed_by_id and page.last_reviewed:
            node["reviewedBy"] = person_node(page.reviewed_by)
    return node


def page_graph(page, settings, request=None) -> dict:
    """The whole JSON-LD document for ``page``: one ``@graph``, cross-referenced.

    ``settings`` are the clinic settings of the page's site (``None`` when the
    page has no site); the caller passes what it already loaded.
    """
    root_url = site_root_url(page, request)
    webpage = webpage_node(page, request, root_url)
    graph = []
    if settings is not None and settings.clinic_name:
        graph.append(clinic_node(settings, root_url))
        graph.append(
            {
                "@type": "WebSite",
                "@id": f"{root_url}#website",
                "url": root_url,
                "name": settings.clinic_name,
                "publisher": {"@id": clinic_id(root_url)},
            }
        )
    entities = page.jsonld_entities(webpage, request)
    graph.append(webpage)
    graph.extend(entities)
    graph.append(breadcrumb_node(page, request))
    return {"@context": CONTEXT, "@graph": graph}


def therapy_node(
    url: str, name: str, conditions: Iterable, uses_ketamine: bool
) -> dict:
    """A treatment as ``MedicalTherapy``, with ketamine as its ``Drug`` if used."""
    node = {"@type": "MedicalTherapy", "@id": f"{url}#therapy", "name": name}
    treated = condition_nodes(conditions)
    if treated:
        node["indication"] = treated
    if uses_ketamine:
        node["drug"] = {
            "@type": "Drug",
            "name": "Ketamine",
            "nonProprietaryName": "ketamine",
            "prescriptionStatus": "https://schema.org/PrescriptionOnly",
        }
    return node


def article_node(
    url: str,
    headline: str,
    date_published,
    date_modified,
    authors: Iterable,
    citations: Iterable[Citation],
    root_url: str,
) -> dict:
    """A patient-education article, credited to its clinician authors."""
    node = {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": headline,
        "datePublished": date_published.isoformat(),
        "publisher": {"@id": clinic_id(root_url)},
    }
    if date_modified:
        node["dateModified"] = date_modified.isoformat()
    people = [person_node(author) for author in authors]
    if people:
        node["author"] = people
    cited = [scholarly_article_node(citation) for citation in citations]
    if cited:
        node["citation"] = cited
    return node
