"""``manage.py ensure_admin``: an admin login for a new install, printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an 'admin' superuser with a random password and print it once. "
        "If an admin already exists it is kept and its password is not changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/admin/",
            help="Where the admin will be served, for the printed message.",
        )

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"An admin user already exists ({existing.get_username()}); "
                "its password was printed when it was created and is unchanged. "
                f"To set a new one: .venv/bin/python manage.py changepassword "
                f"{existing.get_username()}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        rule = "=" * 60
        self.stdout.write(
            self.style.SUCCESS(
                f"{rule}\nAdmin login (shown only this once)\n"
                f"  URL:      {url}\n  Username: {username}\n"
                f"  Password: {password}\n{rule}"
            )
        )
