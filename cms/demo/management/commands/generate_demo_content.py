"""``manage.py generate_demo_content``: synthetic studies and articles at scale."""

from django.core.management.base import BaseCommand, CommandError

from cms.demo import generate

#: Upper bounds, so a typo cannot fill the disk (100,000 pages is ~10 minutes).
MAX_STUDIES = 100_000
MAX_ARTICLES = 20_000


class Command(BaseCommand):
    help = (
        "Generate synthetic study summaries and articles on a site of their own "
        f"({generate.DEFAULT_HOSTNAME} by default), to measure the site at scale. "
        "They never appear among the clinic's pages. Run again to replace them; "
        "--remove deletes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--studies", type=int, default=10_000)
        parser.add_argument("--articles", type=int, default=2_000)
        parser.add_argument(
            "--hostname",
            default=generate.DEFAULT_HOSTNAME,
            help="Host name of the synthetic site (add it to ALLOWED_HOSTS to "
            "browse it).",
        )
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete every synthetic page and the synthetic site, nothing else.",
        )

    def handle(self, *args, studies, articles, hostname, port, remove, **options):
        if remove:
            generate.remove(write=self.stdout.write)
            return
        if not (0 <= studies <= MAX_STUDIES and 0 <= articles <= MAX_ARTICLES):
            raise CommandError(
                f"--studies must be 0–{MAX_STUDIES} and --articles 0–{MAX_ARTICLES}."
            )
        self.stdout.write(
            f"Generating {studies} synthetic study summaries and {articles} articles"
        )
        done = generate.generate(
            studies=studies,
            articles=articles,
            hostname=hostname,
            port=port,
            write=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {done.studies} study summaries and {done.articles} "
                f"articles on {done.hostname}."
            )
        )
