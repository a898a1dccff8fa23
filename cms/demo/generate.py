"""Thousands of synthetic study summaries and articles, to measure the site at scale.

Why a site of its own: the clinic's listings, search, sitemap and API are all
answered per site (``in_site``, ``child_of`` the site's index, Wagtail's
per-site sitemap), so generated pages placed under a second home page, served
on their own host name (``synthetic.localhost`` by default), are measured by
exactly the code that serves the clinic without ever showing up beside the
clinic's content. Every generated page also carries a ``SyntheticPage`` mark
and a title that starts with "Synthetic", so no person or query can take one
for the clinic's own.

Why bulk inserts: creating 12,000 pages one ``add_child`` at a time takes
minutes (each locks and re-reads its parent, saves twice, sends signals). Here
the tree paths are computed directly (treebeard's materialised path: the
parent's path plus a four-character step per child) and the rows are written
in batches, then the search index is filled in batches too. No signal is sent
for the generated pages: synthetic content is announced to no webhook and no
CDN, and the page cache is invalidated once at the end.

The pages are written live without a clinical review: they are test data on a
test site, never the clinic's content, and the review rules are about that.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from articles.models import ArticleIndexPage, ArticlePage
from cms.demo.models import SyntheticPage
from cms.publishing.purge import invalidate_page_cache
from home.models import HomePage
from studies.choices import StudyDesign
from studies.models import StudyIndexPage, StudyKeyPoint, StudySummaryPage

DEFAULT_HOSTNAME = "synthetic.localhost"
#: Rows per INSERT; small enough for SQLite's limit on query parameters.
BATCH_SIZE = 500
#: One seed: the same command makes the same pages, so two runs compare.
RANDOM_SEED = 16

TOPICS = (
    "ketamine infusion",
    "chronic low back pain",
    "neuropathic pain",
    "fibromyalgia",
    "complex regional pain syndrome",
    "migraine",
    "treatment-resistant depression",
    "post-operative pain",
    "physiotherapy",
    "sleep",
)
OUTCOMES = (
    "pain scores",
    "daily function",
    "mood",
    "opioid use",
    "quality of life",
    "return to work",
)
DESIGNS = [choice for choice in StudyDesign.values if choice]


@dataclass
class Generated:
    studies: int = 0
    articles: int = 0
    hostname: str = DEFAULT_HOSTNAME


def synthetic_pages():
    """Every generated page (the mark is the only test)."""
    return Page.objects.filter(synthetic_marker__isnull=False)


def generate(
    *,
    studies: int,
    articles: int,
    hostname: str = DEFAULT_HOSTNAME,
    port: int = 80,
    write: Callable[[str], None] = lambda line: None,
) -> Generated:
    """Replace any synthetic content with this many studies and articles."""
    if synthetic_pages().exists():
        write("Removing the synthetic content generated before")
        remove(write=write)
    # Test data, not secrets: a seeded generator makes the same pages each run.
    randomness = random.Random(RANDOM_SEED)  # noqa: S311
    with transaction.atomic():
        home = _add_page(
            Page.get_first_root_node(),
            HomePage(
                title="Synthetic demo content (not the clinic's)",
                slug="synthetic-demo",
                tagline="Generated test pages for measuring the site at scale.",
            ),
        )
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            site_name="Synthetic demo content",
            is_default_site=False,
        )
        study_index = _add_page(
            home, StudyIndexPage(title="Synthetic studies", slug="studies")
        )
        article_index = _add_page(
            home, ArticleIndexPage(title="Synthetic articles", slug="articles")
        )
        _bulk_children(
            study_index,
            (_study(number, randomness) for number in range(1, studies + 1)),
            studies,
            "study summaries",
            write,
            after_batch=_add_key_points,
        )
        _bulk_children(
            article_index,
            (_article(number, randomness) for number in range(1, articles + 1)),
            articles,
            "articles",
            write,
        )
        transaction.on_commit(invalidate_page_cache)
    _refresh_statistics(write)
    write(f"Synthetic site: http://{hostname}{'' if port == 80 else f':{port}'}/")
    return Generated(studies=studies, articles=articles, hostname=hostname)


def remove(*, write: Callable[[str], None] = lambda line: None) -> int:
    """Delete every synthetic page and its site; the clinic's content is untouched.

    The pages are first taken offline with one UPDATE, so the delete announces
    none of them (they were never announced either); the deletion itself goes
    through Django's collector, which also removes their key points, authors,
    marks and search-index entries.
    """
    marked = synthetic_pages()
    total = marked.count()
    if not total:
        write("No synthetic content to remove.")
        return 0
    with transaction.atomic():
        Site.objects.filter(root_page__in=marked).delete()
        marked.update(live=False)
        leaves = list(
            marked.filter(numchild=0)
            .order_by("-depth", "pk")
            .values_list("pk", flat=True)
        )
        removed = 0
        for start in range(0, len(leaves), BATCH_SIZE * 2):
            batch = leaves[start : start + BATCH_SIZE * 2]
            Page.objects.filter(pk__in=batch).delete()
            removed += len(batch)
            write(f"  removed {removed} of {total} pages")
        # What is left: the synthetic home and index pages (few, no children).
        for page in synthetic_pages().order_by("-depth"):
            Page.objects.filter(pk=page.pk).delete()
        transaction.on_commit(invalidate_page_cache)
    write(f"Removed {total} synthetic pages and their site.")
    return total


# Building the pages.


def _refresh_statistics(write: Callable[[str], None]) -> None:
    """Tell the database's planner how big the tables now are (``ANALYZE``).

    Thousands of rows written at once leave the planner's statistics
    describing the tables as they were: PostgreSQL planned the first listing
    after a bulk insert for a handful of pages and took seconds over it,
    until autovacuum caught up. Measuring straight after generating must
    measure the plans a running site has.
    """
    write("Refreshing the database's statistics (ANALYZE)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _add_page(parent: Page, page: Page) -> Page:
    """One page the ordinary way (a few of them: the home and index pages)."""
    page.live = True
    parent.add_child(instance=page)
    SyntheticPage.objects.create(page=page)
    return page


def _study(number: int, randomness: random.Random) -> tuple[StudySummaryPage, list]:
    topic = randomness.choice(TOPICS)
    outcome = randomness.choice(OUTCOMES)
    title = f"Synthetic study {number:05d}: {topic} and {outcome}"
    page = StudySummaryPage(
        title=title,
        slug=f"synthetic-study-{number:05d}",
        summary=f"A generated study summary about {topic}, for load testing.",
        citation_title=title,
        authors="Synthetic A\nGenerated B",
        journal="J Synthetic Test Data",
        year=1990 + number % 35,
        doi=f"10.99999/synthetic.{number:05d}",
        source_url=f"https://example.org/synthetic/{number:05d}",
        study_design=randomness.choice(DESIGNS),
        plain_language_summary=(
            f"<p>This generated study looked at {topic} and measured {outcome}. "
            "It is test data, not a real study.</p>"
        ),
        limitations="<p>Not a real study: generated for measuring the site.</p>",
    )
    points = [
        f"Generated finding one about {outcome}.",
        f"Generated finding two about {topic}.",
    ]
    return page, points


def _article(number: int, randomness: random.Random) -> tuple[ArticlePage, list]:
    topic = randomness.choice(TOPICS)
    page = ArticlePage(
        title=f"Synthetic article {number:05d}: living with {topic}",
        slug=f"synthetic-article-{number:05d}",
        summary=f"A generated article about {topic}, for load testing.",
        date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number % 1800),
        body=[
            {
                "type": "paragraph",
                "value": f"<p>Generated text about {topic}. Not medical advice.</p>",
            }
        ],
    )
    return page, []


def _bulk_children(
    parent: Page,
    items: Iterator[tuple[Page, list]],
    count: int,
    label: str,
    write: Callable[[str], None],
    after_batch: Callable[[list[tuple[Page, list]]], None] | None = None,
) -> None:
    """Insert ``count`` live children of ``parent`` in batches, marked and indexed."""
    if not count:
        return
    now = timezone.now()
    done = 0
    batch: list[tuple[Page, list]] = []
    for number, item in enumerate(items, start=parent.numchild + 1):
        page = item[0]
        _place(page, parent, number, now)
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            _insert_batch(batch, after_batch)
            done += len(batch)
            write(f"  {label}: {done} of {count}")
            batch = []
    if batch:
        _insert_batch(batch, after_batch)
        done += len(batch)
        write(f"  {label}: {done} of {count}")
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + done)
    parent.numchild += done


def _place(page: Page, parent: Page, number: int, now: datetime.datetime) -> None:
    """The fields ``add_child`` and ``publish`` would set, computed in memory."""
    page.depth = parent.depth + 1
    page.path = Page._get_path(parent.path, page.depth, number)
    page.numchild = 0
    page.url_path = f"{parent.url_path}{page.slug}/"
    page.locale_id = parent.locale_id
    page.draft_title = page.title
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = now
    page.content_type = ContentType.objects.get_for_model(page)


def _insert_batch(batch, after_batch) -> None:
    pages = [page for page, _ in batch]
    model = type(pages[0])
    # Django cannot bulk_create a multi-table model: the Page rows go in first
    # (their ids come back), then the page type's own rows with those ids.
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [
            Page(**{f.attname: getattr(page, f.attname) for f in base_fields})
            for page in pages
        ]
    )
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.id = base.pk
        page.page_ptr_id = base.pk
    _insert_own_rows(model, pages)
    SyntheticPage.objects.bulk_create(
        [SyntheticPage(page_id=page.pk) for page in pages]
    )
    if after_batch:
        after_batch(batch)
    _index(model, [page.pk for page in pages])


def _insert_own_rows(model: type[models.Model], pages: list[Page]) -> None:
    """INSERT the page type's table rows (``page_ptr`` already set).

    ``QuerySet._insert`` is what ``Model.save()`` itself uses for a child
    table; it is called here because ``bulk_create`` refuses multi-table
    models outright.
    """
    fields = list(model._meta.local_concrete_fields)
    size = connection.ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start : start + size], fields=fields)


def _add_key_points(batch) -> None:
    StudyKeyPoint.objects.bulk_create(
        StudyKeyPoint(page_id=page.pk, sort_order=order, text=text)
        for page, points in batch
        for order, text in enumerate(points)
    )


def _index(model, ids: list[int]) -> None:
    """Add one batch to the search index (one backend call, related rows prefetched)."""
    objects = list(model.get_indexed_objects().filter(pk__in=ids))
    get_search_backend().add_bulk(model, objects)
