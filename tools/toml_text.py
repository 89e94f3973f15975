"""Writing TOML values by hand, for the importers' generated data files.

The importers write their files field by field, in a fixed order, so that a re-run gives
byte-identical output and a change to the data shows as a readable diff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from consulates.dates import PartialDate
from consulates.model import Source

__all__ = ["toml_date", "toml_source", "toml_sources", "toml_string", "toml_strings"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string, escaped (quotes, backslashes, control characters)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_strings(values: Iterable[str]) -> str:
    """An inline array of strings."""
    return "[" + ", ".join(toml_string(value) for value in values) + "]"


def toml_date(value: PartialDate | dt.date | str) -> str:
    """A date as the data files write it: a TOML date when known to the day, else ``"YYYY"`` or ``"YYYY-MM"``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, PartialDate):
        return str(value) if value.precision == "day" else toml_string(str(value))
    return toml_string(value)


def toml_source(source: Source) -> str:
    """A source as the data files write it: the bare URL, or an inline table when it says more."""
    if source.url and not (source.citation or source.title or source.date or source.supports):
        return toml_string(source.url)
    parts = []
    if source.url:
        parts.append(f"url = {toml_string(source.url)}")
    if source.citation:
        parts.append(f"citation = {toml_string(source.citation)}")
    if source.title:
        parts.append(f"title = {toml_string(source.title)}")
    if isinstance(source.date, PartialDate):
        parts.append(f"date = {toml_date(source.date)}")
    if source.supports:
        parts.append(f"supports = {toml_strings(source.supports)}")
    return "{ " + ", ".join(parts) + " }"


def toml_sources(sources: Sequence[Source | str]) -> str:
    """A ``sources = …`` value: one line for a single source, else one source a line."""
    items = [toml_string(item) if isinstance(item, str) else toml_source(item) for item in sources]
    if len(items) == 1:
        return f"[{items[0]}]"
    return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
