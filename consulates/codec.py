"""Records to plain mappings and back.

One schema serves both the human-edited TOML files and the compiled JSON artifact, so
the loader and the validator read records with the same code. Every problem in a record
is reported with the field it is in; a record with any problem is not returned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from consulates.dates import DateBounds, Dating, PartialDate, parse_dating
from consulates.model import KIND_FAMILIES, Claim, Event, EventType, Kind, Location, Office, Source

__all__ = [
    "HTTP_URL",
    "SUPPORTS",
    "WIKIDATA_ITEM",
    "decode_claim",
    "decode_office",
    "decode_sources",
    "encode_office",
    "encode_source",
]

Report = Callable[[str, str], None]
"""Called with (field, message) for each problem found."""

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STATE = re.compile(r"^[A-Z]{2}(?:[A-Z]{2})?$")
_SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_ORGANISATION = re.compile(r"^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
WIKIDATA_ITEM = re.compile(r"^Q[1-9][0-9]*$")
"""A Wikidata item id (``Q72019286``): offices' ``wikidata``, retirements' withdrawn items."""
HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
"""An http(s) URL as sources and websites must give it: the one check the importers share."""
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_MAX_TEXT = 2000

SUPPORTS = frozenset(
    {
        "id", "kind", "host", "city", "subdivision", "location", "opened", "closed",
        "jurisdiction", "names", "address", "website", "wikidata", "history", "claim",
        "predecessors", "seated_in", "organisation",
    }
)  # fmt: skip
"""The fields a source may say it supports."""

_OFFICE_KEYS = frozenset(
    {
        "id", "kind", "sending", "host", "city", "subdivision", "location", "location_precision",
        "opened", "closed", "jurisdiction", "names", "address", "website", "wikidata",
        "sources", "notes", "event", "claim", "predecessors", "seated_in", "organisation",
    }
)  # fmt: skip
_EVENT_KEYS = frozenset(
    {"date", "type", "from", "to", "city", "from_city", "location", "name", "from_name", "note", "sources"}
)
_CLAIM_KEYS = frozenset(
    {"ordinal", "text", "count_sars", "include_closed", "kinds", "sending", "host", "subdivision", "city", "sources"}
)
_MOVE_KEYS = frozenset({"city", "from_city", "location"})
_RENAME_KEYS = frozenset({"name", "from_name"})
_SOURCE_KEYS = frozenset({"url", "citation", "title", "date", "supports"})


class _FieldError(Exception):
    """A field's value is unusable; carries the message for the report."""


