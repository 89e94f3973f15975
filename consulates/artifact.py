"""The compiled registry's file: JSON Lines, one office a line, grouped by sending state.

The first line is a header: the format version, the SHA-256 of the data it was compiled
from, the cities and retired ids, and an index giving, for each sending state, the byte
range of its offices and a CRC-32 of those bytes. A query about one state reads and
decodes that state's lines only; a damaged range is caught by its CRC when it is read.
The same data always gives the same bytes.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from sys import intern
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from consulates.groups import Group
    from consulates.lifespans import Lifespan

from consulates.dates import DateBounds, Dating, PartialDate
from consulates.errors import DataError, Problem
from consulates.model import Claim, Event, EventType, Kind, Location, Office, Source

__all__ = ["FORMAT", "REBUILD", "Artifact", "load_artifact", "office_from_artifact", "read_artifact", "render_artifact"]

FORMAT = 2
"""Version of the layout; bumped when it changes."""

REBUILD = "python -m consulates.datafiles"
"""The command that rebuilds the artifact, named in every error about it."""


def _line(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def render_artifact(
    offices_by_sending: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    cities: Sequence[Mapping[str, Any]],
    retired: Sequence[Mapping[str, Any]],
    source_sha256: str,
    groups: Sequence[Mapping[str, Any]] = (),
    states: Sequence[Mapping[str, Any]] = (),
) -> bytes:
    """The artifact's bytes: offices given as mappings in the data schema, already in order."""
    chunks = {
        code: b"".join(_line(office) for office in offices_by_sending[code]) for code in sorted(offices_by_sending)
    }
    hosts: dict[str, set[str]] = {}
    for code, offices in offices_by_sending.items():
        for office in offices:
            hosts.setdefault(office["host"], set()).add(code)

    def header(offset: int) -> bytes:
        index = {}
        for code, chunk in chunks.items():
            index[code] = [offset, offset + len(chunk), zlib.crc32(chunk)]
            offset += len(chunk)
        return _line(
            {
                "format": FORMAT,
                "generated_by": f"{REBUILD} (do not edit)",
                "source_sha256": source_sha256,
                "index": index,
                "hosts": {host: sorted(codes) for host, codes in sorted(hosts.items())},
                "cities": list(cities),
                "retired": list(retired),
                "groups": list(groups),
                "states": list(states),
            }
        )

    # The header holds offsets that depend on its own length: grow it until it fits itself.
    size = 0
    while len(head := header(size)) != size:
        size = len(head)
    return head + b"".join(chunks.values())


@attrs.frozen
class Artifact:
    """A read artifact: its header, and where each sending state's lines are."""

    name: str
    header: Mapping[str, Any]
    ranges: Mapping[str, tuple[int, int, int]]
    """Sending state -> (first byte, end byte, CRC-32 of those bytes)."""
    read: Callable[[int, int], bytes]
    """Reads a byte range of the file (the file is not kept in memory)."""

    def problem(self, field: str, message: str) -> DataError:
        return DataError([Problem(self.name, 0, field, f"{message}; rebuild it with `{REBUILD}`")])

    def offices(self, code: str) -> Iterator[dict[str, Any]]:
        """The raw office mappings of one sending state, checked against the CRC.

        One line is decoded at a time, so the memory a record's mapping used is reused by
        the next one instead of a whole state's mappings being held at once.
        """
        start, stop, crc = self.ranges[code]
        try:
            chunk = self.read(start, stop)
        except OSError as error:
            raise self.problem(f"index.{code}", f"unreadable ({error.strerror or error})") from None
        if len(chunk) != stop - start or zlib.crc32(chunk) != crc:
            raise self.problem(f"index.{code}", "the offices of this state are damaged (checksum mismatch)")
        for line in chunk.splitlines():
            try:
                value = json.loads(line)
            except ValueError as error:
                raise self.problem(f"index.{code}", f"unreadable ({error})") from None
            if not isinstance(value, dict):
                raise self.problem(f"index.{code}", "offices are not JSON objects")
            yield value

    @property
    def hosts(self) -> Mapping[str, Sequence[str]]:
        """Host -> the sending states with offices there."""
        hosts: Mapping[str, Sequence[str]] = self.header.get("hosts", {})
        return hosts


