"""Typed payloads of ``/api/v3/articles/``."""

import datetime
from typing import Literal

from ninja import Field

from cms.api.lists import ClinicalFilters, Slug
from cms.api.schemas import PageCardSchema


class ArticleCardSchema(PageCardSchema):
    """An article as its card shows it: date, byline and topics."""

    date: datetime.date
    authors: list[str]
    tags: list[str]

    @staticmethod
    def resolve_authors(page) -> list[str]:
        return [clinician.display_name for clinician in page.author_clinicians]

    @staticmethod
    def resolve_tags(page) -> list[str]:
        return [tag.name for tag in page.tags.all()]


class ArticleFilters(ClinicalFilters):
    tag: Slug | None = Field(None, description="A tag's slug, e.g. `sleep`.")
    order: Literal["-date", "date", "title", "-title", "-last_reviewed"] | None = Field(
        None, description="Sort key; default `-date` (newest first)."
    )
