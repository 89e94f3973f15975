"""Folding names for matching: case, diacritics, apostrophes and punctuation do not count."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """``"Xi’an"``, ``"XI'AN"`` and ``"Xian"`` all fold to ``"xian"``; ``"Ürümqi"`` to ``"urumqi"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isalnum()).casefold()
