"""The Content-Security-Policy in Chromium: nothing the site needs is blocked.

Headers can be right and still break a page (a script the policy forbids, a
style Wagtail's userbar sets). Every violation raises a
``securitypolicyviolation`` event in the page; these tests collect them.
"""

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__csp.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        disposition: event.disposition,
        source: event.sourceFile + ":" + event.lineNumber,
    });
});
"""
PUBLIC_PATHS = [
    "/",
    "/services/ketamine-and-pain-management/",
    "/studies/",
    "/studies/ketamine-for-pain-management/",
    "/consultation/",
    "/search/?q=ketamine",
]


def violations(page, disposition="enforce") -> list[dict]:
    return [
        item
        for item in page.evaluate("window.__csp")
        if item["disposition"] == disposition
    ]


@pytest.fixture
def watched_page(clinic_site, browser_page):
    browser_page.add_init_script(COLLECT_VIOLATIONS)
    return browser_page


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_break_no_rule_of_the_strict_policy(
    clinic_site, watched_page, path
):
    response = watched_page.goto(clinic_site.url + path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched_page.wait_for_load_state("networkidle")
    assert violations(watched_page) == []


def test_the_consultation_form_still_posts_under_the_policy(clinic_site, watched_page):
    watched_page.goto(clinic_site.url + "/consultation/")
    watched_page.get_by_role("button", name="Send request").click()
    expect(
        watched_page.get_by_text("There is a problem with your request")
    ).to_be_visible()
    assert violations(watched_page) == []


def test_the_api_docs_render_under_the_policy(clinic_site, watched_page):
    watched_page.goto(clinic_site.url + "/api/v3/docs/")
    expect(watched_page.locator(".swagger-ui .info .title")).to_be_visible()
    assert violations(watched_page) == []


def sign_in(page, base_url, django_user_model):
    django_user_model.objects.create_superuser(
        username="csp-editor", email="csp@example.com", password="csp-pass-1234"
    )
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill("csp-editor")
    page.get_by_label("Password").fill("csp-pass-1234")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_editor_sees_the_userbar_on_the_public_site(
    clinic_site, watched_page, django_user_model
):
    sign_in(watched_page, clinic_site.url, django_user_model)
    watched_page.goto(clinic_site.url + "/services/ketamine-and-pain-management/")
    userbar = watched_page.locator("wagtail-userbar")
    expect(userbar).to_be_attached()
    userbar.get_by_role("button").first.click()
    expect(userbar.get_by_role("menuitem").first).to_be_visible()
    watched_page.wait_for_load_state("networkidle")
    assert violations(watched_page) == []


def test_the_admin_works_under_its_enforced_policy(
    clinic_site, watched_page, django_user_model
):
    sign_in(watched_page, clinic_site.url, django_user_model)
    service = Page.objects.get(slug="ketamine-and-pain-management")
    for path in ("/admin/", f"/admin/pages/{service.pk}/edit/", "/admin/images/"):
        response = watched_page.goto(clinic_site.url + path)
        assert response.status == 200, path
        watched_page.wait_for_load_state("networkidle")
        assert violations(watched_page) == [], path
    # The editor's rich text and preview still run.
    watched_page.goto(clinic_site.url + f"/admin/pages/{service.pk}/edit/")
    expect(watched_page.locator(".Draftail-Editor").first).to_be_visible()
