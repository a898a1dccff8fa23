"""How long a page takes to read: the "5 minute read" line on articles.

Counted from the same words the search index reads from the body, so headings,
paragraphs, lists and key points count and markup does not.
"""

import math

from cms.core.text import plain_text

#: Adults read web text at roughly 200 to 250 words a minute; the lower figure
#: suits health text, which people read carefully.
WORDS_PER_MINUTE = 200


def word_count(*texts: str) -> int:
    return sum(len(plain_text(text).split()) for text in texts)


def stream_text(stream_value) -> list[str]:
    """The readable text of a StreamField value, block by block."""
    if not stream_value:
        return []
    return [
        str(text)
        for text in stream_value.stream_block.get_searchable_content(stream_value)
    ]


def reading_minutes(stream_value, *extra_texts: str) -> int:
    """Whole minutes to read a body and any extra text (a summary), at least one."""
    words = word_count(*stream_text(stream_value), *extra_texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
