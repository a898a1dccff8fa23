"""General content blocks: text, headings, images, callouts, quotes, buttons, embeds."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from cms.core.text import editor_features


class ParagraphBlock(blocks.RichTextBlock):
    """Body text: paragraphs, lists and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", editor_features("body"))
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Text"
        template = "blocks/paragraph_block.html"
        description = "Paragraphs of text, with bold, italics, lists and links."
        preview_value = (
            "<p>Chronic pain is pain that lasts longer than three months. "
            "Your care team will explain each option with you.</p>"
        )


class HeadingBlock(blocks.StructBlock):
    """A section heading; its level keeps the outline in order for screen readers."""

    text = blocks.CharBlock(
        label="Heading text", help_text="Short and descriptive, e.g. 'What to expect'."
    )
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (level 2)"), ("h3", "Sub-section (level 3)")],
        default="h2",
        help_text="Use level 2 for main sections and level 3 inside them.",
    )

    class Meta:
        icon = "title"
        label = "Heading"
        template = "blocks/heading_block.html"
        description = "Starts a new section of the page."
        preview_value = {"text": "What to expect", "level": "h2"}


class PictureBlock(ImageBlock):
    """Wagtail's picture-with-alt-text block, labelled "Picture".

    Its own chooser is labelled "Image"; under a field also called "Image"
    the editor read "Image › Image".
    """

    class Meta:
        label = "Picture"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with alt text and an optional caption."""

    image = PictureBlock(
        help_text="Describe the picture for people who cannot see it, or mark it "
        "decorative."
    )
    caption = blocks.CharBlock(
        required=False, help_text="Optional text shown under the image."
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/captioned_image_block.html"
        description = "A picture with alt text and an optional caption."
        preview_value = {"caption": "Our treatment room"}


class CalloutBlock(blocks.StructBlock):
    """A boxed note that stands out from the text, e.g. a safety warning."""

    tone = blocks.ChoiceBlock(
        choices=[
            ("info", "Information"),
            ("warning", "Warning"),
            ("safety", "Safety: when to get help"),
        ],
        default="info",
        help_text="Warnings and safety notes get a stronger colour.",
    )
    title = blocks.CharBlock(required=False, help_text="Optional short title.")
    text = blocks.RichTextBlock(features=editor_features("text"))

    class Meta:
        icon = "warning"
        label = "Callout"
        template = "blocks/callout_block.html"
        description = "A highlighted note, such as a safety warning."
        preview_value = {
            "tone": "safety",
            "title": "When to get help",
            "text": "<p>If you are in crisis, call or text 988.</p>",
        }


class QuoteBlock(blocks.StructBlock):
    """A quotation with who said it."""

    quote = blocks.TextBlock(help_text="The exact words quoted.")
    attribution = blocks.CharBlock(
        required=False, help_text="Who said it, e.g. a clinician's name and role."
    )

    class Meta:
        icon = "openquote"
        # Not "Quote": its words field is "Quote" ("Quote › Quote" otherwise).
        label = "Quotation"
        template = "blocks/quote_block.html"
        description = "A quotation, with who said it."
        preview_value = {
            "quote": "We build each plan with the patient.",
            "attribution": "Care team",
        }


class CallToActionBlock(blocks.StructBlock):
    """A prominent button to a page or another site."""

    heading = blocks.CharBlock(help_text="e.g. 'Talk to our team'.")
    text = blocks.TextBlock(required=False, help_text="One or two sentences.")
    button_label = blocks.CharBlock(
        default="Book a consultation", help_text="What the button says."
    )
    page = blocks.PageChooserBlock(
        required=False, help_text="A page on this site to link to…"
    )
    url = blocks.URLBlock(required=False, help_text="…or a full web address.")

    class Meta:
        icon = "link"
        label = "Call to action"
        template = "blocks/call_to_action_block.html"
        description = "A heading, short text and a button."
        preview_value = {
            "heading": "Talk to our team",
            "text": "We will answer your questions about treatment.",
            "button_label": "Book a consultation",
            "url": "https://example.com/book",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ErrorList(
                        [
                            ValidationError(
                                "Choose a page or enter a web address, but not both."
                            )
                        ]
                    )
                }
            )
        return value


class VideoEmbedBlock(EmbedBlock):
    """A video from YouTube or Vimeo, by its web address."""

    class Meta:
        icon = "media"
        label = "Video"
        template = "blocks/embed_block.html"
        description = "A video from YouTube or Vimeo. Paste its web address."
        help_text = "Paste the video's address, e.g. https://www.youtube.com/watch?v=…"
        preview_value = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
