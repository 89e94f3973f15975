"""The command line answers what was asked: several values per filter, periods and statuses, a sending column,
--sort and --columns, completion, and output that survives any locale.

Tests named ``test_entry_point_*`` run the installed ``consulates`` script (or ``python -m consulates``) on the
real registry, asserting on facts that only grow (Kazakhstan's and Kyrgyzstan's offices in China); the rest run
in-process on the synthetic registry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import consulates
import consulates.datafiles
from consulates import cli
from consulates.registry import Registry

from .conftest import SYNTHETIC
from .test_cli import SCRIPT, Run, visible


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output as when piped, whatever the environment running the tests says."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def call(*argv: str, registry: Registry | None = None) -> Run:
        code = cli.main(list(argv), registry=registry)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return call


needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="the consulates script is not installed")


def entry(*argv: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The installed script, with the environment given (on top of a plain, piped one)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    environment.update(env)
    return subprocess.run([str(SCRIPT), *argv], capture_output=True, env=environment, check=False)


def rows(out: str) -> list[dict[str, str]]:
    lines = out.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


# -- several values per filter, through the real entry point --------------------------------


@needs_script
def test_entry_point_repeated_and_comma_separated_values() -> None:
    repeated = entry("find", "--country", "KZ", "--country", "KG", "--host", "CN")
    assert repeated.returncode == 0, repeated.stderr
    senders = {row["sending"] for row in rows(repeated.stdout.decode())}
    assert senders == {"KZ", "KG"}
    commas = entry("find", "--country", "KZ,KG", "--host", "CN")
    assert commas.stdout == repeated.stdout
    kinds = entry("find", "--country", "KZ", "--kind", "consulate-general", "--kind", "embassy")
    found = {row["kind"] for row in rows(kinds.stdout.decode())}
    assert found == {"consulate-general", "embassy"}
    assert {
        row["kind"]
        for row in rows(entry("find", "--country", "KZ", "--kind", "embassy,consulate-general").stdout.decode())
    } == found


@needs_script
def test_entry_point_status_and_periods() -> None:
    # Kazakhstan's earliest dated office opened in 1992: nothing is known to be open in 1985.
    before = entry("find", "--country", "KZ", "--on", "1985-01-01", "--status", "open")
    assert before.returncode == 1
    assert rows(before.stdout.decode()) == []
    # Nor undecided: Kazakhstan became independent on 1991-12-16 (data/states.toml).
    before_state = entry("find", "--country", "KZ", "--on", "1985-01-01")
    assert before_state.returncode == 1 and rows(before_state.stdout.decode()) == []
    # ... and the status shown agrees with the selection: closed then, not "open?".
    shown = rows(entry("find", "--country", "KZ", "--on", "1985-01-01", "--status", "closed").stdout.decode())
    assert shown and {row["status"] for row in shown} <= {"closed", "not yet open"}
    later = rows(entry("find", "--country", "KZ", "--on", "1993-01-01").stdout.decode())
    assert "open?" in {row["status"] for row in later}  # offices with no opening date, after independence
    year = entry("find", "--country", "KZ", "--host", "CN", "--on", "2000")
    assert year.returncode == 0, year.stderr
    assert "kz-cn-beijing" in year.stdout.decode()
    span = entry("find", "--country", "KZ", "--host", "CN", "--between", "1990", "2000", "--status", "open")
    assert {row["status"] for row in rows(span.stdout.decode())} == {"open"}


@needs_script
def test_entry_point_sending_column_on_a_terminal() -> None:
    result = entry("find", "--host", "CN", "--city", "Beijing", "--country", "KZ,KG", TTY_COMPATIBLE="1", COLUMNS="120")
    text = visible(result.stdout.decode())
    assert "Sending" in text
    assert "Kazakhstan (KZ)" in text and "Kyrgyzstan (KG)" in text


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
@needs_script
def test_entry_point_never_fails_on_encoding(encoding: str) -> None:
    # An office whose city is not ASCII (Düsseldorf, München …), from the registry itself.
    office = next(item for item in consulates.find(host="DE", include_closed=True) if not (item.city or "").isascii())
    assert office.city is not None
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": encoding}
    modes: list[dict[str, str]] = [{}, {"TTY_COMPATIBLE": "1"}] if encoding == "ascii" else [{}]
    for argv in (["find", "--city", office.city, "--all"], ["show", office.id]):
        for extra in modes:
            result = entry(*argv, **env, **extra)
            assert result.returncode == 0, (argv, result.stderr)
            assert b"Traceback" not in result.stderr and result.stdout
            result.stdout.decode(encoding)  # text output is in the terminal's encoding, unshowable text replaced
    machine_commands = [
        ["find", "--city", office.city, "--all", "--format", "json"],
        ["export", "--city", office.city, "--all", "--format", "csv", "-o", "-"],
    ]
    if encoding == "ascii":
        machine_commands += [
            ["show", office.id, "--format", "json"],
            ["export", "--city", office.city, "--all", "--format", "geojson", "-o", "-"],
            ["export", "--city", office.city, "--all", "--format", "jsonl", "-o", "-"],
        ]
    for argv in machine_commands:
        result = entry(*argv, **env)
        assert result.returncode == 0, (argv, result.stderr)
        assert office.city in result.stdout.decode("utf-8"), argv  # machine formats: always UTF-8


@needs_script
def test_entry_point_python_m_and_folder_as_output(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "consulates", "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("consulates ")
    folder = entry("export", "--format", "sqlite", "-o", str(tmp_path))
    assert folder.returncode == 2
    assert folder.stderr.decode().count("\n") == 1 and b"is a folder" in folder.stderr
    assert list(tmp_path.iterdir()) == []


# -- in-process, synthetic registry ----------------------------------------------------------


def test_sending_column_when_several_senders(run: Any, synthetic: Registry, terminal: None) -> None:
    out = visible(run("find", "--country", "KZ,US", "--kind", "embassy", "--all", registry=synthetic).out)
    assert "Sending" in out and "Kazakhstan (KZ)" in out and "United States (US)" in out
    one = visible(run("find", "--country", "KZ", registry=synthetic).out)
    assert "Sending" not in one


def test_cities_with_commas_and_lists(run: Any, synthetic: Registry) -> None:
    both = run("find", "--city", "Xian,Moscow", registry=synthetic).rows()
    assert [row["id"] for row in both] == ["kz-cn-xian", "kz-ru-moscow"]
    assert run("find", "--city", "Xian", "--city", "Moscow", registry=synthetic).rows() == both


def test_periods_and_statuses(run: Any, synthetic: Registry) -> None:
    closed = run("find", "--country", "US", "--between", "1990", "2000", "--status", "closed", registry=synthetic)
    assert [row["id"] for row in closed.rows()] == ["us-af-kabul", "us-kz-almaty", "us-ly-tripoli"]
    assert closed.rows()[0]["status"] == "closed"
    unknown = run("find", "--country", "KZ", "--on", "1999", "--status", "unknown", registry=synthetic).rows()
    assert {row["status"] for row in unknown} == {"open?"}
    month = run("find", "--country", "KZ", "--on", "2008-09", registry=synthetic).rows()
    assert "kz-cn-lanzhou" in {row["id"] for row in month}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["find", "--status", "maybe"], "unknown status 'maybe'"),
        (["find", "--status", "opne"], "did you mean open?"),
        (["find", "--all", "--status", "open"], "give one"),
        (["find", "--on", "2000", "--between", "1990", "2000"], "not allowed with"),
        (["find", "--between", "2001", "2000"], "before"),
        (["find", "--sort", "colour"], "cannot sort by 'colour'"),
        (["find", "--columns", "id,colour"], "no column 'colour'"),
        (["find", "--columns", "id", "--format", "csv"], "--columns shapes the table"),
        (["find", "--country", "KZ,Narnia"], "unknown country 'Narnia'"),
        (["find", "--kind", "embassy,palace"], "unknown kind 'palace'"),
        (["find", "--city", "A" * 300], "at most 200 characters"),
        (["completion", "bash", "kz-"], "takes no PREFIX"),
    ],
)
def test_bad_input_is_one_line(run: Any, synthetic: Registry, argv: list[str], message: str) -> None:
    result = run(*argv, registry=synthetic)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and message in result.err, result.err


def test_sort_and_columns(run: Any, synthetic: Registry) -> None:
    by_opening = run("find", "--all", "--sort", "opened", registry=synthetic).rows()
    assert by_opening[0]["id"] == "us-af-kabul"  # 1948
    assert by_opening[-1]["id"] == "kz-ru-kazan"  # no opening date: last
    by_city = [row["city"] for row in run("find", "--all", "--sort", "city,id", registry=synthetic).rows()]
    assert by_city[:3] == ["Almaty", "Astana", "Beijing"]
    assert by_city[-2:] == ["Ürümqi", "Xi'an"]  # folded: "urumqi" before "xian" (unfolded, Ü would be last)
    narrow = run("find", "--country", "KZ", "--columns", "id,name,status", registry=synthetic)
    assert narrow.out.splitlines()[0] == "id\tname\tstatus"
    assert {"id": "kz-cn-shanghai", "name": "Consulate General of Kazakhstan in Shanghai", "status": "open"} in (
        narrow.rows()
    )


def test_stats_keep_open_closed_and_unknown_apart(run: Any, synthetic: Registry) -> None:
    table = run("stats", "--by", "kind", registry=synthetic).rows()
    assert table[0].keys() >= {"open", "closed", "unknown"}
    for row in table:
        assert int(row["open"]) + int(row["closed"]) + int(row["unknown"]) == int(row["offices"])
    (everything,) = synthetic.stats().values()
    # Kazan has no opening date; Ürümqi only a lower bound: neither is counted open.
    assert everything.unknown == 2
    assert everything.open + everything.closed + everything.unknown == everything.offices


def test_timeline_puts_bounded_dates_in_order(run: Any, synthetic: Registry) -> None:
    import attrs

    from consulates.dates import parse_dating

    old = attrs.evolve(
        synthetic.lookup("us-kz-astana"), id="us-kz-old", opened=parse_dating("1779"), closed=None, events=()
    )
    bounded = attrs.evolve(
        synthetic.lookup("us-kz-almaty"),
        id="us-kz-bounded",
        opened=parse_dating({"not_after": "1949-10-13"}),
        events=(),
        predecessors=(),
    )
    registry = Registry([bounded, old])
    dates = [row["date"] for row in run("timeline", "US", registry=registry).rows()]
    assert dates == ["1779", "by 1949-10-13"]


def test_completion_lists_states_and_ids(run: Any, synthetic: Registry) -> None:
    states = run("completion", "states", registry=synthetic).out.split()
    assert {"KZ", "US", "CN", "HK"} <= set(states)
    assert run("completion", "ids", "kz-cn-x", registry=synthetic).out.split() == ["kz-cn-xian"]
    assert "us-af-kabul" in run("completion", "ids", registry=synthetic).out.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_states_and_ids(run: Any, tmp_path: Path) -> None:
    script = run("completion", "bash").out
    probe = script + (
        'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _consulates;'
        ' echo "${COMPREPLY[*]}"; }\n'
        "complete_words consulates find --country K\n"
        "complete_words consulates show kz-cn-xi\n"
    )
    env = {**os.environ, "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True, env=env)
    states, ids = result.stdout.splitlines()
    assert "KZ" in states.split() and "KG" in states.split()
    assert ids.split() == ["kz-cn-xian"]


def test_fish_and_zsh_scripts_complete_states_and_ids(run: Any) -> None:
    fish = run("completion", "fish").out
    assert (
        "complete -c consulates -n '__fish_seen_subcommand_from find' -l country -x -a '(consulates completion states"
        in fish
    )
    assert "(consulates completion ids (commandline -ct)" in fish
    zsh = run("completion", "zsh").out
    assert "compadd -- $(consulates completion states" in zsh and "completion ids $PREFIX" in zsh
    if shutil.which("fish"):
        subprocess.run(["fish", "--no-execute", "-c", fish], check=True)


# -- validate ----------------------------------------------------------------------------------

GAP = """\
[[office]]
id = "us-af-kabul"
kind = "embassy"
host = "AF"
city = "Kabul"
opened = 1948-06-06
sources = ["https://example.org/a"]

