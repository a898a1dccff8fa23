"""Reads the clinic's current page (``seed/*.txt``) into structured parts.

The file is the clinic's own text and is loaded word for word: this parser only
finds where each part starts and ends. Its layout, in blank-line separated
blocks: the clinic's name, the service title, its subtitle, the service's
paragraphs, a heading for the studies, then each study as a title, an optional
"Key Points" list (numbered lines) or paragraphs, and the study's web address.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_FILE = Path(__file__).parent / "seed" / "000_829f74ccfe789bce.txt"
NUMBERED_ITEM = re.compile(r"^\s*\d+\.\s+(?P<text>.+?)\s*$")
KEY_POINTS_HEADING = "key points"


@dataclass
class StudySeed:
    title: str
    source_url: str
    key_points: list[str] = field(default_factory=list)
    # True when the seed labels the list "Key Points"; otherwise the points are
    # the paragraphs the clinic quoted from the study.
    has_key_points_heading: bool = False


@dataclass
class ClinicSeed:
    clinic_name: str
    service_title: str
    service_subtitle: str
    service_paragraphs: list[str]
    studies_heading: str
    studies: list[StudySeed]


class SeedFormatError(ValueError):
    """The seed file does not have the layout described in this module."""


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_url(block: list[str]) -> bool:
    return len(block) == 1 and block[0].strip().startswith(("http://", "https://"))


def _is_heading(block: list[str]) -> bool:
    """A one-line block that is not a sentence: a title or section heading."""
    line = block[0].strip()
    return (
        len(block) == 1
        and not line.endswith((".", ":", "?", "!"))
        and not _is_url(block)
    )


def parse_seed(text: str) -> ClinicSeed:
    blocks = _blocks(text)
    if len(blocks) < 4:
        raise SeedFormatError("The seed file is too short to hold a service page.")
    clinic_name, service_title, subtitle = (b[0].strip() for b in blocks[:3])

    position = 3
    paragraphs = []
    while position < len(blocks) and not _is_heading(blocks[position]):
        paragraphs.append(" ".join(line.strip() for line in blocks[position]))
        position += 1
    if position >= len(blocks):
        raise SeedFormatError("No heading introduces the studies.")
    studies_heading = blocks[position][0].strip()
    position += 1

    studies = []
    while position < len(blocks):
        if not _is_heading(blocks[position]):
            raise SeedFormatError(
                f"Expected a study title, found: {blocks[position][0][:60]!r}"
            )
        study = StudySeed(title=blocks[position][0].strip(), source_url="")
        position += 1
        while position < len(blocks) and not _is_url(blocks[position]):
            block = blocks[position]
            if block[0].strip().lower() == KEY_POINTS_HEADING:
                study.has_key_points_heading = True
            elif all(NUMBERED_ITEM.match(line) for line in block):
                study.key_points.extend(
                    NUMBERED_ITEM.match(line).group("text") for line in block
                )
            else:
                study.key_points.append(" ".join(line.strip() for line in block))
            position += 1
        if position >= len(blocks):
            raise SeedFormatError(f"The study {study.title!r} has no web address.")
        study.source_url = blocks[position][0].strip()
        studies.append(study)
        position += 1

    return ClinicSeed(
        clinic_name=clinic_name,
        service_title=service_title,
        service_subtitle=subtitle,
        service_paragraphs=paragraphs,
        studies_heading=studies_heading,
        studies=studies,
    )


def load_seed(path: Path = SEED_FILE) -> ClinicSeed:
    return parse_seed(path.read_text(encoding="utf-8"))