def _parse_header(line: bytes, size: int, name: str) -> tuple[Mapping[str, Any], dict[str, tuple[int, int, int]]]:
    def fail(field: str, message: str) -> DataError:
        return DataError([Problem(name, 0, field, f"{message}; rebuild it with `{REBUILD}`")])

    try:
        header = json.loads(line)
    except ValueError as error:
        raise fail("header", f"unreadable ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail("format", f"not a format {FORMAT} registry")
    index = header.get("index")
    if not isinstance(index, dict):
        raise fail("index", "missing")
    ranges = {}
    for code, entry in index.items():
        if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(item, int) for item in entry)):
            raise fail(f"index.{code}", "malformed")
        start, stop, crc = entry
        if not len(line) <= start <= stop <= size:
            raise fail(f"index.{code}", "points outside the file (truncated?)")
        ranges[code] = (start, stop, crc)
    return header, ranges


def read_artifact(data: bytes, name: str) -> Artifact:
    """An artifact held in memory; any damage to the layout raises DataError."""
    end = data.find(b"\n")
    header, ranges = _parse_header(data[: end + 1 if end >= 0 else len(data)], len(data), name)
    return Artifact(name, header, ranges, lambda start, stop: data[start:stop])


def load_artifact(path: str) -> Artifact:
    """The artifact at ``path``: only its header is read now, each state's lines when asked for."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as file:
            line = file.readline()
    except FileNotFoundError:
        raise DataError([Problem(path, 0, "registry", f"missing; build it with `{REBUILD}`")]) from None
    except OSError as error:
        raise DataError(
            [Problem(path, 0, "registry", f"unreadable ({error.strerror or error}); rebuild it with `{REBUILD}`")]
        ) from None
    header, ranges = _parse_header(line, size, path)

    def read(start: int, stop: int) -> bytes:
        with open(path, "rb") as file:
            file.seek(start)
            return file.read(stop - start)

    return Artifact(path, header, ranges, read)


# -- records ----------------------------------------------------------------------------------
# Records in the artifact were checked by the build; reading them again field by field would
# cost more than the rest of a query. These readers trust the layout and check nothing.


_DATES: dict[str, PartialDate] = {}
"""Dates are immutable and repeat (sources read on the same day): one object per date."""


def _trusted_dating(value: str | dict[str, str]) -> Dating:
    if isinstance(value, str):
        found = _DATES.get(value)
        if found is None:
            found = _DATES[value] = PartialDate(*map(int, value.split("-")))
        return found
    low, high = value.get("not_before"), value.get("not_after")
    return DateBounds(
        not_before=None if low is None else _trusted_dating(low),  # type: ignore[arg-type]
        not_after=None if high is None else _trusted_dating(high),  # type: ignore[arg-type]
    )


def _trusted_source(value: str | dict[str, Any], cache: SourceCache) -> Source:
    if isinstance(value, str):
        found = cache.get(value)
        if found is None:
            found = cache[value] = Source(url=value)
        return found
    # A source cited by many records (a ministry's list of missions) is one object. The
    # source is its own key: the cache keeps no second copy of its fields.
    date = value.get("date")
    supports = tuple(value.get("supports", ()))
    source = Source(
        url=value.get("url"),
        citation=value.get("citation"),
        title=value.get("title"),
        date=None if date is None else _trusted_dating(date),
        supports=_SUPPORTS.setdefault(supports, supports),
    )
    found = cache.setdefault(source, source)
    return found


SourceCache = dict[str | Source, Source]
"""Sources already decoded: a plain URL by itself, a full source by itself (equal sources are one object)."""

_SUPPORTS: dict[tuple[str, ...], tuple[str, ...]] = {}
"""The few combinations of supported fields, one tuple each."""


_NO_NAMES: Mapping[str, str] = MappingProxyType({})
"""Shared by every office without names: most have none, and an empty dict each costs memory."""


_SHARED: dict[str, str] = {}
_CODES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _codes(items: Sequence[str]) -> tuple[str, ...]:
    """A district: most repeat (an embassy's is its host), so each distinct one is a single tuple."""
    codes = tuple(map(intern, items))
    return _CODES.setdefault(codes, codes)


def _shared(text: str) -> str:
    """One copy of a text that many records repeat word for word (importers' notes)."""
    return _SHARED.setdefault(text, text)


def office_from_artifact(raw: dict[str, Any], cache: SourceCache) -> Office:
    """An office from the compiled artifact, without re-checking it; ``cache`` shares equal plain-URL sources.

    Codes and city names repeat across thousands of offices: they are interned, so the
    registry holds one copy of each.
    """
    location = raw.get("location")
    opened, closed = raw.get("opened"), raw.get("closed")
    events = raw.get("event")
    claims = raw.get("claim")
    city, subdivision = raw.get("city"), raw.get("subdivision")
    return Office(
        id=raw["id"],
        kind=Kind(raw["kind"]),
        sending=intern(raw["sending"]),
        host=intern(raw["host"]),
        sources=tuple(_trusted_source(source, cache) for source in raw["sources"]),
        city=None if city is None else intern(city),
        subdivision=None if subdivision is None else intern(subdivision),
        location=None
        if location is None
        else Location(location[0], location[1], intern(raw.get("location_precision", "site"))),
        opened=None if opened is None else _trusted_dating(opened),
        closed=None if closed is None else _trusted_dating(closed),
        jurisdiction=_codes(raw.get("jurisdiction", ())),
        names=MappingProxyType(raw["names"]) if raw.get("names") else _NO_NAMES,
        address=raw.get("address"),
        website=raw.get("website"),
        wikidata=raw.get("wikidata"),
        events=() if events is None else tuple(_trusted_event(event, cache) for event in events),
        claims=() if claims is None else tuple(_trusted_claim(claim, cache) for claim in claims),
        notes=None if raw.get("notes") is None else _shared(raw["notes"]),
        predecessors=tuple(raw.get("predecessors", ())),
        seated_in=raw.get("seated_in"),
        organisation=raw.get("organisation"),
    )


def _trusted_event(raw: dict[str, Any], cache: SourceCache) -> Event:
    return Event(
        date=_trusted_dating(raw["date"]),
        type=EventType(raw["type"]),
        from_kind=Kind(raw["from"]) if "from" in raw else None,
        to_kind=Kind(raw["to"]) if "to" in raw else None,
        city=raw.get("city"),
        from_city=raw.get("from_city"),
        location=None if "location" not in raw else Location(raw["location"][0], raw["location"][1]),
        name=raw.get("name"),
        from_name=raw.get("from_name"),
        note=raw.get("note"),
        sources=tuple(_trusted_source(source, cache) for source in raw.get("sources", ())),
    )


def _trusted_claim(raw: dict[str, Any], cache: SourceCache) -> Claim:
    return Claim(
        ordinal=raw["ordinal"],
        text=raw["text"],
        count_sars=raw.get("count_sars", True),
        include_closed=raw.get("include_closed", True),
        kinds=tuple(raw.get("kinds", ())),
        sending=raw.get("sending"),
        host=raw.get("host"),
        subdivision=raw.get("subdivision"),
        city=raw.get("city"),
        sources=tuple(_trusted_source(source, cache) for source in raw["sources"]),
    )


def group_from_artifact(raw: Mapping[str, Any], cache: SourceCache) -> Group:
    """A group from the compiled artifact's header, without re-checking it (the build did)."""
    from consulates.groups import Group, Member

    members = []
    for item in raw["members"]:
        if isinstance(item, str):
            members.append(Member(item))
        else:
            since, until = item.get("since"), item.get("until")
            members.append(
                Member(
                    item["code"],
                    None if since is None else _trusted_dating(since),  # type: ignore[arg-type]
                    None if until is None else _trusted_dating(until),  # type: ignore[arg-type]
                )
            )
    return Group(
        id=raw["id"],
        name=raw["name"],
        of=raw["of"],
        members=tuple(members),
        sources=tuple(_trusted_source(source, cache) for source in raw.get("sources", ())),
        aliases=tuple(raw.get("aliases", ())),
        notes=raw.get("notes"),
    )


def lifespan_from_artifact(raw: Mapping[str, Any], cache: SourceCache) -> Lifespan:
    """A state's lifespan from the compiled artifact's header, without re-checking it."""
    from consulates.lifespans import Lifespan

    since, until, provisional = raw.get("since"), raw.get("until"), raw.get("provisional_since")
    return Lifespan(
        code=raw["code"],
        sources=tuple(_trusted_source(source, cache) for source in raw.get("sources", ())),
        since=None if since is None else _trusted_dating(since),  # type: ignore[arg-type]
        until=None if until is None else _trusted_dating(until),  # type: ignore[arg-type]
        successor=raw.get("successor"),
        provisional_since=None if provisional is None else _trusted_dating(provisional),  # type: ignore[arg-type]
    )
