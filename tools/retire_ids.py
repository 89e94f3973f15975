"""Keeping published ids resolvable when a re-import changes them.

An imported record's id is made from its fields (``<sending>-<host>-<city>``), so an
importer that learns a record's city changes its id. The old id may have been published,
and a published id must resolve for good: this module finds, by Wikidata item, the records
whose id changed and appends each old id to ``data/retired.toml`` with the new one as its
successor, as tz keeps an old zone name as a link. The file is edited with tomlkit, so its
comments and layout stay as they are.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import tomlkit

__all__ = ["append_retired", "changed_ids", "ids_by_item"]


def ids_by_item(folder: Path) -> dict[str, str]:
    """Wikidata item -> id of the records in the data files of ``folder`` (none if it is absent)."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        for office in tomllib.loads(path.read_text(encoding="utf-8")).get("office", []):
            if office.get("wikidata"):
                found[office["wikidata"]] = office["id"]
    return found


def changed_ids(before: Mapping[str, str], after: Mapping[str, str], retired: Iterable[str]) -> list[tuple[str, str]]:
    """(old id, new id) for each item whose id changed, leaving out old ids still in use or already retired."""
    in_use = set(after.values()) | set(retired)
    return sorted(
        (old, after[item]) for item, old in before.items() if item in after and after[item] != old and old not in in_use
    )


def append_retired(path: Path, changes: Iterable[tuple[str, str]], date: dt.date, why: str) -> int:
    """Append a ``[[retired]]`` entry (id, successor, date) per change to ``path``; returns how many."""
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    entries = document.get("retired")
    if entries is None:
        entries = tomlkit.aot()
        document.append("retired", entries)
    changes = list(changes)
    if changes and len(entries):
        entries[-1].add(tomlkit.nl())  # a blank line between the old entries and the new
    count = 0
    for old, new in changes:
        entry = tomlkit.table()
        entry.add(tomlkit.comment(why))
        entry.add("id", old)
        entry.add("successor", new)
        entry.add("date", date)
        entry.add(tomlkit.nl())
        entries.append(entry)
        count += 1
    if count:
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return count
