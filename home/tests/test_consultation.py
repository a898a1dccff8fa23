"""The consultation form: minimal, private, and read by the Intake group only."""

import datetime
import math
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission, Site

from cms.core.loading import LoadReport
from cms.core.models import ClinicSettings
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


class TestRateLimit:
    """Five requests an hour per client (RATE_LIMITS["consultation"])."""

    @pytest.fixture
    def clinic_phone(self, form_page):
        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        clinic.phone = "801-555-0100"
        clinic.save()
        return clinic.phone

    def test_the_sixth_request_in_an_hour_is_refused_and_not_kept(
        self, form_page, client, clinic_phone
    ):
        for number in range(5):
            response = client.post(form_page.url, valid_data(your_name=f"Pat {number}"))
            assert response.status_code == 302
        response = client.post(form_page.url, valid_data(your_name="Pat 6"))
        page_html = response.content.decode()
        assert response.status_code == 429
        # django-ratelimit's windows are fixed: the wait is what is left of it.
        retry_after = int(response["Retry-After"])
        assert 0 < retry_after <= 3600
        minutes = math.ceil(retry_after / 60)
        assert "private" in response["Cache-Control"]
        assert (
            "You have sent several requests in a short time. Please wait about "
            f"{minutes} minute{'s' if minutes > 1 else ''}, or call us on "
            '<a href="tel:801-555-0100">801-555-0100</a>.' in page_html
        )
        assert 'class="site-header"' in page_html  # the normal site layout
        names = [s.get_data()["your_name"] for s in FormSubmission.objects.all()]
        assert sorted(names) == [f"Pat {number}" for number in range(5)]
        assert len(mail.outbox) == 5

    def test_invalid_and_spam_posts_count_but_viewing_the_form_does_not(
        self, form_page, client
    ):
        for _ in range(10):
            assert client.get(form_page.url).status_code == 200
        client.post(form_page.url, valid_data(consent=None))  # invalid
        client.post(form_page.url, valid_data(website="http://spam.example"))
        for _ in range(3):
            client.post(form_page.url, valid_data())
        assert FormSubmission.objects.count() == 3
        response = client.post(form_page.url, valid_data(your_name="Too many"))
        assert response.status_code == 429
        assert not FormSubmission.objects.filter(form_data__your_name="Too many")
        assert client.get(form_page.url).status_code == 200  # still readable

    def test_another_client_can_still_send_a_request(self, form_page, client):
        for _ in range(6):
            client.post(form_page.url, valid_data(), REMOTE_ADDR="203.0.113.5")
        assert FormSubmission.objects.count() == 5
        response = client.post(
            form_page.url, valid_data(your_name="Sam"), REMOTE_ADDR="203.0.113.6"
        )
        assert response.status_code == 302
        assert FormSubmission.objects.filter(form_data__your_name="Sam").exists()

    def test_without_a_clinic_phone_the_page_only_asks_to_wait(self, form_page, client):
        for _ in range(5):
            client.post(form_page.url, valid_data())
        response = client.post(form_page.url, valid_data())
        page_html = response.content.decode()
        assert response.status_code == 429
        minutes = math.ceil(int(response["Retry-After"]) / 60)
        assert f"Please wait about {minutes} minute" in page_html
        assert re.search(r"Please wait about \d+ minutes?\.</p>", page_html)
        assert "call us" not in page_html


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

    def test_intake_finds_requests_from_the_forms_menu_item(
        self, submission, form_page, client, django_user_model
    ):
        intake = self.make_user(
            django_user_model, "intake", Group.objects.get(name="Intake")
        )
        client.force_login(intake)
        dashboard = client.get("/admin/")
        props = re.search(
            r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>',
            dashboard.content.decode(),
            re.S,
        )
        menu_urls = re.findall(r'"url": "([^"]+)"', props.group(1))
        assert "/admin/forms/" in menu_urls
        listing = client.get("/admin/forms/")
        assert listing.status_code == 200
        listing_html = listing.content.decode()
        submissions_url = f"/admin/forms/submissions/{form_page.pk}/"
        assert f'href="{submissions_url}"' in listing_html
        assert form_page.title in listing_html
        # The listing's own search and filters answer too.
        assert client.get("/admin/forms/results/?q=consult").status_code == 200
        submissions = client.get(submissions_url)
        assert submissions.status_code == 200
        assert "Pat Doe" in submissions.content.decode()

    def test_intake_still_cannot_edit_or_browse_pages(
        self, submission, form_page, client, django_user_model
    ):
        intake = self.make_user(
            django_user_model, "intake", Group.objects.get(name="Intake")
        )
        client.force_login(intake)
        edit = client.get(f"/admin/pages/{form_page.pk}/edit/")
        assert edit.status_code == 302
        assert edit["Location"] == "/admin/"
        assert client.get(f"/admin/pages/{form_page.pk}/").status_code == 302
        assert not GroupPagePermission.objects.filter(group__name="Intake").exists()

    def test_people_who_read_no_forms_are_still_kept_out_of_the_listing(
        self, submission, client, django_user_model
    ):
        editors = Group.objects.create(name="Page editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(self.make_user(django_user_model, "editor", editors))
        response = client.get("/admin/forms/")
        assert response.status_code == 302
        assert "Pat Doe" not in client.get(response["Location"]).content.decode()

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
