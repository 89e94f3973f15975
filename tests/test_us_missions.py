"""The US mission history (tools/us_missions.py), on small fixtures written to cover each rule.

``us_missions_transitions.csv`` copies rows of the real transitions file: Afghanistan
(closing, reopening, a liaison office and a final closing into an interests section),
Cuba (an interests section merged into its Wikidata record), Algeria (a consulate in the
capital before the embassy, blank months and days), the Netherlands (a name written "X,
The", a blank day), Burundi (an embassy downgraded to a legation and back), Syria (a
legation downgraded to a consulate, reopened as an embassy), Texas (a historical state
with no ISO code), Andorra (nonresident only), and former states: Russia (the Soviet
Union, 1922-1991), Czechoslovakia and Yugoslavia. ``us_missions_embassies.csv`` is a
Wikidata extract with the US records these merge into.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from consulates.codec import decode_office
from consulates.datafiles import load_data
from consulates.dates import PartialDate
from consulates.model import Kind
from tools import import_database_of_embassies as importer
from tools import us_missions
from tools.us_missions import NO_CODE, NONRESIDENT, UNCHANGED, Outcome, Status, Transition

FIXTURES = Path(__file__).parent / "fixtures"
TRANSITIONS = FIXTURES / "us_missions_transitions.csv"
EMBASSIES = FIXTURES / "us_missions_embassies.csv"
AS_OF = dt.date(2022, 11, 16)
TODAY = dt.date(2024, 1, 16)


def _data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "offices").mkdir(parents=True)
    return data


def _run(data: Path) -> importer.Result:
    return importer.run(EMBASSIES, data, as_of=AS_OF, us_missions_path=TRANSITIONS)


@pytest.fixture
def result(tmp_path: Path) -> importer.Result:
    return _run(_data_dir(tmp_path))


@pytest.fixture
def outcome(result: importer.Result) -> Outcome:
    assert result.missions is not None
    return result.missions


@pytest.fixture
def records(result: importer.Result) -> dict[str, dict[str, Any]]:
    """The records of US.toml, by id, as tomllib reads them."""
    return {raw["id"]: raw for raw in tomllib.loads(result.files["US.toml"])["office"]}


def _events(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(event["date"]), event["type"]) for event in record.get("event", [])]


# --------------------------------------------------------------------------------------
# The output as a whole.


def test_written_data_passes_the_registry_validator(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    importer.write(_run(data), data / "imported")
    dataset = load_data(data, today=TODAY)
    assert [str(problem) for problem in dataset.problems] == []


def test_rerunning_gives_identical_files(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    importer.write(_run(data), data / "imported")
    first = {path.name: path.read_bytes() for path in sorted((data / "imported").iterdir())}
    assert importer.write(_run(data), data / "imported") == []
    assert first == {path.name: path.read_bytes() for path in sorted((data / "imported").iterdir())}


def test_every_record_and_event_cites_the_dataset(records: dict[str, dict[str, Any]]) -> None:
    def cites(sources: list[Any]) -> bool:
        return any(
            isinstance(source, dict)
            and source.get("url") == us_missions.DATASET_URL
            and source.get("citation") == us_missions.CITATION
            for source in sources
        )

    with_history = [raw for raw in records.values() if cites(raw["sources"])]
    assert len(with_history) == len(records) - 1  # all but the consulate general in Yekaterinburg
    for raw in with_history:
        assert all(cites(event["sources"]) for event in raw.get("event", [])), raw["id"]
        problems: list[str] = []
        assert decode_office({**raw, "sending": "US"}, lambda field, message, found=problems: found.append(message))
        assert problems == []


def test_every_row_is_used_or_reported(outcome: Outcome) -> None:
    used = {line for placement in outcome.placements for line in placement.history.lines}
    excluded = {item.row.line for item in outcome.excluded}
    assert not used & excluded
    assert len(used) + len(excluded) == outcome.rows == 51


def test_report_credits_the_dataset_and_lists_what_it_did(result: importer.Result) -> None:
    report = result.files["REPORT.md"]
    assert "Kenkel, Brenton. 2026" in report and "CC BY 4.0" in report
    assert "| us-af-kabul | AF | embassy | 1942-06-06 | 2021-08-31 | 3 | merged into Q91000001 |" in report
    assert "| us-sy-embassy | SY | embassy | 1944-11-17 | 2012-02-06 | 5 | made |" in report
    assert "| 52 | Texas | None | 1846-02-19 | historical state with no ISO 3166 code: annexed by" in report
    assert "CC BY 4.0" in result.files["US.toml"].split("[[office]]")[0]


# --------------------------------------------------------------------------------------
# The rules.


def test_closing_and_reopening_afghanistan(records: dict[str, dict[str, Any]]) -> None:
    kabul = records["us-af-kabul"]
    # The Wikidata record keeps its facts; its inception (a building's date) gives way.
    assert (kabul["wikidata"], kabul["city"], kabul["website"]) == ("Q91000001", "Kabul", "https://af.usembassy.gov")
    assert kabul["kind"] == "embassy"
    assert kabul["opened"] == dt.date(1942, 6, 6)
    assert kabul["closed"] == dt.date(2021, 8, 31)
    assert _events(kabul) == [("1948-06-05", "upgraded"), ("1989-01-30", "closed"), ("2002-01-17", "reopened")]
    assert (kabul["event"][0]["from"], kabul["event"][0]["to"]) == ("legation", "embassy")
    assert "Wikidata gives the inception as 2006" in kabul["notes"]
    assert "Qatar agrees to represent US interests" in kabul["notes"]
    liaison = records["us-af-liaison-office"]
    assert (liaison["kind"], liaison["opened"], liaison["closed"]) == (
        "liaison-office", dt.date(2001, 12, 17), dt.date(2002, 1, 17)
    )  # fmt: skip
    interests = records["us-af-interests-section"]
    assert (interests["kind"], interests["opened"], "closed" in interests) == (
        "interests-section", dt.date(2021, 8, 31), False
    )  # fmt: skip
    assert "city" not in interests


def test_an_office_open_on_a_day(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    importer.write(_run(data), data / "imported")
    kabul = next(office for office, _, _ in load_data(data, today=TODAY).offices if office.id == "us-af-kabul")
    assert kabul.open_on(dt.date(1945, 1, 1)) is True
    assert kabul.kind_on(dt.date(1945, 1, 1)) is Kind.LEGATION
    assert kabul.open_on(dt.date(1995, 1, 1)) is False
    assert kabul.open_on(dt.date(2010, 1, 1)) is True
    assert kabul.open_on(dt.date(2022, 1, 1)) is False


def test_interests_section_merges_into_its_wikidata_record(records: dict[str, dict[str, Any]]) -> None:
    section = records["us-cu-havana-interests-section"]
    assert (section["wikidata"], section["opened"], section["closed"]) == (
        "Q91000003", dt.date(1977, 9, 1), dt.date(2015, 7, 20)
    )  # fmt: skip
    havana = records["us-cu-havana"]
    assert _events(havana) == [("1923-02-10", "upgraded"), ("1961-01-03", "closed"), ("2015-07-20", "reopened")]
    assert "closed" not in havana


def test_blank_month_and_day_keep_their_precision(records: dict[str, dict[str, Any]]) -> None:
    consulate = records["us-dz-consulate"]
    assert _events(consulate) == [
        ("1812-07-25", "closed"),
        ("1815-07", "reopened"),
        ("1830", "closed"),
        ("1835", "reopened"),
    ]
    assert [type(event["date"]) for event in consulate["event"]] == [dt.date, str, str, str]
    assert _events(records["us-nl-embassy"])[:2] == [("1801-05", "closed"), ("1815-07-20", "reopened")]


def test_consulate_in_the_capital_is_a_separate_office(records: dict[str, dict[str, Any]]) -> None:
    consulate, embassy = records["us-dz-consulate"], records["us-dz-embassy"]
    assert (consulate["kind"], consulate["opened"], consulate["closed"]) == (
        "consulate", dt.date(1796, 3, 4), dt.date(1962, 9, 29)
    )  # fmt: skip
    assert "consular section" in consulate["notes"]
    assert (embassy["kind"], embassy["opened"], "event" in embassy) == ("embassy", dt.date(1962, 9, 29), False)


def test_legation_upgrade_and_embassy_downgrade(records: dict[str, dict[str, Any]]) -> None:
    netherlands = records["us-nl-embassy"]
    assert netherlands["opened"] == dt.date(1782, 4, 19)
    assert netherlands["event"][-1] | {"sources": None} == {
        "date": dt.date(1942, 5, 8), "type": "upgraded", "from": "legation", "to": "embassy", "sources": None
    }  # fmt: skip
    burundi = records["us-bi-embassy"]
    assert [(e["type"], e["from"], e["to"]) for e in burundi["event"]] == [
        ("downgraded", "embassy", "legation"),
        ("upgraded", "legation", "embassy"),
    ]


def test_reopening_as_another_kind(records: dict[str, dict[str, Any]]) -> None:
    syria = records["us-sy-embassy"]
    assert _events(syria) == [
        ("1958-02-25", "closed"),
        ("1961-10-10", "reopened"),
        ("1961-10-10", "upgraded"),
        ("1967-06-06", "closed"),
        ("1974-06-16", "reopened"),
    ]
    assert syria["closed"] == dt.date(2012, 2, 6)
    assert "Chiefs of Mission page for Syria" in syria["notes"]
    consulate = records["us-sy-consulate"]
    assert (consulate["opened"], consulate["closed"]) == (dt.date(1958, 2, 25), dt.date(1961, 10, 10))
    assert records["us-sy-interests-section"]["closed"] == dt.date(1974, 6, 16)


def test_historical_state_is_excluded(outcome: Outcome) -> None:
    texas = [item for item in outcome.excluded if item.row.name == "Texas"]
    assert [item.reason for item in texas] == [NO_CODE, NO_CODE]
    assert all(placement.history.host not in ("US", "TX") for placement in outcome.placements)


def test_rows_that_change_nothing_are_reported(outcome: Outcome) -> None:
    reasons = {(item.row.name, str(item.row.date)): item.reason for item in outcome.excluded}
    assert reasons[("Andorra", "1998-10-30")] == NONRESIDENT
    assert reasons[("Afghanistan", "1935-05-04")] == NONRESIDENT
    assert reasons[("Serbia", "1992-05-21")] == UNCHANGED


def test_the_soviet_union_is_a_former_state(records: dict[str, dict[str, Any]]) -> None:
    soviet = records["us-suhh-moscow"]
    assert (soviet["host"], soviet["city"], soviet["opened"], soviet["closed"]) == (
        "SUHH", "Moscow", dt.date(1933, 12, 13), dt.date(1991, 12, 25)
    )  # fmt: skip
    urls = [source["url"] for source in soviet["sources"]]
    assert urls == [us_missions.DATASET_URL, "https://history.state.gov/countries/russia"]
    moscow = records["us-ru-moscow"]
    assert moscow["wikidata"] == "Q91000004"
    assert moscow["opened"] == dt.date(1809, 11, 5)
    assert _events(moscow) == [("1898-02-11", "upgraded"), ("1917-11-07", "closed"), ("1991-12-25", "reopened")]
    assert "closed" not in moscow
    assert "successor to the Soviet Union" in moscow["event"][-1]["note"]
    liaison = records["us-ru-liaison-office"]
    assert (liaison["opened"], liaison["closed"]) == (dt.date(1917, 11, 7), dt.date(1919, 9, 14))


def test_czechoslovakia_and_yugoslavia(records: dict[str, dict[str, Any]]) -> None:
    # The consulate in Prague before Czechoslovakia existed is hosted by today's state.
    assert (records["us-cz-consulate"]["host"], records["us-cz-consulate"]["closed"]) == ("CZ", dt.date(1917, 4, 9))
    prague = records["us-cshh-prague"]
    assert (prague["opened"], prague["closed"]) == (dt.date(1919, 6, 11), dt.date(1993, 1, 1))
    assert records["us-cz-prague"]["opened"] == dt.date(1993, 1, 1)
    belgrade = records["us-yucs-belgrade"]
    assert (belgrade["opened"], belgrade["closed"]) == (dt.date(1919, 10, 5), dt.date(2006, 6, 5))
    assert _events(belgrade) == [("1942-09-29", "upgraded"), ("1999-03-23", "closed"), ("2001-05", "reopened")]
    serbia = records["us-rs-belgrade"]
    assert (serbia["wikidata"], serbia["opened"], "closed" in serbia) == ("Q91000005", dt.date(2006, 6, 5), False)


def test_consulates_general_are_not_merged(records: dict[str, dict[str, Any]]) -> None:
    assert records["us-ru-yekaterinburg"]["sources"] == ["https://www.wikidata.org/wiki/Q91000007"]
    assert "event" not in records["us-ru-yekaterinburg"]


def test_curated_record_wins(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    (data / "offices" / "US.toml").write_text(
        '[[office]]\nid = "us-sy-embassy"\nkind = "embassy"\nhost = "SY"\ncity = "Damascus"\n'
        "opened = 1944-11-17\nclosed = 2012-02-06\n"
        'sources = ["https://history.state.gov/countries/syria"]\n',
        encoding="utf-8",
    )
    result = _run(data)
    assert result.missions is not None and result.missions.curated == frozenset({"us-sy-embassy"})
    importer.write(result, data / "imported")
    dataset = load_data(data, today=TODAY)
    assert [str(problem) for problem in dataset.problems] == []
    (syria,) = [office for office, _, _ in dataset.offices if office.id == "us-sy-embassy"]
    assert syria.city == "Damascus"


# --------------------------------------------------------------------------------------
# The small functions.


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "transitions.csv"
    path.write_text(",".join(us_missions.COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_read_transitions(tmp_path: Path) -> None:
    path = _write(tmp_path, "Algeria,None,1830,,,2023-12-04,", '"Gambia, The",Embassy,1965,9,9,2023-12-06,"a, b"')
    assert us_missions.read_transitions(path) == [
        Transition(2, "Algeria", Status.NONE, PartialDate(1830)),
        Transition(3, "Gambia, The", Status.EMBASSY, PartialDate(1965, 9, 9), "a, b"),
    ]


@pytest.mark.parametrize(
    "row",
    [
        "Algeria,Embassy,,,,2023-12-04,",
        "Algeria,Embassy,1962,13,,2023-12-04,",
        "Algeria,Embassy,1962,,5,2023-12-04,",
        "Algeria,Mission,1962,9,29,2023-12-04,",
        "Algeria,Embassy,1962,9,29,2023-12-04",
    ],
)
def test_read_transitions_refuses_bad_rows(tmp_path: Path, row: str) -> None:
    with pytest.raises(ValueError, match=r"transitions\.csv:2"):
        us_missions.read_transitions(_write(tmp_path, row))


def test_unknown_name_must_be_decided(tmp_path: Path) -> None:
    rows = us_missions.read_transitions(_write(tmp_path, "Atlantis,Embassy,1900,1,1,2023-12-04,"))
    with pytest.raises(ValueError, match="HOST_NAMES or EXCLUDED_NAMES"):
        us_missions.build_histories(rows)


def test_rows_out_of_order_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "Cuba,Embassy,1923,2,10,2023-12-06,", "Cuba,Legation,1902,5,27,2023-12-06,")
    with pytest.raises(ValueError, match="not in date order"):
        us_missions.build_histories(us_missions.read_transitions(path))


def test_every_host_name_of_the_table_resolves() -> None:
    from consulates import countries

    for name, code in us_missions.HOST_NAMES.items():
        assert countries.is_known(code), name
    assert not set(us_missions.HOST_NAMES) & set(us_missions.EXCLUDED_NAMES)
    for name, boundaries in us_missions.SPLITS.items():
        assert [b.date for b in boundaries] == sorted((b.date for b in boundaries), key=lambda d: d.earliest), name
        assert all(b.host is None or countries.is_known(b.host) for b in boundaries)


def test_made_ids_avoid_reserved_ones() -> None:
    history = us_missions.History(
        host="IR",
        role=us_missions.Role.DIPLOMATIC,
        kind=Kind.EMBASSY,
        opened=PartialDate(1883, 6, 11),
        closed=PartialDate(1980, 4, 7),
        events=(),
        lines=(1,),
        notes=(),
        sources=(us_missions.dataset_source(["opened"]),),
    )
    assert [p.id for p in us_missions.place([history], [], set())] == ["us-ir-embassy"]
    assert [p.id for p in us_missions.place([history], [], {"us-ir-embassy"})] == ["us-ir-embassy-2"]
    existing = us_missions.Existing("us-ir-tehran", "IR", Kind.EMBASSY, "Q1", opened="1883")
    (placement,) = us_missions.place([history], [existing], set())
    assert (placement.id, placement.merged, placement.notes[-1][:28]) == (
        "us-ir-tehran", existing, "Wikidata has no closing date"
    )  # fmt: skip
