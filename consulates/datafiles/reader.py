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


MAX_NESTING = 100
"""Arrays and inline tables nested deeper than this are refused before parsing: tomllib
recurses once per level, so whether it copes would depend on the caller's stack."""


@attrs.frozen
class _Layout:
    """What a light scan of a TOML text tells before parsing it."""

    in_string: tuple[bool, ...]
    """Per line: whether the line starts inside a multi-line string (so it is no header or key)."""
    too_deep: int | None
    """The first line where nesting passes MAX_NESTING, if any."""


def _layout(text: str) -> _Layout:
    """Scan strings, comments and brackets the way TOML reads them, line by line."""
    starts: list[bool] = []
    state = ""  # "", '"', "'", '"""', "'''" or "#"
    depth, too_deep, line, index, size = 0, None, 1, 0, len(text)
    starts.append(False)
    while index < size:
        char = text[index]
        if char == "\n":
            if state in ('"', "'", "#"):
                state = ""
            line += 1
            starts.append(state in ('"""', "'''"))
            index += 1
            continue
        if state == "#":
            index += 1
        elif state in ('"', '"""') and char == "\\":
            index += 2
        elif state:
            closing = text.startswith(state, index)
            index += len(state) if closing else 1
            state = "" if closing else state
        elif char == "#":
            state, index = "#", index + 1
        elif char in "\"'":
            state = char * 3 if text.startswith(char * 3, index) else char
            index += len(state)
        else:
            if char in "[{":
                depth += 1
                if depth > MAX_NESTING and too_deep is None:
                    too_deep = line
            elif char in "]}":
                depth = max(depth - 1, 0)
            index += 1
    return _Layout(tuple(starts), too_deep)


def _locate(text: str, table: str) -> list[Lines]:
    """Lines of each ``[[table]]`` record, its keys, and its ``[[table.sub]]`` sub-tables."""
    records: list[tuple[int, dict[str, int]]] = []
    current: dict[str, int] | None = None
    prefix = ""
    counts: dict[str, int] = {}
    in_string = _layout(text).in_string
    for number, line in enumerate(_lines(text), start=1):
        if number <= len(in_string) and in_string[number - 1]:
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
    too_deep = _layout(text).too_deep
    if too_deep is not None:
        return None, text, [Problem(display, too_deep, "toml", f"nested more than {MAX_NESTING} levels deep")]
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
    """The first line that writes top-level ``key``, as a key or as a table header."""
    name = key or '""'
    for number, line in enumerate(_lines(text), start=1):
        found = _KEY.match(line) or _HEADER.match(line)
        if found and _key_name(found.group(1).split(".")[0]) == name:
            return number
        if line.strip() and line.strip().strip("[]").strip() == key:
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
        problems.append(Problem(display, line, key or '""', f"unknown top-level key (records go in [[{table}]])"))
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
