"""`/api/v3/consultation/`: the HTML form's rules, for a frontend elsewhere."""

import json
import logging
import math

import pytest
from django.core import mail
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from cms.api.openapi import render
from cms.api.tests.test_api_contract import reachable_schemas, untyped_spots
from cms.core.loading import LoadReport
from cms.core.models import ClinicSettings
from home.demo import load_consultation
from home.tests.test_consultation import valid_data

pytestmark = pytest.mark.django_db

URL = "/api/v3/consultation/"
APP = "https://app.example"
PROBLEM = "application/problem+json"
# Everything the visitor types: none of it may come back or reach a log.
PRIVATE = ("Pat Doe", "801-555-0199", "pat@example.org")


@pytest.fixture
def form_page(home_page):
    page = load_consultation(home_page, LoadReport())
    page.to_address = "intake@clinic.example"
    page.intro = "<p>We call back within a day.</p>"
    page.thank_you_text = "<p>We will call you tomorrow morning.</p>"
    page.save_revision().publish()
    return page


@pytest.fixture(autouse=True)
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def body(**overrides) -> dict:
    data = {
        "answers": {
            "your_name": "Pat Doe",
            "phone_number": "801-555-0199",
            "email_address": "",
            "best_time_to_contact_you": "Morning",
        },
        "consent": True,
        "website": "",
    }
    data.update(overrides)
    return data


def answers(**overrides) -> dict:
    return {**body()["answers"], **overrides}


def post(client, data, origin=APP, **extra):
    headers = {} if origin is None else {"HTTP_ORIGIN": origin}
    return client.post(
        URL, json.dumps(data), content_type="application/json", **headers, **extra
    )


def problem(response, status) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    payload = response.json()
    assert payload["status"] == status
    return payload


class TestDescription:
    def test_the_form_is_described_field_by_field(self, form_page, client):
        response = client.get(URL)
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("public")
        assert response.json() == {
            "id": form_page.pk,
            "title": "Request a consultation",
            "intro": "<p>We call back within a day.</p>",
            "privacy_note": "Please don't include medical details. We will ask "
            "about your health when we call you back.",
            "fields": [
                {
                    "name": "your_name",
                    "label": "Your name",
                    "type": "singleline",
                    "required": True,
                    "help_text": "",
                    "choices": [],
                    "default_value": "",
                    "max_length": 255,
                },
                {
                    "name": "phone_number",
                    "label": "Phone number",
                    "type": "singleline",
                    "required": False,
                    "help_text": "Give a phone number, an e-mail address, or both.",
                    "choices": [],
                    "default_value": "",
                    "max_length": 255,
                },
                {
                    "name": "email_address",
                    "label": "Email address",
                    "type": "email",
                    "required": False,
                    "help_text": "",
                    "choices": [],
                    "default_value": "",
                    "max_length": 320,
                },
                {
                    "name": "best_time_to_contact_you",
                    "label": "Best time to contact you",
                    "type": "dropdown",
                    "required": False,
                    "help_text": "",
                    "choices": ["Morning", "Afternoon", "Evening"],
                    "default_value": "",
                    "max_length": None,
                },
            ],
            "contact_fields": ["phone_number", "email_address"],
            "consent": {
                "name": "consent",
                "label": "I agree to be contacted by the clinic about my request.",
                "required": True,
            },
            "honeypot": {"name": "website", "label": "Leave this field empty"},
            "submit_url": URL,
        }

    def test_the_description_follows_the_editors_changes(self, form_page, client):
        form_page.consent_text = "Yes, you may call me back."
        form_page.form_fields.filter(clean_name="best_time_to_contact_you").update(
            field_type="radio", choices="Morning, Evening"
        )
        form_page.save_revision().publish()
        payload = client.get(URL).json()
        assert payload["consent"]["label"] == "Yes, you may call me back."
        [time] = [f for f in payload["fields"] if f["type"] == "radio"]
        assert time["choices"] == ["Morning", "Evening"]

    def test_without_a_live_form_both_methods_are_404_problems(self, form_page, client):
        form_page.unpublish()
        assert problem(client.get(URL), 404)["detail"] == (
            "This site has no live consultation form."
        )
        problem(post(client, body()), 404)
        assert not FormSubmission.objects.exists()


