"""Writing offices out: CSV, JSON, JSON Lines, GeoJSON and SQLite.

Every writer takes offices (from `consulates.find`, a `Registry` or any iterable) and
returns how many it wrote. Text writers take an open text file or a path; `to_sqlite`
takes a path. A file that cannot be written raises `OSError` (a folder given as the
path: `IsADirectoryError`). A path is written atomically: the export goes to a temporary
file in the same folder, which replaces the target only when complete, so an interrupted
export leaves the old file whole and no temporary file behind.

This docstring is Markdown: `tools/gen_cli_docs.py` copies it into `docs/cli.md`.

## Formats

- **JSON**: an object `{"metadata": {...}, "offices": [...]}`, each office in the
  data-file schema (the schema of `data/offices/*.toml` and of the compiled registry,
  and of `Office.to_dict()`: dates as ISO text, empty fields left out), so an export can
  be read back with `Registry.from_document` or `Registry.from_records`.
- **JSON Lines**: one office a line, in the same schema.
- **CSV**: one flat row per office, the columns of `FIELDS`. Lists are space-separated
  (`jurisdiction`, `source_urls`), citations separated by ` | `; lines end with a line
  feed. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets
  a leading `'`, so a spreadsheet never runs it as a formula.
- **GeoJSON** (RFC 7946): a `FeatureCollection` with one `Feature` per office, the
  office id as the feature `id`, a `Point` geometry in `[longitude, latitude]` order
  (WGS 84), or a `null` geometry where the location is unknown; the properties are the
  CSV columns, lists kept as JSON arrays.
- **SQLite**: the schema below, readable from `sqlite3`, Datasette or DuckDB
  (`ATTACH 'offices.db' AS consulates (TYPE sqlite)`).

## Metadata: licence, attribution, version, checksum

Every export says what it is (`metadata()`): the licences of the data and the
attribution they ask for (CC BY 4.0 for the U.S. Diplomatic Mission Status Data; CC0
for Wikidata and this project's curation), the package version, when the export was
created (UTC), and `registry_sha256`, the checksum of the data the registry was compiled
from, which identifies the data exactly. JSON carries it in its `metadata` member,
GeoJSON in a top-level `metadata` member, SQLite in the `meta` table (`key`, `value`).
CSV and JSON Lines written to a file get a Frictionless Data Package, `datapackage.json`,
in the same folder: the metadata, and for CSV a Table Schema with each column's type,
so the data opens typed in Frictionless tools, pandas (with the types of the schema)
and DuckDB (`read_csv('offices.csv')`). A `datapackage.json` already there keeps its
other resources. Written to standard output, CSV and JSON Lines carry no metadata.

## Dates

A date is as precise as its source: a day (`2023-05-19`), a month (`2023-05`), a year
(`2023`) or bounds (`by 2016-11`, `not before 2003-08`). Each date column `X` comes
with `X_precision` (`day`, `month`, `year` or `bounds`) and `X_earliest` / `X_latest`:
the first and last day it may stand for (ISO `YYYY-MM-DD`; empty for an open bound).
Query by date with those two.

## SQLite schema

`PRAGMA user_version` is the schema version, `SQLITE_SCHEMA_VERSION` (2); the tables
are created by `SQLITE_SCHEMA`.

- `meta`: `key` and `value` (text) of the export's metadata: `title`, `license`,
  `attribution`, `version`, `created`, `registry_sha256`, `offices`.

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
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from consulates.codec import encode_office

if TYPE_CHECKING:
    import sqlite3

    from consulates.dates import Dating
    from consulates.model import Office, Source
    from consulates.registry import Registry

__all__ = [
    "ATTRIBUTION",
    "DATAPACKAGE",
    "FIELDS",
    "LICENSES",
    "SQLITE_SCHEMA",
    "SQLITE_SCHEMA_VERSION",
    "datapackage",
    "metadata",
    "neutralise",
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
    "source_citations",
)
"""The flat columns of CSV rows and GeoJSON properties, in order."""

_TYPES = {"latitude": "number", "longitude": "number"} | {
    f"{prefix}_{end}": "date" for prefix in ("opened", "closed") for end in ("earliest", "latest")
}
"""Table Schema types of the CSV columns that are not plain text."""

_DESCRIPTIONS = {
    "id": "Stable office id; never reused.",
    "kind": "embassy, consulate-general, consulate, honorary-consulate …",
    "sending": "The state that runs the office: ISO 3166-1 alpha-2 or a documented code.",
    "host": "The state the office is in: ISO 3166-1 alpha-2 (Hong Kong and Macau: CN).",
    "subdivision": "ISO 3166-2 code of the subdivision the office is in.",
    "latitude": "WGS 84 latitude.",
    "longitude": "WGS 84 longitude.",
    "opened": "The opening date as precise as its source: YYYY, YYYY-MM, YYYY-MM-DD or bounds.",
    "closed": "The final closing date, as precise as its source; empty while open.",
    "jurisdiction": "The consular district: ISO codes separated by spaces.",
    "source_urls": "The record's source URLs separated by spaces.",
    "source_citations": "The record's source citations separated by ' | '.",
}

LICENSES = (
    {
        "name": "CC0-1.0",
        "title": "CC0 1.0: data from Wikidata and this project's curation",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    {
        "name": "CC-BY-4.0",
        "title": "CC BY 4.0: the history of US missions from the U.S. Diplomatic Mission Status Data",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
)
"""The licences of the data (data/SOURCES.md): each record cites its own sources."""

ATTRIBUTION = (
    "Diplomatic and consular offices from the consulates registry; every record cites its sources. "
    'Includes data from Kenkel, Brenton. 2026. "U.S. Diplomatic Mission Status Data", v0.1, '
    "<https://github.com/brentonk/us_diplomatic_missions>, from the Office of the Historian, "
    "U.S. Department of State, licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). "
    "Powered by Wikidata (CC0)."
)
"""The attribution every export carries (data/SOURCES.md)."""

DATAPACKAGE = "datapackage.json"
"""The Frictionless Data Package written beside CSV and JSON Lines files."""

SQLITE_SCHEMA_VERSION = 2
"""Stored as ``PRAGMA user_version``; bumped when the tables change."""

SQLITE_SCHEMA = """\
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
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
        "source_citations": [source.citation for source in office.sources if source.citation],
    }


