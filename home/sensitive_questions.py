"""What the consultation form must never ask: health, identity and insurance details.

A request to a pain and ketamine clinic is health information already; the
form asks only how to call the person back, and the clinic collects anything
medical once it has reached them. Editors write the form's questions, so each
label, help text, default value and drop-down choice is checked here.

Plain substring lists are easy to get around ("D.O.B.", "Current meds",
"Pain level (1-10)"), so the text is first normalised: Unicode compatibility
forms (NFKC), case, accents, invisible characters and look-alike Cyrillic or
Greek letters are folded; punctuation becomes spaces; letters spelt out one at
a time ("d o b") are joined; digits inside words are read as the letters they
imitate ("m3ds"). Short abbreviations then match as whole words, longer stems
also inside run-together text ("dateofbirth").
"""

import re
import unicodedata
from dataclasses import dataclass

# Cyrillic and Greek letters that look like Latin ones, as a cheap defence
# against "Dаte of birth" written with a Cyrillic "а".
LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j",
        "ѕ": "s", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ν": "v",
    }
)  # fmt: skip
# Digits and signs standing for letters inside a word: "m3ds", "d0b", "$$n".
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Benign phrases that contain a checked word; removed before matching.
BENIGN_PHRASES = re.compile(r"\bterms (and|&) conditions\b|\bprivacy policy\b")


@dataclass(frozen=True)
class Topic:
    """One kind of detail the form must not ask for, and how to recognise it."""

    name: str  # completes "… asks for …", in editors' words
    words: str  # whole words in the normalised text
    stems: tuple[str, ...] = ()  # also found inside run-together text


TOPICS = [
    Topic(
        "a date of birth or age",
        r"dob|d ?o ?b|born|birth\w*|bday|age|aged|how old|year of birth",
        ("birth", "dateofb"),
    ),
    Topic(
        "medications or prescriptions",
        r"meds?|medic\w*|rx|prescri\w*|drugs?|pills?|doses?|dosage|"
        r"tablets?|opioids?|ketamine",
        ("medicat", "medicin", "prescri"),
    ),
    Topic(
        "pain or symptoms",
        r"pain (level|score|scale|rating|intensity|severity|location)|your pain|"
        r"rate (your|the) pain|where (is|does) (the |your )?(pain|it hurt)|hurts?|"
        r"scale of|(0|1|one|zero) (to )?(10|ten)|out of (10|ten)|symptoms?|sx|"
        r"severity|flare ups?",
        ("painlevel", "painscore", "painscale", "painrating", "symptom"),
    ),
    Topic(
        "pregnancy",
        r"pregnan\w*|expecting a baby|breast ?feed\w*|trimester",
        ("pregnan",),
    ),  # fmt: skip
    Topic(
        "suicide, self-harm or mental health",
        r"suicid\w*|self ?harm\w*|harm (yourself|themselves)|kill (yourself|myself)|"
        r"mental|depress\w*|anxiety|anxious|ptsd|bipolar|psychiatr\w*|"
        r"overdose\w*",
        ("suicid", "selfharm", "mentalhealth", "psychiatr", "depress"),
    ),
    Topic(
        "insurance or identity numbers",
        r"insur\w*|insurer|medicaid|medicare|polic(y|ies)|"
        r"members?|membership|subscriber|group (number|no)|"
        r"ssn|ss|social security|sin|id|ids|identification|passport|"
        r"driver'?s? licen[cs]e|licen[cs]e (number|no)|"
        r"patient (number|no|id)|mrn|record (number|no)",
        (
            "insuranc",
            "socialsecurity",
            "medicaid",
            "medicare",
            "policynumber",
            "memberid",
            "membernumber",
        ),
    ),  # fmt: skip
    Topic(
        "diagnoses, conditions or medical history",
        r"diagnos\w*|dx|conditions?|history|hx|allerg\w*|illness\w*|disease\w*|"
        r"disorders?|injur\w*|surger\w*|operations?|treatments?|therap\w*|"
        r"doctor|physician|gp|referr\w*|hospital\w*|health\w*|clinical|"
        r"weight|height|bmi|blood|alcohol|smok\w*|substances?|addict\w*|"
        r"disabilit\w*|chronic",
        ("diagnos", "allerg", "medicalhistory", "disease", "disorder", "illness"),
    ),
]

_COMPILED = [
    # Plurals too: "doctors", "ages", "IDs".
    (topic, re.compile(rf"\b(?:{topic.words})s?\b"), topic.stems)
    for topic in TOPICS
]


def _fold_character(char: str) -> str:
    if unicodedata.category(char) == "Cf":  # zero-width spaces, soft hyphens
        return ""
    return char


def normalise(text: str) -> str:
    """The text as the matcher reads it: lower-case words separated by one space."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(_fold_character(char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(LOOKALIKES)
    # Digits that stand for letters inside a word, before punctuation goes.
    tokens = []
    for token in text.split():
        letters = re.sub(r"[^\w$@]", "", token)
        if re.search(r"[a-z][0-9@$]|[0-9@$][a-z]", letters):
            token = token.translate(LEET)
        tokens.append(token)
    text = " ".join(tokens)
    # "I'd", "what's", "driver's": a contraction's letter is not a letter spelt
    # out ("i d" would read as "id").
    text = re.sub(r"[’‘ʼ`]", "'", text)
    text = re.sub(r"'(d|s|ll|re|ve|m|t)\b", "", text)
    text = re.sub(r"\W+|_", " ", text)
    words = text.split()
    # Letters spelt out one by one ("d o b", from "D.O.B.") become one word.
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    return BENIGN_PHRASES.sub(" ", " ".join(joined)).strip()


def sensitive_topic(text: str) -> str | None:
    """The kind of detail ``text`` asks for, if it asks for one the form must not."""
    words = normalise(text)
    if not words:
        return None
    squashed = words.replace(" ", "")
    for topic, pattern, stems in _COMPILED:
        if pattern.search(words) or any(stem in squashed for stem in stems):
            return topic.name
    return None
