"""The clinic settings, conditions, home page and service page, from the seed.

The service keeps the seed's paragraphs word for word as its body; the
conditions and approaches below are the ones those paragraphs name, so that
visitors and the API can use them as structured facts.
"""

import html

from django.apps import apps
from wagtail.models import Page, Site

from cms.core.loading import (
    CREATED,
    KEPT,
    UNCHANGED,
    LoadReport,
    ensure_object,
    ensure_page,
)
from cms.core.models import ClinicSettings, Condition
from cms.core.seed import ClinicSeed
from home.models import (
    ConsultationFormPage,
    HomePage,
    ServiceApproach,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from studies.evidence_guide import (
    EVIDENCE_GUIDE_SLUG,
    EVIDENCE_GUIDE_TITLE,
    evidence_guide_body,
    evidence_guide_summary,
)

# The chronic pain conditions the seed's first paragraph names, in its order:
# "Chronic pain conditions include: back pain, headaches, arthritis, cancer
# pain, or nerve and muscle pain."
SEED_CONDITIONS = [
    "Back pain",
    "Headaches",
    "Arthritis",
    "Cancer pain",
    "Nerve and muscle pain",
]


#: The brand colour the site's stylesheet already uses (``--brand``), so the
#: API's ``/site/`` gives a frontend the same colour; it passes the AA check.
SEED_BRAND_COLOUR = "#0b5cad"


def load_settings(seed: ClinicSeed, site: Site, report: LoadReport) -> ClinicSettings:
    """The clinic's name from the seed and the stylesheet's brand colour; every
    other detail is left for editors."""
    settings = ClinicSettings.for_site(site)
    label = f"clinic settings: {seed.clinic_name}"
    if not settings.clinic_name:
        settings.clinic_name = seed.clinic_name
        settings.brand_colour = settings.brand_colour or SEED_BRAND_COLOUR
        settings.full_clean()
        settings.save()
        report.record(CREATED, label)
    elif settings.clinic_name == seed.clinic_name:
        report.record(UNCHANGED, label)
    else:
        report.record(KEPT, label, f"name is now {settings.clinic_name!r}")
    return settings


def load_conditions(report: LoadReport) -> list[Condition]:
    return [
        ensure_object(
            Condition,
            lookup={"name": name},
            values={},
            report=report,
            label=f"condition: {name}",
        )
        for name in SEED_CONDITIONS
    ]


Kind = ServiceApproach.Kind

# Named in the seed's paragraphs, in their order. Only the IKAP sentence that
# defines it is quoted as a description; nothing else is added.
SEED_APPROACHES = [
    {"kind": Kind.PLAN, "name": "Medications", "abbreviation": ""},
    {"kind": Kind.PLAN, "name": "Therapy", "abbreviation": ""},
    {"kind": Kind.PLAN, "name": "Injections", "abbreviation": ""},
    {"kind": Kind.PLAN, "name": "Exercise", "abbreviation": ""},
    {"kind": Kind.THERAPY, "name": "Positive Psychology", "abbreviation": ""},
    {
        "kind": Kind.THERAPY,
        "name": "Cognitive Behavioral Therapy",
        "abbreviation": "CBT",
    },
    {
        "kind": Kind.THERAPY,
        "name": "Acceptance and Commitment Therapy",
        "abbreviation": "ACT",
    },
    {
        "kind": Kind.KETAMINE,
        "name": "Integrated Ketamine Assisted Psychotherapy",
        "abbreviation": "IKAP",
        "description": "IKAP is the combination of psychotherapy and an IV ketamine "
        "infusion.",
    },
]


def _approach_rows() -> list[dict]:
    rows = []
    for approach in SEED_APPROACHES:
        # "Therapy may not be limited to the individual, but may also include
        # family members." applies to the therapy approaches.
        rows.append(
            {
                "description": "",
                **approach,
                "includes_family": approach["kind"] == Kind.THERAPY,
            }
        )
    return rows


def paragraph_block(text: str) -> dict:
    """Seed text as a rich-text paragraph block: only <, > and & are escaped."""
    return {"type": "paragraph", "value": f"<p>{html.escape(text, quote=False)}</p>"}


def _home_values(seed: ClinicSeed) -> dict:
    """The home page's title, heading and intro, all in the seed's own words.

    The clinic's name is the title (and the header's brand), so the heading is
    the service's subtitle and the intro the seed's opening paragraph, which
    says what pain management is.
    """
    return {
        "title": seed.clinic_name,
        "heading": seed.service_subtitle,
        "intro": paragraph_block(seed.service_paragraphs[0])["value"],
    }


def load_home(
    seed: ClinicSeed,
    report: LoadReport,
    hostname: str = "localhost",
    port: int = 80,
) -> HomePage:
    """The home page as the default site's root, replacing Wagtail's welcome page.

    ``hostname`` and ``port`` are where the site is served, so that absolute
    links (canonical URLs, the API's ``html_url``) point at it.
    """
    home = HomePage.objects.first()
    if home is not None:
        return ensure_page(
            home.get_parent(),
            HomePage,
            slug=home.slug,
            values=_home_values(seed),
            report=report,
        )
    root = Page.get_first_root_node()
    # Wagtail's install creates a placeholder "Welcome" page; it holds nothing.
    for placeholder in root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page"
    ):
        if placeholder.is_leaf():
            placeholder.delete()
    home = ensure_page(
        root,
        HomePage,
        slug="home",
        values=_home_values(seed),
        report=report,
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname, site.port = hostname, port
    site.root_page = home
    site.site_name = seed.clinic_name
    site.save()
    report.record(CREATED, f"site: {site.root_url}/ now serves {home.title}")
    return home


def load_evidence_guide(home: HomePage, report: LoadReport) -> StandardPage:
    """The page every evidence badge links to: what each level of evidence means.

    Its text is built from the grading table (``studies/evidence_guide.py``),
    not from the seed; like every page here, an edited copy is never replaced.
    """
    return ensure_page(
        home,
        StandardPage,
        slug=EVIDENCE_GUIDE_SLUG,
        values={
            "title": EVIDENCE_GUIDE_TITLE,
            "summary": evidence_guide_summary(),
            "body": evidence_guide_body(),
        },
        report=report,
    )


def load_service_index(home: HomePage, report: LoadReport) -> ServiceIndexPage:
    return ensure_page(
        home,
        ServiceIndexPage,
        slug="services",
        values={"title": "Services", "show_in_menus": True},
        report=report,
    )


def load_service(
    seed: ClinicSeed,
    index: ServiceIndexPage,
    studies: list[Page],
    report: LoadReport,
) -> ServicePage:
    """The seed's service page, citing the seed's studies in their order."""
    conditions = [
        Condition.objects.get(name=name) for name in _condition_names_in_seed(seed)
    ]
    study_model = apps.get_model("studies", "StudySummaryPage")
    study_pages = [study_model.objects.get(pk=study.pk) for study in studies]
    return ensure_page(
        index,
        ServicePage,
        slug="ketamine-and-pain-management",
        values={
            "title": seed.service_title,
            "subtitle": seed.service_subtitle,
            "body": [paragraph_block(text) for text in seed.service_paragraphs],
            "involves_ketamine": True,
            "related_studies_heading": seed.studies_heading,
        },
        children={
            "approaches": _approach_rows(),
            "related_studies": [{"study": study} for study in study_pages],
        },
        many={"conditions": conditions},
        report=report,
    )


def _condition_names_in_seed(seed: ClinicSeed) -> list[str]:
    text = " ".join(seed.service_paragraphs).lower()
    return [name for name in SEED_CONDITIONS if name.lower() in text]


# The form asks only how to reach the person back (reference/health-anchors.md
# §6): no medical details. These are the form's structure, not clinical content.
CONSULTATION_FIELDS = [
    {"label": "Your name", "field_type": "singleline", "required": True},
    {
        "label": "Phone number",
        "field_type": "singleline",
        "required": False,
        "help_text": "Give a phone number, an e-mail address, or both.",
    },
    {"label": "Email address", "field_type": "email", "required": False},
    {
        "label": "Best time to contact you",
        "field_type": "dropdown",
        "required": False,
        "choices": "Morning\nAfternoon\nEvening",
    },
]


def load_consultation(home: HomePage, report: LoadReport) -> ConsultationFormPage:
    return ensure_page(
        home,
        ConsultationFormPage,
        slug="consultation",
        values={"title": "Request a consultation", "show_in_menus": True},
        children={
            "form_fields": [
                {"help_text": "", "choices": "", **field}
                for field in CONSULTATION_FIELDS
            ]
        },
        report=report,
    )
