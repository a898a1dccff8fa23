from home.models.consultation import ConsultationFormField, ConsultationFormPage
from home.models.pages import HomePage, StandardPage
from home.models.services import (
    ServiceApproach,
    ServiceIndexPage,
    ServicePage,
    ServiceRelatedStudy,
)

__all__ = [
    "ConsultationFormField",
    "ConsultationFormPage",
    "HomePage",
    "ServiceApproach",
    "ServiceIndexPage",
    "ServicePage",
    "ServiceRelatedStudy",
    "StandardPage",
]
