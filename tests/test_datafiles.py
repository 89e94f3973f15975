"""The validator: every rule has a bad fixture it catches, located by file, line and field."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from consulates.datafiles import compile_data, load_data
from consulates.datafiles.__main__ import main as build_main
from consulates.errors import DataError, Problem
from consulates.registry import Registry

from .conftest import GOOD, SYNTHETIC


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Problems name files relative to the working folder, as a person would type them.
    monkeypatch.chdir(tmp_path)


PLACE = 'host = "CN"\ncity = "Xi\'an"\nsubdivision = "CN-SN"'


def problems_in(tmp_path: Path, files: dict[str, str], today: dt.date | None = None) -> list[Problem]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return list(load_data(tmp_path, today=today).problems)


def one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_good_file_has_no_problems(tmp_path: Path) -> None:
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD}) == []


def test_problem_format(tmp_path: Path) -> None:
    problem = one(
        problems_in(
            tmp_path, {"offices/KZ.toml": GOOD.replace('kind = "consulate-general"', 'kind = "consulate-generl"')}
        )
    )
    assert str(problem).startswith(
        "offices/KZ.toml:3: kind: unknown kind 'consulate-generl'; did you mean consulate-general"
    )


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        (('sources = ["https://example.org/a"]\n', ""), 1, "sources", "at least one source"),
        (('sources = ["https://example.org/a"]', "sources = []"), 8, "sources", "at least one source"),
        (('sources = ["https://example.org/a"]', 'sources = ["not a url"]'), 8, "sources", "http(s) URL"),
        (('kind = "consulate-general"', 'kind = "palace"'), 3, "kind", "unknown kind"),
        (('host = "CN"', 'host = "ZZ"'), 4, "host", "unknown host state"),
        (('subdivision = "CN-SN"\n', ""), 3, "", ""),
        ((PLACE, PLACE.replace("CN", "KZ").replace("subdivision", "# ")), 4, "host", "sending state itself"),
        ((PLACE, PLACE.replace("CN", "HK").replace("subdivision", "# ")), 4, "host", "hosted by CN"),
        (('subdivision = "CN-SN"', 'subdivision = "RU-MOW"'), 6, "subdivision", "not in the host CN"),
        (('subdivision = "CN-SN"', 'subdivision = "CN-ZZ"'), 6, "subdivision", "unknown ISO 3166-2"),
        (("opened = 2023-05-19", 'opened = "2023-02-30"'), 7, "opened", "has no day 30"),
        (("opened = 2023-05-19", "opened = 2023-02-30"), 7, "toml", "Invalid date"),
        (("opened = 2023-05-19", 'opened = "May 2023"'), 7, "opened", "not a date"),
        (("opened = 2023-05-19", "opened = 2023-05-19\nclosed = 2020-01-01"), 8, "closed", "before the opening"),
        (("opened = 2023-05-19", "opened = 2099-01-01"), 7, "opened", "in the future"),
        (('id = "kz-cn-xian"', 'id = "KZ CN"'), 2, "id", "lowercase id"),
        (('city = "Xi\'an"', "city = 42"), 5, "city", "must be text"),
        (('city = "Xi\'an"', 'city = "Xi\'an"\ncolour = "red"'), 6, "colour", "unknown field"),
        (("opened = 2023-05-19", "opened = 2023-05-19\nlocation = [95.0, 10.0]"), 8, "location", "latitude"),
        (("opened = 2023-05-19", 'opened = 2023-05-19\njurisdiction = ["CN-SN", "CN-SN"]'), 8, "jurisdiction", "twice"),
        (("opened = 2023-05-19", 'opened = 2023-05-19\njurisdiction = ["CN-QQ"]'), 8, "jurisdiction", "unknown"),
        (("opened = 2023-05-19", 'opened = 2023-05-19\nwikidata = "P31"'), 8, "wikidata", "Wikidata item"),
        (("opened = 2023-05-19", 'opened = 2023-05-19\nnotes = "a\\u001b[31m"'), 8, "notes", "control characters"),
    ],
)
def test_each_field_rule(tmp_path: Path, change: tuple[str, str], line: int, field: str, message: str) -> None:
    old, new = change
    assert old in GOOD
    problems = problems_in(tmp_path, {"offices/KZ.toml": GOOD.replace(old, new)})
    if not field:  # a control: the change alone is fine
        assert problems == []
        return
    problem = one(problems)
    assert (problem.file, problem.line, problem.field) == ("offices/KZ.toml", line, field)
    assert message in problem.message


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD.replace('city = "Xi\'an"', "city = \"Xi'an")}))
    assert (problem.line, problem.field) == (5, "toml")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "offices").mkdir()
    (tmp_path / "offices" / "KZ.toml").write_bytes(b'[[office]]\nid = "\xff"\n')
    problem = one(list(load_data(tmp_path).problems))
    assert "not UTF-8" in problem.message


def test_unknown_sending_file(tmp_path: Path) -> None:
    problem = one(problems_in(tmp_path, {"offices/ZZ.toml": GOOD.replace("kz-", "zz-")}))
    assert (problem.field, problem.message) == ("sending", "unknown sending state 'ZZ'")


def test_former_states_send_only_closed_offices(tmp_path: Path) -> None:
    former = (
        GOOD.replace("kz-", "suhh-")
        .replace('host = "CN"', 'host = "CN"')
        .replace("opened = 2023-05-19", "opened = 1950")
    )
    problem = one(problems_in(tmp_path, {"offices/SUHH.toml": former}))
    assert (problem.field, problem.message) == (
        "closed",
        "Soviet Union no longer exists: its offices need a closing date",
    )
    closed = former.replace("opened = 1950", "opened = 1950\nclosed = 1991-12-26")
    assert problems_in(tmp_path, {"offices/SUHH.toml": closed}) == []


def test_sending_must_match_file(tmp_path: Path) -> None:
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD.replace("kind =", 'sending = "UZ"\nkind =')}))
    assert problem.field == "sending"


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    other = GOOD.replace('host = "CN"', 'host = "RU"').replace('subdivision = "CN-SN"\n', "")
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "offices/UZ.toml": other}))
    assert problem.file == "offices/UZ.toml"
    assert "duplicate id 'kz-cn-xian' (first at offices/KZ.toml:2)" in problem.message


def test_two_open_offices_of_one_kind_in_one_city(tmp_path: Path) -> None:
    second = GOOD.replace("kz-cn-xian", "kz-cn-xian-2").replace("Xi'an", "XI’AN")
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD + "\n" + second}))
    assert (problem.line, problem.field) == (14, "city")
    assert "already an open consulate-general" in problem.message
    closed = second.replace("opened = 2023-05-19", "opened = 2001\nclosed = 2005")
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD + "\n" + closed}) == []


@pytest.mark.parametrize(
    ("supports", "problem_expected"),
    [
        (["opened", "kind", "city"], False),
        (["closed"], True),
        (["claim"], True),
        (["address"], True),
        (["history", "id", "host"], False),
    ],
)
def test_a_source_supports_only_fields_the_record_has(
    tmp_path: Path, supports: list[str], problem_expected: bool
) -> None:
    listed = ", ".join(f'"{field}"' for field in supports)
    record = GOOD.replace(
        'sources = ["https://example.org/a"]',
        f'sources = [{{ url = "https://example.org/a", supports = [{listed}] }}]',
    )
    problems = problems_in(tmp_path, {"offices/KZ.toml": record})
    if not problem_expected:
        assert problems == []
        return
    problem = one(problems)
    assert (problem.line, problem.field) == (8, "sources")
    assert problem.message == f"source 1 (https://example.org/a) supports {supports[0]}, but the record has none"


def test_a_closing_in_the_history_backs_a_source_for_closed(tmp_path: Path) -> None:
    record = GOOD.replace(
        'sources = ["https://example.org/a"]',
        'sources = [{ url = "https://example.org/a", supports = ["closed"] }]',
    )
    events = '\n[[office.event]]\ndate = 2024-01-01\ntype = "closed"\n\n[[office.event]]\ndate = 2024-06-01\ntype = "reopened"\n'
    assert problems_in(tmp_path, {"offices/KZ.toml": record + events}) == []


EVENTS = GOOD.replace('kind = "consulate-general"', 'kind = "consulate-general"').replace(
    "opened = 2023-05-19", "opened = 2001"
)


@pytest.mark.parametrize(
    ("events", "field", "message"),
    [
        (
            'date = 2010\ntype = "upgraded"\nfrom = "consulate"\nto = "consulate-general"\n\n'
            '[[office.event]]\ndate = 2011\ntype = "upgraded"\nfrom = "consulate"\nto = "consulate-general"',
            "event[2].from",
            "was a consulate-general then",
        ),
        ('date = 2010\ntype = "upgraded"\nfrom = "consulate-general"\nto = "consulate"', "event[1]", "is not upgraded"),
        ('date = 1999\ntype = "renamed"', "event[1].date", "before the opening"),
        ('date = 2010\ntype = "closed"', "event[1]", "no reopening"),
        ('date = 2010\ntype = "reopened"', "event[1].type", "without a closing"),
        ('date = 2010\ntype = "moved"', "event[1]", "city"),
        ('date = 2010\ntype = "opened"', "event[1]", "'opened' field"),
        ('date = 2010\ntype = "exploded"', "event[1]", "unknown event type"),
        ('type = "closed"', "event[1]", "date is required"),
        ('date = 2010\ntype = "moved"\ncity = "Lanzhou"', "city", "took the office to Lanzhou, not Xi'an"),
        (
            'date = 2010\ntype = "moved"\ncity = "Lanzhou"\n\n[[office.event]]\ndate = 2012\ntype = "moved"\n'
            'from_city = "Urumqi"\ncity = "Xi\'an"',
            "event[2].from_city",
            "was in Lanzhou then",
        ),
        ('date = 2010\ntype = "renamed"\ncity = "Lanzhou"', "event[1]", "belongs to moved events"),
        ('date = 2010\ntype = "moved"\ncity = "Xi\'an"\nname = "X"', "event[1]", "belongs to renamed events"),
        ('date = 2010\ntype = "resumed"', "event[1].type", "without a closing or suspension"),
        (
            'date = 2010\ntype = "suspended"\n\n[[office.event]]\ndate = 2011\ntype = "reopened"',
            "event[2].type",
            "is resumed, not reopened",
        ),
        (
            'date = 2010\ntype = "suspended"\n\n[[office.event]]\ndate = 2011\ntype = "suspended"',
            "event[2].type",
            "suspended while already closed or suspended",
        ),
        (
            'date = 2010\ntype = "suspended"\n\n[[office.event]]\ndate = 2011\ntype = "stayed-open"',
            "event[2].type",
            "stayed-open while suspended",
        ),
    ],
)
def test_event_rules(tmp_path: Path, events: str, field: str, message: str) -> None:
    text = EVENTS + "\n[[office.event]]\n" + events + "\n"
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": text}))
    assert problem.field == field
    assert message in problem.message
    assert problem.line >= (5 if field == "city" else 10)  # the office's city line, or the event's


def test_events_out_of_order(tmp_path: Path) -> None:
    text = (
        EVENTS
        + '\n[[office.event]]\ndate = 2012\ntype = "closed"\n\n[[office.event]]\ndate = 2010\ntype = "reopened"\n'
    )
    problems = problems_in(tmp_path, {"offices/KZ.toml": text})
    assert any(p.field == "event[2].date" and "list events in order" in p.message and p.line == 15 for p in problems)


def test_rank_change_must_end_in_kind(tmp_path: Path) -> None:
    text = EVENTS.replace('kind = "consulate-general"', 'kind = "consulate"') + (
        '\n[[office.event]]\ndate = 2010\ntype = "upgraded"\nfrom = "consulate"\nto = "consulate-general"\n'
    )
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": text}))
    assert problem.field == "kind"
    assert "makes it a consulate-general" in problem.message


def test_claims_must_be_countable_whatever_their_verdict(tmp_path: Path) -> None:
    claim = '\n[[office.claim]]\nordinal = 2\ntext = "second"\nsources = ["https://example.org/c"]\n'
    # A claim the registry does not bear out is recorded as its source said it: a verdict, not a problem.
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD + claim}) == []
    unknown_group = claim.replace('text = "second"', 'text = "second"\nsending = "Atlantis League"')
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD + unknown_group}))
    assert (problem.field, problem.line) == ("claim[1]", 10)
    assert "cannot be counted" in problem.message and "Atlantis League" in problem.message
    unsourced = claim.replace('sources = ["https://example.org/c"]\n', "")
    assert one(problems_in(tmp_path, {"offices/KZ.toml": GOOD + unsourced})).field == "claim[1]"


def test_retired_ids(tmp_path: Path) -> None:
    retired = '[[retired]]\nid = "kz-cn-old"\nsuccessor = "kz-cn-nowhere"\n'
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "retired.toml": retired}))
    assert (problem.file, problem.line, problem.field) == ("retired.toml", 3, "successor")
    in_use = '[[retired]]\nid = "kz-cn-xian"\nreason = "oops"\n'
    assert "still in use" in one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "retired.toml": in_use})).message
    withdrawn = '[[retired]]\nid = "kz-cn-copy"\nsuccessor = "kz-cn-xian"\nwikidata = "Q72019286"\n'
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD, "retired.toml": withdrawn}) == []
    not_an_item = withdrawn.replace("Q72019286", "72019286")
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "retired.toml": not_an_item}))
    assert (problem.field, problem.message) == ("wikidata", "must be a Wikidata item id such as Q72019286")


def test_cities(tmp_path: Path) -> None:
    cities = '[[city]]\ncountry = "KZ"\nname = "Astana"\naliases = ["Akmola"]\n'
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "cities.toml": cities}))
    assert problem.field == "sources"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "consulate-general"', 'kind = "palace"').replace('host = "CN"', "host = 3")
    text += "\n" + GOOD.replace("kz-cn-xian", "kz-cn-other").replace("opened = 2023-05-19", 'opened = "soon"')
    fields = sorted(problem.field for problem in problems_in(tmp_path, {"offices/KZ.toml": text}))
    assert fields == ["host", "kind", "opened"]


def test_compile_raises_data_error(tmp_path: Path) -> None:
    problems_in(tmp_path, {"offices/KZ.toml": GOOD.replace("sources", "source")})
    with pytest.raises(DataError) as caught:
        compile_data(tmp_path)
    assert all(isinstance(problem, Problem) for problem in caught.value.problems)
    assert "offices/KZ.toml:8: source: unknown field" in str(caught.value)


def test_not_a_data_folder(tmp_path: Path) -> None:
    assert "no offices/ folder" in one(list(load_data(tmp_path).problems)).message


def test_compile_is_reproducible_and_round_trips() -> None:
    first = compile_data(SYNTHETIC)
    assert compile_data(SYNTHETIC) == first
    registry = Registry.parse(first)
    dataset = load_data(SYNTHETIC)
    assert sorted(registry.offices, key=lambda o: o.id) == sorted(
        (o for o, _, _ in dataset.offices), key=lambda o: o.id
    )


def test_artifact_is_read_one_state_at_a_time() -> None:
    registry = Registry.parse(compile_data(SYNTHETIC))
    assert [office.id for office in registry.find(sending="US", host="KZ")] == ["us-kz-almaty", "us-kz-astana"]
    assert "KZ" not in registry._decoded  # only the United States' offices were decoded
    assert registry.get("kz-cn-xian") is not None
    assert "KZ" in registry._decoded


def test_corrupt_or_missing_artifact(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(DataError, match=r"python -m consulates\.datafiles"):
        Registry.load(missing)
    corrupt = tmp_path / "corrupt.jsonl"
    corrupt.write_text('{"format": 2, "index": [', encoding="utf-8")
    with pytest.raises(DataError, match="rebuild it"):
        Registry.load(corrupt)
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(DataError, match="format"):
        Registry.load(wrong)
    good = compile_data(SYNTHETIC)
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_bytes(good[:-100])
    with pytest.raises(DataError, match="truncated"):
        Registry.load(truncated)
    # One flipped byte inside Kazakhstan's offices: caught by its checksum when they are read.
    damaged = tmp_path / "damaged.jsonl"
    position = good.index(b'"id":"kz-cn-xian"') + 8
    damaged.write_bytes(good[:position] + b"X" + good[position + 1 :])
    registry = Registry.load(damaged)
    assert registry.find(sending="US")
    with pytest.raises(DataError, match=r"index\.KZ: .*checksum.*python -m consulates\.datafiles"):
        registry.find(sending="KZ")


def test_build_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "registry.jsonl"
    assert build_main([str(SYNTHETIC), "-o", str(output)]) == 0
    assert build_main([str(SYNTHETIC), "-o", str(output), "--check"]) == 0
    output.write_bytes(output.read_bytes() + b" ")
    assert build_main([str(SYNTHETIC), "-o", str(output), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    broken = tmp_path / "data"
    problems_in(broken, {"offices/KZ.toml": "[[office]]\nid = 1\n"})
    assert build_main([str(broken), "-o", str(output)]) == 1


def test_curated_records_replace_imported_ones(tmp_path: Path) -> None:
    imported = GOOD.replace("kz-cn-xian", "kz-cn-xi-an").replace("opened = 2023-05-19", 'wikidata = "Q1"')
    other = GOOD.replace("kz-cn-xian", "kz-cn-beijing").replace("Xi'an", "Beijing").replace("CN-SN", "CN-BJ")
    files = {"offices/KZ.toml": GOOD, "imported/KZ.toml": imported + "\n" + other}
    assert problems_in(tmp_path, files) == []
    ids = sorted(office.id for office, _, _ in load_data(tmp_path).offices)
    # The imported Xi'an record is the same post as the curated one (same kind and city): dropped.
    assert ids == ["kz-cn-beijing", "kz-cn-xian"]
    by_item = GOOD.replace("opened = 2023-05-19", 'wikidata = "Q1"').replace("Xi'an", "Xian")
    (tmp_path / "offices/KZ.toml").write_text(by_item, encoding="utf-8")
    assert sorted(office.id for office, _, _ in load_data(tmp_path).offices) == ["kz-cn-beijing", "kz-cn-xian"]


def test_duplicate_posts_under_a_former_city_name(tmp_path: Path) -> None:
    astana = GOOD.replace('host = "CN"', 'host = "RU"').replace("kz-cn-xian", "kz-ru-astana")
    astana = astana.replace('subdivision = "CN-SN"\n', "").replace("Xi'an", "Moscow")
    other = astana.replace("kz-ru-astana", "kz-ru-moskva").replace('city = "Moscow"', 'city = "Moskva"')
    cities = '[[city]]\ncountry = "RU"\nname = "Moscow"\naliases = ["Moskva"]\nsources = ["https://example.org/m"]\n'
    problems = problems_in(tmp_path, {"offices/KZ.toml": astana + "\n" + other, "cities.toml": cities})
    assert [problem.field for problem in problems] == ["city"]
    # An imported record of the same post under the other name is replaced, not reported.
    files = {"offices/KZ.toml": astana, "imported/KZ.toml": other, "cities.toml": cities}
    assert problems_in(tmp_path, files) == []
    assert [office.id for office, _, _ in load_data(tmp_path).offices] == ["kz-ru-astana"]


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ('predecessors = ["kz-cn-nowhere"]', "predecessors", "not an office id"),
        ('predecessors = ["kz-cn-xian"]', "predecessors", "the office itself"),
        ('seated_in = "CN"', "seated_in", "not its host"),
        ('seated_in = "QQ"', "seated_in", "unknown state"),
        ('organisation = "UN"', "organisation", "belongs to permanent missions"),
    ],
)
def test_successions_and_seats(tmp_path: Path, extra: str, field: str, message: str) -> None:
    text = GOOD.replace('subdivision = "CN-SN"', 'subdivision = "CN-SN"\n' + extra)
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": text}))
    assert problem.field == field
    assert message in problem.message


def test_missions_to_two_organisations_in_one_city(tmp_path: Path) -> None:
    mission = GOOD.replace('kind = "consulate-general"', 'kind = "permanent-mission"').replace(
        'subdivision = "CN-SN"', 'subdivision = "CN-SN"\norganisation = "UN"'
    )
    other = mission.replace("kz-cn-xian", "kz-cn-xian-2").replace('organisation = "UN"', 'organisation = "WTO"')
    assert problems_in(tmp_path, {"offices/KZ.toml": mission + "\n" + other}) == []
    same = mission.replace("kz-cn-xian", "kz-cn-xian-2")
    assert (
        "already an open permanent-mission to UN"
        in one(problems_in(tmp_path, {"offices/KZ.toml": mission + "\n" + same})).message
    )


NETWORK = """\
[reference]
title = "Missions abroad (Ministry of Foreign Affairs)"
url = "https://example.org/missions"
read = 2026-12-04
counts = { "consulate-general" = 2 }
note = "Read in full."
"""


def test_the_reference_list_of_a_network_is_compared(tmp_path: Path) -> None:
    files = {"offices/KZ.toml": GOOD, "networks/KZ.toml": NETWORK}
    assert problems_in(tmp_path, files) == []
    (warning,) = load_data(tmp_path).warnings
    assert (warning.file.endswith("networks/KZ.toml"), warning.field) == (True, "counts.consulate-general")
    assert "gives 2 consulate-general posts; the registry has 1 open" in warning.message
    matching = {**files, "networks/KZ.toml": NETWORK.replace('"consulate-general" = 2', '"consulate-general" = 1')}
    assert problems_in(tmp_path, matching) == []
    assert load_data(tmp_path).warnings == ()


def test_an_explained_difference_holds_only_for_the_count_it_was_written_for(tmp_path: Path) -> None:
    explained = NETWORK + 'differences = { "consulate-general" = { registry = 1, why = "The list counts one announced post." } }\n'
    files = {"offices/KZ.toml": GOOD, "networks/KZ.toml": explained}
    assert problems_in(tmp_path, files) == []
    assert load_data(tmp_path).warnings == ()
    stale = {**files, "networks/KZ.toml": explained.replace("registry = 1", "registry = 3")}
    assert problems_in(tmp_path, stale) == []
    (warning,) = load_data(tmp_path).warnings
    assert warning.field == "differences.consulate-general"
    assert "explained for 3 open; the registry now has 1 (the list gives 2)" in warning.message


def test_an_older_list_is_compared_with_the_offices_open_on_its_day(tmp_path: Path) -> None:
    # Xi'an opened on 2023-05-19: a list of January 2023 cannot count it.
    dated = NETWORK + 'as_of = "2023-01"\n'
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD, "networks/KZ.toml": dated}) == []
    (warning,) = load_data(tmp_path).warnings
    assert "gives 2 consulate-general posts on 2023-01; the registry has 0 open" in warning.message
    none_then = dated.replace('"consulate-general" = 2', '"consulate-general" = 0')
    assert problems_in(tmp_path, {"offices/KZ.toml": GOOD, "networks/KZ.toml": none_then}) == []
    assert load_data(tmp_path).warnings == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NETWORK.replace("counts = {", "counts = { palace = 1,"), "unknown kind 'palace'"),
        (NETWORK + 'differences = { embassy = { registry = 1, why = "x" } }\n', "gives no count of 'embassy'"),
        (NETWORK + 'differences = { "consulate-general" = { registry = 1 } }\n', "registry = N, why"),
        (NETWORK + 'differences = { "consulate-general" = { registry = -1, why = "x" } }\n', "whole number"),
        (NETWORK + 'differences = { "consulate-general" = { registry = 1, why = " " } }\n', "why is required"),
        (NETWORK.replace('url = "https://example.org/missions"', 'url = "ftp://x"'), "http(s) URL"),
        (NETWORK.replace('note = "Read in full."\n', ""), "note is required"),
        (NETWORK + "\n[extra]\nx = 1\n", "one [reference] table"),
        (NETWORK + 'as_of = "soon"\n', "as_of: not a date"),
        (NETWORK + "as_of = 2999-01-01\n", "in the future"),
        (NETWORK.replace('counts = { "consulate-general" = 2 }\n', "") + "as_of = 2020-01-01\n", "the list gives no counts"),
    ],
)
def test_bad_reference_lists(tmp_path: Path, text: str, message: str) -> None:
    problem = one(problems_in(tmp_path, {"offices/KZ.toml": GOOD, "networks/KZ.toml": text}))
    assert message in problem.message


STATES = """\
[[state]]
code = "KZ"
since = 1991-12-16
sources = ["https://example.org/kz"]

