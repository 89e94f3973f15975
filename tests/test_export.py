"""consulates.export on the synthetic registry and on records made here: every format parses back."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import consulates
from consulates import export
from consulates.codec import encode_office
from consulates.dates import DateBounds, PartialDate
from consulates.model import Claim, Event, EventType, Kind, Location, Office, Source
from consulates.registry import Registry


def made_office() -> Office:
    """An office with every part the exports must carry: bounds, events, claims, sourced events."""
    return Office(
        id="xx-yy-town",
        kind=Kind.CONSULATE_GENERAL,
        sending="KZ",
        host="CN",
        sources=(Source(url="https://example.org/a", title="A", date=PartialDate(2016, 11), supports=("opened",)),),
        city="Town",
        subdivision="CN-SN",
        location=Location(34.25, 108.5, "city"),
        opened=DateBounds(not_after=PartialDate(2016, 11)),
        jurisdiction=("CN-SN", "CN-GS"),
        names={"en": "Consulate General in Town", "zh": "总领事馆"},
        events=(
            Event(
                PartialDate(2018),
                EventType.UPGRADED,
                Kind.CONSULATE,
                Kind.CONSULATE_GENERAL,
                sources=(Source(citation="Gazette, p. 3"),),
            ),
        ),
        claims=(Claim(2, "the second", count_sars=False, sources=(Source(url="https://example.org/c"),)),),
    )


def test_office_row_dates_and_lists() -> None:
    row = export.office_row(made_office())
    assert tuple(row) == export.FIELDS
    assert row["opened"] == "by 2016-11"
    assert row["opened_precision"] == "bounds"
    assert row["opened_earliest"] is None
    assert row["opened_latest"] == "2016-11-30"
    assert row["closed"] is None
    assert row["jurisdiction"] == ["CN-SN", "CN-GS"]
    assert row["source_urls"] == ["https://example.org/a"]
    assert (row["latitude"], row["longitude"], row["location_precision"]) == (34.25, 108.5, "city")


def test_csv(synthetic: Registry) -> None:
    buffer = io.StringIO()
    count = export.to_csv(synthetic.offices, buffer)
    assert count == len(synthetic)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [row["id"] for row in rows] == [office.id for office in synthetic.offices]
    shanghai = next(row for row in rows if row["id"] == "kz-cn-shanghai")
    assert (shanghai["opened"], shanghai["opened_earliest"], shanghai["opened_latest"]) == (
        "2005",
        "2005-01-01",
        "2005-12-31",
    )
    xian = next(row for row in rows if row["id"] == "kz-cn-xian")
    assert xian["jurisdiction"] == "CN-SN CN-GS CN-SC"
    assert "\r" not in buffer.getvalue()


def test_jsonl_reads_back_as_a_registry(synthetic: Registry, tmp_path: Path) -> None:
    path = tmp_path / "offices.jsonl"
    assert export.to_jsonl(synthetic.offices, path) == len(synthetic)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    again = Registry.from_document({"format": 1, "offices": records})
    assert again.offices == synthetic.offices


def test_json_is_the_data_schema() -> None:
    buffer = io.StringIO()
    export.to_json([made_office()], buffer)
    document = json.loads(buffer.getvalue())
    assert document["offices"] == [encode_office(made_office())] == [made_office().to_dict()]
    assert set(document["metadata"]) >= {"license", "attribution", "version", "created", "registry_sha256"}


def test_geojson_follows_rfc_7946(synthetic: Registry) -> None:
    buffer = io.StringIO()
    export.to_geojson(synthetic.offices, buffer)
    collection = json.loads(buffer.getvalue())
    assert set(collection) == {"type", "metadata", "features"}
    assert collection["metadata"]["registry_sha256"] == consulates.default_registry().checksum
    assert collection["type"] == "FeatureCollection"
    for feature, office in zip(collection["features"], synthetic.offices, strict=True):
        assert feature["type"] == "Feature"
        assert feature["id"] == office.id
        assert "latitude" not in feature["properties"]
        if office.location is None:
            assert feature["geometry"] is None
        else:
            longitude, latitude = feature["geometry"]["coordinates"]
            assert (latitude, longitude) == (office.location.latitude, office.location.longitude)
            assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    assert any(feature["geometry"] is None for feature in collection["features"])


def test_sqlite_schema_and_contents(synthetic: Registry, tmp_path: Path) -> None:
    path = tmp_path / "offices.db"
    offices = [*synthetic.offices, made_office()]
    assert export.to_sqlite(offices, path) == len(offices)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == export.SQLITE_SCHEMA_VERSION
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"meta", "offices", "events", "claims", "sources"}
        assert {row[0] for row in db.execute("SELECT id FROM offices")} == {office.id for office in offices}
        town = db.execute(
            "SELECT kind, opened, opened_latest, jurisdiction, names FROM offices WHERE id = 'xx-yy-town'"
        ).fetchone()
        assert town[:3] == ("consulate-general", "by 2016-11", "2016-11-30")
        assert json.loads(town[3]) == ["CN-SN", "CN-GS"]
        assert json.loads(town[4])["zh"] == "总领事馆"
        event = db.execute("SELECT position, date, type, from_kind, to_kind FROM events WHERE office_id = 'xx-yy-town'")
        assert event.fetchall() == [(1, "2018", "upgraded", "consulate", "consulate-general")]
        sources = db.execute(
            "SELECT attached_to, attached_position, url, citation FROM sources WHERE office_id = 'xx-yy-town'"
            " ORDER BY attached_to"
        ).fetchall()
        assert sources == [
            ("claim", 1, "https://example.org/c", None),
            ("event", 1, None, "Gazette, p. 3"),
            ("office", None, "https://example.org/a", None),
        ]
        claim = db.execute("SELECT ordinal, count_sars, include_closed FROM claims WHERE office_id = 'xx-yy-town'")
        assert claim.fetchone() == (2, 0, 1)
        serving = db.execute(
            "SELECT o.id FROM offices o, json_each(o.jurisdiction) j WHERE j.value = 'CN-SC'"
        ).fetchall()
        assert serving == [("kz-cn-xian",)]


def test_sqlite_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "offices.db"
    path.write_text("not a database", encoding="utf-8")
    export.to_sqlite([made_office()], path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM offices").fetchone()[0] == 1
    assert sorted(item.name for item in tmp_path.iterdir()) == ["offices.db"]


def test_sqlite_unwritable_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        export.to_sqlite([made_office()], tmp_path / "missing" / "offices.db")
    assert list(tmp_path.iterdir()) == []
