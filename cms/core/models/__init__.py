from cms.core.models.mixins import (
    IndexIntroMixin,
    ListingMixin,
    MedicalReviewMixin,
    RelatedStudiesMixin,
    SeoMixin,
)
from cms.core.models.pages import BasePage, ClinicalPage
from cms.core.models.preview import PreviewDraft
from cms.core.models.querysets import ClinicalPageQuerySet
from cms.core.models.related import AbstractRelatedStudy
from cms.core.models.settings import ClinicSettings
from cms.core.models.snippets import Clinician, Condition, Disclaimer

__all__ = [
    "AbstractRelatedStudy",
    "BasePage",
    "ClinicalPage",
    "ClinicalPageQuerySet",
    "ClinicSettings",
    "Clinician",
    "Condition",
    "Disclaimer",
    "IndexIntroMixin",
    "ListingMixin",
    "MedicalReviewMixin",
    "PreviewDraft",
    "RelatedStudiesMixin",
    "SeoMixin",
]