def _text(value: object, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise _FieldError("is required")
        return None
    if not isinstance(value, str):
        raise _FieldError(f"must be text, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise _FieldError("is empty")
    if len(text) > _MAX_TEXT:
        raise _FieldError(f"is longer than {_MAX_TEXT} characters")
    if any((ord(char) < 32 and char not in "\t\n") or ord(char) == 127 for char in text):
        raise _FieldError("contains control characters")
    return text


def _pattern(value: object, pattern: re.Pattern[str], what: str, *, required: bool = False) -> str | None:
    text = _text(value, required=required)
    if text is not None and not pattern.match(text):
        raise _FieldError(f"{text!r} is not {what}")
    return text


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise _FieldError(f"must be a list, not {type(value).__name__}")
    return value


def _table(value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _FieldError(f"must be a table, not {type(value).__name__}")
    return value


def _dating(value: object) -> Dating | None:
    if value is None:
        return None
    try:
        return parse_dating(value)
    except (ValueError, TypeError) as error:
        raise _FieldError(str(error)) from None


def _kind(value: object) -> Kind:
    if not isinstance(value, str):
        raise _FieldError(f"must be text, not {type(value).__name__}")
    try:
        return Kind(value)
    except ValueError:
        try:
            Kind.parse(value)
        except ValueError as error:
            raise _FieldError(str(error)) from None
        raise _FieldError(f"write kinds as in the data format: {Kind.parse(value).value!r}") from None


def _source(value: object) -> Source:
    if isinstance(value, str):
        url = _pattern(value, HTTP_URL, "an http(s) URL")
        return Source(url=url)
    raw = _table(value)
    unknown = sorted(set(raw) - _SOURCE_KEYS)
    if unknown:
        raise _FieldError(f"unknown key {unknown[0]!r}")
    url = _pattern(raw.get("url"), HTTP_URL, "an http(s) URL")
    citation = _text(raw.get("citation"))
    if url is None and citation is None:
        raise _FieldError("a source needs a url or a citation")
    supports = tuple(_text(item, required=True) or "" for item in _list(raw.get("supports", [])))
    for item in supports:
        if item not in SUPPORTS:
            raise _FieldError(f"supports unknown field {item!r}")
    return Source(
        url=url,
        citation=citation,
        title=_text(raw.get("title")),
        date=_dating(raw.get("date")),
        supports=supports,
    )


def _sources(value: object, *, required: bool) -> tuple[Source, ...]:
    if value is None:
        if required:
            raise _FieldError("every record needs at least one source")
        return ()
    items = _list(value)
    if required and not items:
        raise _FieldError("every record needs at least one source")
    found = []
    for index, item in enumerate(items):
        try:
            found.append(_source(item))
        except _FieldError as error:
            raise _FieldError(f"source {index + 1}: {error}") from None
    return tuple(found)


def decode_sources(value: object) -> tuple[Source, ...]:
    """At least one source, as a data file gives them; a ValueError says what is wrong."""
    try:
        return _sources(value, required=True)
    except _FieldError as error:
        raise ValueError(f"sources: {error}") from None


def decode_claim(raw: Mapping[str, Any]) -> Claim:
    """A claim from its table, as in ``[[office.claim]]``; a ValueError says what is wrong."""
    try:
        return _claim(raw)
    except _FieldError as error:
        raise ValueError(str(error)) from None


def encode_source(source: Source) -> str | dict[str, Any]:
    """A source as a data file writes it: a bare URL, or a table."""
    return _source_value(source)


def _location(value: object, precision: object) -> Location | None:
    if value is None:
        if precision is not None:
            raise _FieldError("location_precision without a location")
        return None
    items = _list(value)
    if len(items) != 2 or not all(isinstance(item, int | float) and not isinstance(item, bool) for item in items):
        raise _FieldError("must be [latitude, longitude] in degrees")
    try:
        latitude, longitude = float(items[0]), float(items[1])
    except OverflowError:
        raise _FieldError("a coordinate is out of range") from None
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise _FieldError(f"latitude {items[0]} is out of range")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise _FieldError(f"longitude {items[1]} is out of range")
    level = "site" if precision is None else precision
    if level not in ("site", "city"):
        raise _FieldError(f"location_precision must be 'site' or 'city', not {precision!r}")
    return Location(latitude, longitude, level)


def _codes(value: object) -> tuple[str, ...]:
    codes = []
    for item in _list(value):
        if not isinstance(item, str) or not (_STATE.match(item) or _SUBDIVISION.match(item)):
            raise _FieldError(f"{item!r} is not an ISO 3166-1 or 3166-2 code")
        codes.append(item)
    if len(set(codes)) != len(codes):
        raise _FieldError("lists a code twice")
    return tuple(codes)


def _ids(value: object) -> tuple[str, ...]:
    ids = tuple(_pattern(item, _ID, "an office id", required=True) or "" for item in _list(value))
    if len(set(ids)) != len(ids):
        raise _FieldError("lists an id twice")
    return ids


def _names(value: object) -> dict[str, str]:
    names = {}
    for language, text in _table(value).items():
        if not _LANGUAGE.match(language):
            raise _FieldError(f"{language!r} is not a language tag")
        names[language] = _text(text, required=True) or ""
    return names


def _event(raw: Mapping[str, Any]) -> Event:
    unknown = sorted(set(raw) - _EVENT_KEYS)
    if unknown:
        raise _FieldError(f"unknown key {unknown[0]!r}")
    date = _dating(raw.get("date"))
    if date is None:
        raise _FieldError("date is required")
    type_name = _text(raw.get("type"), required=True)
    try:
        kind = EventType(type_name)
    except ValueError:
        allowed = ", ".join(item.value for item in EventType if item is not EventType.OPENED)
        raise _FieldError(f"unknown event type {type_name!r} (one of {allowed})") from None
    if kind is EventType.OPENED:
        raise _FieldError("the first opening is the office's 'opened' field, not an event")
    from_kind = to_kind = None
    if kind.changes_kind:
        if raw.get("from") is None or raw.get("to") is None:
            raise _FieldError(f"an {kind.value} event needs 'from' and 'to' kinds")
        from_kind, to_kind = _kind(raw["from"]), _kind(raw["to"])
        if from_kind is to_kind:
            raise _FieldError("'from' and 'to' are the same kind")
        # The ranks order the kinds, except between an embassy's branch office and a consular
        # post (a branch raised to a consulate general): that change is as its sources call it.
        branch = Kind.EMBASSY_OFFICE in (from_kind, to_kind) and (
            from_kind.is_career_consular or to_kind.is_career_consular
        )
        if not branch and (to_kind.rank < from_kind.rank) != (kind is EventType.UPGRADED):
            raise _FieldError(f"{from_kind.value} to {to_kind.value} is not {kind.value}")
    elif "from" in raw or "to" in raw:
        raise _FieldError("'from' and 'to' belong to upgraded and downgraded events")
    for key in sorted(_MOVE_KEYS & set(raw)) if kind is not EventType.MOVED else ():
        raise _FieldError(f"{key!r} belongs to moved events")
    for key in sorted(_RENAME_KEYS & set(raw)) if kind is not EventType.RENAMED else ():
        raise _FieldError(f"{key!r} belongs to renamed events")
    city = _text(raw.get("city"))
    if kind is EventType.MOVED and city is None:
        raise _FieldError("a moved event needs the 'city' moved to")
    name = _text(raw.get("name"))
    try:
        location = _location(raw.get("location"), None)
    except _FieldError as error:
        raise _FieldError(f"location: {error}") from None
    return Event(
        date=date,
        type=kind,
        from_kind=from_kind,
        to_kind=to_kind,
        city=city,
        from_city=_text(raw.get("from_city")),
        location=location,
        name=name,
        from_name=_text(raw.get("from_name")),
        note=_text(raw.get("note")),
        sources=_sources(raw.get("sources"), required=False),
    )


def _claim(raw: Mapping[str, Any]) -> Claim:
    unknown = sorted(set(raw) - _CLAIM_KEYS)
    if unknown:
        raise _FieldError(f"unknown key {unknown[0]!r}")
    ordinal = raw.get("ordinal")
    if not isinstance(ordinal, int) or isinstance(ordinal, bool) or ordinal < 1:
        raise _FieldError("ordinal must be a whole number from 1")
    flags = {}
    for key in ("count_sars", "include_closed"):
        flag = raw.get(key, True)
        if not isinstance(flag, bool):
            raise _FieldError(f"{key} must be true or false")
        flags[key] = flag
    kinds = []
    for item in _list(raw.get("kinds", [])):
        kinds.append(item if item in KIND_FAMILIES else _kind(item).value)
    return Claim(
        ordinal=ordinal,
        text=_text(raw.get("text"), required=True) or "",
        count_sars=flags["count_sars"],
        include_closed=flags["include_closed"],
        kinds=tuple(kinds),
        sending=_text(raw.get("sending")),
        host=_text(raw.get("host")),
        subdivision=_text(raw.get("subdivision")),
        city=_text(raw.get("city")),
        sources=_sources(raw.get("sources"), required=True),
    )


def _each(value: object, read: Callable[[Mapping[str, Any]], Any], field: str, report: Report) -> tuple[Any, ...]:
    """Read a list of sub-tables, reporting problems as ``field[n]``."""
    if value is None:
        return ()
    try:
        items = _list(value)
    except _FieldError as error:
        report(field, str(error))
        return ()
    found = []
    for index, item in enumerate(items):
        try:
            found.append(read(_table(item)))
        except _FieldError as error:
            report(f"{field}[{index + 1}]", str(error))
    return tuple(found)


def decode_office(raw: Mapping[str, Any], report: Report) -> Office | None:
    """An office from its mapping, or None after reporting every problem in it."""
    problems = 0

    def problem(field: str, message: str) -> None:
        nonlocal problems
        problems += 1
        report(field, message)

    for key in sorted(set(raw) - _OFFICE_KEYS):
        problem(key or '""', "unknown field")

    def read(field: str, reader: Callable[[], Any]) -> Any:
        try:
            return reader()
        except _FieldError as error:
            problem(field, str(error))
            return None

    office_id = read(
        "id", lambda: _pattern(raw.get("id"), _ID, "a lowercase id of letters, digits and hyphens", required=True)
    )
    kind = read("kind", lambda: _kind(raw.get("kind")) if raw.get("kind") is not None else _raise("is required"))
    sending = read("sending", lambda: _pattern(raw.get("sending"), _STATE, "a state code", required=True))
    host = read("host", lambda: _pattern(raw.get("host"), _STATE, "a state code", required=True))
    fields = {
        "city": read("city", lambda: _text(raw.get("city"))),
        "subdivision": read(
            "subdivision", lambda: _pattern(raw.get("subdivision"), _SUBDIVISION, "an ISO 3166-2 code")
        ),
        "location": read("location", lambda: _location(raw.get("location"), raw.get("location_precision"))),
        "opened": read("opened", lambda: _dating(raw.get("opened"))),
        "closed": read("closed", lambda: _dating(raw.get("closed"))),
        "jurisdiction": read("jurisdiction", lambda: _codes(raw.get("jurisdiction", []))),
        "names": read("names", lambda: _names(raw.get("names", {}))),
        "address": read("address", lambda: _text(raw.get("address"))),
        "website": read("website", lambda: _pattern(raw.get("website"), HTTP_URL, "an http(s) URL")),
        "wikidata": read("wikidata", lambda: _pattern(raw.get("wikidata"), WIKIDATA_ITEM, "a Wikidata item id (Q…)")),
        "notes": read("notes", lambda: _text(raw.get("notes"))),
        "predecessors": read("predecessors", lambda: _ids(raw.get("predecessors", []))),
        "seated_in": read("seated_in", lambda: _pattern(raw.get("seated_in"), _STATE, "a state code")),
        "organisation": read(
            "organisation", lambda: _pattern(raw.get("organisation"), _ORGANISATION, "an organisation's acronym")
        ),
    }
    sources = read("sources", lambda: _sources(raw.get("sources"), required=True))
    events = _each(raw.get("event"), _event, "event", problem)
    claims = _each(raw.get("claim"), _claim, "claim", problem)
    if problems:
        return None
    return Office(
        id=office_id,
        kind=kind,
        sending=sending,
        host=host,
        sources=sources,
        events=events,
        claims=claims,
        **fields,
    )


def _raise(message: str) -> None:
    raise _FieldError(message)


def _date_value(value: Dating) -> str | dict[str, str]:
    if isinstance(value, PartialDate):
        return str(value)
    assert isinstance(value, DateBounds)
    bounds = {"not_before": value.not_before, "not_after": value.not_after}
    return {key: str(bound) for key, bound in bounds.items() if bound is not None}


def _source_value(source: Source) -> str | dict[str, Any]:
    if source.url and not (source.citation or source.title or source.date or source.supports):
        return source.url
    value: dict[str, Any] = {
        "url": source.url,
        "citation": source.citation,
        "title": source.title,
        "date": _date_value(source.date) if source.date else None,
        "supports": list(source.supports),
    }
    return _compact(value)


def _compact(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if item not in (None, [], {}, ())}


def encode_office(office: Office) -> dict[str, Any]:
    """The office as a mapping in the data-file schema (dates as ISO text), empty fields left out."""
    value: dict[str, Any] = {
        "id": office.id,
        "kind": office.kind.value,
        "sending": office.sending,
        "host": office.host,
        "city": office.city,
        "subdivision": office.subdivision,
        "location": [office.location.latitude, office.location.longitude] if office.location else None,
        "location_precision": (
            office.location.precision if office.location and office.location.precision != "site" else None
        ),
        "opened": _date_value(office.opened) if office.opened else None,
        "closed": _date_value(office.closed) if office.closed else None,
        "jurisdiction": list(office.jurisdiction),
        "names": dict(office.names),
        "address": office.address,
        "website": office.website,
        "wikidata": office.wikidata,
        "notes": office.notes,
        "predecessors": list(office.predecessors),
        "seated_in": office.seated_in,
        "organisation": office.organisation,
        "sources": [_source_value(source) for source in office.sources],
        "event": [
            _compact(
                {
                    "date": _date_value(event.date),
                    "type": event.type.value,
                    "from": event.from_kind.value if event.from_kind else None,
                    "to": event.to_kind.value if event.to_kind else None,
                    "city": event.city,
                    "from_city": event.from_city,
                    "location": [event.location.latitude, event.location.longitude] if event.location else None,
                    "name": event.name,
                    "from_name": event.from_name,
                    "note": event.note,
                    "sources": [_source_value(source) for source in event.sources],
                }
            )
            for event in office.events
        ],
        "claim": [
            _compact(
                {
                    "ordinal": claim.ordinal,
                    "text": claim.text,
                    "count_sars": claim.count_sars if not claim.count_sars else None,
                    "include_closed": claim.include_closed if not claim.include_closed else None,
                    "kinds": list(claim.kinds),
                    "sending": claim.sending,
                    "host": claim.host,
                    "subdivision": claim.subdivision,
                    "city": claim.city,
                    "sources": [_source_value(source) for source in claim.sources],
                }
            )
            for claim in office.claims
        ],
    }
    return _compact(value)
