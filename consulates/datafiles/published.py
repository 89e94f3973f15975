"""The ids ever published, kept in ``published-ids.txt`` next to the data: the list only grows.

An office id is published when a build puts it in the compiled registry, and from then on
it must resolve for good (design principle 3): either a current office still has it, or
``retired.toml`` says where it went (a successor, which ``consulates.get`` follows) or why
it was withdrawn (a reason). ``python -m consulates.datafiles`` adds the ids of the current
offices to the list and never removes one; ``--check`` and tests/test_ids.py fail when

* a current office's id is not in the list (the build was not run), or
* a listed id is neither a current office's id nor retired (it was dropped or renamed
  without a trace, and whoever relied on it would now get nothing).

The file is sorted, one id a line, after a header of comments.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import attrs

from consulates.datafiles.checks import Located
from consulates.errors import Problem

__all__ = [
    "COMMAND",
    "HEADER",
    "PUBLISHED",
    "Published",
    "check_published",
    "read_published",
    "render_published",
    "unrecorded",
    "vanished",
]

PUBLISHED = "published-ids.txt"
"""The list's name in a data folder."""

COMMAND = "python -m consulates.datafiles"
"""What brings the list up to date."""

HEADER = """\
# Every office id ever published, one a line, sorted. `python -m consulates.datafiles` adds the
# ids of the current offices; no id is ever removed. Each id here must stay resolvable: an
# office in data/offices or data/imported has it, or data/retired.toml gives its successor
# (the office it became) or the reason it was withdrawn. Generated: do not edit by hand.
"""

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@attrs.frozen
class Published:
    """The list as read: the line of each id, and what is wrong with the file itself."""

    display: str
    exists: bool
    lines: Mapping[str, int]
    """Id -> the line it is on."""
    problems: tuple[Problem, ...] = ()
    """Lines that are not ids, or a file that cannot be read: a person must look (the build stops)."""
    untidy: tuple[Problem, ...] = ()
    """Ids out of order or listed twice: the build rewrites the list sorted."""

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.lines)


def read_published(path: Path, display: str | None = None) -> Published:
    """Read the list; a missing file is an empty list that does not exist."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Published(shown, False, {})
    except (OSError, UnicodeDecodeError) as error:
        return Published(shown, True, {}, (Problem(shown, 0, "file", f"cannot be read ({error})"),))
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    untidy: list[Problem] = []
    previous = ""
    for number, line in enumerate(text.split("\n"), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not _ID.match(entry):
            message = f"{entry!r} is not an office id; the list holds one id a line"
            problems.append(Problem(shown, number, "id", message))
        elif entry in lines:
            untidy.append(Problem(shown, number, "id", f"{entry!r} is listed twice (first on line {lines[entry]})"))
        else:
            if entry < previous:
                untidy.append(Problem(shown, number, "id", f"{entry!r} is out of order (the list is sorted)"))
            lines[entry] = number
            previous = max(previous, entry)
    return Published(shown, True, lines, tuple(problems), tuple(untidy))


def unrecorded(published: Published, offices: Iterable[Located], *, command: str = COMMAND) -> list[Problem]:
    """Current offices whose id is not in the list yet, each located at its id: the build adds them."""
    if not published.exists:
        return [Problem(published.display, 0, "file", f"the list of published ids is missing: run `{command}`")]
    return [
        Problem(
            file,
            lines.of("id"),
            "id",
            f"{office.id!r} is not in {published.display}: run `{command}` to record it as published",
        )
        for office, lines, file in offices
        if office.id not in published.lines
    ]


def vanished(
    published: Published, current: Collection[str], retired: Collection[str], *, retired_file: str
) -> list[Problem]:
    """Listed ids that no office has and that are not retired, each at its line of the list."""
    problems = []
    for office_id, line in sorted(published.lines.items(), key=lambda item: item[1]):
        if office_id in current or office_id in retired:
            continue
        message = (
            f"{office_id!r} was published, but no office has it now and {retired_file} does not retire it."
            f" Ids are never dropped: restore the office, or add to {retired_file}"
            f' [[retired]] id = "{office_id}" with successor = "<the id it became>"'
            ' or, if the record was wrong, reason = "<why>"'
        )
        problems.append(Problem(published.display, line, "id", message))
    return problems


def check_published(
    published: Published,
    offices: Collection[Located],
    retired: Collection[str],
    *,
    retired_file: str = "data/retired.toml",
    command: str = COMMAND,
) -> list[Problem]:
    """Everything wrong with the list against the data (what ``--check`` and the tests report)."""
    current = {office.id for office, _, _ in offices}
    found = list(published.problems) + list(published.untidy) + unrecorded(published, offices, command=command)
    return found + vanished(published, current, retired, retired_file=retired_file)


def render_published(*ids: Iterable[str]) -> str:
    """The list's text: the header, then every id given, once each, sorted."""
    merged: set[str] = set()
    for group in ids:
        merged.update(group)
    return HEADER + "".join(f"{office_id}\n" for office_id in sorted(merged))
