"""Typed payloads of ``/api/v3/services/`` and ``/api/v3/consultation/``."""

from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from cms.api.lists import ClinicalFilters
from cms.api.schemas import PageCardSchema
from home.consultation import ALLOWED_FIELD_TYPES


class ServiceCardSchema(PageCardSchema):
    """A service as its card shows it."""

    subtitle: str
    involves_ketamine: bool


class ServiceFilters(ClinicalFilters):
    order: (
        Literal[
            "menu",
            "title",
            "-title",
            "last_reviewed",
            "-last_reviewed",
            "-first_published_at",
        ]
        | None
    ) = Field(None, description="Sort key; default `menu` (the editors' order).")


# --- /api/v3/consultation/ (home/api.py) -----------------------

#: The question types editors may use (``consultation.ALLOWED_FIELD_TYPES``).
ConsultationFieldType = Literal[tuple(value for value, _ in ALLOWED_FIELD_TYPES)]


class ConsultationFieldSchema(Schema):
    """One question of the form, as the HTML form builds it."""

    name: str = Field(description="The key of this answer in the POST's `answers`.")
    label: str
    type: ConsultationFieldType = Field(
        description="`singleline`: a text box; `email`: an e-mail box; "
        "`dropdown`: a select; `radio`: radio buttons (one of `choices`)."
    )
    required: bool
    help_text: str = Field(description="A hint shown under the label; may be empty.")
    choices: list[str] = Field(
        description="The allowed answers of a `dropdown` or `radio` question, "
        "in order; empty for text questions."
    )
    default_value: str
    max_length: int | None = Field(
        description="Longest accepted answer in characters, if there is a limit."
    )


class ConsultationConsentSchema(Schema):
    """The tick box every request needs; its wording is stored with the request."""

    name: Literal["consent"]
    label: str = Field(description="The consent wording the editors wrote.")
    required: Literal[True]


class ConsultationHoneypotSchema(Schema):
    """A spam trap: render it hidden from people and send it empty."""

    name: Literal["website"]
    label: str


class ConsultationFormSchema(Schema):
    """Everything a frontend needs to render the consultation form."""

    id: int
    title: str
    intro: str = Field(description="Rich text (HTML) above the form; may be empty.")
    privacy_note: str = Field(description="Plain text shown above the form.")
    fields: list[ConsultationFieldSchema]
    contact_fields: list[str] = Field(
        description="Names of the fields through which the clinic can reply; "
        "at least one of them must be answered."
    )
    consent: ConsultationConsentSchema
    honeypot: ConsultationHoneypotSchema
    submit_url: str = Field(description="Where to POST the request (this path).")


class ConsultationRequest(Schema):
    """A consultation request: the answers by field name, consent, the honeypot."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str] = Field(
        default_factory=dict,
        description="Each answer under its field's `name` from the GET; "
        "unanswered optional fields may be left out.",
    )
    consent: bool = Field(
        False, description="True once the visitor has ticked the consent box."
    )
    website: str = Field(
        "", description="The honeypot: always send the hidden field's value (empty)."
    )


class ConsultationReceived(Schema):
    """The answer to an accepted request: nothing of what was sent."""

    status: Literal["received"]
    message: str = Field(description="The page's thank-you text (HTML).")


class ConsultationFieldError(Schema):
    type: str = Field(description="A machine-readable reason, e.g. `required`.")
    loc: list[str | int] = Field(
        description='Where: e.g. `["body", "answers", "your_name"]`, '
        '`["body", "consent"]`, or `["body"]` for the whole request.'
    )
    msg: str = Field(description="What to change, in words for the visitor.")


class ConsultationProblem(Schema):
    """An RFC 7807 problem (``application/problem+json``); nothing is echoed."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ConsultationFieldError] | None = None
