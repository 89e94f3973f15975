"""The records of the registry: offices, their kinds, sources and dated events.

Every record is a frozen ``attrs`` class with slots: records are shared between queries
and must never change under a caller's feet.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from consulates.dates import Dating, Order, PartialDate, Period, When, compare, to_period
from consulates.text import fold

_T = TypeVar("_T")

__all__ = [
    "KIND_FAMILIES",
    "Claim",
    "Event",
    "EventType",
    "Kind",
    "Location",
    "Office",
    "Source",
    "cities_of",
    "kinds_held",
    "kinds_of",
]


class Kind(enum.Enum):
    """What an office is. The value is the name used in data files and on the CLI."""

    EMBASSY = "embassy"
    HIGH_COMMISSION = "high-commission"
    NUNCIATURE = "nunciature"
    LEGATION = "legation"
    CHARGE_D_AFFAIRES_OFFICE = "charge-d-affaires-office"
    EMBASSY_OFFICE = "embassy-office"
    CONSULATE_GENERAL = "consulate-general"
    CONSULATE = "consulate"
    VICE_CONSULATE = "vice-consulate"
    CONSULAR_AGENCY = "consular-agency"
    HONORARY_CONSULATE_GENERAL = "honorary-consulate-general"
    HONORARY_CONSULATE = "honorary-consulate"
    REPRESENTATIVE_OFFICE = "representative-office"
    LIAISON_OFFICE = "liaison-office"
    INTERESTS_SECTION = "interests-section"
    DELEGATION = "delegation"
    PERMANENT_MISSION = "permanent-mission"

    @classmethod
    def parse(cls, value: Kind | str) -> Kind:
        """A kind from itself or its name; ``"consulate general"`` and ``"CONSULATE_GENERAL"`` work too."""
        if isinstance(value, Kind):
            return value
        if not isinstance(value, str):
            raise TypeError(f"a kind is a Kind or its name, not {type(value).__name__}")
        key = value.strip().lower().replace("_", "-").replace(" ", "-")
        try:
            return cls(key)
        except ValueError:
            import difflib

            names = [kind.value for kind in cls]
            close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known kinds: {', '.join(names)}"
            raise ValueError(f"unknown kind {value!r}{hint}") from None

    @property
    def label(self) -> str:
        """The kind in words, singular: ``"consulate general"``."""
        value: str = self.value
        return "chargé d'affaires office" if self is Kind.CHARGE_D_AFFAIRES_OFFICE else value.replace("-", " ")

    @property
    def plural(self) -> str:
        """The kind in words, plural: ``"consulates general"``."""
        return _PLURALS.get(self, self.label + "s")

    @property
    def description(self) -> str:
        """One sentence on what the kind is, in the Vienna Conventions' terms where they apply."""
        return _DESCRIPTIONS[self]

    @property
    def is_diplomatic(self) -> bool:
        """A diplomatic mission or part of one (Vienna Convention on Diplomatic Relations, 1961)."""
        return self in _DIPLOMATIC

    @property
    def is_career_consular(self) -> bool:
        """A consular post headed by a career officer (Vienna Convention on Consular Relations, 1963, art. 1)."""
        return self in _CAREER_CONSULAR

    @property
    def is_honorary(self) -> bool:
        """A consular post headed by an honorary consular officer (VCCR chapter III)."""
        return self in (Kind.HONORARY_CONSULATE, Kind.HONORARY_CONSULATE_GENERAL)

    @property
    def rank(self) -> int:
        """Sort order: diplomatic missions first, then consular posts by class, then the rest."""
        return _RANK[self]


