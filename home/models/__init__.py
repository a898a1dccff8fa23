# isort: skip_file
# The order matters: page types register as their modules load, and that order
# is the order of page types in the admin and in the API's page union.
from home.models.home import HomePage
from home.models.services import (
    ServiceApproach,
    ServiceIndexPage,
    ServicePage,
    ServiceRelatedStudy,
)
from home.models.pages import StandardPage
from home.models.consultation import ConsultationFormField, ConsultationFormPage

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
