"""The consultation form: minimal, private, and read by the Intake group only."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission

from cms.core.loading import LoadReport
from home.demo import load_consultation

pytestmark = pytest.mark.django_db

THIRD_PARTY = re.compile(
    r"googletagmanager|google-analytics|doubleclick|facebook|tiktok|licdn|bing\.com"
)


@pytest.fixture
def form_page(home_page):
    page = load_consultation(home_page, LoadReport())
    page.to_address = "intake@clinic.example"
    page.save_revision().publish()
    return page


def valid_data(**overrides):
    data = {
        "your_name": "Pat Doe",
        "phone_number": "801-555-0199",
        "email_address": "",
        "best_time_to_contact_you": "Morning",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_form_asks_little_and_warns_about_medical_details(form_page, client):
    response = client.get(form_page.url)
    page_html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in page_html
    assert "Please don&#x27;t include medical details." in page_html
    assert re.search(
        r'<input type="checkbox" name="consent" id="id_consent">', page_html
    )
    labels = re.findall(r'<label for="id_(\w+)"', page_html)
    assert labels == [
        "your_name",
        "phone_number",
        "email_address",
        "best_time_to_contact_you",
        "consent",
        "website",  # the honeypot, inside a hidden wrapper
    ]
    assert "<div hidden>" in page_html  # the honeypot is invisible to people
    assert not THIRD_PARTY.search(page_html)
    assert "<script src=" not in page_html


def test_request_is_stored_with_consent_and_redirects_without_parameters(
    form_page, client
):
    response = client.post(form_page.url, valid_data())
    assert response.status_code == 302
    assert response["Location"] == f"{form_page.url}thanks/"
    submission = FormSubmission.objects.get()
    data = submission.get_data()
    assert data["your_name"] == "Pat Doe"
    assert data["consent"]["given"] is True
    assert data["consent"]["text"] == form_page.consent_text
    assert "website" not in data
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you: your request was sent" in thanks.content.decode()


def test_notification_says_a_request_arrived_and_nothing_more(form_page, client):
    client.post(form_page.url, valid_data(email_address="pat@example.org"))
    submission = FormSubmission.objects.get()
    assert submission.get_data()["email_address"] == "pat@example.org"
    [message] = mail.outbox
    assert message.to == ["intake@clinic.example"]
    assert message.subject == f"New consultation request #{submission.pk}"
    for private in ("Pat Doe", "801-555-0199", "pat@example.org", "Morning"):
        assert private not in message.subject + message.body


def test_consent_must_be_ticked(form_page, client):
    response = client.post(form_page.url, valid_data(consent=None))
    assert response.status_code == 200
    assert "Tick this box so that we may contact you" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_a_way_to_reply_is_required(form_page, client):
    response = client.post(form_page.url, valid_data(phone_number=""))
    page_html = response.content.decode()
    assert "Give a phone number or an e-mail address so we can reply." in page_html
    assert 'aria-invalid="true"' in page_html
    assert not FormSubmission.objects.exists()


def test_spam_bots_are_thanked_and_ignored(form_page, client):
    response = client.post(form_page.url, valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_only_get_and_post_are_accepted(form_page, client):
    assert client.put(form_page.url).status_code == 405


def test_editors_cannot_add_medical_questions(form_page):
    form_page.form_fields.create(label="Date of birth", field_type="singleline")
    with pytest.raises(ValidationError, match="must not ask for medical"):
        form_page.full_clean()


class TestWhoReadsRequests:
    @pytest.fixture
    def submission(self, form_page, client):
        client.post(form_page.url, valid_data())
        return FormSubmission.objects.get()

    def make_user(self, django_user_model, name, group):
        user = django_user_model.objects.create_user(username=name, password="pw")
        user.groups.add(group)
        return user

    def test_intake_reads_requests(
        self, submission, form_page, client, django_user_model
    ):
        intake = self.make_user(
            django_user_model, "intake", Group.objects.get(name="Intake")
        )
        client.force_login(intake)
        response = client.get(f"/admin/forms/submissions/{form_page.pk}/")
        assert response.status_code == 200
        assert "Pat Doe" in response.content.decode()

    def test_an_editor_of_the_page_cannot(
        self, submission, form_page, client, django_user_model
    ):
        editors = Group.objects.create(name="Page editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=editors, page=form_page, permission_type="change"
        )
        client.force_login(self.make_user(django_user_model, "editor", editors))
        response = client.get(f"/admin/forms/submissions/{form_page.pk}/")
        assert response.status_code in (302, 403)
        assert "Pat Doe" not in response.content.decode()

    def test_the_api_never_returns_requests(self, submission, form_page, client):
        body = client.get(f"/api/v3/pages/{form_page.pk}/").content.decode()
        assert "Pat Doe" not in body


def test_purge_deletes_only_old_requests(form_page, client):
    client.post(form_page.url, valid_data(your_name="Old"))
    client.post(form_page.url, valid_data(your_name="New"))
    old = FormSubmission.objects.get(form_data__your_name="Old")
    FormSubmission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=91)
    )
    call_command("purge_form_submissions", "--older-than", "90")
    assert [s.get_data()["your_name"] for s in FormSubmission.objects.all()] == ["New"]
    with pytest.raises(CommandError, match="1 or more"):
        call_command("purge_form_submissions", "--older-than", "0")