# -- metadata ----------------------------------------------------------------------------


def metadata(registry: Registry | None = None, *, created: dt.datetime | None = None) -> dict[str, Any]:
    """What an export says about itself: licences, attribution, version, creation time, the registry's checksum.

    ``registry`` is the registry the offices come from (default: the packaged one).
    """
    import consulates

    source = registry if registry is not None else consulates.default_registry()
    moment = created or dt.datetime.now(dt.UTC)
    return {
        "title": "consulates: the world's diplomatic and consular offices",
        "license": " and ".join(str(item["name"]) for item in LICENSES) + " (see licenses and attribution)",
        "licenses": [dict(item) for item in LICENSES],
        "attribution": ATTRIBUTION,
        "version": consulates.__version__,
        "created": moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "registry_sha256": source.checksum,
    }


def _schema() -> dict[str, Any]:
    """The Table Schema of the CSV columns."""
    fields = []
    for name in FIELDS:
        field: dict[str, Any] = {"name": name, "type": _TYPES.get(name, "string")}
        if name in _DESCRIPTIONS:
            field["description"] = _DESCRIPTIONS[name]
        if name in ("id", "name", "kind", "sending", "host"):
            field["constraints"] = {"required": True}
        if name == "latitude":
            field["constraints"] = {"minimum": -90, "maximum": 90}
        if name == "longitude":
            field["constraints"] = {"minimum": -180, "maximum": 180}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def _resource_name(path: Path) -> str:
    """A Data Package resource name: lower-case letters, digits, ``-``, ``_`` and ``.``."""
    name = "".join(char if char.isalnum() or char in "-_." else "-" for char in path.name.lower())
    return name.encode("ascii", "replace").decode().replace("?", "-") or "offices"