class TestRequest:
    def test_an_accepted_request_echoes_nothing(self, form_page, client):
        response = post(client, body())
        assert response.status_code == 201
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Access-Control-Allow-Origin"] == APP
        assert response.json() == {
            "status": "received",
            "message": "<p>We will call you tomorrow morning.</p>",
        }
        for private in PRIVATE:
            assert private not in response.content.decode()
        [message] = mail.outbox
        submission = FormSubmission.objects.get()
        assert message.subject == f"New consultation request #{submission.pk}"

    def test_without_thank_you_text_the_landing_pages_words_are_used(
        self, form_page, client
    ):
        form_page.thank_you_text = ""
        form_page.save_revision().publish()
        assert post(client, body()).json()["message"] == (
            "<p>We will contact you soon.</p>"
        )

    def test_it_is_stored_exactly_like_a_request_from_the_page(self, form_page, client):
        client.post(form_page.url, valid_data())
        post(client, body())
        from_page, from_api = FormSubmission.objects.order_by("pk")
        assert from_api.page_id == from_page.page_id == form_page.pk
        page_data, api_data = from_page.get_data(), from_api.get_data()
        for data in (page_data, api_data):
            data.pop("submit_time")
            assert data["consent"].pop("at")
        assert api_data == page_data
        assert api_data == {
            "your_name": "Pat Doe",
            "phone_number": "801-555-0199",
            "email_address": "",
            "best_time_to_contact_you": "Morning",
            "consent": {"given": True, "text": form_page.consent_text},
        }

    def test_missing_consent_is_a_field_error(self, form_page, client):
        for data in (body(consent=False), {"answers": body()["answers"]}):
            payload = problem(post(client, data), 422)
            assert payload["detail"] == "Validation failed"
            assert payload["errors"] == [
                {
                    "type": "required",
                    "loc": ["body", "consent"],
                    "msg": "Tick this box so that we may contact you about your "
                    "request.",
                }
            ]
        assert not FormSubmission.objects.exists()
        assert mail.outbox == []

    def test_a_way_to_reply_is_needed(self, form_page, client):
        payload = problem(post(client, body(answers=answers(phone_number=""))), 422)
        message = "Give a phone number or an e-mail address so we can reply."
        assert payload["errors"] == [
            {"type": "no_contact", "loc": ["body", "answers", name], "msg": message}
            for name in ("phone_number", "email_address")
        ]
        assert not FormSubmission.objects.exists()

    def test_a_question_the_form_does_not_ask_is_refused_unrepeated(
        self, form_page, client
    ):
        data = body(answers=answers(date_of_birth="1980-02-03"))
        response = post(client, data)
        payload = problem(response, 422)
        assert payload["errors"] == [
            {
                "type": "unknown_field",
                "loc": ["body", "answers"],
                "msg": "1 answer(s) under a name this form does not have. Its "
                "fields are: your_name, phone_number, email_address, "
                "best_time_to_contact_you.",
            }
        ]
        assert "1980" not in response.content.decode()
        assert "date_of_birth" not in response.content.decode()
        assert not FormSubmission.objects.exists()

    def test_wrong_answers_are_named_not_repeated(self, form_page, client):
        data = body(
            answers=answers(
                best_time_to_contact_you="At 3am, Pat Doe",
                email_address="pat@example.org@@",
            )
        )
        response = post(client, data)
        payload = problem(response, 422)
        assert payload["errors"] == [
            {
                "type": "invalid",
                "loc": ["body", "answers", "email_address"],
                "msg": "Enter a valid email address.",
            },
            {
                "type": "invalid_choice",
                "loc": ["body", "answers", "best_time_to_contact_you"],
                "msg": "Choose one of the answers offered for this question.",
            },
        ]
        for private in (*PRIVATE, "3am"):
            assert private not in response.content.decode()

    def test_the_shape_is_checked_without_repeating_values(self, form_page, client):
        response = post(
            client, body(answers=answers(your_name=["Pat Doe"]), consent="maybe")
        )
        payload = problem(response, 422)
        assert [(e["type"], e["loc"]) for e in payload["errors"]] == [
            ("string_type", ["body", "answers", "your_name"]),
            ("bool_parsing", ["body", "consent"]),
        ]
        assert "Pat Doe" not in response.content.decode()
        # A name the API knows elsewhere, but not here.
        payload = problem(post(client, {**body(), "title": "Pat Doe"}), 422)
        assert payload["errors"][0]["type"] == "extra_forbidden"
        assert payload["errors"][0]["loc"] == ["body", "title"]
        assert not FormSubmission.objects.exists()

    @pytest.mark.parametrize(
        "content, content_type, status",
        [
            ("your_name=Pat", "application/x-www-form-urlencoded", 415),
            ("your_name=Pat", "text/plain", 415),
            ("{not json", "application/json", 400),
            ("", "application/json", 400),
            ("[1, 2]", "application/json", 400),
        ],
    )
    def test_a_body_that_is_not_a_json_object_is_refused(
        self, form_page, client, content, content_type, status
    ):
        response = client.post(URL, content, content_type=content_type, HTTP_ORIGIN=APP)
        problem(response, status)
        assert not FormSubmission.objects.exists()

    def test_spam_is_thanked_and_stored_nowhere(self, form_page, client):
        response = post(client, body(website="http://spam.example"))
        assert response.status_code == 201
        assert response.json() == post(client, body()).json()
        assert FormSubmission.objects.count() == 1  # the second, genuine one
        assert len(mail.outbox) == 1

    def test_nothing_posted_reaches_a_log(self, form_page, client, caplog):
        caplog.set_level(logging.DEBUG)
        post(client, body())
        post(client, body(consent=False))
        post(client, body(answers=answers(best_time_to_contact_you="Pat Doe")))
        post(client, body(answers=answers(date_of_birth="Pat Doe")))
        for _ in range(4):
            post(client, body())
        assert post(client, body()).status_code == 429
        assert caplog.records  # Django does log the refusals, by path
        for record in caplog.records:
            text = record.getMessage() + str(record.args) + (record.exc_text or "")
            for private in PRIVATE:
                assert private not in text