_PLURALS = {
    Kind.EMBASSY: "embassies",
    Kind.CONSULATE_GENERAL: "consulates general",
    Kind.HONORARY_CONSULATE_GENERAL: "honorary consulates general",
    Kind.CONSULAR_AGENCY: "consular agencies",
    Kind.CHARGE_D_AFFAIRES_OFFICE: "chargé d'affaires offices",
}
_DIPLOMATIC = frozenset(
    {
        Kind.EMBASSY,
        Kind.HIGH_COMMISSION,
        Kind.NUNCIATURE,
        Kind.LEGATION,
        Kind.CHARGE_D_AFFAIRES_OFFICE,
        Kind.EMBASSY_OFFICE,
    }
)
_CAREER_CONSULAR = frozenset({Kind.CONSULATE_GENERAL, Kind.CONSULATE, Kind.VICE_CONSULATE, Kind.CONSULAR_AGENCY})
_RANK = {kind: index for index, kind in enumerate(Kind)}
_EMBASSIES = frozenset({Kind.EMBASSY, Kind.HIGH_COMMISSION, Kind.NUNCIATURE, Kind.LEGATION})
KIND_FAMILIES: Mapping[str, frozenset[Kind]] = {
    "consular": _CAREER_CONSULAR,
    "consular-with-honorary": _CAREER_CONSULAR | {Kind.HONORARY_CONSULATE_GENERAL, Kind.HONORARY_CONSULATE},
    "consular-with-embassy-offices": _CAREER_CONSULAR | {Kind.EMBASSY_OFFICE},
    "embassies": _EMBASSIES,
    "diplomatic": _DIPLOMATIC,
    "posts": frozenset(Kind) - {Kind.HONORARY_CONSULATE_GENERAL, Kind.HONORARY_CONSULATE},
    "any": frozenset(Kind),
}
"""Names for sets of kinds, usable wherever kinds are counted or filtered."""


def kinds_of(values: Iterable[Kind | str]) -> frozenset[Kind]:
    """Kinds from kinds, kind names and family names (``"consular"``)."""
    found: set[Kind] = set()
    for value in values:
        family = KIND_FAMILIES.get(value) if isinstance(value, str) else None
        found.update(family if family is not None else {Kind.parse(value)})
    return frozenset(found)
_DESCRIPTIONS = {
    Kind.EMBASSY: "A diplomatic mission headed by an ambassador (VCDR art. 14, first class).",
    Kind.HIGH_COMMISSION: "The embassy of one Commonwealth member in another, headed by a high commissioner.",
    Kind.NUNCIATURE: "The Holy See's diplomatic mission, headed by a nuncio (VCDR art. 14, first class).",
    Kind.LEGATION: "A diplomatic mission headed by an envoy or minister (VCDR art. 14, second class).",
    Kind.CHARGE_D_AFFAIRES_OFFICE: (
        "A diplomatic mission headed by a chargé d'affaires (VCDR art. 14, third class), "
        "such as an embassy downgraded when relations are lowered."
    ),
    Kind.EMBASSY_OFFICE: "A branch of an embassy in another city of the host state (VCDR art. 12).",
    Kind.CONSULATE_GENERAL: "A consular post of the first class, headed by a consul-general (VCCR art. 9).",
    Kind.CONSULATE: "A consular post headed by a consul (VCCR art. 9).",
    Kind.VICE_CONSULATE: "A consular post headed by a vice-consul (VCCR art. 9).",
    Kind.CONSULAR_AGENCY: "A consular post headed by a consular agent (VCCR art. 9).",
    Kind.HONORARY_CONSULATE_GENERAL: "A consular post headed by an honorary consul-general (VCCR ch. III).",
    Kind.HONORARY_CONSULATE: "A consular post headed by an honorary consul (VCCR ch. III).",
    Kind.REPRESENTATIVE_OFFICE: (
        "An office standing in for a mission where there are no formal relations "
        "(for example Taiwan's economic and cultural offices)."
    ),
    Kind.LIAISON_OFFICE: "An office keeping contact between governments short of full relations.",
    Kind.INTERESTS_SECTION: "A section of a protecting power's embassy that serves another state (VCDR art. 45-46).",
    Kind.DELEGATION: "A mission of an entity that is not a state, such as the European Union.",
    Kind.PERMANENT_MISSION: "A mission to an international organisation (1975 Vienna Convention on representation).",
}


