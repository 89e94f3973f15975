"""The command line: run in-process with ``main(argv)`` and, for the entry point, as the installed script.

Tests on the real registry assert on Kazakhstan's six offices in China being present (the
registry grows); the rest run on the synthetic registry or on records made here.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import consulates
from consulates import Kind, Office, Source, cli
from consulates.dates import PartialDate
from consulates.errors import DataError, Problem
from consulates.model import Location
from consulates.registry import Registry

from .conftest import SYNTHETIC

KZ_CN = {"kz-cn-beijing", "kz-cn-urumqi", "kz-cn-hong-kong", "kz-cn-shanghai", "kz-cn-xian", "kz-cn-guangzhou"}
SCRIPT = Path(sys.executable).with_name("consulates")
SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b]8;[^\x1b]*\x1b\\")


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output as when piped, whatever the environment running the tests says."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output as on a terminal (Rich honours TTY_COMPATIBLE, and so does the CLI)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")


class Run:
    """The outcome of one in-process run."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def rows(self) -> list[dict[str, str]]:
        """The tab-separated table, as dicts by header."""
        lines = self.out.splitlines()
        header = lines[0].split("\t")
        return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    def call(*argv: str, registry: Registry | None = None) -> Run:
        code = cli.main(list(argv), registry=registry)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield call


def visible(text: str) -> str:
    """Terminal output with Rich's own colour and link sequences removed."""
    return OSC8.sub("", SGR.sub("", text))


# -- the real registry ---------------------------------------------------------------------


def test_find_country_lists_kazakhstan_in_china(run: Any) -> None:
    result = run("find", "--country", "KZ")
    assert result.code == 0
    assert result.out.splitlines()[0] == "id\tsending\thost\tcity\tkind\topened\tclosed\tstatus"
    rows = {row["id"]: row for row in result.rows()}
    assert set(rows) >= KZ_CN
    assert rows["kz-cn-xian"] == {
        "id": "kz-cn-xian",
        "sending": "KZ",
        "host": "CN",
        "city": "Xi'an",
        "kind": "consulate-general",
        "opened": "2023-05-19",
        "closed": "",
        "status": "open",
    }
    hosts = [row["host"] for row in result.rows()]
    assert hosts == sorted(hosts)  # grouped by host
    assert "\x1b" not in result.out
    assert result.err == ""


def test_find_host_and_kind(run: Any) -> None:
    result = run("find", "--host", "CN", "--kind", "consulate-general")
    assert result.code == 0
    rows = result.rows()
    ids = {row["id"] for row in rows}
    assert ids >= {"kz-cn-hong-kong", "kz-cn-shanghai", "kz-cn-xian", "kz-cn-guangzhou"}
    assert "kz-cn-beijing" not in ids
    assert {row["kind"] for row in rows} == {"consulate-general"}
    assert {row["host"] for row in rows} == {"CN"}


def test_find_names_and_kind_spellings(run: Any) -> None:
    by_code = run("find", "--country", "KZ", "--host", "CN").out
    assert run("find", "--country", "Kazakhstan", "--host", "China").out == by_code
    spelled = run("find", "--country", "KZ", "--kind", "consulate general").rows()
    assert {row["kind"] for row in spelled} == {"consulate-general"}


def test_find_on_a_day_and_limit(run: Any) -> None:
    ids = {row["id"] for row in run("find", "--country", "KZ", "--host", "CN", "--on", "2004-01-01").rows()}
    assert {"kz-cn-beijing", "kz-cn-urumqi", "kz-cn-hong-kong"} <= ids
    assert not ids & {"kz-cn-shanghai", "kz-cn-xian", "kz-cn-guangzhou"}
    limited = run("find", "--country", "KZ", "--limit", "2")
    assert limited.code == 0
    assert len(limited.rows()) == 2


def test_find_json_csv_geojson_parse_back(run: Any) -> None:
    document = json.loads(run("find", "--country", "KZ", "--host", "CN", "--format", "json").out)
    assert "CC BY 4.0" in document["metadata"]["attribution"]
    records = document["offices"]
    assert {record["id"] for record in records} == KZ_CN | {record["id"] for record in records}
    assert all(record["sources"] for record in records)

    table = list(csv.DictReader(io.StringIO(run("find", "--country", "KZ", "--format", "csv").out)))
    assert {row["id"] for row in table} >= KZ_CN
    xian = next(row for row in table if row["id"] == "kz-cn-xian")
    assert xian["opened_earliest"] == xian["opened_latest"] == "2023-05-19"
    assert xian["jurisdiction"].split() == ["CN-SN", "CN-GS", "CN-SC", "CN-HB", "CN-NX", "CN-CQ"]

    collection = json.loads(run("find", "--country", "KZ", "--host", "CN", "--format", "geojson").out)
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) >= KZ_CN
    beijing = consulates.get("kz-cn-beijing")
    assert beijing is not None and beijing.location is not None
    assert features["kz-cn-beijing"]["geometry"] == {
        "type": "Point",
        "coordinates": [beijing.location.longitude, beijing.location.latitude],
    }
    for feature in features.values():
        office = consulates.get(feature["id"])
        assert office is not None
        assert (feature["geometry"] is None) == (office.location is None)