[[state]]
code = "CN"
since = 1949-10-01
sources = ["https://example.org/cn"]
"""


def test_dates_outside_a_states_lifespan_are_warned(tmp_path: Path) -> None:
    files = {"offices/KZ.toml": GOOD, "states.toml": STATES}
    assert problems_in(tmp_path, files) == []
    assert load_data(tmp_path).warnings == ()
    older = {**files, "offices/KZ.toml": GOOD.replace("opened = 2023-05-19", 'opened = "1930"')}
    assert problems_in(tmp_path, older) == []
    # The consulate is older than its sending state; its host's beginning does not bound a consulate.
    (warning,) = load_data(tmp_path).warnings
    assert warning.field == "opened"
    assert "opened 1930 but its sending state KZ existed only from 1991-12-16" in warning.message
    embassy = {**older, "offices/KZ.toml": older["offices/KZ.toml"].replace("consulate-general", "embassy")}
    problems_in(tmp_path, embassy)
    messages = sorted(warning.message for warning in load_data(tmp_path).warnings)
    assert [message.split(" existed only from ")[0] for message in messages] == [
        "opened 1930 but its host CN",
        "opened 1930 but its sending state KZ",
    ]


SOVIET_YEARS = """\
[[office]]
id = "us-ru-moscow"
kind = "embassy"
host = "RU"
city = "Moscow"
opened = 1809-11-05
sources = ["https://example.org/a"]

