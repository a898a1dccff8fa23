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
from urllib.parse import quote

DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
# Crossref's pattern for modern DOIs, plus its fallback for early Wiley DOIs.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
WILEY_DOI_PATTERN = re.compile(r"^10\.1002/\S+$", re.IGNORECASE)
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
PMCID_PATTERN = re.compile(r"^PMC\d+$")

AMA_MAX_LISTED_AUTHORS = 6
AMA_AUTHORS_BEFORE_ET_AL = 3


class InvalidIdentifier(ValueError):
    """An identifier that cannot be normalised; the message tells editors the fix."""


def normalize_doi(value: str) -> str:
    """A bare DOI (``10.xxxx/…``) from whatever an editor pasted."""
    doi = value.strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    if not (DOI_PATTERN.match(doi) or WILEY_DOI_PATTERN.match(doi)):
        raise InvalidIdentifier(
            f"“{value.strip()}” is not a DOI. A DOI starts with 10. followed by "
            "a slash, e.g. 10.3389/fphar.2020.599721."
        )
    return doi


def normalize_pmid(value: str) -> str:
    """A PubMed ID: digits only, no leading zero, at most nine digits."""
    pmid = value.strip()
    if pmid.lower().startswith("pmid:"):
        pmid = pmid[5:].strip()
    if not PMID_PATTERN.match(pmid):
        raise InvalidIdentifier(
            f"“{value.strip()}” is not a PubMed ID. It is a number of up to nine "
            "digits, e.g. 29870458."
        )
    return pmid


def normalize_pmcid(value: str) -> str:
    """A PubMed Central ID, upper-cased: ``PMC`` followed by digits."""
    pmcid = value.strip().upper()
    if pmcid.isdigit():
        pmcid = f"PMC{pmcid}"
    if not PMCID_PATTERN.match(pmcid):
        raise InvalidIdentifier(
            f"“{value.strip()}” is not a PubMed Central ID. It is PMC followed by "
            "digits, e.g. PMC6181464."
        )
    return pmcid


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
