"""Reading and checking the reference tables: groups (data/groups.toml) and lifespans (data/states.toml)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from consulates import countries
from consulates.codec import decode_sources
from consulates.datafiles.reader import Lines, _load_toml
from consulates.dates import PartialDate
from consulates.errors import Problem
from consulates.groups import STATES, SUBDIVISIONS, Group, Groups, Member
from consulates.lifespans import Lifespan
from consulates.model import Kind, Office

__all__ = [
    "FILE",
    "Difference",
    "NetworkReference",
    "check_groups",
    "compare_network",
    "decode_group",
    "decode_lifespan",
    "decode_reference",
    "encode_group",
    "encode_lifespan",
    "load_networks",
]

FILE = "groups.toml"
KEYS = frozenset({"id", "name", "aliases", "of", "members", "sources", "notes"})


def decode_group(raw: Mapping[str, Any]) -> Group:
    """A group from its table; a ValueError names what is wrong."""
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    texts = {key: raw.get(key) for key in ("id", "name", "of")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{key} is required text")
    if raw["of"] not in (STATES, SUBDIVISIONS):
        raise ValueError(f"of is {STATES!r} or {SUBDIVISIONS!r}, not {raw['of']!r}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(item, str) and item.strip() for item in aliases):
        raise ValueError("aliases must be a list of names")
    members = raw.get("members")
    if not isinstance(members, list) or not members:
        raise ValueError("members must be a non-empty list")
    notes = raw.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise ValueError("notes must be text")
    return Group(
        id=raw["id"].strip(),
        name=raw["name"].strip(),
        of=raw["of"],
        members=tuple(_member(item) for item in members),
        sources=decode_sources(raw.get("sources")),
        aliases=tuple(item.strip() for item in aliases),
        notes=notes,
    )


def _member(value: object) -> Member:
    if isinstance(value, str):
        return Member(value.strip())
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        raise ValueError(f"a member is a code or {{ code = ..., since = ..., until = ... }}, not {value!r}")
    unknown = sorted(set(value) - {"code", "since", "until"})
    if unknown:
        raise ValueError(f"unknown member field {unknown[0]!r}")
    since, until = value.get("since"), value.get("until")
    member = Member(
        value["code"].strip(),
        None if since is None else PartialDate.parse(since),
        None if until is None else PartialDate.parse(until),
    )
    if member.since and member.until and member.until.latest < member.since.earliest:
        raise ValueError(f"{member.code}: until {member.until} is before since {member.since}")
    return member


def encode_group(group: Group) -> dict[str, Any]:
    """The group as a mapping in the data-file schema (for the compiled registry)."""
    from consulates.codec import encode_source

    members: list[Any] = []
    for member in group.members:
        if member.since is None and member.until is None:
            members.append(member.code)
        else:
            dated = {"code": member.code, "since": member.since, "until": member.until}
            members.append({key: str(value) for key, value in dated.items() if value is not None})
    value = {
        "id": group.id,
        "name": group.name,
        "of": group.of,
        "members": members,
        "aliases": list(group.aliases),
        "notes": group.notes,
        "sources": [encode_source(source) for source in group.sources],
    }
    return {key: item for key, item in value.items() if item not in (None, [])}


def check_groups(located: Sequence[tuple[Group, Lines]], file: str) -> list[Problem]:
    """Unique ids and names, members that exist (states, subdivisions or groups of the same kind), no cycles."""
    problems: list[Problem] = []
    groups = Groups(group for group, _ in located)
    seen: dict[str, str] = {}
    for group, at in located:
        for name in (group.id, group.name, *group.aliases):
            owner = groups.get(name)
            if owner is not None and owner.id != group.id:
                problems.append(Problem(file, at.of("name"), "name", f"{name!r} already names {owner.id}"))
        if group.id in seen:
            problems.append(Problem(file, at.of("id"), "id", f"duplicate group id {group.id!r}"))
        seen[group.id] = group.id
        codes = [member.code for member in group.members]
        if len(set(codes)) != len(codes):
            problems.append(Problem(file, at.of("members"), "members", "lists a member twice"))
        for code in codes:
            message = _member_problem(code, group, groups)
            if message:
                problems.append(Problem(file, at.of("members"), "members", message))
        if group.id in _reachable(group, groups):
            problems.append(Problem(file, at.of("members"), "members", "contains itself through its member groups"))
    return problems


def _member_problem(code: str, group: Group, groups: Groups) -> str | None:
    inner = groups.by_id.get(code)
    if inner is not None:
        return None if inner.of == group.of else f"{code} is a group of {inner.of}, not of {group.of}"
    if group.of == STATES:
        return None if countries.is_known(code) else f"unknown state {code!r}"
    return None if countries.subdivision_country(code) else f"unknown ISO 3166-2 subdivision {code!r}"


def _reachable(group: Group, groups: Groups) -> set[str]:
    found: set[str] = set()
    todo = [member.code for member in group.members]
    while todo:
        code = todo.pop()
        inner = groups.by_id.get(code)
        if inner is not None and code not in found:
            found.add(code)
            todo.extend(member.code for member in inner.members)
    return found


def decode_lifespan(raw: Mapping[str, Any]) -> Lifespan:
    """A state's lifespan from its ``[[state]]`` table in states.toml; a ValueError names what is wrong."""
    unknown = sorted(set(raw) - {"code", "since", "until", "provisional_since", "successor", "sources"})
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    code, successor = raw.get("code"), raw.get("successor")
    if not isinstance(code, str) or not countries.is_known(code):
        raise ValueError(f"code must be a known state code, not {code!r}")
    if successor is not None and (not isinstance(successor, str) or not countries.is_known(successor)):
        raise ValueError(f"successor must be a known state code, not {successor!r}")
    since, until, provisional = raw.get("since"), raw.get("until"), raw.get("provisional_since")
    if since is None and until is None:
        raise ValueError("a state needs since, until or both")
    span = Lifespan(
        code=code,
        sources=decode_sources(raw.get("sources")),
        since=None if since is None else PartialDate.parse(since),
        until=None if until is None else PartialDate.parse(until),
        successor=successor,
        provisional_since=None if provisional is None else PartialDate.parse(provisional),
    )
    if span.since and span.until and span.until.latest < span.since.earliest:
        raise ValueError(f"until {span.until} is before since {span.since}")
    if span.provisional_since and not (span.since and span.provisional_since.latest < span.since.earliest):
        raise ValueError(f"provisional_since {span.provisional_since} must come before since")
    return span


