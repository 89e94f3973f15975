"""Notes that several records of a page share, shown once at the top of the page.

Importers write the same explanation into many records (the US dataset paragraph, a
Wikidata type); a page lists each such sentence once, numbered, and the records refer
to it by number. A sentence counts as shared when two or more records of the page have
it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from consulates.model import Office

from .text import h

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def sentences(note: str) -> list[str]:
    """A note cut into sentences (a sentence ends at ``.``, ``!`` or ``?`` before a capital)."""
    return [part.strip() for part in _SENTENCE_END.split(note) if part.strip()]


class SharedNotes:
    """The shared sentences of a page's records, numbered in order of first appearance."""

    def __init__(self, offices: Iterable[Office]) -> None:
        counts: Counter[str] = Counter()
        order: list[str] = []
        for office in offices:
            for sentence in dict.fromkeys(sentences(office.notes or "")):
                if sentence not in counts:
                    order.append(sentence)
                counts[sentence] += 1
        shared = [sentence for sentence in order if counts[sentence] > 1]
        self.numbers = {sentence: number for number, sentence in enumerate(shared, 1)}
        self.counts = {sentence: counts[sentence] for sentence in shared}

    def __bool__(self) -> bool:
        return bool(self.numbers)

    def split(self, note: str | None) -> tuple[str, list[int]]:
        """A record's own sentences (as text) and the numbers of the shared ones it has."""
        own, shared = [], []
        for sentence in sentences(note or ""):
            number = self.numbers.get(sentence)
            if number is None:
                own.append(sentence)
            elif number not in shared:
                shared.append(number)
        return " ".join(own), shared

    def cell(self, note: str | None, anchor_prefix: str = "note-") -> str:
        """A record's note in HTML: its own text, then links to the shared notes it has."""
        own, shared = self.split(note)
        refs = ", ".join(f'<a href="#{anchor_prefix}{number}">note {number}</a>' for number in shared)
        return " ".join(part for part in (h(own), f"(see {refs})" if refs else "") if part)

    def block(self, anchor_prefix: str = "note-") -> list[str]:
        """The shared notes, numbered, as a raw HTML list; nothing when there are none."""
        if not self.numbers:
            return []
        items = "".join(
            f'<li id="{anchor_prefix}{number}">{h(sentence)} '
            f'<span class="cs-sub">({self.counts[sentence]} records)</span></li>'
            for sentence, number in self.numbers.items()
        )
        return [
            f'<div class="cs-notes"><p>Notes that several records on this page share:</p>'
            f'<ol class="cs-notes-list">{items}</ol></div>',
            "",
        ]
