"""Wording checks for clinical pages: they warn editors, they never block.

A regulator (FTC, FDA) or a patient reads "cure" or "FDA-approved" as a
promise. These checks point at the sentence so an editor can soften it or cite
evidence; the decision stays with people (``health-anchors.md`` §5).
"""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField

from cms.core.text import mentions_ketamine

ABSOLUTE_CLAIMS = re.compile(
    r"\b(cures?|cured|guarantee[sd]?|guaranteed|permanent(?:ly)?|risk[- ]free|"
    r"no side[- ]effects|miracle)\b|\b100\s?%",
    re.IGNORECASE,
)
FDA_APPROVED = re.compile(
    r"\bFDA[\s\-\u2010-\u2013]?(approved|cleared)\b"
    r"|\b(approved|cleared)\s+by\s+the\s+(US\s+|U\.S\.\s+)?FDA\b",
    re.IGNORECASE,
)
OFF_LABEL_CONDITIONS = re.compile(
    r"\b(pain|depression|depressive|PTSD|anxiety|OCD|migraines?|headaches?)\b",
    re.IGNORECASE,
)
# Esketamine (Spravato) is FDA-approved for depression; saying so is accurate.
APPROVED_PRODUCT = re.compile(r"\b(esketamine|spravato)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(not|isn't|is not|off[- ]label)\b", re.IGNORECASE)
EFFICACY_CLAIM = re.compile(
    r"\b(effective|proven|reduces?|relieves?|improves?|studies show|"
    r"research shows|clinically shown)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Finding:
    """One sentence an editor should look at again, and why."""

    sentence: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} “{self.sentence}”"


def sentences(text: str) -> list[str]:
    plain = " ".join(strip_tags(text).split())
    return [s.strip() for s in SENTENCE_END.split(plain) if s.strip()]


def check_sentence(sentence: str, mentions_ketamine: bool) -> list[str]:
    """Messages for one sentence; ``mentions_ketamine`` is about the whole page."""
    messages = []
    match = ABSOLUTE_CLAIMS.search(sentence)
    if match:
        messages.append(
            f"“{match.group(0)}” is an absolute claim that no treatment can promise. "
            "Say what studies found and for whom, e.g. “may reduce pain for some "
            "patients”."
        )
    if (
        mentions_ketamine
        and FDA_APPROVED.search(sentence)
        and OFF_LABEL_CONDITIONS.search(sentence)
        and not APPROVED_PRODUCT.search(sentence)
        and not NEGATION.search(sentence)
    ):
        messages.append(
            "Ketamine is FDA-approved as an anesthetic only; its use for pain or "
            "depression is off-label. Reword this sentence (only esketamine, "
            "Spravato, is approved for depression)."
        )
    return messages


def check_text(texts: list[str], cites_studies: bool) -> list[Finding]:
    """Findings for a page's texts; ``cites_studies`` says whether it cites any."""
    all_sentences = [s for text in texts for s in sentences(text)]
    mentions_ketamine = any("ketamine" in s.lower() for s in all_sentences)
    findings = [
        Finding(sentence, message)
        for sentence in all_sentences
        for message in check_sentence(sentence, mentions_ketamine)
    ]
    if not cites_studies:
        findings.extend(
            Finding(
                sentence,
                "This sentence claims a benefit, but the page cites no study. "
                "Add a related study or a study reference, or soften the claim.",
            )
            for sentence in all_sentences
            if EFFICACY_CLAIM.search(sentence)
        )
    return findings


def page_texts(page) -> list[str]:
    """The words a visitor reads on the page: its text fields and body blocks.

    Inline rows count too where the page type names them
    (``wording_check_children``: study key points, service approaches).
    """
    texts = [page.title]
    for field in page._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in _SKIPPED_FIELDS:
            continue
        value = getattr(page, field.attname, None)
        if isinstance(field, StreamField):
            texts.extend(_stream_texts(value))
        elif isinstance(field, RichTextField) or field.get_internal_type() in (
            "CharField",
            "TextField",
        ):
            texts.append(str(value or ""))
    for relation, names in getattr(page, "wording_check_children", {}).items():
        for child in _children(page, relation):
            texts.extend(str(getattr(child, name, "") or "") for name in names)
    return texts


# Addresses, identifiers and search settings are not prose.
_SKIPPED_FIELDS = {
    "slug",
    "url_path",
    "draft_title",
    "seo_title",
    "canonical_url",
    "doi",
    "pmid",
    "pmcid",
    "source_url",
    "authors",
    "journal",
    "citation_title",
    "locale",
    "translation_key",
}


def _children(page, relation):
    manager = getattr(page, relation, None)
    return list(manager.all()) if manager is not None else []


def _stream_texts(stream) -> list[str]:
    if not stream:
        return []
    texts = []

    def walk(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for block in stream.raw_data:
        walk(block["value"])
    return texts


def cites_studies(page) -> bool:
    """Whether the page links any study summary (related studies or references)."""
    if getattr(page, "is_evidence_source", False):
        return True  # a study summary is itself the source
    if _children(page, "related_studies"):
        return True
    body = getattr(page, "body", None)
    return bool(body) and any(
        block["type"] == "study_reference" for block in body.raw_data
    )


def fda_claims(page) -> list[str]:
    """Sentences that put "FDA-approved" (or cleared) beside pain or depression.

    On a ketamine page such a sentence needs the reviewer's explicit
    acknowledgement: ketamine is approved as an anaesthetic only.
    """
    if not getattr(page, "is_clinical", False):
        return []
    texts = page_texts(page)
    uses_ketamine = getattr(page, "uses_ketamine", None)
    ticked = bool(uses_ketamine()) if callable(uses_ketamine) else False
    if not (ticked or mentions_ketamine(*texts)):
        return []
    return [
        sentence
        for text in texts
        for sentence in sentences(text)
        if FDA_APPROVED.search(sentence) and OFF_LABEL_CONDITIONS.search(sentence)
    ]


def check_page(page) -> list[Finding]:
    """Content-check findings for a clinical page (none for other pages)."""
    if not getattr(page, "is_clinical", False):
        return []
    return check_text(page_texts(page), cites_studies(page))
