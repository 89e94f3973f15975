"""Stable ids: every id ever published stays resolvable (data/published-ids.txt, which only grows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from consulates.datafiles import DATA, load_data
from consulates.datafiles.__main__ import main as build_main
from consulates.datafiles.published import HEADER, PUBLISHED, check_published, read_published
from consulates.errors import Problem
from consulates.registry import Registry

from .conftest import SYNTHETIC

# -- the real data ------------------------------------------------------------------------------


def test_every_id_published_is_listed_and_every_listed_id_resolves() -> None:
    """Fails when an office is new (run the build) or an id vanished without being retired (retire it)."""
    dataset = load_data(DATA)
    assert not dataset.problems, dataset.problems[:5]
    published = read_published(DATA / PUBLISHED, f"data/{PUBLISHED}")
    retired = {item.id for item in dataset.retired}
    problems = check_published(published, dataset.offices, retired, retired_file="data/retired.toml")
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_the_list_is_as_the_build_writes_it() -> None:
    text = (DATA / PUBLISHED).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    ids = text[len(HEADER) :].splitlines()
    assert ids == sorted(set(ids)) and all(ids)


def test_the_synthetic_data_has_its_list_too() -> None:
    # The build tests compile tests/fixtures/synthetic; its list keeps them from writing one there.
    dataset = load_data(SYNTHETIC)
    published = read_published(SYNTHETIC / PUBLISHED)
    assert check_published(published, dataset.offices, {item.id for item in dataset.retired}) == []


# -- the build keeping the list -----------------------------------------------------------------

OFFICE = """\
[[office]]
id = "{id}"
kind = "consulate-general"
host = "CN"
city = "{city}"
opened = 2023-05-19
sources = ["https://example.org/{id}"]
"""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with two offices, in a working folder of its own."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "data"
    (root / "offices").mkdir(parents=True)
    write(root, {"kz-cn-xian": "Xi'an", "kz-cn-beijing": "Beijing"})
    return root


def write(root: Path, offices: dict[str, str], retired: str = "") -> None:
    text = "\n".join(OFFICE.format(id=office_id, city=city) for office_id, city in offices.items())
    (root / "offices" / "KZ.toml").write_text(text, encoding="utf-8")
    (root / "retired.toml").write_text(retired, encoding="utf-8")


def build(root: Path, *options: str) -> int:
    """The build on the data folder, as typed in the working folder that holds it."""
    return build_main([root.name, "-o", "registry.jsonl", *options])


def listed(root: Path) -> list[str]:
    text = (root / PUBLISHED).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_build_creates_the_list_and_check_wants_it(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(data, "--check") == 1
    assert (
        f"data/{PUBLISHED}:0: file: the list of published ids is missing: run `python -m consulates.datafiles data`"
        in (capsys.readouterr().err)
    )
    assert build(data) == 0
    assert listed(data) == ["kz-cn-beijing", "kz-cn-xian"]
    assert (data / PUBLISHED).read_text(encoding="utf-8").startswith(HEADER)
    assert build(data, "--check") == 0
    assert build(data) == 0  # nothing new: nothing changes
    assert "was already up to date" in capsys.readouterr().out


def test_a_new_office_must_be_recorded(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(data) == 0
    write(data, {"kz-cn-xian": "Xi'an", "kz-cn-beijing": "Beijing", "kz-cn-chengdu": "Chengdu"})
    assert build(data, "--check") == 1
    err = capsys.readouterr().err
    assert (
        "data/offices/KZ.toml:18: id: 'kz-cn-chengdu' is not in data/published-ids.txt:"
        " run `python -m consulates.datafiles data` to record it as published"
    ) in err
    assert build(data) == 0
    assert "1 id added" in capsys.readouterr().out
    assert listed(data) == ["kz-cn-beijing", "kz-cn-chengdu", "kz-cn-xian"]
    assert build(data, "--check") == 0


def test_an_id_never_vanishes_without_being_retired(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(data) == 0
    artifact = (data.parent / "registry.jsonl").read_bytes()
    # The Xi'an office's id is corrected: the old one was published, so it must lead somewhere.
    write(data, {"kz-cn-xi-an": "Xi'an", "kz-cn-beijing": "Beijing"})
    assert build(data, "--check") == 1
    err = capsys.readouterr().err
    assert f"data/{PUBLISHED}:6: id: 'kz-cn-xian' was published, but no office has it now" in err
    assert 'add to data/retired.toml [[retired]] id = "kz-cn-xian" with successor = "<the id it became>"' in err
    # The build refuses to go on, and writes nothing.
    assert build(data) == 1
    assert "nothing written" in capsys.readouterr().err
    assert (data.parent / "registry.jsonl").read_bytes() == artifact
    assert listed(data) == ["kz-cn-beijing", "kz-cn-xian"]
    # Retired with its successor, the old id resolves again, and both ids stay listed.
    write(
        data,
        {"kz-cn-xi-an": "Xi'an", "kz-cn-beijing": "Beijing"},
        '[[retired]]\nid = "kz-cn-xian"\nsuccessor = "kz-cn-xi-an"\n',
    )
    assert build(data) == 0
    assert listed(data) == ["kz-cn-beijing", "kz-cn-xi-an", "kz-cn-xian"]
    assert build(data, "--check") == 0
    dataset = load_data(data)
    registry = Registry((office for office, _, _ in dataset.offices), retired=dataset.retired)
    found = registry.get("kz-cn-xian")
    assert found is not None and found.id == "kz-cn-xi-an"


def test_a_withdrawn_id_gives_its_reason(data: Path) -> None:
    assert build(data) == 0
    write(data, {"kz-cn-xian": "Xi'an"}, '[[retired]]\nid = "kz-cn-beijing"\nreason = "never existed"\n')
    assert build(data, "--check") == 1  # the artifact changed
    assert build(data) == 0
    assert build(data, "--check") == 0
    assert listed(data) == ["kz-cn-beijing", "kz-cn-xian"]


def test_a_hand_edited_list(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(data) == 0
    path = data / PUBLISHED
    path.write_text(HEADER + "kz-cn-xian\nkz-cn-beijing\nkz-cn-xian\n", encoding="utf-8")
    assert build(data, "--check") == 1
    err = capsys.readouterr().err
    assert f"data/{PUBLISHED}:6: id: 'kz-cn-beijing' is out of order" in err
    assert f"data/{PUBLISHED}:7: id: 'kz-cn-xian' is listed twice (first on line 5)" in err
    assert build(data) == 0  # the build sorts it again
    assert listed(data) == ["kz-cn-beijing", "kz-cn-xian"]
    path.write_text(HEADER + "kz-cn-beijing\nKZ-CN-XIAN\nkz-cn-xian\n", encoding="utf-8")
    assert build(data) == 1  # a line that is no id is for a person to look at
    assert f"data/{PUBLISHED}:6: id: 'KZ-CN-XIAN' is not an office id" in capsys.readouterr().err


def test_another_list(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "ids.txt"
    assert build(data, "--published", str(other)) == 0
    assert not (data / PUBLISHED).exists()
    assert build(data, "--published", str(other), "--check") == 0


def test_check_published_without_a_build() -> None:
    published = read_published(Path("nowhere") / PUBLISHED)
    assert not published.exists
    problems = check_published(published, [], set())
    assert [problem.field for problem in problems] == ["file"]
    assert all(isinstance(problem, Problem) for problem in problems)
