"""Exports as a data product: metadata in every format, a Data Package beside CSV, harmless cells, atomic files.

Each file is read back with the standard library (csv, json, sqlite3); the Data Package is checked against the
rules of the Frictionless specs (Data Package, Data Resource, Table Schema v1) here, and with the frictionless
library itself where it is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from consulates import export
from consulates.model import Location, Office
from consulates.registry import Registry

KEYS = {"license", "licenses", "attribution", "version", "created", "registry_sha256"}
TABLE_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime", "year"}
NAME = re.compile(r"^[a-z0-9._-]+$")


def meta(registry: Registry) -> dict[str, Any]:
    return export.metadata(registry, created=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))


def test_metadata_names_licences_attribution_version_and_checksum(synthetic: Registry) -> None:
    found = meta(synthetic)
    assert set(found) >= KEYS
    assert "CC BY 4.0" in found["attribution"] and "Kenkel" in found["attribution"]
    assert {item["name"] for item in found["licenses"]} == {"CC0-1.0", "CC-BY-4.0"}
    assert found["created"] == "2026-01-02T03:04:05Z"
    assert re.fullmatch(r"[0-9a-f]{64}", found["registry_sha256"])
    assert found["registry_sha256"] == synthetic.checksum
    # An in-memory registry has a checksum of its offices: the same offices, the same checksum.
    assert Registry(synthetic.offices).checksum == Registry(reversed(synthetic.offices)).checksum


def test_every_format_carries_the_metadata(synthetic: Registry, tmp_path: Path) -> None:
    found = meta(synthetic)
    offices = synthetic.offices
    export.to_json(offices, tmp_path / "o.json", metadata=found)
    document = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert document["metadata"] == found
    assert Registry.from_document(document).offices == offices  # the wrapper reads back

    export.to_geojson(offices, tmp_path / "o.geojson", metadata=found)
    assert json.loads((tmp_path / "o.geojson").read_text(encoding="utf-8"))["metadata"] == found

    export.to_sqlite(offices, tmp_path / "o.db", metadata=found)
    with sqlite3.connect(tmp_path / "o.db") as db:
        table = dict(db.execute("SELECT key, value FROM meta"))
    assert table["attribution"] == found["attribution"] and table["registry_sha256"] == found["registry_sha256"]
    assert table["offices"] == str(len(offices)) and json.loads(table["licenses"]) == found["licenses"]

    for name, writer in (("o.csv", export.to_csv), ("o.jsonl", export.to_jsonl)):
        writer(offices, tmp_path / name, metadata=found)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["consulates:attribution"] == found["attribution"]
    assert package["licenses"] == found["licenses"] and package["version"] == found["version"]
    assert {resource["path"] for resource in package["resources"]} == {"o.csv", "o.jsonl"}


def check_data_package(folder: Path) -> dict[str, Any]:
    """The Frictionless rules this export relies on, checked by hand; every CSV cell cast to its field's type."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert NAME.match(package["name"])
    assert package["resources"], "a package has resources"
    for licence in package["licenses"]:
        assert licence.get("name") or licence.get("path")
    names = [resource["name"] for resource in package["resources"]]
    assert len(set(names)) == len(names)
    for resource in package["resources"]:
        assert NAME.match(resource["name"])
        path = resource["path"]
        assert isinstance(path, str) and not path.startswith("/") and ".." not in path
        assert (folder / path).is_file()
        if resource["format"] != "csv":
            continue
        schema = resource["schema"]
        fields = schema["fields"]
        assert all(field["type"] in TABLE_TYPES for field in fields)
        assert set(schema["primaryKey"]) <= {field["name"] for field in fields}
        with (folder / path).open(encoding=resource["encoding"], newline="") as file:
            reader = csv.reader(file, delimiter=resource["dialect"]["delimiter"])
            header = next(reader)
            assert header == [field["name"] for field in fields]
            keys = set()
            for row in reader:
                assert len(row) == len(fields)
                for cell, field in zip(row, fields, strict=True):
                    if cell in schema["missingValues"]:
                        assert not field.get("constraints", {}).get("required"), field["name"]
                        continue
                    if field["type"] == "number":
                        value = float(cell)
                        limits = field.get("constraints", {})
                        assert limits.get("minimum", value) <= value <= limits.get("maximum", value)
                    elif field["type"] == "date":
                        dt.date.fromisoformat(cell)
                key = tuple(row[header.index(name)] for name in schema["primaryKey"])
                assert key not in keys
                keys.add(key)
    return package


