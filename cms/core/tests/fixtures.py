"""Shared content fixtures (a pytest plugin, see the root conftest): one live page
of each listed type, reviewed, with an image."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.loading import trusted_setup
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    approve_as_is,
)
from home.tests.factories import ServiceIndexPageFactory, ServicePageFactory
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory


def make_image(title="Treatment room", width=1600, height=900) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#336699").save(buffer, "PNG")
    return Image.objects.create(
        title=title,
        description="A calm treatment room with a reclining chair",
        file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png"),
    )


@pytest.fixture
def clinic(home_page):
    """Sections, one service, one article, one study, all live and reviewed.

    Built like the seed loader builds the site (``trusted_setup``), then each
    clinical page is approved as it stands.
    """
    with trusted_setup("test fixture"):
        content = _build_clinic(home_page)
    for key in ("study", "service", "article"):
        approve_as_is(content[key])
    return content


def _build_clinic(home_page):
    reviewer = ClinicianFactory(name="Rae Patel", credentials="MD", role="Director")
    back_pain = ConditionFactory(name="Back pain")
    image = make_image()
    body_image = Image.objects.get(pk=image.pk)
    body_image.contextual_alt_text = "Our treatment room"
    body_image.decorative = False
    services = ServiceIndexPageFactory(parent=home_page, title="Services")
    articles = ArticleIndexPageFactory(parent=home_page, title="Articles")
    studies = StudyIndexPageFactory(parent=home_page, title="Studies")
    review = {
        "reviewed_by": reviewer,
        "last_reviewed": datetime.date(2026, 1, 5),
        "next_review_due": datetime.date(2099, 1, 5),
    }
    study = StudySummaryPageFactory(
        parent=studies,
        title="Ketamine for chronic pain: a review",
        slug="ketamine-review",
        citation_title="Ketamine for chronic pain: a review",
        authors="Cohen SP\nBhatia A",
        journal="Reg Anesth Pain Med",
        year=2018,
        volume="43",
        issue="5",
        pages="521-546",
        doi="10.1097/AAP.0000000000000808",
        pmid="29870458",
        pmcid="PMC6023575",
        study_design="systematic_review",
        summary="What the evidence says about ketamine infusions.",
        plain_language_summary="<p>Ketamine helped some people for a while.</p>",
        listing_image=image,
        **review,
    )
    study.key_points.create(text="Short-term relief is likely.", sort_order=0)
    study.conditions.set([back_pain])
    study.save_revision().publish()
    service = ServicePageFactory(
        parent=services,
        title="IV ketamine",
        slug="iv-ketamine",
        subtitle="Ketamine and treatment of pain",
        summary="Infusions for chronic pain, with monitoring.",
        involves_ketamine=True,
        listing_image=image,
        body=[
            ("heading", {"text": "What it is", "level": "h2"}),
            (
                "paragraph",
                f'<p>See <a linktype="page" id="{study.pk}">the review</a>.</p>',
            ),
            ("image", {"image": body_image, "caption": "Our room"}),
            ("study_reference", {"study": study, "note": "A review"}),
        ],
        **review,
    )
    service.conditions.set([back_pain])
    service.related_studies.create(study=study)
    service.save_revision().publish()
    article = ArticlePageFactory(
        parent=articles,
        title="Sleep and pain",
        slug="sleep-and-pain",
        date=datetime.date(2026, 3, 1),
        summary="Why pain and sleep affect each other.",
        **review,
    )
    article.authors.create(clinician=reviewer)
    article.tags.add("sleep")
    article.conditions.set([back_pain])
    article.related_studies.create(study=study)
    article.save_revision().publish()
    return {
        "home": home_page,
        "services": services,
        "articles": articles,
        "studies": studies,
        "service": service,
        "article": article,
        "study": study,
        "condition": back_pain,
        "reviewer": reviewer,
        "image": image,
    }
