"""How hard patient-facing text is to read: its Flesch-Kincaid grade.

Many patients read below the level clinicians write at, and pain and
medication make reading harder still. US health-literacy guidance (the NIH's
MedlinePlus "How to write easy-to-read health materials", the AMA's advice on
patient materials) aims patient information at school grade 6 to 8, so the
editor and the clinical review report show each page's grade and warn above 8.

The score comes from ``textstat`` (pinned with the bundled CMU pronouncing
dictionary, so it never downloads anything). It is a signal, not a verdict:
short words and short sentences lower it, so it cannot tell whether the text
is correct or kind, only whether it is likely to be read.

Text is split into sentences by its structure as well as its punctuation: a
list item, a heading or a paragraph without a full stop still ends a sentence,
otherwise a bulleted list would count as one enormous sentence. Tables are
left out: a dosing schedule is rows of figures, not prose, and would make
every page that has one look hard.
"""

import html
import re
from dataclasses import dataclass

import textstat
from wagtail.contrib.table_block.blocks import TableBlock

#: The highest grade patient-facing text should need (see the module docstring).
TARGET_GRADE = 8
#: The guidance's range, as editors read it in the panel and the help text.
TARGET_RANGE = "6 to 8"
#: Below this many words a grade swings wildly with one long word; not scored.
MIN_WORDS = 30

GUIDANCE = (
    "US health-literacy guidance (NIH MedlinePlus, the AMA) asks for patient "
    f"information at school grade {TARGET_RANGE}. Shorter sentences and everyday "
    "words lower the grade."
)

# Tags whose end finishes a sentence even without a full stop.
_BLOCK_END = re.compile(
    r"</(?:p|li|h[1-6]|td|th|dt|dd|blockquote|figcaption)\s*>|<br\s*/?>", re.I
)
_TAG = re.compile(r"<[^>]+>")
_ENDS_SENTENCE = re.compile(r"[.!?…:;]['\"’”)]*$")


@dataclass(frozen=True)
class ReadingLevel:
    """The grade of one piece of text, or of a whole page."""

    grade: float | None
    words: int

    @property
    def scored(self) -> bool:
        return self.grade is not None

    @property
    def too_hard(self) -> bool:
        return self.scored and self.grade > TARGET_GRADE

    @property
    def label(self) -> str:
        """Short form for tables: "Grade 7.4", or why there is no grade."""
        if self.scored:
            return f"Grade {self.grade:.1f}"
        if self.words:
            return "Too short to score"
        return "No text yet"

    @property
    def verdict(self) -> str:
        """One sentence an editor can act on."""
        if not self.scored:
            return (
                f"Fewer than {MIN_WORDS} words: too short for a reliable grade."
                if self.words
                else "Nothing to score yet."
            )
        if self.too_hard:
            return (
                f"Harder than grade {TARGET_GRADE}: many patients will struggle. "
                "Try shorter sentences and everyday words."
            )
        return f"Within the grade {TARGET_RANGE} target (or easier)."

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class SectionReading:
    """One field of a page, as the editor knows it, with its grade."""

    label: str
    level: ReadingLevel


@dataclass(frozen=True)
class PageReading:
    """A page's overall grade and the grade of each section that has text."""

    overall: ReadingLevel
    sections: tuple[SectionReading, ...]

    @property
    def hardest(self) -> SectionReading | None:
        scored = [section for section in self.sections if section.level.scored]
        return max(scored, key=lambda section: section.level.grade, default=None)


def sentences_from_html(value) -> list[str]:
    """Rich text (or plain text) as sentences, ending each block as one."""
    source = str(getattr(value, "source", value) or "")
    chunks = _BLOCK_END.split(source)
    return [
        _as_sentence(html.unescape(_TAG.sub(" ", chunk)))
        for chunk in chunks
        if _TAG.sub("", chunk).strip()
    ]


def _as_sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and not _ENDS_SENTENCE.search(text):
        text += "."
    return text


def stream_sentences(stream_value) -> list[str]:
    """The prose of a body StreamField, block by block, without its tables."""
    sentences = []
    for child in stream_value or []:
        if isinstance(child.block, TableBlock):
            continue
        for text in child.block.get_searchable_content(child.value):
            sentences.extend(sentences_from_html(text))
    return sentences


def field_sentences(page, field_name: str) -> list[str]:
    value = getattr(page, field_name, None)
    if hasattr(value, "stream_block"):
        return stream_sentences(value)
    return sentences_from_html(value)


def reading_level(text: str) -> ReadingLevel:
    """The Flesch-Kincaid grade of plain text (sentences already punctuated)."""
    words = textstat.lexicon_count(text) if text.strip() else 0
    if words < MIN_WORDS:
        return ReadingLevel(grade=None, words=words)
    # A grade below 0 (all one-syllable words) reads as 0 to editors.
    grade = max(0.0, textstat.flesch_kincaid_grade(text))
    return ReadingLevel(grade=grade, words=words)


def page_reading(page) -> PageReading:
    """Grade of the page's patient-facing fields (``reading_fields``) and of each."""
    sections = []
    everything = []
    for field_name in getattr(page, "reading_fields", ()):
        sentences = field_sentences(page, field_name)
        everything.extend(sentences)
        if sentences:
            label = page._meta.get_field(field_name).verbose_name
            sections.append(
                SectionReading(
                    label=label[:1].upper() + label[1:],
                    level=reading_level(" ".join(sentences)),
                )
            )
    return PageReading(
        overall=reading_level(" ".join(everything)), sections=tuple(sections)
    )


def reading_levels(pages) -> dict[int, ReadingLevel]:
    """The overall grade of many pages, in one query per page type.

    Listings load pages without their StreamFields (``defer_streamfields``);
    reading each deferred body would cost one query per page, so the text
    fields are fetched together here instead.
    """
    ids_by_model: dict[type, list[int]] = {}
    for page in pages:
        if getattr(page, "reading_fields", ()):
            ids_by_model.setdefault(type(page), []).append(page.pk)
    levels = {}
    for model, ids in ids_by_model.items():
        for page in model.objects.filter(pk__in=ids).only(*model.reading_fields):
            levels[page.pk] = page_reading(page).overall
    return levels
