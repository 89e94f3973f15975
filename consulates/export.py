"""Writing offices out: CSV, JSON, JSON Lines, GeoJSON and SQLite.

Every writer takes offices (from `consulates.find`, a `Registry` or any iterable) and
returns how many it wrote. Text writers take an open text file or a path; `to_sqlite`
takes a path. A file that cannot be written raises `OSError`.

This docstring is Markdown: `tools/gen_cli_docs.py` copies it into `docs/cli.md`.

## Formats

- **JSON** and **JSON Lines**: each office in the data-file schema (the schema of
  `data/offices/*.toml` and of the compiled registry: dates as ISO text, empty fields
  left out), so an export can be read back with `Registry.from_document`.
- **CSV**: one flat row per office, the columns of `FIELDS`. Lists are space-separated
  (`jurisdiction`, `source_urls`); lines end with a line feed.
- **GeoJSON** (RFC 7946): a `FeatureCollection` with one `Feature` per office, the
  office id as the feature `id`, a `Point` geometry in `[longitude, latitude]` order
  (WGS 84), or a `null` geometry where the location is unknown; the properties are the
  CSV columns, lists kept as JSON arrays.
- **SQLite**: the schema below, readable from `sqlite3`, Datasette or DuckDB
  (`ATTACH 'offices.db' AS consulates (TYPE sqlite)`). The file is built under a
  temporary name and moved into place when complete, replacing any file of that name.

## Dates

A date is as precise as its source: a day (`2023-05-19`), a month (`2023-05`), a year
(`2023`) or bounds (`by 2016-11`, `not before 2003-08`). Each date column `X` comes
with `X_precision` (`day`, `month`, `year` or `bounds`) and `X_earliest` / `X_latest`:
the first and last day it may stand for (ISO `YYYY-MM-DD`; empty for an open bound).
Query by date with those two.

## SQLite schema

`PRAGMA user_version` is the schema version, `SQLITE_SCHEMA_VERSION` (1); the tables
are created by `SQLITE_SCHEMA`.

- `offices`: one row per office. `id` (primary key, stable forever), `name`, `kind`
  (`embassy`, `consulate-general` …), `sending` and `host` (ISO 3166-1 alpha-2 or a
  documented code), `city`, `subdivision` (ISO 3166-2), `latitude` and `longitude`
  (WGS 84, REAL), `location_precision` (`site` or `city`), `opened`,
  `opened_precision`, `opened_earliest`, `opened_latest`, `closed`, `closed_precision`,
  `closed_earliest`, `closed_latest` (NULL while open), `jurisdiction` (JSON array of
  ISO codes: the consular district), `names` (JSON object, language tag to name),
  `address`, `website`, `wikidata`, `notes`.
- `events`: dated changes between an office's opening and its final closing.
  `office_id` (references `offices.id`), `position` (1, 2 … in the office's order),
  `date`, `date_precision`, `date_earliest`, `date_latest`, `type` (`closed`,
  `reopened`, `upgraded`, `downgraded`, `moved`, `renamed`), `from_kind` and `to_kind`
  (rank changes), `city` (moves), `note`.
- `claims`: what a source said about an office's place in its network. `office_id`,
  `position`, `ordinal` (INTEGER), `text`, `count_sars` and `include_closed` (0 or 1:
  the counting rule the source used), `kinds` (JSON array).
- `sources`: where every fact comes from. `office_id`, `attached_to` (`office`,
  `event` or `claim`), `attached_position` (the `position` of the event or claim; NULL
  for the office's own sources), `position`, `url`, `citation`, `title`, `date`,
  `supports` (JSON array of the fields it supports; empty: the record as a whole).

Kazakhstan's consulates general with their first source:

```sql
SELECT o.id, o.city, o.opened, s.url
FROM offices o JOIN sources s ON s.office_id = o.id
WHERE o.sending = 'KZ' AND o.kind = 'consulate-general'
  AND s.attached_to = 'office' AND s.position = 1;
```

The offices serving a province (DuckDB: `json_each` works the same after `ATTACH`):

```sql
SELECT o.id FROM offices o, json_each(o.jurisdiction) j WHERE j.value = 'CN-SC';
```
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from consulates.codec import encode_office

if TYPE_CHECKING:
    import sqlite3

    from consulates.dates import Dating
    from consulates.model import Office, Source

__all__ = [
    "FIELDS",
    "SQLITE_SCHEMA",
    "SQLITE_SCHEMA_VERSION",
    "office_row",
    "to_csv",
    "to_geojson",
    "to_json",
    "to_jsonl",
    "to_sqlite",
]

Target = IO[str] | str | os.PathLike[str]
"""Where a text export goes: an open text file, or a path to (over)write."""

FIELDS = (
    "id",
    "name",
    "kind",
    "sending",
    "host",
    "city",
    "subdivision",
    "latitude",
    "longitude",
    "location_precision",
    "opened",
    "opened_precision",
    "opened_earliest",
    "opened_latest",
    "closed",
    "closed_precision",
    "closed_earliest",
    "closed_latest",
    "jurisdiction",
    "address",
    "website",
    "wikidata",
    "notes",
    "source_urls",
)
"""The flat columns of CSV rows and GeoJSON properties, in order."""

SQLITE_SCHEMA_VERSION = 1
"""Stored as ``PRAGMA user_version``; bumped when the tables change."""

SQLITE_SCHEMA = """\
CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sending TEXT NOT NULL,
    host TEXT NOT NULL,
    city TEXT,
    subdivision TEXT,
    latitude REAL,
    longitude REAL,
    location_precision TEXT,
    opened TEXT,
    opened_precision TEXT,
    opened_earliest TEXT,
    opened_latest TEXT,
    closed TEXT,
    closed_precision TEXT,
    closed_earliest TEXT,
    closed_latest TEXT,
    jurisdiction TEXT NOT NULL,
    names TEXT NOT NULL,
    address TEXT,
    website TEXT,
    wikidata TEXT,
    notes TEXT
);
CREATE TABLE events (
    office_id TEXT NOT NULL REFERENCES offices(id),
    position INTEGER NOT NULL,
    date TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    date_earliest TEXT,
    date_latest TEXT,
    type TEXT NOT NULL,
    from_kind TEXT,
    to_kind TEXT,
    city TEXT,
    from_city TEXT,
    name TEXT,
    from_name TEXT,
    note TEXT,
    PRIMARY KEY (office_id, position)
);
CREATE TABLE claims (
    office_id TEXT NOT NULL REFERENCES offices(id),
    position INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    count_sars INTEGER NOT NULL,
    include_closed INTEGER NOT NULL,
    kinds TEXT NOT NULL,
    PRIMARY KEY (office_id, position)
);
CREATE TABLE sources (
    office_id TEXT NOT NULL REFERENCES offices(id),
    attached_to TEXT NOT NULL CHECK (attached_to IN ('office', 'event', 'claim')),
    attached_position INTEGER,
    position INTEGER NOT NULL,
    url TEXT,
    citation TEXT,
    title TEXT,
    date TEXT,
    supports TEXT NOT NULL
);
CREATE INDEX offices_sending ON offices (sending);
CREATE INDEX offices_host ON offices (host);
CREATE INDEX offices_kind ON offices (kind);
CREATE INDEX sources_office ON sources (office_id);
"""
"""The tables :func:`to_sqlite` creates (documented in the module docstring)."""


# -- rows --------------------------------------------------------------------------------


def _date_columns(prefix: str, dating: Dating | None) -> dict[str, str | None]:
    """A date as written, its precision, and the range of days it stands for."""
    if dating is None:
        return {prefix: None, f"{prefix}_precision": None, f"{prefix}_earliest": None, f"{prefix}_latest": None}
    earliest, latest = dating.earliest, dating.latest
    return {
        prefix: str(dating),
        f"{prefix}_precision": dating.precision,
        f"{prefix}_earliest": earliest.isoformat() if earliest else None,
        f"{prefix}_latest": latest.isoformat() if latest else None,
    }


def office_row(office: Office) -> dict[str, Any]:
    """The office as one flat record, keyed by :data:`FIELDS`; lists stay lists."""
    location = office.location
    return {
        "id": office.id,
        "name": office.name,
        "kind": office.kind.value,
        "sending": office.sending,
        "host": office.host,
        "city": office.city,
        "subdivision": office.subdivision,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "location_precision": location.precision if location else None,
        **_date_columns("opened", office.opened),
        **_date_columns("closed", office.closed),
        "jurisdiction": list(office.jurisdiction),
        "address": office.address,
        "website": office.website,
        "wikidata": office.wikidata,
        "notes": office.notes,
        "source_urls": [source.url for source in office.sources if source.url],
    }


# -- text formats ------------------------------------------------------------------------


@contextlib.contextmanager
def _text_file(target: Target) -> Iterator[IO[str]]:
    """The target itself if it is open, else the path opened for writing (closed afterwards)."""
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="") as file:
            yield file
    else:
        yield target


def _csv_value(value: Any) -> Any:
    return " ".join(value) if isinstance(value, list) else value


def to_csv(offices: Iterable[Office], file: Target) -> int:
    """Offices as CSV with a header line, one flat row each (columns: :data:`FIELDS`)."""
    count = 0
    with _text_file(file) as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for office in offices:
            writer.writerow({key: _csv_value(value) for key, value in office_row(office).items()})
            count += 1
    return count


def to_json(offices: Iterable[Office], file: Target) -> int:
    """Offices as one indented JSON array, each in the data-file schema."""
    records = [encode_office(office) for office in offices]
    with _text_file(file) as out:
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return len(records)


def to_jsonl(offices: Iterable[Office], file: Target) -> int:
    """Offices as JSON Lines: one office a line, in the data-file schema."""
    count = 0
    with _text_file(file) as out:
        for office in offices:
            out.write(json.dumps(encode_office(office), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def _feature(office: Office) -> dict[str, Any]:
    """One GeoJSON Feature; RFC 7946 wants [longitude, latitude] and null for no geometry."""
    properties = office_row(office)
    del properties["latitude"], properties["longitude"]
    geometry = None
    if office.location is not None:
        geometry = {"type": "Point", "coordinates": [office.location.longitude, office.location.latitude]}
    return {"type": "Feature", "id": office.id, "geometry": geometry, "properties": properties}


def to_geojson(offices: Iterable[Office], file: Target) -> int:
    """Offices as an RFC 7946 GeoJSON FeatureCollection; offices without a location get null geometry."""
    features = [_feature(office) for office in offices]
    with _text_file(file) as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return len(features)


# -- SQLite ------------------------------------------------------------------------------


def _source_row(
    office_id: str, attached_to: str, attached: int | None, position: int, source: Source
) -> tuple[Any, ...]:
    date = str(source.date) if source.date is not None else None
    supports = json.dumps(list(source.supports))
    return (office_id, attached_to, attached, position, source.url, source.citation, source.title, date, supports)


def _insert_office(db: sqlite3.Connection, office: Office) -> None:
    """One office with its events, claims and sources."""
    row = office_row(office)
    del row["source_urls"]
    row["jurisdiction"] = json.dumps(row["jurisdiction"])
    row["names"] = json.dumps(dict(office.names), ensure_ascii=False, sort_keys=True)
    columns = ", ".join(row)
    db.execute(f"INSERT INTO offices ({columns}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
    sources = [_source_row(office.id, "office", None, n, source) for n, source in enumerate(office.sources, 1)]
    for position, event in enumerate(office.events, 1):
        dates = _date_columns("date", event.date)
        from_kind = event.from_kind.value if event.from_kind else None
        to_kind = event.to_kind.value if event.to_kind else None
        db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                office.id,
                position,
                *dates.values(),
                event.type.value,
                from_kind,
                to_kind,
                event.city,
                event.from_city,
                event.name,
                event.from_name,
                event.note,
            ),
        )
        sources += [_source_row(office.id, "event", position, n, source) for n, source in enumerate(event.sources, 1)]
    for position, claim in enumerate(office.claims, 1):
        kinds = json.dumps(list(claim.kinds))
        db.execute(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
            (office.id, position, claim.ordinal, claim.text, int(claim.count_sars), int(claim.include_closed), kinds),
        )
        sources += [_source_row(office.id, "claim", position, n, source) for n, source in enumerate(claim.sources, 1)]
    db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sources)


def to_sqlite(offices: Iterable[Office], path: str | os.PathLike[str]) -> int:
    """Offices as a SQLite database with the documented schema; replaces the file at ``path``.

    The database is built under a temporary name beside ``path`` and moved into place
    only when complete, so a failed export never leaves a half-written file. A file that
    cannot be written raises :class:`OSError`, as for the other formats.
    """
    import sqlite3

    final = Path(path)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)  # left by an export that was killed
        count = _build_sqlite(offices, temporary)
        os.replace(temporary, final)
    except sqlite3.OperationalError as error:
        # Cannot open or write the file (no such folder, disk full): an OSError like the text formats raise.
        raise OSError(str(error)) from error
    finally:
        temporary.unlink(missing_ok=True)
    return count


def _build_sqlite(offices: Iterable[Office], path: Path) -> int:
    import sqlite3

    count = 0
    db = sqlite3.connect(path)
    try:
        db.executescript(SQLITE_SCHEMA)
        db.execute(f"PRAGMA user_version = {SQLITE_SCHEMA_VERSION}")
        for office in offices:
            _insert_office(db, office)
            count += 1
        db.commit()
    finally:
        db.close()
    return count
