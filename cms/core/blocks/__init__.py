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
from cms.core.blocks.streams import BodyStreamBlock
from cms.core.blocks.tables import DataTableBlock

__all__ = [
    "BodyStreamBlock",
    "CallToActionBlock",
    "CalloutBlock",
    "CaptionedImageBlock",
    "CitationReferenceBlock",
    "DataTableBlock",
    "FAQBlock",
    "HeadingBlock",
    "KeyPointsBlock",
    "ParagraphBlock",
    "QuoteBlock",
    "VideoEmbedBlock",
]