def encode_lifespan(span: Lifespan) -> dict[str, Any]:
    """The lifespan as a mapping in the data-file schema (for the compiled registry)."""
    from consulates.codec import encode_source

    value = {
        "code": span.code,
        "since": None if span.since is None else str(span.since),
        "until": None if span.until is None else str(span.until),
        "provisional_since": None if span.provisional_since is None else str(span.provisional_since),
        "successor": span.successor,
        "sources": [encode_source(source) for source in span.sources],
    }
    return {key: item for key, item in value.items() if item is not None}


# -- the reference list each network was checked against ------------------------------------

NETWORKS = "networks"
"""``data/networks/<SENDING>.toml``: the list of missions each network was checked against."""


@attrs.frozen
class Difference:
    """Why the registry's count of one kind differs from the list's, written for one registry count.

    The explanation holds only for the count it was written for: when the registry's count
    changes, the validator warns again, so a stale explanation cannot hide a new gap.
    """

    registry: int
    why: str


@attrs.frozen
class NetworkReference:
    """The list a sending state's network was checked against: the ministry's own, where it could be read."""

    sending: str
    title: str
    url: str
    read: PartialDate
    note: str
    counts: Mapping[str, int] = attrs.field(factory=dict)
    """Open offices by kind as the list gives them; empty where it gives none."""
    differences: Mapping[str, Difference] = attrs.field(factory=dict)
    """Kinds whose registry count differs from the list's, with why (a curator's explanation)."""
    as_of: PartialDate | None = None
    """The day the counts describe, where the list is older than the day it was read."""

    def registry_counts(self, offices: Iterable[Office], today: dt.date) -> Counter[str]:
        """The registry's offices open on the list's own day (the last day of a month or
        year), else today, by the kind each had that day."""
        day = self.as_of.latest if self.as_of is not None else today
        return Counter(
            (office.kind_on(day) or office.kind).value for office in offices if office.open_on(day) is not False
        )