[[office.event]]
date = 1919-09-14
type = "closed"
sources = ["https://example.org/a"]

[[office.event]]
date = 1991-12-26
type = "reopened"
sources = ["https://example.org/a"]

[[office]]
id = "us-suhh-moscow"
kind = "embassy"
host = "SUHH"
city = "Moscow"
opened = 1933-12-13
closed = 1991-12-25
sources = ["https://example.org/b"]

[[office]]
id = "us-ru-saint-petersburg"
kind = "consulate-general"
host = "RU"
city = "Saint Petersburg"
opened = "1972"
closed = 2018-03-31
sources = ["https://example.org/c"]
"""


def test_a_mission_to_a_former_state_covers_its_successor(tmp_path: Path) -> None:
    # The consulate in Leningrad (1972) is recorded under Russia; the embassy of its day was
    # accredited to the Soviet Union, which Russia continued.
    files = {"offices/US.toml": SOVIET_YEARS}
    assert problems_in(tmp_path, files) == []
    (warning,) = load_data(tmp_path).warnings
    assert "shown open during 1919-09-15 to 1991-12-25 while US had no mission in RU" in warning.message
    soviet = '[[state]]\ncode = "SUHH"\nuntil = 1991-12-26\nsuccessor = "RU"\nsources = ["https://example.org/s"]\n'
    assert problems_in(tmp_path, {**files, "states.toml": soviet}) == []
    assert load_data(tmp_path).warnings == ()


def test_a_provisional_government_receives_embassies_before_independence(tmp_path: Path) -> None:
    # KZ opens an embassy in CN on 2023-05-19; pretend CN became independent only in 2024.
    late = STATES.replace("since = 1949-10-01", "since = 2024-01-01")
    embassy = GOOD.replace("consulate-general", "embassy")
    files = {"offices/KZ.toml": embassy, "states.toml": late}
    assert problems_in(tmp_path, files) == []
    (warning,) = load_data(tmp_path).warnings
    assert "opened 2023-05-19 but its host CN existed only from 2024-01-01" in warning.message
    provisional = late.replace("since = 2024-01-01", 'since = 2024-01-01\nprovisional_since = "2023"')
    assert problems_in(tmp_path, {**files, "states.toml": provisional}) == []
    assert load_data(tmp_path).warnings == ()
    backwards = late.replace("since = 2024-01-01", "since = 2024-01-01\nprovisional_since = 2025-01-01")
    problem = one(problems_in(tmp_path, {**files, "states.toml": backwards}))
    assert "provisional_since 2025-01-01 must come before since" in problem.message