class EventType(enum.Enum):
    """What happened to an office on a date."""

    OPENED = "opened"
    CLOSED = "closed"
    REOPENED = "reopened"
    UPGRADED = "upgraded"
    DOWNGRADED = "downgraded"
    MOVED = "moved"
    RENAMED = "renamed"
    SUSPENDED = "suspended"
    """Staff withdrawn and work stopped, the post not abolished (unlike ``closed``)."""
    RESUMED = "resumed"
    STAYED_OPEN = "stayed-open"
    """The post worked on while its sender had no embassy or other mission in the host
    (relations broken off, a war or an occupation, the embassy closed: VCCR art. 2(3)),
    dated from when that began for the post; it changes nothing in the office's status."""

    @property
    def changes_kind(self) -> bool:
        return self in (EventType.UPGRADED, EventType.DOWNGRADED)

    @property
    def stops_work(self) -> bool:
        """A closure or a suspension: the office does no work from this date."""
        return self in (EventType.CLOSED, EventType.SUSPENDED)

    @property
    def restarts_work(self) -> bool:
        """A reopening or a resumption: the office works again from this date."""
        return self in (EventType.REOPENED, EventType.RESUMED)

    @property
    def words(self) -> str:
        """The event in words, as the history and ``show`` give it."""
        return _EVENT_WORDS.get(self, self.value)


_EVENT_WORDS = {
    EventType.SUSPENDED: "suspended (staff withdrawn, not closed)",
    EventType.STAYED_OPEN: "stayed open while its state had no mission here",
}


@attrs.frozen
class Source:
    """Where a fact comes from: a URL, or a citation for a printed source."""

    url: str | None = None
    citation: str | None = None
    title: str | None = None
    date: Dating | None = None
    supports: tuple[str, ...] = ()
    """The fields this source supports (``"opened"``, ``"jurisdiction"`` …); empty: the record as a whole."""

    def __str__(self) -> str:
        text = self.url or self.citation or ""
        return f"{self.title} <{text}>" if self.title else text


@attrs.frozen
class Location:
    """A WGS 84 point, and whether it marks the building or only the city."""

    latitude: float
    longitude: float
    precision: str = "site"
    """``"site"`` for the office itself, ``"city"`` where only the city's centre is known."""

    def __iter__(self) -> Iterator[float]:
        # Lets a Location be unpacked wherever a (lat, lon) pair is expected.
        return iter((self.latitude, self.longitude))


@attrs.frozen
class Event:
    """A dated change in an office's life other than its first opening and final closing."""

    date: Dating
    type: EventType
    from_kind: Kind | None = None
    to_kind: Kind | None = None
    city: str | None = None
    """For a move: the city moved to."""
    from_city: str | None = None
    """For a move: the city moved from (None where the source does not say)."""
    location: Location | None = None
    """For a move: the new site, where known."""
    name: str | None = None
    """For a rename: the English name from this date."""
    from_name: str | None = None
    """For a rename: the English name before this date."""
    note: str | None = None
    sources: tuple[Source, ...] = ()


@attrs.frozen
class Claim:
    """A statement a source made about an office's place among other offices.

    ``ordinal=3`` with no selection records "the third <kind> of <sending> in <host>",
    counted the way its author counted. A selection widens or narrows what was counted:
    ``sending="central-asia", subdivision="western-china", kinds=("consular",)`` records
    "the first consular office of a Central Asian state in western China". The registry
    checks every claim and gives a verdict (see :mod:`consulates.claims`).
    """

    ordinal: int
    text: str
    count_sars: bool = True
    include_closed: bool = True
    kinds: tuple[str, ...] = ()
    """Kinds counted (data-file names) or families (``"consular"``); empty: the office's own kind."""
    sending: str | None = None
    """The senders counted: a state, or a group of states by id; None: the office's sending state."""
    host: str | None = None
    """The hosts counted: a state or a group; None: the office's host."""
    subdivision: str | None = None
    """Only offices in this subdivision or group of subdivisions."""
    city: str | None = None
    """Only offices in this city."""
    sources: tuple[Source, ...] = ()


_NO_NAMES: Mapping[str, str] = MappingProxyType({})


