"""Text normalisation shared by the NLU component and the actions."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to single spaces.

    >>> fold("¿Dónde está la COMAR en Tapachula?")
    'donde esta la comar en tapachula'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", without_marks).replace("_", " ").strip()


def tokens(text: str) -> list[str]:
    """Folded word tokens of `text`."""
    return fold(text).split()