class TestRateLimit:
    """The HTML form's counter (5 an hour per address), shared by both doors."""

    @pytest.fixture
    def clinic_phone(self, form_page):
        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        clinic.phone = "801-555-0100"
        clinic.save()
        return clinic.phone

    def test_page_and_api_requests_count_together(
        self, form_page, client, clinic_phone
    ):
        for _ in range(3):
            assert client.post(form_page.url, valid_data()).status_code == 302
        assert post(client, body(consent=False)).status_code == 422  # counts too
        assert post(client, body()).status_code == 201
        response = post(client, body(answers=answers(your_name="Too many")))
        payload = problem(response, 429)
        retry_after = int(response["Retry-After"])
        assert 0 < retry_after <= 3600
        minutes = math.ceil(retry_after / 60)
        assert payload["detail"] == (
            "You have sent several requests in a short time. Please wait about "
            f"{minutes} minute{'s' if minutes > 1 else ''}, or call us on "
            "801-555-0100. Your last request was not sent, so nothing you typed "
            "has been kept."
        )
        assert response["Cache-Control"] == "private, no-store"
        assert "Retry-After" in response["Access-Control-Expose-Headers"]
        assert FormSubmission.objects.count() == 4
        assert not FormSubmission.objects.filter(form_data__your_name="Too many")
        # The page refuses this address now as well.
        assert client.post(form_page.url, valid_data()).status_code == 429

    def test_api_requests_use_up_the_pages_allowance(self, form_page, client):
        for _ in range(5):
            assert post(client, body()).status_code == 201
        assert client.post(form_page.url, valid_data()).status_code == 429
        assert FormSubmission.objects.count() == 5
        assert client.get(URL).status_code == 200  # reading the form never counts

    def test_another_address_still_gets_through(self, form_page, client):
        for _ in range(6):
            post(client, body(), REMOTE_ADDR="203.0.113.5")
        assert post(client, body(), REMOTE_ADDR="203.0.113.6").status_code == 201
        assert FormSubmission.objects.count() == 6