def datapackage(path: str | os.PathLike[str], fmt: str, meta: Mapping[str, Any], count: int) -> dict[str, Any]:
    """The Frictionless Data Package (v1) describing one CSV or JSON Lines export at ``path``."""
    target = Path(path)
    resource: dict[str, Any] = {
        "name": _resource_name(target),
        "path": target.name,
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/jsonl",
        "encoding": "utf-8",
        "title": meta["title"],
        "licenses": meta["licenses"],
        "consulates:offices": count,
        "consulates:created": meta["created"],
        "consulates:registry_sha256": meta["registry_sha256"],
    }
    if fmt == "csv":
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "header": True}
        resource["schema"] = _schema()
    return {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": "consulates",
        "title": meta["title"],
        "version": meta["version"],
        "created": meta["created"],
        "licenses": meta["licenses"],
        "description": meta["attribution"],
        "sources": [{"title": "The records' own sources (each record cites them)"}],
        "consulates:attribution": meta["attribution"],
        "consulates:registry_sha256": meta["registry_sha256"],
        "resources": [resource],
    }


def _write_datapackage(path: Path, fmt: str, meta: Mapping[str, Any], count: int) -> None:
    """Write (or update) ``datapackage.json`` beside an export; resources of other files there are kept."""
    package = datapackage(path, fmt, meta, count)
    sidecar = path.with_name(DATAPACKAGE)
    with contextlib.suppress(OSError, ValueError):
        old = json.loads(sidecar.read_text(encoding="utf-8"))
        if isinstance(old, dict) and isinstance(old.get("resources"), list):
            kept = [
                item
                for item in old["resources"]
                if isinstance(item, dict)
                and item.get("path") != path.name
                and isinstance(item.get("path"), str)
                and (path.parent / item["path"]).is_file()
            ]
            names = {item.get("name") for item in kept}
            for item in package["resources"]:
                while item["name"] in names:
                    item["name"] = "x-" + item["name"]
            if any(item.get("format") != "csv" for item in kept):
                package["profile"] = "data-package"
            package["resources"] = kept + package["resources"]
    with _atomic(sidecar) as out:
        json.dump(package, out, ensure_ascii=False, indent=2)
        out.write("\n")


# -- text formats ------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _folder_check(path: Path) -> None:
    if path.is_dir() or not path.name or path.name in (".", ".."):
        raise IsADirectoryError(21, "is a folder: give a file name", str(path))


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """A text file that replaces ``path`` only when complete: written under a temporary name in the same folder."""
    _folder_check(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as file:
            yield file
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@contextlib.contextmanager
def _text_file(target: Target) -> Iterator[IO[str]]:
    """The target itself if it is open, else the path written atomically."""
    if isinstance(target, str | os.PathLike):
        with _atomic(Path(target)) as file:
            yield file
    else:
        yield target


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A CSV cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``) gets a leading ``'``; numbers stay."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value: Any, separator: str = " ") -> Any:
    """A CSV cell: lists joined, formulas neutralised."""
    if isinstance(value, list):
        value = separator.join(value)
    return neutralise(value)


def to_csv(
    offices: Iterable[Office], file: Target, *, metadata: Mapping[str, Any] | None = None, datapackage: bool = True
) -> int:
    """Offices as CSV with a header line, one flat row each (columns: :data:`FIELDS`).

    Written to a path, ``datapackage.json`` beside it describes the file (``datapackage=False``: not).
    """
    count = 0
    with _text_file(file) as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for office in offices:
            row = office_row(office)
            writer.writerow(
                {key: _csv_value(value, " | " if key == "source_citations" else " ") for key, value in row.items()}
            )
            count += 1
    if datapackage and isinstance(file, str | os.PathLike):
        _write_datapackage(Path(file), "csv", metadata or _default_metadata(), count)
    return count


