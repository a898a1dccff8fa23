import factory
from factory.django import DjangoModelFactory

from cms.core.models import Clinician, Condition, Disclaimer


class ClinicianFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Example Clinician {n}")
    credentials = "MD"
    role = "Medical director"
    bio = "<p>Example biography.</p>"

    class Meta:
        model = Clinician


class ConditionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Example condition {n}")

    class Meta:
        model = Condition


class DisclaimerFactory(DjangoModelFactory):
    kind = Disclaimer.Kind.KETAMINE_OFF_LABEL
    version = factory.Sequence(lambda n: f"v{n}")
    text = "<p>Ketamine is not FDA-approved for chronic pain; its use is off-label.</p>"
    is_active = True

    class Meta:
        model = Disclaimer
