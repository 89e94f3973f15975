"""The database-of-embassies importer, on a small fixture written to cover each cleaning rule."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from consulates.codec import decode_office
from consulates.datafiles import load_data
from consulates.dates import DateBounds, PartialDate
from consulates.model import Event, EventType, Kind, Location, Office, Source
from tools import import_database_of_embassies as importer
from tools import office_toml
from tools.import_database_of_embassies import (
    DUPLICATE,
    HOST_IS_SENDER,
    MARKER,
    NOT_A_STATE,
    NOT_DIPLOMATIC,
    OPERATOR_NO_CODE,
    SHARED_QID,
    UNKNOWN_TYPE,
    Candidate,
    Result,
    Row,
)

FIXTURE = Path(__file__).parent / "fixtures" / "database_of_embassies_sample.csv"
AS_OF = dt.date(2022, 11, 16)


def _data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "offices").mkdir(parents=True)
    return data


@pytest.fixture
def result(tmp_path: Path) -> Result:
    return importer.run(FIXTURE, _data_dir(tmp_path), as_of=AS_OF)


def _records(result: Result) -> dict[str, dict[str, Any]]:
    """Every written record by id, as tomllib reads it back, with its file's sending state."""
    found: dict[str, dict[str, Any]] = {}
    for name, text in result.files.items():
        if name.endswith(".toml"):
            for raw in tomllib.loads(text)["office"]:
                found[raw["id"]] = {**raw, "sending": name.removesuffix(".toml")}
    return found


def _reason(result: Result, qid: str) -> str:
    (text,) = [exclusion.text for exclusion in result.exclusions if exclusion.row.qid == qid]
    return text


def _category(result: Result, qid: str) -> str:
    (reason,) = [exclusion.reason for exclusion in result.exclusions if exclusion.row.qid == qid]
    return reason


# --------------------------------------------------------------------------------------
# Counts and output validity.


def test_every_row_is_imported_or_reported(result: Result) -> None:
    assert result.rows == 36
    assert len(result.offices) + len(result.exclusions) == result.rows
    report = result.files["REPORT.md"]
    for exclusion in result.exclusions:
        assert exclusion.row.qid in report


def test_output_parses_and_decodes_without_problems(result: Result) -> None:
    problems: list[tuple[str, str, str]] = []
    for office_id, raw in _records(result).items():

        def report(field: str, message: str, office_id: str = office_id) -> None:
            problems.append((office_id, field, message))

        office = decode_office(raw, report)
        assert office is not None
        assert office.sources[0].url == f"https://www.wikidata.org/wiki/{office.wikidata}"
    assert problems == []


