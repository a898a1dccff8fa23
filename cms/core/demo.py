"""Clinic-wide content from the seed: the clinic's settings and its conditions."""

from wagtail.models import Site

from cms.core.loading import CREATED, KEPT, UNCHANGED, LoadReport, ensure_object
from cms.core.models import ClinicSettings, Condition
from cms.core.seed import ClinicSeed

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


def load_settings(seed: ClinicSeed, site: Site, report: LoadReport) -> ClinicSettings:
    """The clinic's name from the seed; every other detail is left for editors."""
    settings = ClinicSettings.for_site(site)
    label = f"clinic settings: {seed.clinic_name}"
    if not settings.clinic_name:
        settings.clinic_name = seed.clinic_name
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
