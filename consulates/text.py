"""Folding names for matching: case, diacritics, apostrophes and punctuation do not count."""

from __future__ import annotations

import unicodedata

__all__ = ["LATIN_EXTRA", "fold"]

LATIN_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
"""Lower-case letters that NFKD does not reduce to ASCII, written as their plain letters."""


def fold(text: str) -> str:
    """``"Xi’an"``, ``"XI'AN"`` and ``"Xian"`` all fold to ``"xian"``; ``"Ürümqi"`` to ``"urumqi"``.

    Letters that do not decompose are spelt out, so ``"Diyarbakır"`` and ``"DIYARBAKIR"``
    fold alike, as do ``"Łódź"`` and ``"Lodz"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(LATIN_EXTRA))
    return "".join(char for char in decomposed if char.isalnum()).casefold()