def _read_only(names: Mapping[str, str] | None) -> Mapping[str, str]:
    """Names as a read-only mapping: a record is shared by every caller, so nobody may change it."""
    if not names:
        return _NO_NAMES
    if isinstance(names, MappingProxyType):
        return names
    return MappingProxyType(dict(names))


@attrs.frozen
class Office:
    """One diplomatic or consular office of a sending state in a host state."""

    id: str
    kind: Kind
    sending: str
    """The state (or entity) that runs the office: ISO 3166-1 alpha-2 or a documented code."""
    host: str
    """The state it is in. Hong Kong and Macau offices are hosted by CN (subdivision CN-HK / CN-MO)."""
    sources: tuple[Source, ...]
    city: str | None = None
    subdivision: str | None = None
    location: Location | None = None
    opened: Dating | None = None
    closed: Dating | None = None
    jurisdiction: tuple[str, ...] = ()
    """The consular district: ISO 3166-2 subdivisions or ISO 3166-1 states it serves."""
    names: Mapping[str, str] = attrs.field(default=_NO_NAMES, converter=_read_only, hash=False)
    """Official names by language tag (read-only)."""
    address: str | None = None
    website: str | None = None
    wikidata: str | None = None
    events: tuple[Event, ...] = ()
    """Dated changes between the first opening and the final closing, in order."""
    claims: tuple[Claim, ...] = ()
    notes: str | None = None
    predecessors: tuple[str, ...] = ()
    """Ids of the offices this one replaced (a post re-created elsewhere or under another kind)."""
    seated_in: str | None = None
    """The state the office sits in when it is not the host it is accredited to (an embassy to Libya in Tunis)."""
    organisation: str | None = None
    """For a permanent mission or delegation: the organisation it is accredited to (``"UN"``, ``"EU"``, ``"NATO"``)."""

    @property
    def name(self) -> str:
        """The English name where known, else one made of kind, sending state and city.

        A made name uses the states' names as written in English: "Embassy of the United
        States in Beijing", "Consulate General of Kazakhstan in Xi'an"; the host's name
        stands in for an unknown city.
        """
        if "en" in self.names:
            return self.names["en"]
        from consulates import countries

        place = self.city or countries.name_in_text(self.host)
        return f"{self.kind.label.title()} of {countries.name_in_text(self.sending)} in {place}"

    @property
    def sort_key(self) -> tuple[str, str, str, int, str]:
        """The registry's order: sending, host, city (folded), kind (embassies first), id."""
        return (self.sending, self.host, fold(self.city or ""), self.kind.rank, self.id)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Office):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Office):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Office):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Office):
            return NotImplemented
        return self.sort_key >= other.sort_key

    def to_dict(self) -> dict[str, Any]:
        """The office as plain JSON-ready data in the data-file schema, as JSON exports write it.

        Dates are ISO text (or ``{"not_before": …, "not_after": …}``), empty fields are left
        out; :meth:`Registry.from_records` reads it back.
        """
        from consulates.codec import encode_office

        return encode_office(self)

    @property
    def is_closed(self) -> bool:
        """Closed for good, as far as the data knows."""
        return self.closed is not None

    @property
    def first_kind(self) -> Kind:
        """The kind the office opened as, before any upgrade or downgrade."""
        for event in self.events:
            if event.type.changes_kind and event.from_kind is not None:
                return event.from_kind
        return self.kind

    def kind_on(self, day: When) -> Kind | None:
        """The office's kind on a day, following upgrades and downgrades; None where their dates cannot tell."""
        return _value_on(
            _as_day(day),
            self.kind,
            [(event.date, event.from_kind, event.to_kind) for event in self.events if event.type.changes_kind],
        )

    def city_on(self, day: When) -> str | None:
        """The city the office was in on a day, following moves; None where their dates cannot tell."""
        return _value_on(
            _as_day(day),
            self.city,
            [(event.date, event.from_city, event.city) for event in self.events if event.type is EventType.MOVED],
        )

    def location_on(self, day: When) -> Location | None:
        """Where the office was on a day: its location after the last move certainly made; None if unknown."""
        moves: list[tuple[Dating, Location | None, Location | None]] = [
            (event.date, None, event.location) for event in self.events if event.type is EventType.MOVED
        ]
        return _value_on(_as_day(day), self.location, moves)

    def name_on(self, day: When) -> str | None:
        """The office's English name on a day, following renames; None where their dates cannot tell."""
        return _value_on(
            _as_day(day),
            self.name,
            [(event.date, event.from_name, event.name) for event in self.events if event.type is EventType.RENAMED],
        )

    def kinds_during(self, when: When) -> frozenset[Kind]:
        """Every kind the office may have had during a day or a period (rank changes inside it count)."""
        period = to_period(when)
        ends = {self.kind_on(period.first), self.kind_on(period.last)}
        if None in ends:  # a change of kind the dates cannot place: any kind it had
            return kinds_held(self)
        kinds = {kind for kind in ends if kind is not None}
        for event in self.events:
            if event.type.changes_kind and event.to_kind is not None:
                low, high = event.date.earliest, event.date.latest
                if (low is None or low <= period.last) and (high is None or high >= period.first):
                    kinds.add(event.to_kind)
        return frozenset(kinds)

    def cities_during(self, when: When) -> list[str]:
        """Every city the office may have been in during a day or a period (moves inside it count)."""
        period = to_period(when)
        ends = [self.city_on(period.first), self.city_on(period.last)]
        if None in ends:  # a move the dates cannot place: any city it was in
            return cities_of(self)
        names = [name for name in ends if name is not None]
        for event in self.events:
            if event.type is EventType.MOVED:
                low, high = event.date.earliest, event.date.latest
                if (low is None or low <= period.last) and (high is None or high >= period.first):
                    names += [name for name in (event.from_city, event.city) if name is not None]
        return list(dict.fromkeys(names))

    def became(self, kinds: frozenset[Kind]) -> Dating | None:
        """When the office first was one of ``kinds``: its opening or the rank change; None if never or unknown."""
        if self.first_kind in kinds:
            return self.opened
        for event in self.events:
            if event.type.changes_kind and event.to_kind in kinds:
                return event.date
        return None

    def ever_was(self, kinds: frozenset[Kind]) -> bool:
        """Whether the office held one of ``kinds`` at any time."""
        return self.first_kind in kinds or any(
            event.type.changes_kind and event.to_kind in kinds for event in self.events
        )

    def open_on(self, when: When) -> bool | None:
        """True if the data shows the office open on ``when``, False if it shows it was not, None if it cannot tell.

        ``when`` is a ``date``, ISO text or a :class:`PartialDate`. A month or a year
        (``"2000-05"``, ``"2000"``) or a :class:`Period` asks about all its days: True if
        the office was certainly open on at least one of them, False if certainly on
        none, else None.
        """
        if type(when) is dt.date:  # the common case, first
            return self._open_on_day(when)
        period = when if isinstance(when, Period) else to_period(when)
        if period.first == period.last:
            return self._open_on_day(period.first)
        # The answer for a day changes only at the first or last day a recorded date may stand
        # for: asking on those days (and the days either side) inside the period is enough.
        days = {period.first, period.last}
        for date in self._status_dates():
            for bound in (date.earliest, date.latest):
                if bound is None:
                    continue
                for day in (bound - _ONE_DAY if bound > dt.date.min else bound, bound, _next(bound)):
                    if day in period:
                        days.add(day)
        answers = {self._open_on_day(day) for day in days}
        if True in answers:
            return True
        return False if answers == {False} else None

    def _status_dates(self) -> Iterator[Dating]:
        """The dates where the office's status may change: its opening, closing, closures and reopenings."""
        if self.opened is not None:
            yield self.opened
        if self.closed is not None:
            yield self.closed
        for event in self.events:
            if event.type.stops_work or event.type.restarts_work:
                yield event.date

    def _open_on_day(self, day: dt.date) -> bool | None:
        point = PartialDate(day.year, day.month, day.day)
        if self.opened is not None and compare(point, self.opened) is Order.BEFORE:
            return False
        certain = self.opened is not None and compare(point, self.opened) in (Order.AFTER, Order.SAME)
        if self.closed is not None:
            before = _before_stop(day, point, self.closed)
            if before is False:
                return False
            certain = certain and before is True
        closed_since: Dating | None = None
        for event in self.events:
            if event.type.stops_work:
                closed_since = event.date
            elif event.type.restarts_work and closed_since is not None:
                after_closing = compare(point, closed_since)
                before_reopening = compare(point, event.date)
                if after_closing in (Order.AFTER, Order.SAME) and before_reopening is Order.BEFORE:
                    return False
                if not (after_closing is Order.BEFORE or before_reopening in (Order.AFTER, Order.SAME)):
                    certain = False
                closed_since = None
        if closed_since is not None:  # stopped and never restarted: not open from then on
            before = _before_stop(day, point, closed_since)
            if before is False:
                return False
            certain = certain and before is True
        return True if certain else None

    def suspended_on(self, day: When) -> bool | None:
        """True if the office was suspended that day (not closed), False if not, None if the dates cannot tell."""
        point = PartialDate.parse(_as_day(day))
        answer: bool | None = False
        since: Dating | None = None
        for event in [*self.events, None]:
            if since is not None and (event is None or event.type.restarts_work or event.type is EventType.CLOSED):
                after = compare(point, since)
                end = self.closed if event is None else event.date
                before = Order.BEFORE if end is None else compare(point, end)
                if after in (Order.AFTER, Order.SAME) and before is Order.BEFORE:
                    return True
                if not (after is Order.BEFORE or before in (Order.AFTER, Order.SAME)):
                    answer = None
                since = None
            if event is not None and event.type is EventType.SUSPENDED:
                since = event.date
        return answer