def decode_reference(raw: Mapping[str, Any], sending: str) -> NetworkReference:
    """A network's reference list from its ``[reference]`` table; a ValueError names what is wrong."""
    unknown = sorted(set(raw) - {"title", "url", "read", "counts", "note", "differences", "as_of"})
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    for key in ("title", "url", "note"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key} is required text")
    if not raw["url"].startswith(("http://", "https://")):
        raise ValueError("url must be an http(s) URL")
    counts = raw.get("counts", {})
    if not isinstance(counts, dict):
        raise ValueError("counts is a table of kinds and numbers")
    for kind, number in counts.items():
        if kind not in {item.value for item in Kind}:
            raise ValueError(f"counts: unknown kind {kind!r}")
        _whole_number(number, f"counts.{kind}")
    return NetworkReference(
        sending=sending,
        title=raw["title"].strip(),
        url=raw["url"].strip(),
        read=PartialDate.parse(raw.get("read")),  # type: ignore[arg-type]
        note=raw["note"].strip(),
        counts=dict(counts),
        differences=_differences(raw.get("differences", {}), counts),
        as_of=_as_of(raw.get("as_of"), counts),
    )


def _as_of(value: object, counts: Mapping[str, int]) -> PartialDate | None:
    """The day a list's counts describe: a past date as precise as the list gives it."""
    if value is None:
        return None
    if not counts:
        raise ValueError("as_of is the day of the counts, and the list gives no counts")
    if not isinstance(value, str | int | dt.date):
        raise ValueError(f"as_of: not a date: {value!r}")
    try:
        day = PartialDate.parse(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"as_of: {error}") from None
    if day.earliest > dt.date.today():
        raise ValueError(f"as_of {day} is in the future")
    return day


def _whole_number(value: object, field: str) -> None:
    """A count in a reference list: a whole number from 0 (TOML's true is not one)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{field} must be a whole number from 0")


def _differences(raw: object, counts: Mapping[str, int]) -> dict[str, Difference]:
    if not isinstance(raw, dict):
        raise ValueError("differences is a table of kinds, each { registry = N, why = \"...\" }")
    found = {}
    for kind, value in raw.items():
        if kind not in counts:
            raise ValueError(f"differences.{kind}: the list gives no count of {kind!r} to differ from")
        if not isinstance(value, dict) or set(value) != {"registry", "why"}:
            raise ValueError(f"differences.{kind} is {{ registry = N, why = \"...\" }}")
        number, why = value["registry"], value["why"]
        _whole_number(number, f"differences.{kind}.registry")
        if not isinstance(why, str) or not why.strip():
            raise ValueError(f"differences.{kind}.why is required text")
        found[kind] = Difference(registry=number, why=why.strip())
    return found


def load_networks(root: Path) -> tuple[list[NetworkReference], list[Problem]]:
    """Every ``data/networks/*.toml`` under a data folder, read and checked."""
    references, problems = [], []
    for path in sorted((root / NETWORKS).glob("*.toml")):
        display = str(path)
        document, _, found = _load_toml(path, display)
        problems += found
        if document is None:
            continue
        sending = path.stem.upper()
        if not countries.is_known(sending):
            problems.append(Problem(display, 1, "file", f"{sending} is not a state code: name the file <SENDING>.toml"))
            continue
        raw = document.get("reference")
        if not isinstance(raw, dict) or set(document) != {"reference"}:
            problems.append(Problem(display, 1, "reference", "the file holds one [reference] table and nothing else"))
            continue
        try:
            references.append(decode_reference(raw, sending))
        except (ValueError, TypeError) as error:
            problems.append(Problem(display, 1, "reference", str(error)))
    return references, problems


def compare_network(reference: NetworkReference, offices: Iterable[Office], display: str) -> list[Problem]:
    """Each kind whose count of open offices differs from the list's and is not explained (a warning to look into).

    A difference is explained when ``differences`` gives a reason written for exactly the
    registry's present count; an explanation written for another count is itself reported.
    """
    found = reference.registry_counts(offices, dt.date.today())
    on = f" on {reference.as_of}" if reference.as_of is not None else ""
    problems = []
    for kind, expected in reference.counts.items():
        have = found.get(kind, 0)
        explained = reference.differences.get(kind)
        if explained is not None and explained.registry != have:
            message = (
                f"the difference in {kind} posts is explained for {explained.registry} open{on}; "
                f"the registry now has {have} (the list gives {expected}): check it again"
            )
            problems.append(Problem(display, 1, f"differences.{kind}", message))
        elif explained is None and have != expected:
            message = f"{reference.title} gives {expected} {kind} posts{on}; the registry has {have} open"
            problems.append(Problem(display, 1, f"counts.{kind}", message))
    return problems