def test_find_nothing_exits_1(run: Any) -> None:
    result = run("find", "--country", "KZ", "--city", "Atlantis")
    assert result.code == 1
    assert result.out.splitlines() == ["id\tsending\thost\tcity\tkind\topened\tclosed\tstatus"]
    assert len(result.err.splitlines()) == 1
    assert json.loads(run("find", "--country", "KZ", "--city", "Atlantis", "--format", "json").out)["offices"] == []


def test_show_xian(run: Any) -> None:
    result = run("show", "kz-cn-xian")
    assert result.code == 0
    out = result.out
    assert "kind:" in out and "consulate general" in out
    assert "Kazakhstan (KZ)" in out and "China (CN)" in out
    assert "2023-05-19 (to the day)" in out
    assert "CN-SN, CN-GS" in out
    assert str(consulates.ordinal("kz-cn-xian")) in out
    assert str(consulates.ordinal("kz-cn-xian", count_sars=False)) in out
    assert "3rd consulate general of Kazakhstan in China" in out
    assert "http://en.people.cn/n3/2023/0520/c90000-20021331.html" in out
    assert "history:" in out and "sources:" in out
    assert json.loads(run("show", "kz-cn-xian", "--format", "json").out)["id"] == "kz-cn-xian"


def test_show_hong_kong_has_no_mainland_ordinal(run: Any) -> None:
    out = run("show", "kz-cn-hong-kong").out
    assert out.count("ordinal:") == 1


def test_timeline_kz_in_china(run: Any) -> None:
    result = run("timeline", "KZ", "--host", "CN")
    assert result.code == 0
    rows = result.rows()
    openings = [row for row in rows if row["event"] == "opened"]
    assert {row["office"] for row in openings} >= KZ_CN
    order = [row["office"] for row in openings if row["office"] in KZ_CN]
    assert order.index("kz-cn-hong-kong") < order.index("kz-cn-shanghai") < order.index("kz-cn-xian")
    xian = next(row for row in openings if row["office"] == "kz-cn-xian")
    assert xian["date"] == "2023-05-19"
    assert xian["ordinal"] == "3rd consulate general in China"
    assert json.loads(run("timeline", "KZ", "--host", "CN", "--format", "json").out)[0]["event"]


def test_stats(run: Any) -> None:
    result = run("stats", "--format", "json")
    assert result.code == 0
    groups = {row["group"]: row for row in json.loads(result.out)}
    assert groups["KZ"]["offices"] >= 6
    assert 0 <= groups["KZ"]["with_location"] <= 1
    kinds = {row["group"] for row in run("stats", "--by", "kind", "--country", "KZ").rows()}
    assert {"embassy", "consulate-general"} <= kinds