def _default_metadata() -> dict[str, Any]:
    return metadata()


def to_json(offices: Iterable[Office], file: Target, *, metadata: Mapping[str, Any] | None = None) -> int:
    """Offices as one indented JSON object: ``metadata``, and ``offices`` in the data-file schema."""
    records = [encode_office(office) for office in offices]
    document = {"metadata": dict(metadata or _default_metadata()), "offices": records}
    with _text_file(file) as out:
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return len(records)


def to_jsonl(
    offices: Iterable[Office], file: Target, *, metadata: Mapping[str, Any] | None = None, datapackage: bool = True
) -> int:
    """Offices as JSON Lines: one office a line, in the data-file schema; ``datapackage.json`` beside a path."""
    count = 0
    with _text_file(file) as out:
        for office in offices:
            out.write(json.dumps(encode_office(office), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    if datapackage and isinstance(file, str | os.PathLike):
        _write_datapackage(Path(file), "jsonl", metadata or _default_metadata(), count)
    return count


def _feature(office: Office) -> dict[str, Any]:
    """One GeoJSON Feature; RFC 7946 wants [longitude, latitude] and null for no geometry."""
    properties = office_row(office)
    del properties["latitude"], properties["longitude"]
    geometry = None
    if office.location is not None:
        geometry = {"type": "Point", "coordinates": [office.location.longitude, office.location.latitude]}
    return {"type": "Feature", "id": office.id, "geometry": geometry, "properties": properties}


def to_geojson(offices: Iterable[Office], file: Target, *, metadata: Mapping[str, Any] | None = None) -> int:
    """Offices as an RFC 7946 GeoJSON FeatureCollection with a ``metadata`` member; no location: null geometry."""
    features = [_feature(office) for office in offices]
    collection = {
        "type": "FeatureCollection",
        "metadata": dict(metadata or _default_metadata()),
        "features": features,
    }
    with _text_file(file) as out:
        json.dump(collection, out, ensure_ascii=False, indent=2)
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
    del row["source_urls"], row["source_citations"]
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


def to_sqlite(
    offices: Iterable[Office], path: str | os.PathLike[str], *, metadata: Mapping[str, Any] | None = None
) -> int:
    """Offices as a SQLite database with the documented schema; replaces the file at ``path``.

    The database is built under a temporary name beside ``path`` (without a rollback
    journal: a failed build is thrown away whole) and moved into place only when
    complete, so a failed or interrupted export never leaves a half-written file or a
    temporary one. A file that cannot be written raises :class:`OSError`, as for the
    other formats.
    """
    import sqlite3

    final = Path(path)
    _folder_check(final)
    descriptor, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent or ".")
    os.close(descriptor)
    temporary = Path(name)
    try:
        count = _build_sqlite(offices, temporary, metadata or _default_metadata())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, final)
    except sqlite3.Error as error:
        # Cannot open or write the file (no such folder, disk full): an OSError like the text formats raise.
        raise OSError(str(error)) from error
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return count


def _build_sqlite(offices: Iterable[Office], path: Path, meta: Mapping[str, Any]) -> int:
    import sqlite3

    count = 0
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.executescript(SQLITE_SCHEMA)
        db.execute(f"PRAGMA user_version = {SQLITE_SCHEMA_VERSION}")
        for office in offices:
            _insert_office(db, office)
            count += 1
        rows = {key: value for key, value in meta.items() if key != "licenses"}
        rows["licenses"] = json.dumps(meta.get("licenses", []), ensure_ascii=False)
        rows["offices"] = count
        db.executemany("INSERT INTO meta VALUES (?, ?)", [(key, str(value)) for key, value in rows.items()])
        db.commit()
    finally:
        db.close()
    return count
