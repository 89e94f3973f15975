"""The site generator's parts (docs/sitegen/): office pages, maps, notes, search entries, downloads.

Run on the synthetic registry, like the other code tests; the built site itself is
checked by tests/test_site.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sqlite3
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from consulates.dates import PartialDate
from consulates.model import Kind, Location, Office, Source
from consulates.registry import Registry

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS))

import gen_pages  # noqa: E402
from sitegen import downloads, search  # noqa: E402
from sitegen.facts import Site  # noqa: E402
from sitegen.notes import SharedNotes, sentences  # noqa: E402
from sitegen.placing import Placer  # noqa: E402

TODAY = dt.date(2026, 6, 1)
SOURCE = (Source(url="https://example.org/s"),)


pytestmark = pytest.mark.usefixtures("registry_cities_only")


@pytest.fixture(scope="module")
def pages(synthetic: Registry) -> dict[str, str]:
    rendered: dict[str, str] = gen_pages.render(synthetic, today=TODAY)
    return rendered


def _points(text: str) -> list[list[Any]]:
    found = re.search(r"data-points='([^']*)'", text)
    assert found is not None
    points: list[list[Any]] = json.loads(html.unescape(found.group(1)))
    return points


def test_every_office_has_a_section_and_rows_link_to_it(pages: dict[str, str], synthetic: Registry) -> None:
    for office in synthetic:
        page = pages[f"office/{office.sending.lower()}.md"]
        assert f"{{#{office.id} .cs-office}}" in page, office.id
        link = f'href="../office/{office.sending.lower()}.html#{office.id}"'
        assert link in pages[f"sending/{office.sending.lower()}.md"], office.id
        assert link in pages[f"host/{office.host.lower()}.md"], office.id


def test_office_section_states_every_fact(pages: dict[str, str]) -> None:
    page = pages["office/kz.md"]
    section = page[page.index("{#kz-cn-xian ") :]
    section = section[: section.index("\n## ")] if "\n## " in section else section
    assert "Shaanxi (CN-SN)" in section and "Gansu (CN-GS)" in section  # district names, not bare codes
    assert "Opening" in section and "2023-05-19" in section  # the source's title and date, in view
    assert "supports: opened" in section
    # Both counting rules for China, and a verdict on each claim under both.
    assert "Hong Kong and Macau included" in section and "Hong Kong and Macau left out" in section
    assert section.count('class="cs-verdict">holds</span>') >= 1
    assert "it would not if Hong Kong and Macau are left out" in section  # the claim under the other rule


def test_history_is_on_the_office_page(pages: dict[str, str]) -> None:
    section = pages["office/kz.md"].split("{#kz-cn-urumqi ")[1].split("\n## ")[0]
    assert "upgraded from consulate to consulate general" in section
    assert "example.org/kz-cn-urumqi-upgrade" in section


def test_offices_without_coordinates_are_placed_at_their_city(synthetic: Registry) -> None:
    beside = Office(id="xx-cn-beijing", kind=Kind.EMBASSY, sending="XX", host="CN", city="Beijing", sources=SOURCE)
    nowhere = Office(id="xx-cn-atlantis", kind=Kind.CONSULATE, sending="XX", host="CN", city="Atlantis", sources=SOURCE)
    no_city = Office(id="xx-cn", kind=Kind.CONSULATE, sending="XX", host="CN", sources=SOURCE)
    placer = Placer(Registry([*synthetic, beside, nowhere, no_city]))
    placed = placer.place(beside)
    assert placed is not None and placed.approximate
    assert (round(placed.latitude, 1), round(placed.longitude, 1)) == (39.9, 116.4)
    assert placer.place(nowhere) is None
    assert placer.place(no_city) is None
    site = placer.place(synthetic.lookup("kz-cn-xian"))
    assert site is not None and not site.approximate


def test_maps_show_every_placed_office_and_name_the_others(synthetic: Registry) -> None:
    lost = Office(id="kz-cn-atlantis", kind=Kind.CONSULATE, sending="KZ", host="CN", city="Atlantis", sources=SOURCE)
    beside = Office(id="kz-cn-beijing-2", kind=Kind.CONSULATE, sending="KZ", host="CN", city="Beijing", sources=SOURCE)
    registry = Registry([*synthetic, lost, beside])
    pages = gen_pages.render(registry, today=TODAY)
    for path, offices in (
        ("sending/kz.md", [office for office in registry if office.sending == "KZ"]),
        ("host/cn.md", [office for office in registry if office.host == "CN"]),
    ):
        points = {point[7].split("#")[1]: point for point in _points(pages[path])}
        listed = pages[path].split('class="cs-unplaced"')[1].split("</p>")[0]
        for office in offices:
            # On the map, or named under it: never left out silently.
            assert (office.id in points) != (f"#{office.id}" in listed), (path, office.id)
        assert "kz-cn-atlantis" not in points and "Atlantis" in listed, path
        # A city-only office is on the map at its city, marked approximate (the last field).
        assert points["kz-cn-beijing-2"][:2] == points["kz-cn-beijing"][:2]
        assert points["kz-cn-beijing-2"][-1] == 1 and points["kz-cn-xian"][-1] == 0
        assert len(points["kz-cn-xian"]) == len(gen_pages.MAP_FIELDS)


def test_map_scripts_only_on_pages_with_a_map(pages: dict[str, str]) -> None:
    for path, text in pages.items():
        has_map = 'class="cs-map"' in text
        for script in gen_pages.MAP_SCRIPTS:
            assert (script.rsplit("/", 1)[1] in text) == has_map, (path, script)


def test_shared_notes_are_shown_once() -> None:
    shared = "History from the dataset. It names no city."
    offices = [
        Office(id=f"xx-{n}", kind=Kind.EMBASSY, sending="XX", host="YY", sources=SOURCE, notes=f"{shared} Own {n}.")
        for n in range(3)
    ]
    notes = SharedNotes(offices)
    assert sentences(shared) == ["History from the dataset.", "It names no city."]
    assert notes.split(offices[0].notes) == ("Own 0.", [1, 2])
    block = "".join(notes.block())
    assert block.count("History from the dataset.") == 1 and "(3 records)" in block
    assert notes.cell(offices[1].notes) == 'Own 1. (see <a href="#note-1">note 1</a>, <a href="#note-2">note 2</a>)'
    assert not SharedNotes(offices[:1])


def test_table_cells_name_their_column_and_dates_wrap(pages: dict[str, str]) -> None:
    text = pages["sending/kz.md"]
    assert '<td data-label="Opened">' in text and '<td data-label="Sources">' in text
    assert "data-search-exclude" in text


def test_timeline_has_a_list_of_events_and_signed_closures(pages: dict[str, str]) -> None:
    text = pages["sending/kz.md"]
    assert '<details class="cs-events">' in text
    assert '<li class="cs-closed-item"><span class="cs-sign" aria-hidden="true">−</span>' in text
    assert re.search(r'<text class="cs-tick"[^>]*>−1</text>', text)


def test_search_entries_are_cities_and_states(synthetic: Registry) -> None:
    site = Site(synthetic, TODAY)
    entries = search.entries(site)
    xian = next(entry for entry in entries if entry["location"] == "host/cn.html#city-xi-an")
    assert xian["title"] == "Xi'an, China"
    assert "Kazakhstan consulate general Consulate General of Kazakhstan in Xi'an" in xian["text"]
    assert xian["tags"] == ["kz-cn-xian"]
    material = {
        "config": {},
        "docs": [
            {"location": "guide.html", "title": "Guide", "text": "kept"},
            {"location": "host/cn.html#city-xi-an", "title": "Xi'an", "text": "<td>cells</td>"},
        ],
    }
    merged = search.merge(material, entries)
    assert merged["docs"][0]["location"] == "guide.html"
    assert "<td>cells</td>" not in json.dumps(merged)
    assert len(json.dumps(merged)) < search.BUDGET


def test_downloads(synthetic: Registry) -> None:
    site = Site(synthetic, TODAY)
    files = dict(downloads.files(site))
    kz = files["downloads/sending/kz.csv"]
    assert isinstance(kz, str)
    rows = list(csv.DictReader(io.StringIO(kz)))
    assert {row["id"] for row in rows} == {office.id for office in synthetic if office.sending == "KZ"}
    geojson = files["downloads/host/cn.geojson"]
    assert isinstance(geojson, str)
    features = json.loads(geojson)["features"]
    assert {feature["id"] for feature in features} == {office.id for office in synthetic if office.host == "CN"}
    database = files["downloads/consulates.sqlite"]
    assert isinstance(database, bytes) and database.startswith(b"SQLite format 3")
    package = files["downloads/consulates-csv.zip"]
    assert isinstance(package, bytes)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        names = [resource["path"] for resource in descriptor["resources"]]
        assert names == ["offices.csv", "events.csv", "claims.csv", "sources.csv"]
        offices = list(csv.DictReader(io.StringIO(archive.read("offices.csv").decode())))
        assert len(offices) == len(list(synthetic))
        fields = descriptor["resources"][0]["schema"]["fields"]
        assert [field["name"] for field in fields] == list(offices[0])


def test_sqlite_download_opens(synthetic: Registry, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(downloads.sqlite_bytes(synthetic))
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT count(*) FROM offices").fetchone()[0] == len(list(synthetic))
    finally:
        db.close()


def test_downloads_page_and_state_pages_link_the_files(pages: dict[str, str], synthetic: Registry) -> None:
    text = pages["sending/kz.md"]
    assert 'href="../downloads/sending/kz.csv"' in text and 'href="../downloads/sending/kz.geojson"' in text
    assert 'href="../licence.html"' in text and 'href="../changelog.html"' in text
    site = Site(synthetic, TODAY, "https://example.org/repo")
    sizes = {path: len(data) for path, data in downloads.files(site)}
    page = downloads.render_page(site, sizes)
    assert "(downloads/consulates.sqlite)" in page and 'href="https://example.org/repo"' in page


def test_status_signs_are_not_colour_alone() -> None:
    closed = Office(id="xx", kind=Kind.EMBASSY, sending="KZ", host="CN", sources=SOURCE, closed=PartialDate(2020))
    located = Office(
        id="yy", kind=Kind.EMBASSY, sending="KZ", host="CN", sources=SOURCE, location=Location(1.0, 2.0, "city")
    )
    from sitegen.cells import status_html

    assert "✕" in status_html(closed, TODAY)
    placed = Placer(Registry([closed, located])).place(located)
    assert placed is not None and placed.approximate
