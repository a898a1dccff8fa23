"""Typed payloads of ``/api/v3/services/``."""

from typing import Literal

from ninja import Field

from cms.api.lists import ClinicalFilters
from cms.api.schemas import PageCardSchema


class ServiceCardSchema(PageCardSchema):
    """A service as its card shows it."""

    subtitle: str
    involves_ketamine: bool


class ServiceFilters(ClinicalFilters):
    order: (
        Literal[
            "menu",
            "title",
            "-title",
            "last_reviewed",
            "-last_reviewed",
            "-first_published_at",
        ]
        | None
    ) = Field(None, description="Sort key; default `menu` (the editors' order).")
