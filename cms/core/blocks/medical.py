"""Blocks specific to clinical content: key points, FAQs and study references."""

from copy import copy

from wagtail import blocks

from cms.core.request_pages import keep, known
from cms.core.text import editor_features


class KeyPointsBlock(blocks.StructBlock):
    """The few things a reader must take away, as an ordered list."""

    heading = blocks.CharBlock(default="Key points", help_text="Usually 'Key points'.")
    points = blocks.ListBlock(
        blocks.TextBlock(label="Point"),
        min_num=1,
        help_text="One sentence each, in the order readers should see them.",
    )

    class Meta:
        icon = "list-ol"
        label = "Key points"
        template = "blocks/key_points_block.html"
        description = "A numbered list of the main points."
        preview_value = {
            "heading": "Key points",
            "points": [
                "Treatment plans are built around each patient.",
                "Your clinician will explain benefits and risks.",
            ],
        }


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(help_text="Phrase it the way a patient would ask it.")
    answer = blocks.RichTextBlock(features=editor_features("text"))


class FAQBlock(blocks.StructBlock):
    """Questions patients ask, with short answers."""

    heading = blocks.CharBlock(default="Frequently asked questions")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1, label="Questions")

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "blocks/faq_block.html"
        description = "Questions and answers, each one expandable."
        preview_value = {
            "heading": "Frequently asked questions",
            "items": [
                {
                    "question": "How long does an appointment take?",
                    "answer": "<p>Your clinician will tell you before your visit.</p>",
                }
            ],
        }


class KnownPageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser, taking pages this request has read already.

    Stored and migrated as Wagtail's own ``PageChooserBlock``: only how its
    pages are read differs. Like Wagtail's, a page chosen twice is a copy
    each time, and an id with no page is ``None``.
    """

    canonical_module_path = "wagtail.blocks.PageChooserBlock"

    def bulk_to_python(self, values):
        model = self.model_class
        found = known(model, [value for value in values if value is not None])
        missing = [
            value for value in values if value is not None and str(value) not in found
        ]
        if missing:
            read = {
                str(pk): page for pk, page in model.objects.in_bulk(missing).items()
            }
            keep(read.values(), missing)
            found.update({str(value): read.get(str(value)) for value in missing})
        result, seen = [], set()
        for value in values:
            page = found.get(str(value)) if value is not None else None
            if page is not None and value in seen:
                page = copy(page)
            seen.add(value)
            result.append(page)
        return result


class CitationReferenceBlock(blocks.StructBlock):
    """Points readers to a study summary that backs the claim just made."""

    # A model string, not an import: the foundation knows no concrete page.
    study = KnownPageChooserBlock(
        page_type="studies.StudySummaryPage",
        help_text="The study summary that supports the text above.",
    )
    note = blocks.CharBlock(
        required=False,
        help_text="Optional: what the study shows, in a few words.",
    )

    class Meta:
        icon = "doc-full"
        label = "Study reference"
        template = "blocks/citation_reference_block.html"
        description = "Cite one of the clinic's study summaries."
        preview_value = {"note": "A review of ketamine for pain"}
