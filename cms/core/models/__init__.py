from cms.core.models.mixins import ListingMixin, MedicalReviewMixin, SeoMixin
from cms.core.models.pages import BasePage
from cms.core.models.review_task import ClinicalReviewTask
from cms.core.models.settings import ClinicSettings
from cms.core.models.snippets import Clinician, Condition, Disclaimer
from cms.core.models.webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "BasePage",
    "ClinicalReviewTask",
    "ClinicSettings",
    "Clinician",
    "Condition",
    "DeliveryStatus",
    "Disclaimer",
    "ListingMixin",
    "MedicalReviewMixin",
    "SeoMixin",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
