"""The search index: the hand-written pages, each state, and each city with its offices (not table cells).

Material's search plugin indexes every page section by section; on the generated pages
that meant every table cell (4.8 MB for the registry). The generated pages instead keep
only their page entry in Material's index, and :func:`entries` adds one entry per city
of each host page: its offices' ids, sending states, kinds and English names, so that
``kz-cn-xian`` (a tag, which Material ranks first), ``Kazakhstan Xi'an`` or ``consulate
general Kunming`` all find the city's
section, whose rows link to each office's own section. The whole index stays within
:data:`BUDGET`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from consulates.model import Office

from .facts import Site, state_name
from .paths import built, host_page, office_page, sending_page
from .state_pages import city_sections

BUDGET = 1_000_000
"""Bytes the search index may take, uncompressed, for the whole registry."""
GENERATED = ("sending/", "host/", "office/")
"""Generated pages: Material's own entries for them are cut down to the page entry."""


def office_words(offices: Sequence[Office]) -> str:
    """An office in few words: its sending state, kind and English name if recorded (its id is a tag)."""
    words = []
    for office in offices:
        name = f" {office.names['en']}" if "en" in office.names else ""
        words.append(f"{state_name(office.sending)} {office.kind.label}{name}")
    return "; ".join(words)


def entries(site: Site) -> list[dict[str, Any]]:
    """The entries for the generated pages: each state's pages, and each city of each host."""
    found: list[dict[str, Any]] = []
    for code in site.names(site.by_sending):
        name = state_name(code)
        found.append({"location": built(sending_page(code)), "title": f"{name}: offices abroad", "text": code})
        found.append({"location": built(office_page(code)), "title": f"{name}: every office, every fact", "text": ""})
    for code in site.names(site.by_host):
        name = state_name(code)
        page = built(host_page(code))
        found.append({"location": page, "title": f"Foreign offices in {name}", "text": code})
        for heading, anchor, members in city_sections(code, site.by_host[code]):
            found.append(
                {
                    "location": f"{page}#{anchor}",
                    "title": f"{heading}, {name}",
                    "text": office_words(members),
                    # Material boosts tags above titles: an id typed in the search box finds its city first.
                    "tags": [office.id for office in members],
                }
            )
    return found


def merge(index: dict[str, Any], generated: list[dict[str, Any]]) -> dict[str, Any]:
    """Material's index with the generated pages' entries replaced by ``generated``."""
    kept = [entry for entry in index.get("docs", []) if not str(entry.get("location", "")).startswith(GENERATED)]
    return {**index, "docs": kept + generated}