def test_csv_has_a_conformant_data_package(synthetic: Registry, tmp_path: Path) -> None:
    count = export.to_csv(synthetic.offices, tmp_path / "offices.csv", metadata=meta(synthetic))
    package = check_data_package(tmp_path)
    (resource,) = package["resources"]
    assert resource["consulates:offices"] == count == len(synthetic.offices)
    types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
    assert types["latitude"] == "number" and types["opened_earliest"] == "date" and types["opened"] == "string"


def test_frictionless_validates_the_package(synthetic: Registry, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    export.to_csv(synthetic.offices, tmp_path / "offices.csv", metadata=meta(synthetic))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_second_export_keeps_the_other_resources(synthetic: Registry, tmp_path: Path) -> None:
    kz = [office for office in synthetic.offices if office.sending == "KZ"]
    export.to_csv(kz, tmp_path / "kz.csv", metadata=meta(synthetic))
    export.to_csv(synthetic.offices, tmp_path / "all.csv", metadata=meta(synthetic))
    export.to_csv(kz[:1], tmp_path / "kz.csv", metadata=meta(synthetic))
    package = check_data_package(tmp_path)
    counts = {resource["path"]: resource["consulates:offices"] for resource in package["resources"]}
    assert counts == {"all.csv": len(synthetic.offices), "kz.csv": 1}


def test_formulas_are_neutralised(synthetic: Registry) -> None:
    base = synthetic.lookup("kz-cn-xian")
    hostile = attrs.evolve(
        base,
        city='=HYPERLINK("https://example.org","click")',
        notes="+1 and -1",
        address="@SUM(A1)",
        location=Location(-33.9, -70.5),
    )
    buffer = io.StringIO()
    export.to_csv([hostile], buffer, metadata=meta(synthetic))
    (row,) = csv.DictReader(io.StringIO(buffer.getvalue()))
    assert row["city"] == '\'=HYPERLINK("https://example.org","click")'
    assert row["notes"] == "'+1 and -1" and row["address"] == "'@SUM(A1)"
    assert (row["latitude"], row["longitude"]) == ("-33.9", "-70.5")  # numbers are not formulas
    assert export.neutralise("\tx") == "'\tx" and export.neutralise("Xi'an") == "Xi'an"


def interrupted(offices: tuple[Office, ...], after: int) -> Iterator[Office]:
    for index, office in enumerate(offices):
        if index == after:
            raise KeyboardInterrupt
        yield office


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json", ".geojson", ".db"])
def test_an_interrupted_export_leaves_the_old_file_whole(synthetic: Registry, tmp_path: Path, suffix: str) -> None:
    writers = {
        ".csv": export.to_csv,
        ".jsonl": export.to_jsonl,
        ".json": export.to_json,
        ".geojson": export.to_geojson,
        ".db": export.to_sqlite,
    }
    path = tmp_path / f"offices{suffix}"
    writers[suffix](synthetic.offices, path, metadata=meta(synthetic))
    before = path.read_bytes()
    files = sorted(item.name for item in tmp_path.iterdir())
    with pytest.raises(KeyboardInterrupt):
        writers[suffix](interrupted(synthetic.offices, 3), path, metadata=meta(synthetic))
    assert path.read_bytes() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == files  # no temporary file, no journal


def test_a_folder_is_not_a_file(synthetic: Registry, tmp_path: Path) -> None:
    for writer in (export.to_csv, export.to_json, export.to_sqlite):
        with pytest.raises(IsADirectoryError):
            writer(synthetic.offices, tmp_path, metadata=meta(synthetic))
    assert list(tmp_path.iterdir()) == []


def test_exported_files_get_the_usual_permissions(synthetic: Registry, tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        export.to_csv(synthetic.offices, tmp_path / "o.csv", metadata=meta(synthetic))
        export.to_sqlite(synthetic.offices, tmp_path / "o.db", metadata=meta(synthetic))
    finally:
        os.umask(mask)
    for name in ("o.csv", "o.db", "datapackage.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name
