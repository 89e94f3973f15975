"""Reading the database-of-embassies extract and the committed Wikidata tables beside it.

The extract is a ``;``-separated CSV of 25 columns (``../shared/raw/README.md`` describes it);
``tools/wikidata_states.tsv`` maps its operators and countries to state codes, and
``tools/wikidata_places.tsv`` its districts, suburbs and regions to cities. This module
only reads (and, for the states table, writes) them; what the rows become is
:mod:`tools.import_database_of_embassies`'s business.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from consulates.codec import WIKIDATA_ITEM

__all__ = [
    "COLUMNS", "DISTRICT", "PLACES_TSV", "REGION", "STATES_TSV", "SUBURB", "Row", "StateEntry", "qid_of",
    "read_places", "read_rows", "read_states", "write_states",
]  # fmt: skip

STATES_TSV = Path(__file__).with_name("wikidata_states.tsv")
"""Wikidata items of operators and countries -> state codes (built by tools/build_wikidata_states.py)."""

COLUMNS = (
    "operator", "operatorQID", "jurisdictions", "jurisdictionQIDs", "country", "countryQID", "city",
    "cityQID", "address", "latitude", "longitude", "phone", "email", "website", "facebook", "twitter",
    "youtube", "picture", "pictureAuthor", "pictureLicense", "pictureLicenseURL", "type", "typeQID",
    "creation", "QID",
)  # fmt: skip
"""The extract's columns, in order (the header ends with an extra empty cell)."""

DISTRICT, SUBURB, REGION = "district", "suburb", "region"


PLACES_TSV = Path(__file__).with_name("wikidata_places.tsv")
"""Places given as the city that are not (just) the city; the file says how each relates to its city."""


def read_places(path: Path = PLACES_TSV) -> dict[str, tuple[str | None, str]]:
    """Wikidata item -> (city, or None for a region; relation) from the committed table."""
    places: dict[str, tuple[str | None, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("qid\t"):
            continue
        qid, _label, city, relation = line.split("\t")
        if relation not in (DISTRICT, SUBURB, REGION) or bool(city) == (relation == REGION):
            raise ValueError(f"{path.name}:{number}: bad place {line!r}")
        places[qid] = (city or None, relation)
    return places


@dataclass(frozen=True)
class Row:
    """One line of the extract, with the columns the importer uses (values stripped)."""

    line: int
    qid: str
    operator: str
    operator_qid: str
    country: str
    country_qid: str
    city: str
    city_qid: str
    jurisdictions: tuple[tuple[str, str], ...]
    """(label, item) pairs."""
    latitude: str
    longitude: str
    website: str
    type: str
    creation: str


@dataclass(frozen=True)
class StateEntry:
    """One line of tools/wikidata_states.tsv."""

    qid: str
    label: str
    code: str
    role: str
    how: str
    note: str


def qid_of(value: str) -> str:
    """``Q42`` from ``http://www.wikidata.org/entity/Q42``; empty if it is not an item."""
    qid = value.strip().rsplit("/", 1)[-1]
    return qid if WIKIDATA_ITEM.match(qid) else ""


def _clean(value: str) -> str:
    """Text without control characters or runs of spaces (the codec refuses control characters)."""
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)
    return " ".join(text.split())


def _row(line: int, cells: Sequence[str]) -> Row:
    """A row from its 25 cells."""
    value = {name: _clean(cell) for name, cell in zip(COLUMNS, cells, strict=True)}
    labels = value["jurisdictions"].split("|") if value["jurisdictions"] else []
    items = value["jurisdictionQIDs"].split("|") if value["jurisdictionQIDs"] else []
    pairs = tuple((label.strip(), qid_of(entry)) for label, entry in zip(labels, items, strict=False))
    return Row(
        line=line,
        qid=qid_of(value["QID"]),
        operator=value["operator"],
        operator_qid=qid_of(value["operatorQID"]),
        country=value["country"],
        country_qid=qid_of(value["countryQID"]),
        city=value["city"],
        city_qid=qid_of(value["cityQID"]),
        jurisdictions=pairs,
        latitude=value["latitude"],
        longitude=value["longitude"],
        website=value["website"],
        type=value["type"],
        creation=value["creation"],
    )


def read_rows(path: Path) -> tuple[list[Row], list[tuple[int, str]]]:
    """The extract's rows, and the lines that are not rows (line number, text)."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    if not lines:
        raise ValueError(f"{path}: empty file")
    header = lines[0].split(";")
    if header[-1] == "":
        header = header[:-1]
    if tuple(header) != COLUMNS:
        raise ValueError(f"{path}: unexpected header {lines[0][:120]!r}")
    rows: list[Row] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split(";")
        if len(cells) == len(COLUMNS) + 1 and cells[-1] == "":
            cells = cells[:-1]
        if len(cells) != len(COLUMNS):
            bad.append((number, line))
            continue
        rows.append(_row(number, cells))
    return rows, bad


def read_states(path: Path = STATES_TSV) -> dict[str, StateEntry]:
    """The committed item table, by item."""
    entries: dict[str, StateEntry] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "qid":
            continue
        qid, label, code, role, how, note = (cells + [""] * 6)[:6]
        entries[qid] = StateEntry(qid, label, code, role, how, note)
    return entries


def write_states(path: Path, entries: Iterable[StateEntry]) -> None:
    """Write the item table (for tools/build_wikidata_states.py)."""
    lines = [
        "# Wikidata items of the database-of-embassies extract -> state codes. Written by"
        " tools/build_wikidata_states.py; roles are explained there.",
        "qid\tlabel\tcode\trole\thow\tnote",
    ]
    lines += ["\t".join((e.qid, e.label, e.code, e.role, e.how, e.note)) for e in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
