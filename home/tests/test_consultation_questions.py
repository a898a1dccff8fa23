"""The consultation form cannot be made to ask for health or identity details.

Every door is tried: the admin's edit form, a revision published from code,
a question row written directly, and what the checker itself recognises.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import APIToken

from cms.core.loading import LoadReport
from cms.core.tests.helpers import edit_form_data
from home.demo import load_consultation
from home.models import ConsultationFormField, ConsultationFormPage
from home.sensitive_questions import sensitive_topic

HOSTILE = [
    "Date of birth",
    "D.O.B.",
    "d o b",
    "DOB",
    "D0B",
    "d.0.b",
    "Ｄ．Ｏ．Ｂ．",  # full-width letters and dots
    "Dаte of birth",  # Cyrillic "а"
    "dateofbirth",
    "Birthday",
    "bi\u200brthday",  # a zero-width space inside
    "Your age",
    "How old are you?",
    "Current meds",
    "M-E-D-S",
    "m3ds",
    "Medications you take",
    "Prescriptions",
    "Any pills or drugs?",
    "Pain level (1-10)",
    "Pain score",
    "Rate your pain 0–10",
    "On a scale of one to ten",
    "Where does it hurt?",
    "Are you pregnant?",
    "PREGNANCY status",
    "Suicidal thoughts?",
    "Any self-harm",
    "selfharm",
    "Insurance provider",
    "Insurer",
    "Member ID",
    "Policy #",
    "SSN",
    "S.S.N.",
    "$$N",
    "Social security number",
    "I.D. number",
    "Driver's license number",
    "Diagnosis",
    "dx",
    "Existing conditions",
    "Symptoms",
    "Sympt0ms",
    "Medical history",
    "Allergies",
    "Referring doctor",
    "Depression or anxiety?",
    "Previous treatments",
    "Weight and height",
    "Your doctor's name",
    "Photo IDs",
]

BENIGN = [
    "Your name",
    "Best time to call",
    "Preferred clinic location",
    "How did you hear about us?",
    "Phone number",
    "Email address",
    "Best time to contact you",
    "Preferred language",
    "Best day to call",
    "Morning",
    "Afternoon",
    "Evening",
    "Friend or family",
    "Search engine",
    "Give a phone number, an e-mail address, or both.",
    "Read our privacy policy first.",
    "By sending you accept our terms and conditions.",
    "I'd like a call back",
    "What's the best time to call?",
    "We’ll call you back",
    "Morning (9am–12pm)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_questions_about_health_or_identity_are_recognised(text):
    assert sensitive_topic(text) is not None


@pytest.mark.parametrize("text", BENIGN)
def test_questions_needed_to_call_back_are_not(text):
    assert sensitive_topic(text) is None


@pytest.mark.parametrize("where", ["label", "help_text", "choices", "default_value"])
@pytest.mark.parametrize("text", ["D.O.B.", "Current meds", "Pain level (1-10)"])
def test_every_text_of_a_question_is_checked_and_the_box_is_named(where, text):
    field = ConsultationFormField(label="Your name", field_type="singleline")
    setattr(field, where, text)
    with pytest.raises(ValidationError) as refused:
        field.clean()
    [message] = refused.value.message_dict[where]
    assert message.startswith("Reword or remove this ")
    assert f"“{text}” asks for " in message
    assert "the clinic asks for those securely when it calls back" in message


def test_hostile_choices_hide_among_harmless_ones():
    field = ConsultationFormField(
        label="Best time to contact you",
        field_type="dropdown",
        choices="Morning\nAfternoon\nWhen my meds wear off",
    )
    with pytest.raises(ValidationError) as refused:
        field.clean()
    assert "asks for medications or prescriptions" in str(refused.value)


@pytest.mark.django_db
class TestEveryDoor:
    @pytest.fixture
    def form_page(self, home_page):
        page = load_consultation(home_page, LoadReport())
        page.save_revision().publish()
        return ConsultationFormPage.objects.get(pk=page.pk)

    def test_the_admin_shows_the_error_on_the_field_and_keeps_nothing(
        self, form_page, admin_client
    ):
        revisions = form_page.revisions.count()
        data = edit_form_data(
            admin_client,
            form_page,
            **{
                "form_fields-0-label": "D.O.B.",
                "form_fields-1-help_text": "Also your current meds",
            },
        )
        data["action-publish"] = "action-publish"
        url = reverse("wagtailadmin_pages:edit", args=[form_page.pk])
        response = admin_client.post(url, data)
        page_html = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert "Reword or remove this label: “D.O.B.” asks for a date of birth" in (
            page_html
        )
        assert (
            "Reword or remove this help text: “Also your current meds” asks for "
            "medications or prescriptions" in page_html
        )
        assert form_page.revisions.count() == revisions
        labels = list(form_page.form_fields.values_list("label", flat=True))
        assert labels[0] == "Your name"

    def test_the_admin_accepts_harmless_wording(self, form_page, admin_client):
        data = edit_form_data(
            admin_client,
            form_page,
            **{"form_fields-3-label": "Best time to call"},
        )
        data["action-publish"] = "action-publish"
        url = reverse("wagtailadmin_pages:edit", args=[form_page.pk])
        response = admin_client.post(url, data)
        assert response.status_code == 302
        labels = list(form_page.form_fields.values_list("label", flat=True))
        assert "Best time to call" in labels

    def test_a_revision_published_from_code_is_refused_before_anything_is_written(
        self, form_page
    ):
        form_page.form_fields.add(
            ConsultationFormField(label="Pain level (1-10)", field_type="singleline")
        )
        with pytest.raises(ValidationError, match="asks for pain or symptoms"):
            form_page.save_revision()  # Wagtail cleans revisions it saves
        revision = form_page.save_revision(clean=False)
        with pytest.raises(ValidationError, match="asks for pain or symptoms"):
            revision.publish()  # the page's own clean, run as it is saved live
        live = ConsultationFormPage.objects.get(pk=form_page.pk)
        assert live.live_revision_id != revision.pk
        labels = list(live.form_fields.values_list("label", flat=True))
        assert "Pain level (1-10)" not in labels

    def test_a_live_save_that_skips_cleaning_is_still_refused(self, form_page):
        form_page.form_fields.add(
            ConsultationFormField(label="Are you pregnant?", field_type="radio")
        )
        with pytest.raises(ValidationError) as refused:
            form_page.save(clean=False)
        assert "“Request a consultation” was not published." in str(refused.value)
        assert "asks for pregnancy" in str(refused.value)
        labels = ConsultationFormField.objects.values_list("label", flat=True)
        assert "Are you pregnant?" not in list(labels)

    def test_a_question_written_directly_is_refused(self, form_page):
        with pytest.raises(ValidationError, match="insurance or identity numbers"):
            ConsultationFormField.objects.create(
                page=form_page, label="Member ID", field_type="singleline"
            )
        assert not ConsultationFormField.objects.filter(label="Member ID").exists()

    def test_a_harmless_revision_publishes(self, form_page):
        form_page.form_fields.add(
            ConsultationFormField(
                label="Preferred clinic location",
                field_type="radio",
                choices="Salt Lake City\nProvo",
            )
        )
        form_page.save_revision().publish()
        labels = list(
            ConsultationFormPage.objects.get(pk=form_page.pk).form_fields.values_list(
                "label", flat=True
            )
        )
        assert "Preferred clinic location" in labels

    def test_publishing_through_the_api_is_a_422_problem_and_changes_nothing(
        self, form_page, client, admin_user
    ):
        # The API writes no questions (form_fields are not api_fields), but it
        # can publish a draft someone saved with one.
        form_page.form_fields.add(
            ConsultationFormField(label="Insurance provider", field_type="singleline")
        )
        form_page.save_revision(clean=False)
        _token, secret = APIToken.create_token(user=admin_user, name="door test")
        response = client.post(
            f"/api/v3/pages/{form_page.pk}/actions/publish/",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert "asks for insurance or identity numbers" in response.content.decode()
        labels = ConsultationFormField.objects.values_list("label", flat=True)
        assert "Insurance provider" not in list(labels)
