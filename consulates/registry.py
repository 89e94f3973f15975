"""The registry: offices indexed for the questions people ask of them."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from consulates import countries
from consulates.codec import decode_office
from consulates.counting import Ordinal, count
from consulates.dates import Dating, to_day
from consulates.errors import DataError, Problem, UnknownOfficeError
from consulates.model import Event, EventType, Kind, Office
from consulates.text import fold

__all__ = ["ARTIFACT", "FORMAT", "City", "HistoryEntry", "Registry", "Retirement"]

ARTIFACT = Path(__file__).parent / "_data" / "registry.json"
"""The compiled registry shipped with the package."""

FORMAT = 1
"""Version of the compiled artifact's layout; bumped when the layout changes."""

REBUILD = "python -m consulates.build"


@attrs.frozen
class Retirement:
    """An id that is no longer published: where it went, or why it was withdrawn."""

    id: str
    successor: str | None = None
    reason: str | None = None


@attrs.frozen
class City:
    """A city's current name and the other names it is or was known by."""

    country: str
    name: str
    aliases: tuple[str, ...] = ()


@attrs.frozen
class HistoryEntry:
    """One dated happening in a network: an office and what happened to it."""

    date: Dating | None
    type: EventType
    office: Office
    event: Event | None = None
    """The recorded event; None for the opening and final closing, which are office fields."""

    def describe(self) -> str:
        """The happening in words, without the date."""
        office, event = self.office, self.event
        where = office.city or countries.name(office.host)
        if event is not None and event.type.changes_kind:
            assert event.from_kind is not None and event.to_kind is not None
            return f"{where}: {event.type.value} from {event.from_kind.label} to {event.to_kind.label}"
        if event is not None and event.type is EventType.MOVED:
            return f"{office.kind.label} moved to {event.city}"
        return f"{where}: {office.kind.label} {self.type.value}"


def _sort_key(date: Dating | None) -> tuple[dt.date, dt.date]:
    """Order by what is known: earliest possible day, then latest; unknown dates last."""
    low = date.earliest if date is not None else None
    high = date.latest if date is not None else None
    return (low or (dt.date.max if high is None else dt.date.min), high or dt.date.max)