def test_export_sqlite_holds_every_office(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "offices.db"
    result = run("export", "--all", "--format", "sqlite", "-o", str(path))
    assert result.code == 0
    assert result.out == ""
    everything = consulates.default_registry().offices
    with sqlite3.connect(path) as db:
        ids = {row[0] for row in db.execute("SELECT id FROM offices")}
        assert ids == {office.id for office in everything}
        sources = db.execute("SELECT count(*) FROM sources WHERE attached_to = 'office'").fetchone()[0]
        assert sources == sum(len(office.sources) for office in everything)
        xian = consulates.get("kz-cn-xian")
        assert xian is not None and len(xian.claims) >= 2  # the two Xi'an claims
        count = db.execute("SELECT count(*) FROM claims WHERE office_id = 'kz-cn-xian'").fetchone()[0]
        assert count == len(xian.claims)
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        meta = dict(db.execute("SELECT key, value FROM meta"))
        assert meta["registry_sha256"] == consulates.default_registry().checksum
        assert meta["offices"] == str(len(everything))


def test_export_formats_from_suffix_and_stdout(run: Any, tmp_path: Path) -> None:
    for suffix, check in (
        (".csv", lambda text: {row["id"] for row in csv.DictReader(io.StringIO(text))}),
        (".jsonl", lambda text: {json.loads(line)["id"] for line in text.splitlines()}),
        (".geojson", lambda text: {feature["id"] for feature in json.loads(text)["features"]}),
    ):
        path = tmp_path / f"kz{suffix}"
        assert run("export", "--country", "KZ", "-o", str(path)).code == 0
        assert check(path.read_text(encoding="utf-8")) >= KZ_CN
    lines = run("export", "--country", "KZ", "--format", "jsonl", "-o", "-").out.splitlines()
    assert {json.loads(line)["id"] for line in lines} >= KZ_CN


def test_version_and_help(run: Any) -> None:
    version = run("--version")
    assert version.code == 0
    assert version.out.strip() == f"consulates {consulates.__version__}"
    top = run("--help")
    assert top.code == 0 and "exit codes:" in top.out
    for name in cli.subcommands(cli.build_parser()):
        result = run(name, "--help")
        assert result.code == 0, name
        assert "examples:" in result.out and "exit codes:" in result.out, name


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["find", "--country", "Narnia"], "unknown country 'Narnia'"),
        (["find", "--host", "Narnia"], "did you mean"),
        (["find", "--kind", "consul"], "did you mean consulate"),
        (["find", "--on", "2020-13-01"], "not a date"),
        (["find", "--on", "yesterday"], "YYYY-MM-DD"),
        (["find", "--on", "2020-01-01", "--all"], "not allowed with"),
        (["find", "--limit", "0"], "whole number"),
        (["find", "--format", "xml"], "invalid choice"),
        (["find", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["find", "--countr", "KZ"], "did you mean --country?"),
        (["find", "--subdivision", "Shaanxi"], "ISO 3166-2"),
        (["show", "kz-cn-xain"], "did you mean kz-cn-xian"),
        (["show"], "required"),
        (["timeline", "Narnia"], "unknown country"),
        (["fnd"], "did you mean find?"),
        ([], "give a command"),
        (["validate", "/no/such/folder"], "no data folder"),
        (["export", "-o", "offices.xyz"], "give --format"),
        (["export", "--format", "sqlite", "-o", "-"], "sqlite needs a file"),
        (["export", "--format", "csv", "-o", "/no/such/folder/x.csv"], "cannot write"),
        (["export", "--format", "sqlite", "-o", "/no/such/folder/x.db"], "cannot write"),
        (["completion", "tcsh"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Any, argv: list[str], expected: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("consulates")
    assert ": error: " in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.err


def test_broken_registry_exits_2(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Registry:
        raise DataError([Problem("registry.json", 0, "format", "not a format 1 registry")])

    monkeypatch.setattr(consulates, "default_registry", broken)
    result = run("find", "--country", "KZ")
    assert result.code == 2
    assert result.err.startswith("consulates: error: the registry cannot be read: registry.json:0: format:")
    assert "Traceback" not in result.err


# -- the synthetic registry ----------------------------------------------------------------


def test_retired_id_shows_its_successor(run: Any, synthetic: Registry) -> None:
    result = run("show", "kz-cn-old", registry=synthetic)
    assert result.code == 0
    assert result.out.startswith("id:") and "kz-cn-xian" in result.out.splitlines()[0]
    assert "retired" in result.err
    withdrawn = run("show", "kz-cn-wrong", registry=synthetic)
    assert withdrawn.code == 2 and "withdrawn" in withdrawn.err


def test_timeline_ordinals_follow_rank_changes(run: Any, synthetic: Registry) -> None:
    rows = run("timeline", "KZ", "--host", "CN", registry=synthetic).rows()
    urumqi = [row for row in rows if row["office"] == "kz-cn-urumqi"]
    assert [row["event"] for row in urumqi] == ["opened", "upgraded"]
    assert "consulate opened" in urumqi[0]["description"]
    assert urumqi[0]["ordinal"].endswith("consulate in China")
    assert urumqi[1]["ordinal"].endswith("consulate general in China")
    closing = [row for row in rows if row["office"] == "kz-cn-lanzhou" and row["event"] == "closed"]
    assert closing and closing[0]["ordinal"] == ""


def test_find_all_and_status(run: Any, synthetic: Registry) -> None:
    current = {row["id"] for row in run("find", "--country", "KZ", registry=synthetic).rows()}
    assert "kz-cn-lanzhou" not in current
    rows = {row["id"]: row for row in run("find", "--country", "KZ", "--all", registry=synthetic).rows()}
    assert rows["kz-cn-lanzhou"]["status"] == "closed"
    assert rows["kz-cn-lanzhou"]["closed"] == "2008-09-30"
    on_2005 = {
        row["id"]: row for row in run("find", "--country", "KZ", "--on", "2005-03-01", registry=synthetic).rows()
    }
    assert on_2005["kz-cn-shanghai"]["status"] == "open?"  # opened "2005": cannot tell on 2005-03-01
    assert on_2005["kz-cn-urumqi"]["kind"] == "consulate"  # upgraded only in 2010


def test_host_only_groups_by_sending_state(run: Any, synthetic: Registry, terminal: None) -> None:
    out = visible(run("find", "--host", "KZ", "--all", registry=synthetic).out)
    assert "United States (US)" in out


def test_validate_a_data_folder(run: Any, tmp_path: Path) -> None:
    good = tmp_path / "good"
    shutil.copytree(SYNTHETIC, good)
    result = run("validate", str(good))
    assert result.code == 0
    assert "no problems" in result.out

    bad = tmp_path / "bad"
    shutil.copytree(SYNTHETIC, bad)
    path = bad / "offices" / "KZ.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "embassy"', 'kind = "embasy"', 1), "utf-8")
    result = run("validate", str(bad))
    assert result.code == 1
    problems = result.out.splitlines()
    assert problems and all(re.match(r"^\S+\.toml:\d+: [\w\[\].]+: .+", line) for line in problems)
    assert any("did you mean embassy" in line for line in problems)
    assert "1 problem" in result.err


# -- terminal output and escaping ----------------------------------------------------------

NASTY = "[bold]Evil[/bold] \x1b[31mred\x1b[0m \x9b2J \u202etxt"


def nasty_registry() -> Registry:
    """One office whose every text field tries to inject markup or control sequences."""
    source = Source(url="https://example.org/x]\x1b[31m", title=NASTY, citation=None)
    return Registry(
        [
            Office(
                id="xx-yy-evil",
                kind=Kind.CONSULATE,
                sending="KZ",
                host="CN",
                sources=(source,),
                city="[red]Town[/red]\x1b[2J",
                subdivision="CN-SN",
                location=Location(34.0, 108.0),
                opened=PartialDate(2020, 1, 2),
                names={"en": NASTY},
                notes="line one\nline two\tand :smile: \x1b]8;;http://evil\x1b\\link",
            )
        ]
    )


def assert_harmless(text: str) -> None:
    """No escape sequence in ``text`` other than Rich's own colours and links, and the data shown literally."""
    rest = visible(text)
    assert "\x1b" not in rest and "\x9b" not in rest and "\u202e" not in rest
    assert "\\x1b[" in rest


def test_safe() -> None:
    assert cli.safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert cli.safe("tab\tand\nnewline") == "tab and newline"
    assert cli.safe("\u202eabc\x9b") == "\\u202eabc\\x9b"
    assert cli.safe("[bold]x", markup=True) == "\\[bold]x"
    assert cli.safe("Xi'an 哈萨克斯坦") == "Xi'an 哈萨克斯坦"


@pytest.mark.parametrize(
    "argv",
    [
        ["find", "--all"],
        ["show", "xx-yy-evil"],
        ["timeline", "KZ"],
        ["stats", "--by", "host"],
        ["find", "--all", "--format", "csv"],
        ["find", "--all", "--format", "json"],
        ["find", "--all", "--format", "geojson"],
    ],
)
def test_data_cannot_inject_into_a_terminal(run: Any, terminal: None, argv: list[str]) -> None:
    result = run(*argv, registry=nasty_registry())
    assert result.code == 0
    if argv[0] in ("find", "show") and "--format" not in argv:
        assert "[bold]Evil" in visible(result.out) or "[red]Town" in visible(result.out)
        assert_harmless(result.out)
    else:
        rest = visible(result.out)
        assert "\x1b" not in rest and "\x9b" not in rest and "\u202e" not in rest


def test_data_cannot_inject_when_piped(run: Any) -> None:
    for argv in (["find", "--all"], ["show", "xx-yy-evil"], ["timeline", "KZ"]):
        result = run(*argv, registry=nasty_registry())
        assert "\x1b" not in result.out and "\x9b" not in result.out, argv
    show = run("show", "xx-yy-evil", registry=nasty_registry()).out
    assert "[bold]Evil[/bold] \\x1b[31mred" in show
    assert ":smile:" in show
    rows = run("find", "--all", registry=nasty_registry()).rows()
    assert rows[0]["city"] == "[red]Town[/red]\\x1b[2J"


def test_show_on_a_terminal_links_sources(run: Any, synthetic: Registry, terminal: None) -> None:
    out = run("show", "kz-cn-xian", registry=synthetic).out
    assert "\x1b]8;" in out  # a hyperlink
    text = visible(out)
    assert "Consulate General of Kazakhstan in Xi'an" in text
    assert "https://example.org/kz-cn-xian" in text
    assert "History" in text and "Sources" in text


def test_terminal_tables_fit_and_keep_ids_whole(run: Any, monkeypatch: pytest.MonkeyPatch, terminal: None) -> None:
    from rich.cells import cell_len

    for width in (60, 80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        out = visible(run("find", "--country", "KZ", "--host", "CN", "--all").out)
        assert max(cell_len(line) for line in out.splitlines()) <= width
        for office_id in KZ_CN:
            assert office_id in out
        assert "consulate" in out and "consula…" not in out


def test_no_color(run: Any, monkeypatch: pytest.MonkeyPatch, terminal: None) -> None:
    coloured = run("find", "--country", "KZ", "--host", "CN").out
    assert "\x1b[32m" in coloured  # "open" in green
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("find", "--country", "KZ", "--host", "CN").out
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])m", plain)


# -- shell completion and docs -------------------------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion(run: Any) -> None:
    script = run("completion", "bash").out
    probe = script + (
        'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _consulates;'
        ' echo "${COMPREPLY[*]}"; }\n'
        "complete_words consulates fi\n"
        "complete_words consulates find --ki\n"
        "complete_words consulates find --kind consulate-g\n"
        "complete_words consulates export --format sq\n"
    )
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["find", "--kind", "consulate-general", "sqlite"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "_consulates"
    path.write_text(run("completion", "zsh").out, encoding="utf-8")
    subprocess.run(["zsh", "-n", str(path)], check=True)
    loaded = subprocess.run(
        ["zsh", "-fc", f"autoload -U compinit; compinit -u -D; source {path}; print $_comps[consulates]"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "_consulates"


def test_docs_are_up_to_date() -> None:
    generator = importlib.import_module("tools.gen_cli_docs")
    assert generator.DOCS.read_text(encoding="utf-8") == generator.render(), (
        "docs/cli.md is stale: run .venv/bin/python -m tools.gen_cli_docs"
    )


# -- the installed entry point -------------------------------------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the consulates script is not installed next to this Python")
def test_installed_script() -> None:
    found = subprocess.run([str(SCRIPT), "find", "--country", "KZ"], capture_output=True, text=True, check=False)
    assert found.returncode == 0
    assert {line.split("\t")[0] for line in found.stdout.splitlines()[1:]} >= KZ_CN
    assert "\x1b" not in found.stdout

    bad = subprocess.run([str(SCRIPT), "find", "--country", "Narnia"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr

    version = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.strip() == f"consulates {consulates.__version__}"


def test_closed_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["find", "--country", "KZ"]) == 141
    assert "Traceback" not in capsys.readouterr().err


# -- near and serving ------------------------------------------------------------------------


def test_near_a_city(run: Any) -> None:
    result = run("near", "Chengdu", "--country", "KZ", "-k", "3")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split("\t")[:2] == ["km", "id"]
    assert len(lines) == 4
    assert lines[1].split("\t")[1] == "kz-cn-xian"
    distances = [float(line.split("\t")[0]) for line in lines[1:]]
    assert distances == sorted(distances)


def test_near_coordinates_and_json(run: Any) -> None:
    result = run("near", "--lat", "34.27", "--lon", "108.95", "--country", "KZ", "-k", "1", "--format", "json")
    assert result.code == 0
    (row,) = json.loads(result.out)
    assert row["id"] == "kz-cn-xian"
    assert row["km"] < 50


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("near", "Narnia"), "unknown place 'Narnia'"),
        (("near",), "give a place name, or both --lat and --lon"),
        (("near", "Xian", "--lat", "1", "--lon", "2"), "not both"),
        (("near", "--lat", "north", "--lon", "2"), "decimal degrees"),
        (("near", "Xian", "-k", "0"), "whole number from 1"),
        (("serving", "CN-XX", "--country", "KZ"), "unknown ISO 3166-2 subdivision 'CN-XX'"),
        (("serving", "CN-SC"), "--country"),
    ],
)
def test_near_and_serving_bad_input(run: Any, argv: tuple[str, ...], message: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_serving(run: Any) -> None:
    result = run("serving", "CN-SC", "--country", "KZ")
    assert result.code == 0
    assert result.out.splitlines()[1].split("\t")[0] == "kz-cn-xian"
    nobody = run("serving", "CN-XZ", "--country", "KZ")
    assert nobody.code == 1
    assert "no office of KZ lists CN-XZ" in nobody.err