[[office.event]]
date = 1989-01-30
type = "closed"
sources = ["https://example.org/b"]

[[office.event]]
date = 2002-01-17
type = "reopened"
sources = ["https://example.org/c"]

[[office]]
id = "us-af-herat"
kind = "consulate"
host = "AF"
city = "Herat"
opened = 1960
sources = ["https://example.org/d"]
"""


def test_validate_warns_of_an_office_open_while_the_sender_had_no_mission(run: Any, tmp_path: Path) -> None:
    (tmp_path / "offices").mkdir()
    (tmp_path / "offices" / "US.toml").write_text(GAP, encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.code == 0
    (warning,) = [line for line in result.out.splitlines() if "warning" in line]
    assert warning.startswith(f"{tmp_path / 'offices' / 'US.toml'}:24: opened: warning: ")
    assert "shown open during 1989-01-31 to 2002-01-16 while US had no mission in AF" in warning
    assert "1 warning" in result.err
    # Recording the consulate's own closing and reopening resolves it.
    fixed = GAP + '\n[[office.event]]\ndate = 1989-01-30\ntype = "closed"\nsources = ["https://example.org/e"]\n'
    fixed += '\n[[office.event]]\ndate = 2002-01-17\ntype = "reopened"\nsources = ["https://example.org/f"]\n'
    (tmp_path / "offices" / "US.toml").write_text(fixed, encoding="utf-8")
    assert "warning" not in run("validate", str(tmp_path)).out
    # So does a sourced statement that it worked on through the gap, dated in it, and the
    # history says so; one dated outside the gap does not.
    stayed = GAP + '\n[[office.event]]\ndate = "1989-02"\ntype = "stayed-open"\nsources = ["https://example.org/e"]\n'
    (tmp_path / "offices" / "US.toml").write_text(stayed, encoding="utf-8")
    valid = run("validate", str(tmp_path))
    assert valid.code == 0 and "warning" not in valid.out
    dataset = consulates.datafiles.load_data(tmp_path)
    registry = Registry([office for office, _, _ in dataset.offices])
    assert (
        "1989-02  stayed open while its state had no mission here" in run("show", "us-af-herat", registry=registry).out
    )
    herat = [
        entry.describe() for entry in registry.history(sending="US", host="AF") if entry.office.id == "us-af-herat"
    ]
    assert herat[1] == "Herat: consulate stayed open while its state had no mission here"
    (tmp_path / "offices" / "US.toml").write_text(stayed.replace('"1989-02"', '"1988-12"'), encoding="utf-8")
    assert "shown open during 1989-01-31 to 2002-01-16" in run("validate", str(tmp_path)).out
    # A consulate back at work before its embassy: its own reopening, dated inside the gap.
    early = GAP + '\n[[office.event]]\ndate = 1989-01-30\ntype = "closed"\nsources = ["https://example.org/e"]\n'
    early += '\n[[office.event]]\ndate = "1995"\ntype = "reopened"\nsources = ["https://example.org/f"]\n'
    (tmp_path / "offices" / "US.toml").write_text(early, encoding="utf-8")
    assert "warning" not in run("validate", str(tmp_path)).out


def test_a_post_closing_weeks_after_the_break_closed_with_it(run: Any, tmp_path: Path) -> None:
    (tmp_path / "offices").mkdir()

    def warnings(closed: str) -> list[str]:
        events = f'\n[[office.event]]\ndate = {closed}\ntype = "closed"\nsources = ["https://example.org/e"]\n'
        events += '\n[[office.event]]\ndate = 2002-02-01\ntype = "reopened"\nsources = ["https://example.org/f"]\n'
        (tmp_path / "offices" / "US.toml").write_text(GAP + events, encoding="utf-8")
        return [line for line in run("validate", str(tmp_path)).out.splitlines() if "warning" in line]

    assert warnings("1989-02-20") == []  # three weeks after the embassy closed
    (late,) = warnings("1989-06-01")  # four months after: shown open while there was no mission
    assert "shown open during 1989-01-31 to 2002-01-16 while US had no mission in AF" in late


def test_validate_finds_a_data_folder_or_says_what_to_give(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consulates.datafiles, "DATA", tmp_path / "not-installed")
    monkeypatch.chdir(tmp_path)
    missing = run("validate")
    assert missing.code == 2 and "give PATH" in missing.err
    shutil.copytree(SYNTHETIC, tmp_path / "data")
    found = run("validate")
    assert found.code == 0 and found.out.startswith("data: ")


def test_main_restores_the_stream(monkeypatch: pytest.MonkeyPatch, synthetic: Registry) -> None:
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", newline="")
    monkeypatch.setattr(sys, "stdout", stream)
    assert cli.main(["find", "--country", "KZ", "--all"], registry=synthetic) == 0
    assert stream.errors == "strict"
    assert cli.main(["find", "--country", "KZ", "--city", "Urumqi", "--format", "json"], registry=synthetic) == 0
    stream.flush()
    text = raw.getvalue()
    assert b"?r?mqi" in text  # the table, in ASCII with replacements
    assert "Ürümqi".encode() in text  # JSON, in UTF-8


def test_serving_answers_for_each_state(run: Any, synthetic: Registry) -> None:
    both = run("serving", "CN-SN", "--country", "KZ,US", registry=synthetic)
    assert both.code == 0
    assert [row["id"] for row in both.rows()] == ["kz-cn-xian"]  # the US has no district recorded there
    none = run("serving", "CN-SN", "--country", "US", registry=synthetic)
    assert none.code == 1 and "no office of US" in none.err


def test_a_second_mission_shortens_the_gap(run: Any, tmp_path: Path) -> None:
    section = '\n[[office]]\nid = "us-af-interests"\nkind = "interests-section"\nhost = "AF"\ncity = "Kabul"\n'
    section += 'opened = 1995-01-01\nclosed = 2002-01-17\nsources = ["https://example.org/g"]\n'
    (tmp_path / "offices").mkdir()
    (tmp_path / "offices" / "US.toml").write_text(GAP + section, encoding="utf-8")
    (warning,) = [line for line in run("validate", str(tmp_path)).out.splitlines() if "warning" in line]
    assert "shown open during 1989-01-31 to 1994-12-31 while US had no mission in AF" in warning
    assert "(us-af-interests, us-af-kabul closed then)" in warning
