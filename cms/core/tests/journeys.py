"""What the admin journeys in Chromium share: people, signing in and out, menus.

A helper module, not a test module: test modules never import one another.
"""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

#: Every journey's people sign in with this password.
PASSWORD = "journey-pass"


def create_user(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def sign_out(page):
    page.context.clear_cookies()


def open_more_actions(page):
    page.locator("footer").get_by_role("button", name="More actions").click()
