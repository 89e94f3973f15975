"""Reading the human-edited TOML data files, keeping the line of every field.

``tomllib`` does not say where a value was written, so each file is also scanned line by
line for its table headers and keys: enough to point a curator at the line to fix.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from consulates.codec import decode_office
from consulates.errors import Problem
from consulates.model import Office

__all__ = ["Lines", "ParsedFile", "read_offices_file", "read_table_file"]

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_KEY = re.compile(r'^\s*([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')\s*=')
"""A key at the start of a line: bare, or quoted (even empty: ``"" = 1`` is valid TOML)."""
_TOML_LINE = re.compile(r"at line (\d+)")


@attrs.frozen
class Lines:
    """Where one record's fields were written in its file."""

    start: int
    fields: Mapping[str, int]
    """Top-level key -> line; sub-tables as ``event[1]``, ``claim[2]`` (1-based)."""

    def of(self, field: str) -> int:
        """The line of a field such as ``opened``, ``event[2]`` or ``event[2].date``; the record's start if unknown."""
        base = field.split(".", maxsplit=1)[0]
        for key in (field, base, base.split("[")[0]):
            if key in self.fields:
                return self.fields[key]
        return self.start


def _key_name(written: str) -> str:
    """A key as the checks name it: quotes removed, except that the empty key stays ``""`` so it can be seen."""
    if written[:1] in "\"'":
        return written[1:-1] or '""'
    return written


def _lines(text: str) -> list[str]:
    """The file's lines as TOML counts them: broken at \\n only (str.splitlines also breaks at U+2028 and others)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _multiline_state(line: str, inside: str | None) -> str | None:
    """Whether a multi-line string (\"\"\" or ''') is still open after this line, and with which delimiter.

    Good enough to keep lines inside such strings from being taken for headers or keys;
    quotes escaped inside a multi-line basic string are rare in the data and ignored.
    """
    position = 0
    while True:
        if inside is None:
            starts = [(line.find(mark, position), mark) for mark in ('"""', "'''")]
            found = [(index, mark) for index, mark in starts if index >= 0]
            if not found:
                return None
            index, inside = min(found)
            position = index + 3
        else:
            index = line.find(inside, position)
            if index < 0:
                return inside
            position, inside = index + 3, None


def _locate(text: str, table: str) -> list[Lines]:
    """Lines of each ``[[table]]`` record, its keys, and its ``[[table.sub]]`` sub-tables."""
    records: list[tuple[int, dict[str, int]]] = []
    current: dict[str, int] | None = None
    prefix = ""
    counts: dict[str, int] = {}
    inside_string: str | None = None
    for number, line in enumerate(_lines(text), start=1):
        starts_inside = inside_string is not None
        inside_string = _multiline_state(line, inside_string)
        if starts_inside:
            continue
        header = _HEADER.match(line)
        if header:
            name = header.group(1)
            if name == table:
                current, prefix, counts = {}, "", {}
                records.append((number, current))
            elif name.startswith(table + ".") and current is not None:
                sub = name[len(table) + 1 :]
                counts[sub] = counts.get(sub, 0) + 1
                prefix = f"{sub}[{counts[sub]}]"
                current.setdefault(prefix, number)
            else:
                current = None
            continue
        if line.lstrip().startswith("["):
            # A plain [table] header ends the current record's keys.
            current = None
            continue
        key = _KEY.match(line)
        if key and current is not None:
            name = _key_name(key.group(1))
            current.setdefault(f"{prefix}.{name}" if prefix else name, number)
    return [Lines(start, fields) for start, fields in records]


@attrs.frozen
class ParsedFile:
    """The records read from one file, each with its lines, and the problems met."""

    path: str
    records: tuple[tuple[Office, Lines], ...]
    problems: tuple[Problem, ...]


def _load_toml(path: Path, display: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, "", [Problem(display, 0, "file", f"not UTF-8 ({error.reason} at byte {error.start})")]
    except OSError as error:
        return None, "", [Problem(display, 0, "file", f"cannot be read ({error.strerror or error})")]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        return None, text, [Problem(display, int(found.group(1)) if found else 0, "toml", str(error))]
    except (ValueError, RecursionError) as error:
        # Valid TOML that Python cannot hold: an integer of thousands of digits, arrays nested thousands deep.
        what = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return None, text, [Problem(display, _failing_line(text, type(error)), "toml", f"cannot be read: {what}")]


def _failing_line(text: str, error: type[BaseException]) -> int:
    """The line at which parsing first raises ``error``: the shortest prefix of lines that raises it."""
    lines = text.split("\n")

    def fails(count: int) -> bool:
        try:
            tomllib.loads("\n".join(lines[:count]))
        except tomllib.TOMLDecodeError:
            return False
        except error:
            return True
        return False

    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if fails(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _first_line_of(text: str, key: str) -> int:
    for number, line in enumerate(_lines(text), start=1):
        found = _KEY.match(line) or _HEADER.match(line)
        if found and found.group(1).split(".")[0] == key:
            return number
        if line.strip().strip("[]").strip() == key:
            return number
    return 1


def read_table_file(
    path: Path, display: str, table: str, read: Callable[[Mapping[str, Any], Callable[[str, str], None]], Any]
) -> tuple[list[tuple[Any, Lines]], list[Problem]]:
    """Read every ``[[table]]`` of a file with ``read(raw, report)``; records with problems are dropped."""
    document, text, problems = _load_toml(path, display)
    if document is None:
        return [], problems
    for key in sorted(set(document) - {table}):
        line = _first_line_of(text, key)
        problems.append(Problem(display, line, key, f"unknown top-level key (records go in [[{table}]])"))
    raw_records = document.get(table, [])
    if not isinstance(raw_records, list):
        return [], [*problems, Problem(display, 1, table, f"must be written as [[{table}]] tables")]
    located = _locate(text, table)
    records = []
    for index, raw in enumerate(raw_records):
        lines = located[index] if index < len(located) else Lines(1, {})

        def report(field: str, message: str, lines: Lines = lines) -> None:
            problems.append(Problem(display, lines.of(field), field, message))

        if not isinstance(raw, dict):
            report(table, "must be a table")
            continue
        record = read(raw, report)
        if record is not None:
            records.append((record, lines))
    return records, problems


def read_offices_file(path: Path, display: str) -> ParsedFile:
    """The offices of one ``data/offices/<SENDING>.toml`` file; the sending state is the file's name."""
    sending = path.stem

    def read(raw: Mapping[str, Any], report: Callable[[str, str], None]) -> Office | None:
        if "sending" in raw and raw["sending"] != sending:
            report("sending", f"{raw['sending']!r} does not match the file name {sending!r}")
            return None
        return decode_office({**raw, "sending": sending}, report)

    records, problems = read_table_file(path, display, "office", read)
    return ParsedFile(display, tuple(records), tuple(problems))
