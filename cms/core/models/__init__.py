from cms.core.models.mixins import ListingMixin, MedicalReviewMixin, SeoMixin
from cms.core.models.pages import BasePage
from cms.core.models.review_task import ClinicalReviewTask
from cms.core.models.settings import ClinicSettings
from cms.core.models.snippets import Clinician, Condition, Disclaimer

__all__ = [
    "BasePage",
    "ClinicalReviewTask",
    "ClinicSettings",
    "Clinician",
    "Condition",
    "Disclaimer",
    "ListingMixin",
    "MedicalReviewMixin",
    "SeoMixin",
]
