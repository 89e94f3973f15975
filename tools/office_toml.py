"""Data files written from Office records, for the importers' generated files.

The mapping is :func:`consulates.codec.encode_office`'s, the one schema the loader reads
back, so a generated record cannot drift from what the registry decodes. tomlkit writes
it: a date known to the day is a TOML date and a less precise one a string, as in the
curated files; a list of more than one source is written one source a line. A re-run
gives byte-identical output, so a change to the data shows as a readable diff.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Table

from consulates.codec import encode_office
from consulates.model import Office

__all__ = ["render_file"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = frozenset({"opened", "closed", "date"})


def _date(value: Any) -> Any:
    """A date known to the day as a TOML date; a year, a month or bounds as written."""
    if isinstance(value, str) and _DAY.match(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, Mapping):
        return _inline({key: _date(bound) for key, bound in value.items()})
    return value


def _inline(value: Mapping[str, Any]) -> InlineTable:
    table = tomlkit.inline_table()
    for key, item in value.items():
        table.append(key, _date(item) if key in _DATE_KEYS else item)
    return table


def _sources(sources: Sequence[str | Mapping[str, Any]]) -> Array:
    array = tomlkit.array()
    for source in sources:
        array.append(source if isinstance(source, str) else _inline(source))
    return array.multiline(len(array) > 1)


def _table(fields: Mapping[str, Any]) -> Table:
    """One record (an office or an event) with its fields in the schema's order."""
    table = tomlkit.table()
    for key, value in fields.items():
        if key == "sources":
            table.append(key, _sources(value))
        elif key == "event":
            events = tomlkit.aot()
            for event in value:
                events.append(_table(event))
            table.append(key, events)
        elif key in _DATE_KEYS:
            table.append(key, _date(value))
        elif isinstance(value, Mapping):
            table.append(key, _inline(value))
        else:
            table.append(key, value)
    return table


def render_file(header: Iterable[str], offices: Iterable[Office]) -> str:
    """A whole data file: the ``header`` comment lines, a blank line, then one ``[[office]]`` per office.

    The sending state is the file's name, so it is not written in the records.
    """
    document = tomlkit.document()
    for line in header:
        document.add(tomlkit.comment(line.removeprefix("# ").removeprefix("#")))
    document.add(tomlkit.nl())
    records: AoT = tomlkit.aot()
    for office in offices:
        fields = encode_office(office)
        del fields["sending"]
        records.append(_table(fields))
    document.append("office", records)
    return tomlkit.dumps(document)
