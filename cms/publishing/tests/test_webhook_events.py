"""What a frontend's receiver gets for each change it must act on.

Address changes (``old_html_path``, ``descendants_moved``) through every door
a publish comes in by, redirects, the pages a snippet shows on, and
``site.changed``; and every body validates against its schema in the API's
OpenAPI ``webhooks`` section. A real receiver listens on 127.0.0.1; the test
settings' immediate task backend sends each delivery as the change commits.
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import APIToken, PageViewRestriction

from cms.core.loading import trusted_setup
from cms.core.models import ClinicSettings
from cms.core.tests.factories import ConditionFactory
from cms.core.tests.helpers import edit_form_data, logged_in
from cms.publishing import references, signing, tasks
from cms.publishing.models import SUBSCRIBABLE_EVENTS, WebhookEndpoint
from cms.publishing.tests.receiver import Receiver
from home.tests.factories import ServicePageFactory, StandardPageFactory

SECRET = "test-secret-for-events"
EVERY_EVENT = [value for value, _label in SUBSCRIBABLE_EVENTS]


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def endpoint(receiver, db):
    return WebhookEndpoint.objects.create(
        name="Frontend", url=receiver.url, secret=SECRET, events=EVERY_EVENT
    )


@pytest.fixture
def page(home_page, on_commit):
    return on_commit(
        lambda: StandardPageFactory(
            parent=home_page, title="Aftercare", slug="aftercare"
        )
    )


@pytest.fixture
def child(page, on_commit):
    return on_commit(
        lambda: StandardPageFactory(parent=page, title="Day one", slug="day-one")
    )


def received(receiver, event=None) -> list[dict]:
    """The bodies the receiver got (of one event), each checked as a receiver would."""
    bodies = []
    for request in receiver.requests:
        headers = request.headers
        assert signing.verify(
            SECRET,
            request.body,
            headers[signing.SIGNATURE_HEADER],
            headers[signing.TIMESTAMP_HEADER],
        )
        body = json.loads(request.body)
        assert headers[signing.EVENT_HEADER] == body["event"]
        if event is None or body["event"] == event:
            bodies.append(body)
    return bodies


def publish_with_slug(page, slug):
    page = page.get_latest_revision_as_object()
    page.slug = slug
    revision = page.save_revision()
    revision.publish()
    return revision


# Address changes


def test_a_slug_change_published_in_the_admin_sends_the_old_path(
    page, child, endpoint, receiver, on_commit, admin_user
):
    client = logged_in(admin_user)
    data = edit_form_data(client, page, slug="aftercare-guide")
    data["action-publish"] = "Publish"
    response = on_commit(
        lambda: client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    )
    assert response.status_code == 302

    [published] = received(receiver, "page.published")
    assert published["page_id"] == page.pk
    assert published["html_path"] == "/aftercare-guide/"
    assert published["old_html_path"] == "/aftercare/"
    assert published["descendants_moved"] is True
    # Wagtail adds a redirect from each old address; each is announced too.
    redirects = {
        (body["old_path"], body["target"], body["permanent"])
        for body in received(receiver, "redirect.created")
    }
    assert redirects == {
        ("/aftercare", "/aftercare-guide/", True),
        ("/aftercare/day-one", "/aftercare-guide/day-one/", True),
    }


def test_a_slug_change_published_from_code_sends_the_old_path(
    page, endpoint, receiver, on_commit
):
    revision = on_commit(lambda: publish_with_slug(page, "after-your-visit"))

    [published] = received(receiver, "page.published")
    assert published["revision_id"] == revision.pk
    assert published["html_path"] == "/after-your-visit/"
    assert published["old_html_path"] == "/aftercare/"
    assert published["descendants_moved"] is False  # no pages below it


def test_a_slug_change_published_through_the_api_sends_the_old_path(
    client, page, child, endpoint, receiver, on_commit, admin_user
):
    _token, secret = APIToken.create_token(user=admin_user, name="hooks test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    edited = on_commit(
        lambda: client.patch(
            f"/api/v3/pages/{page.pk}/",
            {"slug": "aftercare-guide"},
            content_type="application/json",
            **auth,
        )
    )
    assert edited.status_code == 200, edited.content
    assert received(receiver, "page.published") == []  # a draft so far
    published = on_commit(
        lambda: client.post(f"/api/v3/pages/{page.pk}/actions/publish/", **auth)
    )
    assert published.status_code == 200, published.content

    [body] = received(receiver, "page.published")
    assert (body["html_path"], body["old_html_path"], body["descendants_moved"]) == (
        "/aftercare-guide/",
        "/aftercare/",
        True,
    )


def test_a_scheduled_slug_change_sends_the_old_path_when_it_goes_live(
    page, child, endpoint, receiver, on_commit
):
    on_commit(lambda: page.save_revision().publish())  # live, with a live revision
    receiver.requests.clear()
    draft = type(page).objects.get(pk=page.pk)  # as stored: it names its live revision
    draft.slug = "aftercare-guide"
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = draft.save_revision()
    on_commit(revision.publish)  # scheduled: nothing changes yet
    assert received(receiver, "page.published") == []

    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    on_commit(lambda: call_command("publish_scheduled", stdout=StringIO()))

    [published] = received(receiver, "page.published")
    assert published["html_path"] == "/aftercare-guide/"
    assert published["old_html_path"] == "/aftercare/"
    assert published["descendants_moved"] is True


def test_a_publish_at_the_same_address_says_so(
    page, child, endpoint, receiver, on_commit
):
    page.title = "Aftercare, updated"
    on_commit(lambda: page.save_revision().publish())

    [published] = received(receiver, "page.published")
    assert published["html_path"] == "/aftercare/"
    assert published["old_html_path"] is None
    assert published["descendants_moved"] is False


def test_the_first_publish_of_a_renamed_draft_has_no_old_address(
    home_page, endpoint, receiver, on_commit
):
    draft = StandardPageFactory(parent=home_page, slug="draft", live=False)
    on_commit(lambda: publish_with_slug(draft, "first-time-here"))

    [published] = received(receiver, "page.published")
    assert published["html_path"] == "/first-time-here/"
    assert published["old_html_path"] is None  # /draft/ was never public


def test_a_move_says_whether_descendants_moved(
    home_page, page, child, endpoint, receiver, on_commit
):
    about = on_commit(
        lambda: StandardPageFactory(parent=home_page, title="About", slug="about")
    )
    receiver.requests.clear()
    on_commit(lambda: page.move(about, pos="last-child"))
    lone = on_commit(
        lambda: StandardPageFactory(parent=home_page, title="Lone", slug="lone")
    )
    on_commit(lambda: lone.move(about, pos="last-child"))

    moved = received(receiver, "page.moved")
    assert [
        (b["old_html_path"], b["html_path"], b["descendants_moved"]) for b in moved
    ] == [
        ("/aftercare/", "/about/aftercare/", True),
        ("/lone/", "/about/lone/", False),
    ]


# Redirects


def test_redirects_created_edited_and_deleted_are_announced(
    home_page, page, endpoint, receiver, on_commit
):
    site = home_page.get_site()
    redirect = on_commit(
        lambda: Redirect.objects.create(
            old_path="/after", site=site, redirect_page=page, is_permanent=False
        )
    )
    [created] = received(receiver, "redirect.created")
    assert {
        k: v for k, v in created.items() if k not in ("timestamp", "delivery_id")
    } == {
        "event": "redirect.created",
        "redirect_id": redirect.pk,
        "old_path": "/after",
        "site": {"id": site.pk, "hostname": "localhost"},
        "target": "/aftercare/",
        "target_page_id": page.pk,
        "permanent": False,
        "edit": False,
    }

    # Saved unchanged: nothing to say.
    receiver.requests.clear()
    on_commit(redirect.save)
    assert receiver.requests == []

    # Edited: forget it as it was, learn it as it is.
    redirect.old_path = "/after-care"
    redirect.redirect_page = None
    redirect.redirect_link = "https://example.org/aftercare"
    redirect.site = None
    on_commit(redirect.save)
    bodies = received(receiver)
    assert [
        (b["event"], b["old_path"], b["target"], b["site"], b["edit"]) for b in bodies
    ] == [
        (
            "redirect.deleted",
            "/after",
            "/aftercare/",
            {"id": site.pk, "hostname": "localhost"},
            True,
        ),
        (
            "redirect.created",
            "/after-care",
            "https://example.org/aftercare",
            None,
            True,
        ),
    ]

    receiver.requests.clear()
    on_commit(redirect.delete)
    [deleted] = received(receiver)
    assert (deleted["event"], deleted["old_path"], deleted["edit"]) == (
        "redirect.deleted",
        "/after-care",
        False,
    )


def test_a_redirect_to_a_page_visitors_cannot_see_has_no_page_target(
    home_page, endpoint, receiver, on_commit
):
    draft = StandardPageFactory(parent=home_page, slug="draft", live=False)
    on_commit(lambda: Redirect.objects.create(old_path="/soon", redirect_page=draft))
    [created] = received(receiver, "redirect.created")
    assert (created["target"], created["target_page_id"], created["site"]) == (
        None,
        None,
        None,
    )


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_new_redirect_is_followed_at_once_despite_a_cached_404(
    client, home_page, page, on_commit
):
    assert client.get("/old-aftercare/").status_code == 404
    on_commit(
        lambda: Redirect.objects.create(
            old_path="/old-aftercare", site=home_page.get_site(), redirect_page=page
        )
    )
    response = client.get("/old-aftercare/")
    assert response.status_code == 301
    assert response["Location"].endswith("/aftercare/")


class RecordingCDN(BaseBackend):
    purged: list[str] = []

    def purge(self, url):
        RecordingCDN.purged.append(url)

    def purge_batch(self, urls):
        RecordingCDN.purged.extend(urls)


CDN = {"cdn": {"BACKEND": f"{__name__}.RecordingCDN"}}


@override_settings(WAGTAILFRONTENDCACHE=CDN)
def test_with_a_cdn_a_redirect_purges_its_old_path(home_page, page, on_commit):
    RecordingCDN.purged = []
    on_commit(
        lambda: Redirect.objects.create(
            old_path="/old-aftercare", site=home_page.get_site(), redirect_page=page
        )
    )
    assert RecordingCDN.purged == ["http://localhost/old-aftercare"]


# Snippets list the pages that use them


@pytest.fixture
def condition_in_use(service_index, on_commit):
    """A condition named by two live services, one draft and one private page."""
    condition = ConditionFactory(name="Migraine")

    def service(slug, **kwargs):
        page = ServicePageFactory(parent=service_index, slug=slug, **kwargs)
        with trusted_setup("test fixture"):
            page.conditions.set([condition])
            page.save()
        return page

    pages = on_commit(
        lambda: [
            service("migraine-care"),
            service("headache-clinic"),
            service("draft-service", live=False),
            service("private-service"),
        ]
    )
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=pages[3], restriction_type=PageViewRestriction.LOGIN
        )
    )
    return condition, pages


def test_a_snippet_change_lists_the_live_public_pages_that_use_it(
    condition_in_use, endpoint, receiver, on_commit
):
    condition, (first, second, _draft, _private) = condition_in_use
    receiver.requests.clear()
    condition.name = "Migraine (chronic)"
    on_commit(condition.save)

    [body] = received(receiver, "snippet.changed")
    assert (body["type"], body["object_id"], body["action"]) == (
        "core.Condition",
        condition.pk,
        "saved",
    )
    assert body["pages"] == [
        {
            "id": first.pk,
            "type": "home.ServicePage",
            "html_path": "/services/migraine-care/",
        },
        {
            "id": second.pk,
            "type": "home.ServicePage",
            "html_path": "/services/headache-clinic/",
        },
    ]
    assert body["pages_truncated"] is False
    assert b"chronic" not in receiver.requests[-1].body


def test_a_deleted_snippet_lists_the_pages_that_used_it(
    condition_in_use, endpoint, receiver, on_commit
):
    condition, (first, second, _draft, _private) = condition_in_use
    receiver.requests.clear()
    on_commit(condition.delete)

    [body] = received(receiver, "snippet.changed")
    assert body["action"] == "deleted"
    assert [page["id"] for page in body["pages"]] == [first.pk, second.pk]


def test_a_long_list_of_pages_is_cut_and_says_so(
    condition_in_use, endpoint, receiver, on_commit, monkeypatch
):
    condition, (first, *_rest) = condition_in_use
    monkeypatch.setattr(references, "MAX_PAGES_LISTED", 1)
    receiver.requests.clear()
    on_commit(condition.save)

    [body] = received(receiver, "snippet.changed")
    assert [page["id"] for page in body["pages"]] == [first.pk]
    assert body["pages_truncated"] is True


# site.changed: settings and menus


@override_settings(WAGTAILFRONTENDCACHE=CDN)
def test_clinic_settings_send_site_changed_and_purge_the_site(
    home_page, endpoint, receiver, on_commit
):
    site = home_page.get_site()
    RecordingCDN.purged = []
    settings_row = on_commit(
        lambda: ClinicSettings.objects.create(site=site, clinic_name="Example Clinic")
    )

    [body] = received(receiver)  # site.changed only, no snippet.changed
    assert {k: v for k, v in body.items() if k not in ("timestamp", "delivery_id")} == {
        "event": "site.changed",
        "site_id": site.pk,
        "hostname": "localhost",
        "root_url": "http://localhost",
        "api_url": "http://localhost/api/v3/site/",
        "reason": "settings_saved",
    }
    assert set(RecordingCDN.purged) >= {
        "http://localhost/",
        "http://localhost/api/v3/site/",
    }

    receiver.requests.clear()
    on_commit(settings_row.delete)
    assert [(b["event"], b["reason"]) for b in received(receiver)] == [
        ("site.changed", "settings_deleted")
    ]


def site_changes(receiver) -> list[str]:
    return [body["reason"] for body in received(receiver, "site.changed")]


def test_menu_changes_send_site_changed(home_page, page, endpoint, receiver, on_commit):
    # Not in a menu: a publish concerns the page alone.
    on_commit(lambda: page.save_revision().publish())
    assert site_changes(receiver) == []

    # Shown in menus by this publish, then published again while in them.
    page.show_in_menus = True
    on_commit(lambda: page.save_revision().publish())
    page.title = "Aftercare, renamed"
    on_commit(lambda: page.save_revision().publish())
    assert site_changes(receiver) == ["menu_changed", "menu_changed"]

    # Taken out of menus by a publish.
    receiver.requests.clear()
    page.show_in_menus = False
    on_commit(lambda: page.save_revision().publish())
    assert site_changes(receiver) == ["menu_changed"]

    # Unpublished, reordered and deleted while in a menu.
    page.show_in_menus = True
    on_commit(lambda: page.save_revision().publish())
    receiver.requests.clear()
    on_commit(page.unpublish)
    assert site_changes(receiver) == ["menu_changed"]
    on_commit(lambda: page.save_revision().publish())
    other = on_commit(lambda: StandardPageFactory(parent=home_page, slug="contact"))
    receiver.requests.clear()
    on_commit(lambda: page.move(other, pos="right"))
    page.refresh_from_db()
    on_commit(page.delete)
    events = [(b["event"], b.get("reason")) for b in received(receiver)]
    assert events == [
        ("site.changed", "menu_changed"),  # the reorder
        # A delete unpublishes the page first (Wagtail): one site.changed.
        ("page.deleted", None),
        ("page.unpublished", None),
        ("site.changed", "menu_changed"),
    ]


# Every body is described in the OpenAPI document


def document_validator(document, model_name):
    registry = Registry().with_resource(
        "urn:clinic-openapi",
        Resource.from_contents(document, default_specification=DRAFT202012),
    )
    schema = {"$ref": f"urn:clinic-openapi#/components/schemas/{model_name}"}
    return Draft202012Validator(schema, registry=registry)


def test_every_body_sent_validates_against_the_openapi_webhooks_section(
    client, home_page, page, child, condition_in_use, endpoint, receiver, on_commit
):
    site = home_page.get_site()
    condition, _pages = condition_in_use
    about = on_commit(lambda: StandardPageFactory(parent=home_page, slug="about"))
    on_commit(lambda: publish_with_slug(page, "aftercare-guide"))  # + redirects
    on_commit(lambda: page.move(about, pos="last-child"))
    on_commit(lambda: condition.save())
    on_commit(lambda: ClinicSettings.objects.create(site=site, clinic_name="X"))
    restriction = on_commit(
        lambda: PageViewRestriction.objects.create(
            page=about, restriction_type=PageViewRestriction.LOGIN
        )
    )
    on_commit(restriction.delete)
    on_commit(lambda: Redirect.objects.get(old_path="/aftercare").delete())
    on_commit(lambda: about.specific.unpublish())
    on_commit(lambda: tasks.send_test(endpoint))
    on_commit(lambda: condition.delete())  # page.changed for the pages naming it
    gone = on_commit(lambda: StandardPageFactory(parent=home_page, slug="gone"))
    on_commit(gone.delete)

    document = client.get("/api/v3/openapi.json").json()
    webhooks_doc = document["webhooks"]
    sent = received(receiver)
    assert {body["event"] for body in sent} == set(webhooks_doc)
    for body in sent:
        operation = webhooks_doc[body["event"]]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        validator = document_validator(document, ref.rsplit("/", 1)[1])
        errors = [error.message for error in validator.iter_errors(body)]
        assert errors == [], (body["event"], errors)
    # A body that breaks its schema is caught (the check can fail).
    broken = {**sent[0], "html_path": 7}
    ref = webhooks_doc[sent[0]["event"]]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    assert list(document_validator(document, ref.rsplit("/", 1)[1]).iter_errors(broken))