class TestOrigins:
    def test_another_sites_page_may_not_post(self, form_page, client):
        response = post(client, body(), origin="https://evil.example")
        assert problem(response, 403)["detail"] == (
            "This origin may not send consultation requests. Allowed origins are "
            "set with CORS_ALLOWED_ORIGINS."
        )
        assert "Access-Control-Allow-Origin" not in response
        problem(post(client, body(), origin="null"), 403)
        assert not FormSubmission.objects.exists()

    def test_a_refused_origin_uses_up_nobodys_allowance(self, form_page, client):
        for _ in range(6):
            post(client, body(), origin="https://evil.example")
        assert post(client, body()).status_code == 201

    def test_servers_posting_without_an_origin_are_refused(self, form_page, client):
        payload = problem(post(client, body(), origin=None), 403)
        assert payload["detail"].startswith(
            "Send consultation requests from the visitor's browser"
        )
        assert not FormSubmission.objects.exists()

    def test_the_sites_own_origin_may_post(self, form_page, client, settings):
        settings.CORS_ALLOWED_ORIGINS = []
        assert post(client, body(), origin="http://testserver").status_code == 201

    def test_csrf_protection_does_not_block_allowed_origins(self, form_page):
        strict = Client(enforce_csrf_checks=True)
        assert post(strict, body()).status_code == 201
        # The page's own form still needs its token.
        assert strict.post(form_page.url, valid_data()).status_code == 403

    def test_the_preflight_allows_a_json_post(self, form_page, client):
        response = client.options(
            URL,
            HTTP_ORIGIN=APP,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
        )
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == APP
        assert "POST" in response["Access-Control-Allow-Methods"]
        assert "content-type" in response["Access-Control-Allow-Headers"]
        other = client.options(
            URL,
            HTTP_ORIGIN="https://evil.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        )
        assert "Access-Control-Allow-Origin" not in other


@pytest.fixture(scope="module")
def document():
    return json.loads(render())


class TestDocument:
    def test_both_operations_are_typed(self, document):
        item = document["paths"][URL]
        schemas = reachable_schemas(document, [item["get"], item["post"]])
        assert {
            "ConsultationFormSchema",
            "ConsultationRequest",
            "ConsultationReceived",
            "ConsultationProblem",
            "ConsultationFieldError",
        } <= set(schemas)
        spots = [
            s for name, schema in schemas.items() for s in untyped_spots(name, schema)
        ]
        assert spots == []
        field = document["components"]["schemas"]["ConsultationFieldSchema"]
        assert field["properties"]["type"]["enum"] == [
            "singleline",
            "email",
            "dropdown",
            "radio",
        ]

    def test_every_answer_of_the_post_is_documented(self, document):
        post = document["paths"][URL]["post"]
        assert post["security"] == [{}]
        assert post["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ConsultationRequest"
        }
        responses = post["responses"]
        # 409: the API middleware answers it for any write the database refuses.
        assert set(responses) == {
            "201",
            "400",
            "403",
            "404",
            "409",
            "415",
            "422",
            "429",
        }
        assert responses["201"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ConsultationReceived"
        }
        for status in ("400", "403", "404", "409", "415", "422", "429"):
            assert list(responses[status]["content"]) == [PROBLEM]
