"""The "About our evidence levels" page: the scale every study badge links to.

A badge such as "Strong: randomised trial" means little unless a patient can
read what the scale is and where a study sits on it. The page's text is built
from the same table that grades the studies (``studies/evidence.py``), so the
explanation can never list a design under a level the site does not give it.
"""

import html

from studies.choices import EvidenceLevel, StudyDesign
from studies.evidence import EVIDENCE_LEVEL_BY_DESIGN

#: Where the page lives (under the home page). The study templates find it by
#: this slug; if editors move or rename it, the badges simply stop linking.
EVIDENCE_GUIDE_SLUG = "evidence-levels"
EVIDENCE_GUIDE_TITLE = "About our evidence levels"

INTRO = (
    "Each study summary on this site carries a level of evidence. It tells you "
    "how much weight the kind of study can bear, not whether its result is good "
    "news. The levels follow the Oxford Centre for Evidence-Based Medicine "
    "(2011) levels for the benefits of a treatment, written in plain words."
)

#: What each level means for a patient, strongest first.
MEANINGS: dict[EvidenceLevel, str] = {
    EvidenceLevel.LEVEL_1: (
        "Researchers gathered every good trial on a question and combined their "
        "results. This is the most reliable kind of evidence, because one "
        "unusual trial cannot sway the answer on its own."
    ),
    EvidenceLevel.LEVEL_2: (
        "People were put into a treatment group or a comparison group by chance. "
        "Chance makes the groups alike, so a difference between them is likely "
        "to come from the treatment."
    ),
    EvidenceLevel.LEVEL_3: (
        "Groups were compared, but people were not put into them by chance. The "
        "groups may differ in ways other than the treatment, so the results are "
        "less certain."
    ),
    EvidenceLevel.LEVEL_4: (
        "The study describes what happened to a small number of patients, or "
        "looks back at people who did and did not have a condition. It can "
        "suggest an idea worth testing, but cannot show that a treatment works."
    ),
    EvidenceLevel.LEVEL_5: (
        "Experts explain what they think, based on their experience or on how "
        "the body works. It is useful background, but has not been tested in a "
        "comparison of patients."
    ),
    EvidenceLevel.GUIDELINE: (
        "A panel of experts weighed many studies and made recommendations. "
        "Guidelines grade each recommendation themselves, so we show the grade "
        "their authors give instead of one of our levels."
    ),
    EvidenceLevel.PRECLINICAL: (
        "The study was done on cells or animals. Results like these often do not "
        "hold in people, so we never present them as evidence that a treatment "
        "works for patients."
    ),
    EvidenceLevel.NOT_GRADED: (
        "We have not yet recorded what kind of study this is. A clinician will "
        "add the level when the summary is next reviewed."
    ),
}

OUTRO = (
    "A higher level does not guarantee a treatment will help you, and a lower "
    "level does not mean it will not. Please talk to your clinician about what "
    "the evidence means for you."
)


def designs_for(level: EvidenceLevel) -> list[str]:
    """The study designs that give ``level``, in the order of the designs list."""
    return [
        StudyDesign(design).label
        for design in StudyDesign.values
        if EVIDENCE_LEVEL_BY_DESIGN.get(design) == level
    ]


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{html.escape(text, quote=False)}</p>"}


def _level_section(level: EvidenceLevel) -> list[dict]:
    designs = designs_for(level)
    items = "".join(
        f"<li>{html.escape(design, quote=False)}</li>" for design in designs
    )
    found_in = "<p>Given to:</p><ul>" + items + "</ul>" if designs else ""
    return [
        {"type": "heading", "value": {"text": level.label, "level": "h2"}},
        {
            "type": "paragraph",
            "value": f"<p>{html.escape(MEANINGS[level], quote=False)}</p>{found_in}",
        },
    ]


def evidence_guide_body() -> list[dict]:
    """The page's body as StreamField data: an introduction, then each level."""
    body = [_paragraph(INTRO)]
    for level in MEANINGS:
        body.extend(_level_section(level))
    body.append(_paragraph(OUTRO))
    return body


def evidence_guide_summary() -> str:
    return (
        "What the level of evidence on each study summary means, from the "
        "strongest to the weakest."
    )
