"""Citation identifiers (DOI, PMID, PMCID) and AMA-style reference text.

Pure functions: the model validates with them, the templates and the API show
their output, and the tests pin them against golden strings.
Rules follow ``reference/health-anchors.md`` §3 (Crossref patterns, NCBI forms,
AMA Manual of Style 11th ed.).
"""

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

# Everything an editor may paste around a DOI: a resolver address or a label.
DOI_PASTED = re.compile(
    r"^(?:(?P<address>(?:https?://)?(?:dx\.|www\.)?doi\.org/)|doi\s*:?\s*)",
    re.IGNORECASE,
)
# Crossref's pattern for modern DOIs, plus its fallback for early Wiley DOIs.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
WILEY_DOI_PATTERN = re.compile(r"^10\.1002/\S+$", re.IGNORECASE)
# "PMID: 29870458", "pmid 29870458", or the PubMed address (old or new).
PMID_PASTED = re.compile(
    r"^(?:pmid\s*:?\s*"
    r"|(?:https?://)?(?:www\.)?"
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?"
    r"(?P<pmid>\d+)/?$",
    re.IGNORECASE,
)
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
# "PMCID: PMC6181464", "PMC6181464", "6181464", or the PubMed Central address.
PMCID_PASTED = re.compile(
    r"^(?:pmcid\s*:?\s*"
    r"|(?:https?://)?(?:www\.)?"
    r"(?:ncbi\.nlm\.nih\.gov/pmc/articles|pmc\.ncbi\.nlm\.nih\.gov/articles)/)?"
    r"(?:pmc\s*)?(?P<digits>\d+)/?$",
    re.IGNORECASE,
)

#: The longest text each identifier field takes as pasted, label or resolver
#: address included. The model fields are this long, so a browser's ``maxlength``
#: never cuts short a paste that would be accepted; the server refuses longer text
#: with the usual message rather than storing part of it.
DOI_MAX_INPUT_LENGTH = 300
PMID_MAX_INPUT_LENGTH = 64
PMCID_MAX_INPUT_LENGTH = 64

AMA_MAX_LISTED_AUTHORS = 6
AMA_AUTHORS_BEFORE_ET_AL = 3


class InvalidIdentifier(ValueError):
    """An identifier that cannot be normalised; the message tells editors the fix."""


def normalize_doi(value: str) -> str:
    """A bare DOI (``10.xxxx/…``) from a DOI, ``doi:``/``DOI`` label or doi.org link.

    A doi.org address is percent-decoded, as ``doi_url`` encodes it.
    """
    pasted = value.strip()
    doi = pasted
    label = DOI_PASTED.match(doi)
    if label:
        doi = doi[label.end() :].strip()
        if label.group("address"):
            doi = unquote(doi)
    if len(pasted) > DOI_MAX_INPUT_LENGTH or not (
        DOI_PATTERN.match(doi) or WILEY_DOI_PATTERN.match(doi)
    ):
        raise InvalidIdentifier(
            f"“{pasted}” is not a DOI. A DOI starts with 10. followed by a slash, "
            "e.g. 10.3389/fphar.2020.599721, or paste its https://doi.org/ address."
        )
    return doi


def normalize_pmid(value: str) -> str:
    """A PubMed ID (digits, no leading zero, at most nine) from what was pasted."""
    pasted = value.strip()
    found = PMID_PASTED.match(pasted)
    pmid = found.group("pmid") if found else ""
    if len(pasted) > PMID_MAX_INPUT_LENGTH or not PMID_PATTERN.match(pmid):
        raise InvalidIdentifier(
            f"“{pasted}” is not a PubMed ID. Enter a PubMed ID such as 29870458 "
            "(up to nine digits), or paste its PubMed address."
        )
    return pmid


def normalize_pmcid(value: str) -> str:
    """A PubMed Central ID, ``PMC`` and digits, from what was pasted."""
    pasted = value.strip()
    found = PMCID_PASTED.match(pasted)
    if len(pasted) > PMCID_MAX_INPUT_LENGTH or not found:
        raise InvalidIdentifier(
            f"“{pasted}” is not a PubMed Central ID. Enter one such as PMC6181464, "
            "or paste its PubMed Central address."
        )
    return f"PMC{found.group('digits')}"


def doi_url(doi: str) -> str:
    # Percent-encode only characters that are unsafe in a URL path.
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


@dataclass(frozen=True)
class Citation:
    """The structured parts of a journal reference; every part may be missing."""

    title: str = ""
    authors: Sequence[str] = field(default_factory=tuple)
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""

    @property
    def identifier_urls(self) -> dict[str, str]:
        urls = {}
        if self.doi:
            urls["doi"] = doi_url(self.doi)
        if self.pmid:
            urls["pubmed"] = pubmed_url(self.pmid)
        if self.pmcid:
            urls["pmc"] = pmc_url(self.pmcid)
        return urls


def format_ama_authors(authors: Sequence[str]) -> str:
    """Up to six authors are all listed; more become the first three + et al."""
    names = [name.strip() for name in authors if name.strip()]
    if len(names) > AMA_MAX_LISTED_AUTHORS:
        names = [*names[:AMA_AUTHORS_BEFORE_ET_AL], "et al"]
    return ", ".join(names)


def format_ama(citation: Citation) -> str:
    """AMA 11th-edition reference text, leaving out whatever is not known.

    ``Author AA, Author BB. Title. Journal. Year;Vol(Issue):pages. doi:10.x/y``
    """
    parts = []
    authors = format_ama_authors(citation.authors)
    if authors:
        parts.append(f"{authors}.")
    if citation.title:
        title = citation.title.strip()
        parts.append(title if title.endswith(("?", "!", ".")) else f"{title}.")
    if citation.journal:
        parts.append(f"{citation.journal.strip().rstrip('.')}.")
    locator = _ama_locator(citation)
    if locator:
        parts.append(f"{locator}.")
    if citation.doi:
        parts.append(f"doi:{citation.doi}")
    elif citation.pmcid:
        parts.append(f"{citation.pmcid}")
    elif citation.url:
        parts.append(citation.url)
    return " ".join(parts)


def _ama_locator(citation: Citation) -> str:
    """``2018;43(5):521-546`` with whichever pieces are known."""
    text = str(citation.year) if citation.year else ""
    volume = citation.volume.strip()
    if volume:
        text += f";{volume}" if text else volume
    if citation.issue.strip():
        text += f"({citation.issue.strip()})"
    if citation.pages.strip():
        text += f":{citation.pages.strip()}"
    return text


PMCID_IN_URL = re.compile(r"/(PMC\d+)(?:/|$)", re.IGNORECASE)
DOI_IN_URL = re.compile(r"/(10\.\d{4,9}/[^/?#\s]+)")


def identifiers_from_url(url: str) -> dict[str, str]:
    """The PMCID or DOI that a PubMed Central or publisher link spells out.

    Only what the address itself contains is taken; nothing is looked up.
    """
    found = {}
    pmcid = PMCID_IN_URL.search(url)
    if pmcid:
        found["pmcid"] = normalize_pmcid(pmcid.group(1))
    doi = DOI_IN_URL.search(url)
    if doi:
        with contextlib.suppress(InvalidIdentifier):
            found["doi"] = normalize_doi(doi.group(1))
    return found