def _as_day(day: When) -> dt.date:
    """A day from what the ``*_on`` methods take: a ``date``, ISO text; for a month or a year, its last day."""
    if type(day) is dt.date:
        return day
    return to_period(day).last


def _value_on(day: dt.date, current: _T, changes: list[tuple[Dating, _T | None, _T | None]]) -> _T | None:
    """What a value was on ``day``, given its current value and its dated changes (from, to), in order.

    Before the first change the value is that change's ``from`` (None if not recorded);
    after a change certainly made by ``day`` it is its ``to``; a change whose date may
    fall either side of ``day`` makes the answer unknown, unless both sides agree.
    """
    if not changes:
        return current
    value = changes[0][1]
    for index, (date, before, to) in enumerate(changes):
        after = current if to is None and index == len(changes) - 1 else to
        latest, earliest = date.latest, date.earliest
        if latest is not None and latest <= day:
            value = after
        elif earliest is not None and earliest > day:
            return before if before is not None else value
        else:
            return value if value == after else None
    return value


def cities_of(office: Office) -> list[str]:
    """Every city an office has been in, first to last (as recorded by its moves)."""
    names = []
    for event in office.events:
        if event.type is EventType.MOVED:
            names += [name for name in (event.from_city, event.city) if name is not None]
    if office.city is not None:
        names.append(office.city)
    return list(dict.fromkeys(names))


def kinds_held(office: Office) -> frozenset[Kind]:
    """Every kind an office has had (as recorded by its upgrades and downgrades)."""
    changes = (kind for event in office.events for kind in (event.from_kind, event.to_kind) if kind is not None)
    return frozenset({office.kind, *changes})


_ONE_DAY = dt.timedelta(days=1)


def _before_stop(day: dt.date, point: PartialDate, stop: Dating) -> bool | None:
    """True if ``day`` is certainly before a final closing or suspension, False if certainly
    on or after it (from its last possible day on, whichever day it was), None between.

    The data records a stop only once it has happened (an announced closing is not
    recorded), so one known only from below ("closed, not before 1998-09") has happened
    by today: from today on the office is shown closed.
    """
    latest = stop.latest
    if latest is None and stop.earliest is not None and stop.earliest <= dt.date.today():
        latest = dt.date.today()
    if latest is not None and day >= latest:
        return False
    return True if compare(point, stop) is Order.BEFORE else None


def _next(day: dt.date) -> dt.date:
    return day if day == dt.date.max else day + _ONE_DAY
