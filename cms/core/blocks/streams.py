"""The one body StreamBlock shared by every clinic page type."""

from wagtail import blocks

from cms.core.blocks.content import (
    CalloutBlock,
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    ParagraphBlock,
    QuoteBlock,
    VideoEmbedBlock,
)
from cms.core.blocks.medical import CitationReferenceBlock, FAQBlock, KeyPointsBlock
from cms.core.blocks.tables import DataTableBlock


class BodyStreamBlock(blocks.StreamBlock):
    """Page body: text and headings, plus the clinic's medical content blocks."""

    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    key_points = KeyPointsBlock()
    faq = FAQBlock()
    quote = QuoteBlock()
    table = DataTableBlock()
    call_to_action = CallToActionBlock()
    study_reference = CitationReferenceBlock()
    embed = VideoEmbedBlock()

    class Meta:
        template = "blocks/body_stream_block.html"