class Registry:
    """A set of offices with the indexes that answer queries on them.

    Build one from offices (tests, the compiler) or load the compiled artifact with
    :meth:`load`. Indexes are built once, on first need.
    """

    def __init__(
        self,
        offices: Iterable[Office],
        *,
        retired: Iterable[Retirement] = (),
        cities: Iterable[City] = (),
    ) -> None:
        self._offices = tuple(sorted(offices, key=_office_order))
        self._by_id = {office.id: office for office in self._offices}
        if len(self._by_id) != len(self._offices):
            raise ValueError("office ids must be unique")
        self._retired = {item.id: item for item in retired}
        self._cities = tuple(cities)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> Registry:
        """Read a compiled registry; a missing, corrupt or outdated file raises DataError naming the fix."""
        name = str(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError([Problem(name, 0, "registry", f"missing; build it with `{REBUILD}`")]) from None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise DataError(
                [Problem(name, 0, "registry", f"unreadable ({error}); rebuild it with `{REBUILD}`")]
            ) from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise DataError(
                [Problem(name, 0, "format", f"not a format {FORMAT} registry; rebuild it with `{REBUILD}`")]
            )
        return cls.from_document(document, name)

    @classmethod
    def from_document(cls, document: Mapping[str, Any], name: str = "<registry>") -> Registry:
        problems: list[Problem] = []
        offices = []
        for index, raw in enumerate(document.get("offices", [])):

            def report(field: str, message: str, index: int = index) -> None:
                problems.append(Problem(name, 0, f"offices[{index}].{field}", message))

            office = decode_office(raw, report)
            if office is not None:
                offices.append(office)
        if problems:
            raise DataError(problems)
        retired = [Retirement(**item) for item in document.get("retired", [])]
        cities = [
            City(item["country"], item["name"], tuple(item.get("aliases", ()))) for item in document.get("cities", [])
        ]
        return cls(offices, retired=retired, cities=cities)

    # -- plain access ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._offices)

    def __iter__(self) -> Iterator[Office]:
        return iter(self._offices)

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every office, open and closed, in the registry's order."""
        return self._offices

    @property
    def retired(self) -> Mapping[str, Retirement]:
        return self._retired

    def get(self, office_id: str) -> Office | None:
        """The office with this id, following retired ids to their successor; None if unknown."""
        seen = set()
        current = office_id
        while current not in self._by_id:
            retirement = self._retired.get(current)
            if retirement is None or retirement.successor is None or current in seen:
                return None
            seen.add(current)
            current = retirement.successor
        return self._by_id[current]

    def lookup(self, office_id: str) -> Office:
        """Like :meth:`get`, but an unknown id raises :class:`UnknownOfficeError` naming close ids."""
        if not isinstance(office_id, str):
            raise ValueError(f"an office id is text, not {type(office_id).__name__}")
        office = self.get(office_id)
        if office is not None:
            return office
        retirement = self._retired.get(office_id)
        if retirement is not None:
            raise UnknownOfficeError(office_id, [f"nothing: it was withdrawn ({retirement.reason})"])
        known = list(self._by_id)
        close = difflib.get_close_matches(office_id.strip().lower(), known, n=3, cutoff=0.6)
        raise UnknownOfficeError(office_id, close)

    # -- resolving arguments -----------------------------------------------------------------

    @functools.cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset(code for office in self._offices for code in (office.sending, office.host))

    def resolve_state(self, value: str) -> str:
        """A state code from any accepted spelling; codes the registry holds skip pycountry."""
        if not isinstance(value, str):
            raise ValueError(f"a state is given as text, not {type(value).__name__}")
        code = value.strip().upper()
        if code in self._codes or code in countries.SARS:
            return code
        return countries.resolve(value)

    @functools.cached_property
    def _city_names(self) -> dict[tuple[str, str], str]:
        """(country, folded alias) -> folded current name."""
        names = {}
        for city in self._cities:
            for alias in city.aliases:
                names[(city.country, fold(alias))] = fold(city.name)
        return names

    def _city_key(self, host: str, city: str) -> str:
        key = fold(city)
        return self._city_names.get((host, key), key)

    # -- queries -----------------------------------------------------------------------------

    @functools.cached_property
    def _by_sending(self) -> dict[str, tuple[Office, ...]]:
        return _group(self._offices, lambda office: office.sending)

    @functools.cached_property
    def _by_host(self) -> dict[str, tuple[Office, ...]]:
        return _group(self._offices, lambda office: office.host)

    def find(
        self,
        sending: str | None = None,
        host: str | None = None,
        kind: Kind | str | None = None,
        city: str | None = None,
        subdivision: str | None = None,
        on: dt.date | str | None = None,
        include_closed: bool = False,
    ) -> list[Office]:
        """Offices matching every filter given, in the registry's order.

        ``on`` keeps the offices open that day (where the dates cannot decide, the office
        is kept); with neither ``on`` nor ``include_closed``, the offices open today.
        ``include_closed`` with ``on`` is refused: a day already selects by status.
        """
        if include_closed and on is not None:
            raise ValueError("give either on= or include_closed=True, not both")
        day = None if include_closed else to_day(on)
        wanted_kind = None if kind is None else Kind.parse(kind)
        sending_code = None if sending is None else self.resolve_state(sending)
        host_code = None if host is None else self.resolve_state(host)
        region = None
        if host_code in countries.SARS:
            host_code, region = "CN", countries.SARS[host_code]
        wanted_subdivision = None if subdivision is None else _subdivision(subdivision)

        if sending_code is not None:
            pool: Sequence[Office] = self._by_sending.get(sending_code, ())
        elif host_code is not None:
            pool = self._by_host.get(host_code, ())
        else:
            pool = self._offices
        results = []
        for office in pool:
            if sending_code is not None and office.sending != sending_code:
                continue
            if host_code is not None and office.host != host_code:
                continue
            if region is not None and office.subdivision != region:
                continue
            if wanted_subdivision is not None and office.subdivision != wanted_subdivision:
                continue
            if city is not None and (
                office.city is None or self._city_key(office.host, office.city) != self._city_key(office.host, city)
            ):
                continue
            if day is not None and office.open_on(day) is False:
                continue
            if wanted_kind is not None:
                current = office.kind if day is None else office.kind_on(day)
                if current is not wanted_kind:
                    continue
            results.append(office)
        return results

    def ordinal(
        self,
        office: Office | str,
        *,
        count_sars: bool = True,
        kinds: Iterable[Kind | str] | None = None,
        include_closed: bool = True,
    ) -> Ordinal:
        """The office's place, by opening date, among its state's offices of its kind in its host."""
        target = self.lookup(office) if isinstance(office, str) else office
        return count(
            target,
            self._by_sending.get(target.sending, ()),
            count_sars=count_sars,
            kinds=None if kinds is None else frozenset(Kind.parse(kind) for kind in kinds),
            include_closed=include_closed,
        )

    def history(self, sending: str | None = None, host: str | None = None) -> list[HistoryEntry]:
        """Every dated happening in the offices selected, oldest first; undated openings last."""
        offices = self.find(sending=sending, host=host, include_closed=True)
        entries = []
        for office in offices:
            entries.append(HistoryEntry(office.opened, EventType.OPENED, office))
            entries.extend(HistoryEntry(event.date, event.type, office, event) for event in office.events)
            if office.closed is not None:
                entries.append(HistoryEntry(office.closed, EventType.CLOSED, office))
        entries.sort(key=lambda entry: (_sort_key(entry.date), _office_order(entry.office)))
        return entries


def _office_order(office: Office) -> tuple[str, str, str, int, str]:
    """The documented result order: sending, host, city (folded), kind, id."""
    return (office.sending, office.host, fold(office.city or ""), office.kind.rank, office.id)


def _group(offices: Iterable[Office], key: Any) -> dict[str, tuple[Office, ...]]:
    groups: dict[str, list[Office]] = {}
    for office in offices:
        groups.setdefault(key(office), []).append(office)
    return {code: tuple(items) for code, items in groups.items()}


def _subdivision(value: str) -> str:
    if not isinstance(value, str) or "-" not in value:
        raise ValueError(f"not an ISO 3166-2 subdivision code: {value!r}")
    return value.strip().upper()