def test_written_data_passes_the_registry_validator(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    importer.write(importer.run(FIXTURE, data, as_of=AS_OF), data / "imported")
    dataset = load_data(data, today=AS_OF)
    assert [str(problem) for problem in dataset.problems] == []
    assert len(dataset.offices) == 28


def test_rerunning_gives_identical_files(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    importer.write(importer.run(FIXTURE, data, as_of=AS_OF), data / "imported")
    first = {path.name: path.read_bytes() for path in sorted((data / "imported").iterdir())}
    written = importer.write(importer.run(FIXTURE, data, as_of=AS_OF), data / "imported")
    second = {path.name: path.read_bytes() for path in sorted((data / "imported").iterdir())}
    assert written == []
    assert first == second


def test_every_file_says_it_is_generated(result: Result) -> None:
    for name, text in result.files.items():
        if name.endswith(".toml"):
            assert text.startswith(MARKER)
            assert f"data/offices/{name}" in text
            assert "do not edit" in text.lower()


def test_records_are_sorted_by_id(result: Result) -> None:
    for name, text in result.files.items():
        if name.endswith(".toml"):
            ids = [raw["id"] for raw in tomllib.loads(text)["office"]]
            assert ids == sorted(ids)


def test_stale_generated_files_are_removed_and_others_kept(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    out = data / "imported"
    out.mkdir()
    (out / "ZZ.toml").write_text(MARKER + "\n", encoding="utf-8")
    (out / "YY.toml").write_text("# written by another importer\n", encoding="utf-8")
    importer.write(importer.run(FIXTURE, data, as_of=AS_OF), out)
    assert not (out / "ZZ.toml").exists()
    assert (out / "YY.toml").exists()


# --------------------------------------------------------------------------------------
# The cleaning rules.


def test_sender_and_host_from_items(result: Result) -> None:
    records = _records(result)
    assert records["fr-tr-ankara"]["sending"] == "FR"
    assert records["fr-tr-ankara"]["host"] == "TR"


def test_hong_kong_is_hosted_by_china(result: Result) -> None:
    records = _records(result)
    kz = records["kz-cn-hong-kong"]
    assert (kz["host"], kz["subdivision"], kz["city"]) == ("CN", "CN-HK", "Hong Kong")
    us = records["us-cn-hong-kong"]
    assert (us["host"], us["subdivision"], us["city"], us["address"]) == ("CN", "CN-HK", "Hong Kong", "Central")
    assert us["jurisdiction"] == ["CN-HK", "CN-MO"]


def test_host_equal_to_sender_is_repaired_from_the_city(result: Result) -> None:
    record = _records(result)["au-tr-ankara"]
    assert record["host"] == "TR"
    assert "Host repaired" in record["notes"]
    assert importer.R_HOST_FROM_CITY in result.offices["au-tr-ankara"].repairs


def test_host_equal_to_sender_without_a_known_city_is_excluded(result: Result) -> None:
    assert _category(result, "Q90000007") == HOST_IS_SENDER


def test_district_is_mapped_to_its_city_and_kept_as_address(result: Result) -> None:
    records = _records(result)
    assert (records["kz-cn-beijing"]["city"], records["kz-cn-beijing"]["address"]) == ("Beijing", "Chaoyang District")
    assert (records["ke-gb-london"]["city"], records["ke-gb-london"]["address"]) == ("London", "City of Westminster")
    assert records["gh-il-tel-aviv"]["address"] == "Ramat Gan"
    assert importer.R_SUBURB in result.offices["gh-il-tel-aviv"].repairs


def test_region_given_as_city_is_left_out(result: Result) -> None:
    (candidate,) = [c for c in result.offices.values() if c.row.qid == "Q90000019"]
    assert candidate.city is None
    assert "Texas" in " ".join(candidate.notes)


def test_first_of_january_is_a_year(result: Result) -> None:
    records = _records(result)
    assert records["kz-cn-beijing"]["opened"] == "1992"
    assert records["de-tr-ankara"]["opened"] == dt.date(1952, 6, 30)
    assert records["kz-cn-hong-kong"]["opened"] == dt.date(2003, 8, 15)


def test_future_and_ancient_dates_are_dropped_with_a_note(result: Result) -> None:
    records = _records(result)
    assert "opened" not in records["es-it-rome"]
    assert "2030-05-01" in records["es-it-rome"]["notes"]
    assert "opened" not in records["pt-it-rome"]
    assert "1300" in records["pt-it-rome"]["notes"]


def test_item_labels_used_as_types_map_to_kinds(result: Result) -> None:
    records = _records(result)
    assert records["gb-ca-ottawa"]["kind"] == "high-commission"
    assert records["se-ru-saint-petersburg"]["kind"] == "consulate-general"
    assert "British High Commission" in records["gb-ca-ottawa"]["notes"]


def test_taiwan_offices_are_representative_offices(result: Result) -> None:
    records = _records(result)
    assert records["tw-us"]["kind"] == "representative-office"
    assert records["jp-tw-taipei"]["kind"] == "representative-office"


def test_non_state_operator_is_excluded(result: Result) -> None:
    assert _category(result, "Q90000010") == NOT_A_STATE
    assert "Quebec" in _reason(result, "Q90000010")
    assert _category(result, "Q90000030") == OPERATOR_NO_CODE


def test_ministry_and_agency_operators_count_as_their_state(result: Result) -> None:
    records = _records(result)
    assert records["cn-mg-antananarivo"]["sending"] == "CN"
    assert "Q1155502" in records["cn-mg-antananarivo"]["notes"]
    assert records["jp-tw-taipei"]["sending"] == "JP"


def test_eu_sends_delegations(result: Result) -> None:
    assert _records(result)["eu-us-washington-d-c"]["kind"] == "delegation"


def test_trade_office_and_vague_type_are_excluded(result: Result) -> None:
    assert _category(result, "Q90000014") == NOT_DIPLOMATIC
    assert _category(result, "Q90000015") == UNKNOWN_TYPE


def test_shared_item_keeps_one_row(result: Result) -> None:
    records = [r for r in _records(result).values() if r["wikidata"] == "Q90000012"]
    assert [r["sending"] for r in records] == ["NP"]
    assert _category(result, "Q90000012") == SHARED_QID
    assert "np-kw-kuwait-city" in _reason(result, "Q90000012")


def test_second_open_office_of_a_kind_in_a_city_is_a_duplicate(result: Result) -> None:
    assert _category(result, "Q90000035") == DUPLICATE
    assert _reason(result, "Q90000035") == "duplicate of kz-cn-beijing"
    assert _reason(result, "Q90000018") == "duplicate of jp-tw-taipei"
    assert _records(result)["jp-tw-taipei"]["wikidata"] == "Q90000017"  # the one with coordinates


def test_embassy_to_the_holy_see_is_hosted_by_the_holy_see(result: Result) -> None:
    records = _records(result)
    assert (records["de-va-rome"]["host"], records["de-va-rome"]["city"]) == ("VA", "Rome")
    assert records["de-it-rome"]["host"] == "IT"


def test_jurisdiction_keeps_state_codes_and_notes_the_rest(result: Result) -> None:
    record = _records(result)["fr-ch-bern"]
    assert record["jurisdiction"] == ["CH", "LI"]
    assert "Catalonia" in record["notes"]


def test_coordinates_outside_the_host_are_dropped(result: Result) -> None:
    record = _records(result)["be-cu-havana"]
    assert "location" not in record
    assert "Zagreb" in record["notes"]
    assert importer.R_LOCATION_DROPPED in result.offices["be-cu-havana"].repairs


def test_location_and_website(result: Result) -> None:
    records = _records(result)
    assert records["kz-cn-beijing"]["location"] == [39.9442, 116.4518]
    assert records["kz-cn-beijing"]["website"].startswith("https://")
    assert "website" not in records["va-de-berlin"]  # an ftp:// address is not kept
    assert records["va-de-berlin"]["kind"] == "nunciature"


def test_offices_sharing_a_city_add_their_kind(result: Result) -> None:
    records = _records(result)
    assert records["fr-ch-geneva"]["kind"] == "consulate-general"
    assert records["fr-ch-geneva-permanent-mission"]["kind"] == "permanent-mission"
    assert records["de-ru-saint-petersburg"]["kind"] == "consulate-general"
    assert records["de-ru-saint-petersburg-honorary-consulate"]["kind"] == "honorary-consulate"


# --------------------------------------------------------------------------------------
# Curated data wins.


def test_curated_office_of_the_same_post_wins(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    (data / "offices" / "FR.toml").write_text(
        '[[office]]\nid = "fr-tr-ankara"\nkind = "embassy"\nhost = "TR"\ncity = "Ankara"\n'
        'sources = ["https://example.org/a"]\n\n'
        '[[office]]\nid = "fr-ch-geneva-curated"\nkind = "consulate-general"\nhost = "CH"\ncity = "Geneva"\n'
        'sources = ["https://example.org/b"]\n',
        encoding="utf-8",
    )
    result = importer.run(FIXTURE, data, as_of=AS_OF)
    assert _reason(result, "Q90000020") == "duplicate of fr-ch-geneva-curated (curated, data/offices)"
    # The curated id is taken: the imported embassy (another item) must not use it.
    assert "fr-tr-ankara" not in result.offices
    importer.write(result, data / "imported")
    assert [str(problem) for problem in load_data(data, today=AS_OF).problems] == []


# --------------------------------------------------------------------------------------
# The small functions.


@pytest.mark.parametrize(
    ("label", "kind", "mapped"),
    [
        ("embassy", Kind.EMBASSY, False),
        ("apostolic nunciature", Kind.NUNCIATURE, False),
        ("Australian High Commission", Kind.HIGH_COMMISSION, True),
        ("assistant high commission", Kind.CONSULATE, True),
        ("Consulate General of Belgium", Kind.CONSULATE_GENERAL, True),
        ("Embassy of the United States", Kind.EMBASSY, True),
        ("Taipei Economic and Cultural Office", Kind.REPRESENTATIVE_OFFICE, True),
        ("de facto consulate", Kind.REPRESENTATIVE_OFFICE, True),
        ("Interests Section", Kind.INTERESTS_SECTION, False),
        ("honorary consulate general", Kind.HONORARY_CONSULATE_GENERAL, False),
    ],
)
def test_kind_for_type(label: str, kind: Kind, mapped: bool) -> None:
    assert importer.kind_for_type(label) == (kind, mapped)


@pytest.mark.parametrize(
    "label", ["trade office", "cultural centre of Korea", "ambassador's residence", "chamber of commerce"]
)
def test_not_diplomatic_types(label: str) -> None:
    with pytest.raises(importer._ExcludedError) as caught:
        importer.kind_for_type(label)
    assert caught.value.reason == NOT_DIPLOMATIC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xi'an", "xian"),
        ("Hong Kong", "hong-kong"),
        ("São Tomé", "sao-tome"),
        ("Ürümqi", "urumqi"),
        ("Washington, D.C.", "washington-d-c"),
        ("Łódź", "lodz"),
        ("N'Djamena", "ndjamena"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert importer.slug(text) == expected


def test_written_records_read_back_as_the_same_offices() -> None:
    awkward = 'say "hi", back\\slash, #hash, [bold], ünïcödé ‘quotes’ \U0001f3db'  # the codec refuses controls
    sources = (Source(url="https://example.org/a"), Source(url="https://example.org/b", title=awkward))
    offices = [
        Office(
            id="zz-kz-almaty",
            kind=Kind.EMBASSY,
            sending="ZZ",
            host="KZ",
            city="Almaty",
            location=Location(43.25, 76.95),
            opened=PartialDate(1992, 2, 3),
            closed=DateBounds(not_after=PartialDate(2006)),
            names={"en": awkward},
            notes=awkward,
            sources=sources,
            events=(Event(PartialDate(1997, 12), EventType.MOVED, from_city="Almaty", city="Astana", sources=sources),),
        ),
        Office(id="zz-kz-oral", kind=Kind.CONSULATE, sending="ZZ", host="KZ", opened=PartialDate(2001), sources=sources[:1]),
    ]
    text = office_toml.render_file(["# A header", "# of two lines"], offices)
    assert text.startswith("# A header\n# of two lines\n\n[[office]]\n")
    assert "opened = 1992-02-03\n" in text and 'opened = "2001"\n' in text  # a day is a TOML date
    for raw, office in zip(tomllib.loads(text)["office"], offices, strict=True):
        assert decode_office({**raw, "sending": "ZZ"}, _refuse) == office


def _refuse(field: str, message: str) -> None:
    raise AssertionError(f"{field}: {message}")


def test_parse_creation() -> None:
    assert importer.parse_creation("1993-01-01T00:00:00Z", AS_OF)[0] == "1993"
    assert importer.parse_creation("1993-05-01T00:00:00Z", AS_OF)[0] == dt.date(1993, 5, 1)
    assert importer.parse_creation("2022-11-17T00:00:00Z", AS_OF)[0] is None
    assert importer.parse_creation("1499-12-31T00:00:00Z", AS_OF)[0] is None
    assert importer.parse_creation("garbage", AS_OF)[0] is None
    assert importer.parse_creation("", AS_OF) == (None, set(), [])


def _candidate(qid: str, kind: Kind, city: str | None = "Geneva") -> Candidate:
    row = Row(int(qid[1:]), qid, "", "", "", "", city or "", "", (), "", "", "", kind.value, "")
    return Candidate(row=row, sending="FR", host="CH", kind=kind, city=city)


def test_ids_do_not_depend_on_row_order() -> None:
    candidates = [
        _candidate("Q1", Kind.PERMANENT_MISSION),
        _candidate("Q2", Kind.CONSULATE_GENERAL),
        _candidate("Q3", Kind.HONORARY_CONSULATE),
        _candidate("Q4", Kind.HONORARY_CONSULATE),
        _candidate("Q5", Kind.EMBASSY, city=None),
    ]
    expected = {office_id: c.row.qid for office_id, c in importer.assign_ids(candidates).items()}
    assert expected == {
        "fr-ch-geneva": "Q2",
        "fr-ch-geneva-permanent-mission": "Q1",
        "fr-ch-geneva-honorary-consulate-q3": "Q3",
        "fr-ch-geneva-honorary-consulate-q4": "Q4",
        "fr-ch": "Q5",
    }
    shuffled = candidates[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert {i: c.row.qid for i, c in importer.assign_ids(shuffled).items()} == expected


def test_taken_ids_are_not_reused() -> None:
    ids = importer.assign_ids([_candidate("Q2", Kind.CONSULATE_GENERAL)], {"fr-ch-geneva": None})
    assert list(ids) == ["fr-ch-geneva-q2"]
    ids = importer.assign_ids([_candidate("Q2", Kind.CONSULATE_GENERAL)], {"fr-ch-geneva": "Q2"})
    assert list(ids) == ["fr-ch-geneva"]


def test_ids_of_the_last_import_are_kept_when_a_sibling_is_withdrawn() -> None:
    """Without the last import's ids, withdrawing Q1 would give Q2 the bare base and rename Q3."""
    three = [_candidate(qid, Kind.CONSULATE_GENERAL, city=None) for qid in ("Q1", "Q2", "Q3")]
    before = {c.row.qid: office_id for office_id, c in importer.assign_ids(three).items()}
    assert before == {"Q1": "fr-ch", "Q2": "fr-ch-consulate-general-q2", "Q3": "fr-ch-consulate-general-q3"}
    withdrawn = {"fr-ch": None}  # retired, so never reused
    fresh = importer.assign_ids(three[1:], withdrawn)
    assert sorted(fresh) == ["fr-ch-consulate-general", "fr-ch-q2"]  # what ids derived afresh would do
    kept = importer.assign_ids(three[1:], withdrawn, previous=before)
    assert {c.row.qid: office_id for office_id, c in kept.items()} == {
        "Q2": "fr-ch-consulate-general-q2",
        "Q3": "fr-ch-consulate-general-q3",
    }


def test_an_old_id_is_dropped_when_the_record_learns_its_city() -> None:
    ids = importer.assign_ids([_candidate("Q2", Kind.CONSULATE_GENERAL)], previous={"Q2": "fr-ch"})
    assert list(ids) == ["fr-ch-geneva"]


def test_read_rows_reports_malformed_lines(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "broken.csv"
    path.write_text("\n".join([*text[:3], "only;three;cells", *text[3:]]) + "\n", encoding="utf-8")
    rows, bad = importer.read_rows(path)
    assert len(rows) == 36
    assert bad == [(4, "only;three;cells")]
    result = importer.run(path, _data_dir(tmp_path), as_of=AS_OF)
    assert [e.reason for e in result.exclusions].count(importer.MALFORMED) == 1


def test_state_table_covers_the_fixture() -> None:
    states = importer.read_states()
    rows, _ = importer.read_rows(FIXTURE)
    for row in rows:
        assert row.operator_qid in states
        assert row.country_qid in states
    assert states["Q8646"].role == "sar"
    assert states["Q574"].code == "TL"
    assert states["Q1155502"] == importer.StateEntry(
        "Q1155502",
        "Ministry of Foreign Affairs of the People's Republic of China",
        "CN",
        "agency",
        "hand",
        "Ministry of Foreign Affairs of the People's Republic of China",
    )


@pytest.mark.skipif(not importer.DEFAULT_CSV.exists(), reason="the raw extract is not checked out next to the project")
def test_committed_state_table_is_what_the_builder_makes() -> None:
    from tools.build_wikidata_states import build

    assert build(importer.DEFAULT_CSV) == list(importer.read_states().values())


@pytest.mark.skipif(not importer.DEFAULT_CSV.exists(), reason="the raw extract is not beside the project")
def test_committed_import_is_what_the_importer_makes() -> None:
    """data/imported/, its report included, is the importer's output for the raw data and the curated files.

    The report counts the imported records that curated ones replace, so curating can leave it stale.
    """
    result = importer.run(
        importer.DEFAULT_CSV, importer.DEFAULT_DATA, us_missions_path=importer.us_missions.DEFAULT_TRANSITIONS
    )
    committed = importer.DEFAULT_DATA / "imported"
    stale = [name for name, text in sorted(result.files.items()) if (committed / name).read_text("utf-8") != text]
    assert stale == [], f"run python -m tools.import_database_of_embassies; stale: {stale}"


def _located(qid: str, city: str | None, point: tuple[float, float], kind: Kind = Kind.EMBASSY) -> Candidate:
    return replace(_candidate(qid, kind, city=city), location=point)


def test_an_embassy_without_a_city_takes_the_city_of_the_embassies_around_it() -> None:
    bern = [_located(f"Q{n}", "Bern", (46.94 + n / 1000, 7.44)) for n in range(1, 4)]
    near = _located("Q10", None, (46.95, 7.45))
    far = _located("Q11", None, (47.37, 8.54))  # Zurich, about 95 km away
    consulate = _located("Q12", None, (46.95, 7.45), kind=Kind.CONSULATE)
    placed = {c.row.qid: c for c in importer.place_by_coordinates([*bern, near, far, consulate])}
    assert placed["Q10"].city == "Bern"
    assert importer.R_CITY_FROM_POINT in placed["Q10"].repairs
    assert "km from the centre of the other embassies in Bern" in placed["Q10"].notes[-1]
    assert placed["Q11"].city is None
    assert placed["Q12"].city is None  # only embassies: a consulate is rarely in the capital


def test_too_few_located_embassies_give_no_city() -> None:
    pair = [_located(f"Q{n}", "Bern", (46.94 + n / 1000, 7.44)) for n in range(1, 3)]
    placed = importer.place_by_coordinates([*pair, _located("Q10", None, (46.95, 7.45))])
    assert placed[-1].city is None


def test_changed_ids_are_retired_with_their_successor(tmp_path: Path) -> None:
    from tools import retire_ids

    before = {"Q1": "fr-ch", "Q2": "fr-de-berlin", "Q3": "fr-it", "Q4": "fr-es"}
    after = {"Q1": "fr-ch-bern", "Q2": "fr-de-berlin", "Q3": "fr-it-rome", "Q4": "fr-es-madrid"}
    changes = retire_ids.changed_ids(before, after, retired={"fr-it"})
    assert changes == [("fr-ch", "fr-ch-bern"), ("fr-es", "fr-es-madrid")]
    path = tmp_path / "retired.toml"
    path.write_text('# Ids no longer published.\n\n[[retired]]\nid = "old"\nreason = "wrong"\n', encoding="utf-8")
    assert retire_ids.append_retired(path, changes, dt.date(2026, 12, 4), "Renamed.") == 2
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Ids no longer published.")
    entries = tomllib.loads(text)["retired"]
    assert entries[0] == {"id": "old", "reason": "wrong"}
    assert entries[1:] == [
        {"id": "fr-ch", "successor": "fr-ch-bern", "date": dt.date(2026, 12, 4)},
        {"id": "fr-es", "successor": "fr-es-madrid", "date": dt.date(2026, 12, 4)},
    ]
    assert retire_ids.append_retired(path, [], dt.date(2026, 12, 4), "Renamed.") == 0
    assert path.read_text(encoding="utf-8") == text


def test_an_item_withdrawn_in_retired_toml_is_left_out(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    kept = importer.run(FIXTURE, data, as_of=AS_OF)
    office_id, candidate = next(iter(sorted(kept.offices.items())))
    (data / "retired.toml").write_text(
        f'[[retired]]\nid = "{office_id}"\nreason = "a consular section"\nwikidata = "{candidate.row.qid}"\n',
        encoding="utf-8",
    )
    result = importer.run(FIXTURE, data, as_of=AS_OF)
    assert office_id not in result.offices
    assert _category(result, candidate.row.qid) == importer.WITHDRAWN
    assert _reason(result, candidate.row.qid) == f"withdrawn as {office_id} in data/retired.toml"
    importer.write(result, data / "imported")
    assert [str(problem) for problem in load_data(data, today=AS_OF).problems] == []
