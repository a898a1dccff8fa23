"""``manage.py load_clinic_content``: the clinic's own content, from its seed page."""

import contextlib

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site

import articles.demo
import home.demo
import studies.demo
from cms.core.loading import LoadReport, trusted_setup
from cms.core.seed import SEED_FILE, load_seed
from home.models import HomePage


class Command(BaseCommand):
    help = (
        "Load the clinic's current page (home, services, studies, settings) into "
        "the CMS. Safe to run again: existing content is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-hostname",
            default="localhost",
            help="Host name the site is served on (used for absolute links) when "
            "the site is first set up. Default: localhost.",
        )
        parser.add_argument(
            "--site-port",
            type=int,
            default=80,
            help="Port the site is served on, when first set up. Default: 80.",
        )

    def handle(self, *args, site_hostname, site_port, **options):
        seed = load_seed()
        self.stdout.write(f"Loading clinic content from {SEED_FILE.name}")
        report = LoadReport(write=self.stdout.write)
        # The clinic's pages are public today, so the first set-up publishes
        # them as they are: the one exception to the clinical publish rules.
        # Later runs put back a missing clinical page as a draft only.
        first_setup = not HomePage.objects.exists()
        if first_setup:
            self.stdout.write(
                "First set-up: the clinic's current pages are loaded live as they "
                "are public today. The clinical publish rules are waived for this "
                "first load only; review the pages under Reports › Clinical review "
                "due."
            )
        waiver = (
            trusted_setup("load_clinic_content, first set-up")
            if first_setup
            else contextlib.nullcontext()
        )
        with transaction.atomic(), waiver:
            self.stdout.write("Pages:")
            home_page = home.demo.load_home(
                seed, report, hostname=site_hostname, port=site_port
            )
            service_index = home.demo.load_service_index(home_page, report)
            study_pages = studies.demo.load(seed, home_page, report)
            articles.demo.load(home_page, report)
            home.demo.load_evidence_guide(home_page, report)
            self.stdout.write("Clinic settings and conditions:")
            site = Site.objects.get(root_page=home_page)
            home.demo.load_settings(seed, site, report)
            home.demo.load_conditions(report)
            self.stdout.write("Services:")
            home.demo.load_service(seed, service_index, study_pages, report)
            home.demo.load_consultation(home_page, report)
        style = self.style.SUCCESS if report.changed_anything else self.style.NOTICE
        self.stdout.write(style(report.summary()))
