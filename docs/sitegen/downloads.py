"""The files the site offers, made at build time with ``consulates.export``.

Each state page offers its offices as CSV and GeoJSON; the downloads page offers the
whole registry as one CSV, as SQLite, and as a CSV data package (a zip of one CSV per
SQLite table with a Frictionless ``datapackage.json`` describing them).
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from consulates import export
from consulates.model import Office

from .facts import Site
from .paths import (
    CHANGELOG,
    DOWNLOADS_PAGE,
    INDEX_PAGE,
    LICENCE,
    REGISTRY_CSV,
    REGISTRY_PACKAGE,
    REGISTRY_SQLITE,
    download,
    md_link,
)
from .text import h

PACKAGE_TABLES = ("offices", "events", "claims", "sources")
_SQLITE_TYPES = {"INTEGER": "integer", "REAL": "number"}


def csv_text(offices: Iterable[Office]) -> str:
    out = io.StringIO()
    export.to_csv(offices, out)
    return out.getvalue()


def geojson_text(offices: Iterable[Office]) -> str:
    """The export's GeoJSON, written compactly (the files are downloaded, not read by eye)."""
    out = io.StringIO()
    export.to_geojson(offices, out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False, separators=(",", ":")) + "\n"


def sqlite_bytes(offices: Iterable[Office]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consulates.sqlite"
        export.to_sqlite(offices, path)
        return path.read_bytes()


def package_bytes(database: bytes, description: str) -> bytes:
    """The SQLite tables as CSV files in a zip, with a ``datapackage.json`` naming their columns and types."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consulates.sqlite"
        path.write_bytes(database)
        db = sqlite3.connect(path)
        try:
            resources, files = [], {}
            for table in PACKAGE_TABLES:
                columns = db.execute(f"PRAGMA table_info({table})").fetchall()
                out = io.StringIO()
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow([column[1] for column in columns])
                writer.writerows(db.execute(f"SELECT * FROM {table}"))
                files[f"{table}.csv"] = out.getvalue()
                fields = [{"name": column[1], "type": _SQLITE_TYPES.get(column[2], "string")} for column in columns]
                resources.append(
                    {
                        "name": table,
                        "path": f"{table}.csv",
                        "format": "csv",
                        "mediatype": "text/csv",
                        "encoding": "utf-8",
                        "schema": {"fields": fields},
                    }
                )
        finally:
            db.close()
    descriptor = {
        "name": "consulates",
        "title": "consulates: the world's diplomatic and consular offices",
        "description": description,
        "licenses": [
            {"name": "CC0-1.0", "title": "CC0 1.0 (Wikidata and this project's curation)"},
            {"name": "CC-BY-4.0", "title": "CC BY 4.0 (U.S. Diplomatic Mission Status Data; see data/SOURCES.md)"},
        ],
        "resources": resources,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2) + "\n")
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def files(site: Site) -> Iterator[tuple[str, str | bytes]]:
    """Every download, ``(path under docs/, content)``."""
    for scope, groups in (("sending", site.by_sending), ("host", site.by_host)):
        for code, offices in groups.items():
            yield download(scope, code, "csv"), csv_text(offices)
            yield download(scope, code, "geojson"), geojson_text(offices)
    offices = list(site.registry)
    yield REGISTRY_CSV, csv_text(offices)
    database = sqlite_bytes(offices)
    yield REGISTRY_SQLITE, database
    yield (
        REGISTRY_PACKAGE,
        package_bytes(
            database, f"{len(offices)} offices with their events, claims and sources, as of {site.today.isoformat()}."
        ),
    )


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def render_page(site: Site, sizes: dict[str, int]) -> str:
    """The downloads page: the whole registry in three forms, where each state's files are, and where the data lives."""
    page = DOWNLOADS_PAGE
    total = sum(1 for _ in site.registry)
    rows = [
        (REGISTRY_CSV, "CSV", "one row per office (the columns of `consulates export --format csv`)"),
        (REGISTRY_SQLITE, "SQLite", "offices, events, claims and sources (the schema of `consulates export`)"),
        (REGISTRY_PACKAGE, "CSV data package", "the four SQLite tables as CSV, with a `datapackage.json`"),
    ]
    lines = [
        "# Downloads",
        "",
        f"The whole registry ({total:,} offices, closed ones included), made from the data when this site was "
        f"built ({site.today.isoformat()}) by the same exports as `consulates export`:",
        "",
        "| file | format | what it holds | size |",
        "|---|---|---|---:|",
    ]
    for path, form, what in rows:
        lines.append(f"| {md_link(page, path, posixpath.basename(path))} | {form} | {what} | {_size(sizes[path])} |")
    lines += [
        "",
        "Each state's page offers its own offices as CSV and GeoJSON: see "
        f"{md_link(page, INDEX_PAGE, 'every state')}. The formats and columns are described in the "
        f"{md_link(page, 'api/export.md', 'export module')}.",
        "",
        "## Licence and changes",
        "",
        f"The data is CC0 where it comes from Wikidata or this project's curation; third-party data keeps its "
        f"licence and needs its attribution: see {md_link(page, LICENCE, 'licence and attributions')}. What "
        f"changed between versions is in the {md_link(page, CHANGELOG, 'changelog')}.",
        "",
    ]
    if site.repository:
        lines += [
            f"The human-edited data files (`data/offices/*.toml`), the importers and the code are in the "
            f'<a href="{h(site.repository)}">source repository</a>, where corrections are proposed.',
            "",
        ]
    else:
        lines += [
            "The human-edited data files (`data/offices/*.toml`), the importers and the code are in the "
            "project's source repository (its address was not set when this site was built: "
            "`CONSULATES_REPOSITORY`).",
            "",
        ]
    return "\n".join(lines)
