"""Checks across records: what no single field can show wrong on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from consulates import countries
from consulates.datafiles.reader import Lines
from consulates.dates import Dating, Order, Period, compare
from consulates.errors import Problem
from consulates.groups import Group
from consulates.lifespans import Lifespan, bounds_of
from consulates.model import EventType, Kind, Office
from consulates.registry import City, Registry, Retirement, city_key, city_names
from consulates.text import fold

__all__ = [
    "Located",
    "LocationException",
    "check_cities",
    "check_lifespans",
    "check_locations",
    "check_missions",
    "check_offices",
    "check_retired",
]

Located = tuple[Office, Lines, str]
"""An office, where its fields are, and the file it came from."""


def _future(date: Dating, today: dt.date) -> bool:
    earliest = date.earliest
    return earliest is not None and earliest > today


def _check_codes(office: Office, at: Lines, file: str, problems: list[Problem]) -> None:
    def add(field: str, message: str) -> None:
        problems.append(Problem(file, at.of(field), field, message))

    if not countries.is_known(office.sending):
        add("sending", f"unknown sending state {office.sending!r}")
    elif countries.state(office.sending).status == "former" and office.closed is None:
        add("closed", f"{countries.name(office.sending)} no longer exists: its offices need a closing date")
    if office.host in countries.TERRITORIES:
        subdivision = countries.TERRITORIES[office.host]
        sovereign = subdivision.partition("-")[0]
        add("host", f"offices in {office.host} are hosted by {sovereign} with subdivision {subdivision}")
    elif not countries.is_known(office.host):
        add("host", f"unknown host state {office.host!r}")
    elif office.host == office.sending and office.organisation is None:
        add("host", "the host is the sending state itself (only a mission to an organisation may be at home)")
    if office.subdivision is not None and countries.is_known(office.host):
        country = countries.subdivision_country(office.subdivision)
        if country is None:
            add("subdivision", f"unknown ISO 3166-2 code {office.subdivision!r}")
        elif country != office.host:
            add("subdivision", f"{office.subdivision} is in {country}, not in the host {office.host}")
    if office.organisation is not None and office.kind not in (Kind.PERMANENT_MISSION, Kind.DELEGATION):
        add("organisation", "belongs to permanent missions and delegations")
    if office.seated_in is not None:
        if not countries.is_known(office.seated_in):
            add("seated_in", f"unknown state {office.seated_in!r}")
        elif office.seated_in in (office.host, office.sending):
            add("seated_in", "is where an office sits when that is not its host (nor its own state)")
    for code in office.jurisdiction:
        if "-" in code:
            if countries.subdivision_country(code) is None:
                add("jurisdiction", f"unknown ISO 3166-2 code {code!r}")
        elif not countries.is_known(code):
            add("jurisdiction", f"unknown state {code!r}")


def _check_dates(office: Office, at: Lines, file: str, today: dt.date, problems: list[Problem]) -> None:
    def add(field: str, message: str) -> None:
        problems.append(Problem(file, at.of(field), field, message))

    for field, date in (("opened", office.opened), ("closed", office.closed)):
        if date is not None and _future(date, today):
            add(field, f"{date} is in the future")
    if office.opened and office.closed and compare(office.closed, office.opened) is Order.BEFORE:
        add("closed", f"{office.closed} is before the opening {office.opened}")
    previous: Dating | None = None
    kind = office.first_kind
    closed_since = 0
    stopped_by = EventType.CLOSED
    city: str | None = None
    for index, event in enumerate(office.events, start=1):
        field = f"event[{index}]"
        if _future(event.date, today):
            add(f"{field}.date", f"{event.date} is in the future")
        if office.opened and compare(event.date, office.opened) is Order.BEFORE:
            add(f"{field}.date", f"{event.date} is before the opening {office.opened}")
        if office.closed and compare(event.date, office.closed) is Order.AFTER:
            add(f"{field}.date", f"{event.date} is after the closing {office.closed}")
        if previous is not None and compare(event.date, previous) is Order.BEFORE:
            add(f"{field}.date", f"{event.date} is before the event listed above it ({previous}); list events in order")
        previous = event.date
        if event.type.stops_work:
            if closed_since and not (stopped_by is EventType.SUSPENDED and event.type is EventType.CLOSED):
                add(f"{field}.type", f"{event.type.value} while already closed or suspended")
            closed_since = index
            stopped_by = event.type
        elif event.type.restarts_work:
            expected = EventType.REOPENED if stopped_by is EventType.CLOSED else EventType.RESUMED
            if not closed_since:
                add(f"{field}.type", f"{event.type.value} without a closing or suspension before it")
            elif event.type is not expected:
                add(f"{field}.type", f"a {stopped_by.value} office is {expected.value}, not {event.type.value}")
            closed_since = 0
        elif event.type is EventType.STAYED_OPEN:
            if closed_since:
                add(f"{field}.type", f"stayed-open while {stopped_by.value}")
        elif event.type is EventType.MOVED:
            if city is not None and event.from_city is not None and fold(event.from_city) != fold(city):
                add(f"{field}.from_city", f"the office was in {city} then (the move above), not {event.from_city}")
            city = event.city
        elif event.type.changes_kind:
            if event.from_kind is not kind:
                assert event.from_kind is not None
                add(f"{field}.from", f"the office was a {kind.value} then, not a {event.from_kind.value}")
            assert event.to_kind is not None
            kind = event.to_kind
    if closed_since and stopped_by is EventType.CLOSED:
        add(
            f"event[{closed_since}]",
            "the last closing event has no reopening; a final closure is the office's 'closed' field",
        )
    if city is not None and office.city is not None and fold(city) != fold(office.city):
        add("city", f"the last move took the office to {city}, not {office.city}")
    if kind is not office.kind:
        add("kind", f"the last rank change makes it a {kind.value}, not a {office.kind.value}")


_ALWAYS_THERE = frozenset({"id", "kind", "host", "history"})
_EVENTS_FOR = {
    "opened": (EventType.OPENED, EventType.REOPENED),
    "closed": (EventType.CLOSED,),
    "city": (EventType.MOVED,),
}


def _check_supports(office: Office, at: Lines, file: str, problems: list[Problem]) -> None:
    """A source may only say it supports a field the record has: otherwise the citation is wrong or the fact lost."""
    for number, source in enumerate(office.sources, 1):
        for field in source.supports:
            if field in _ALWAYS_THERE:
                continue
            value = getattr(office, "claims" if field == "claim" else field)
            happened = any(event.type in _EVENTS_FOR.get(field, ()) for event in office.events)
            if value in (None, (), {}, "") and not happened:
                message = f"source {number} ({source.url or source.citation}) supports {field}, but the record has none"
                problems.append(Problem(file, at.of("sources"), "sources", message))


def check_offices(
    located: Sequence[Located],
    *,
    today: dt.date | None = None,
    cities: Iterable[City] = (),
    groups: Iterable[Group] = (),
) -> list[Problem]:
    """Problems across all offices: codes, dates, duplicates, and claims against the registry.

    Two open offices of one state and kind in one city are one too many, whatever name
    the city is written under (its former names are in ``cities``).
    """
    today = today or dt.date.today()
    names = city_names(cities)
    problems: list[Problem] = []
    first_seen: dict[str, tuple[str, int]] = {}
    open_posts: dict[tuple[str, str, str, str, str], str] = {}
    for office, at, file in located:
        if office.id in first_seen:
            where = "{}:{}".format(*first_seen[office.id])
            problems.append(Problem(file, at.of("id"), "id", f"duplicate id {office.id!r} (first at {where})"))
            continue
        first_seen[office.id] = (file, at.of("id"))
        _check_codes(office, at, file, problems)
        _check_dates(office, at, file, today, problems)
        _check_supports(office, at, file, problems)
        if office.closed is None and office.city is not None:
            place = city_key(names, office.host, office.city)
            key = (office.sending, office.host, place, office.kind.value, office.organisation or "")
            if key in open_posts:
                to = f" to {office.organisation}" if office.organisation else ""
                message = (
                    f"{open_posts[key]} is already an open {office.kind.value}{to} of {office.sending} in {office.city}"
                )
                problems.append(Problem(file, at.of("city"), "city", message))
            else:
                open_posts[key] = office.id
    for office, at, file in located:
        for other in office.predecessors:
            if other == office.id or other not in first_seen:
                message = "is the office itself" if other == office.id else "is not an office id"
                problems.append(Problem(file, at.of("predecessors"), "predecessors", f"{other!r} {message}"))
    if not problems:
        problems.extend(_check_claims(located, groups))
    return problems


_MISSIONS = frozenset(
    {
        Kind.EMBASSY,
        Kind.HIGH_COMMISSION,
        Kind.NUNCIATURE,
        Kind.LEGATION,
        Kind.EMBASSY_OFFICE,
        Kind.LIAISON_OFFICE,
        Kind.INTERESTS_SECTION,
        Kind.REPRESENTATIVE_OFFICE,
        Kind.DELEGATION,
    }
)
"""Kinds that stand for a sending state's presence in a host: its diplomatic mission or what replaces one."""

_WINDING_UP = dt.timedelta(days=60)
"""How long a post may take to shut after relations are broken off: staff leave days or weeks later."""


def _closures(office: Office) -> list[dt.date]:
    """The last days on which the office's closures (final or for a while) certainly had happened."""
    dates = [event.date for event in office.events if event.type is EventType.CLOSED]
    if office.closed is not None:
        dates.append(office.closed)
    return [date.latest for date in dates if date.latest is not None]


def _status_days(office: Office) -> set[dt.date]:
    """The days where the office's open/closed status may change (a date's first day, and the day after its last)."""
    days = set()
    dates = [office.opened, office.closed, *(event.date for event in office.events)]
    for date in dates:
        if date is None:
            continue
        if date.earliest is not None:
            days.add(date.earliest)
        if date.latest is not None and date.latest < dt.date.max:
            days.add(date.latest + dt.timedelta(days=1))
    return days


def _gaps(missions: Sequence[Office]) -> list[Period]:
    """The spans after a mission closed when every mission of the sender in the host is shown closed."""
    closures = sorted(day for mission in missions for day in _closures(mission))
    if not closures:
        return []
    days = sorted(day for day in set().union(*(_status_days(mission) for mission in missions)) if day > closures[0])
    gaps: list[Period] = []
    for index, day in enumerate(days):
        if all(mission.open_on(day) is False for mission in missions):
            last = days[index + 1] - dt.timedelta(days=1) if index + 1 < len(days) else dt.date.today()
            if last < day:
                continue
            if gaps and gaps[-1].last + dt.timedelta(days=1) >= day:  # adjacent spans are one gap
                gaps[-1] = Period(gaps[-1].first, last)
            else:
                gaps.append(Period(day, last))
    return gaps


def _open_after_winding_up(office: Office, gap: Period) -> bool:
    """Whether the office is shown certainly open in the gap once its first weeks are over.

    A post closed within those weeks closed with the break; a gap shorter than them (a
    legation moving with a government in exile) asks nothing of the posts.
    """
    first = gap.first + _WINDING_UP
    return first <= gap.last and office.open_on(Period(first, gap.last)) is True


def _worked_in(office: Office, gap: Period) -> bool:
    """Whether the office records that it worked during this gap: a ``stayed-open`` event in
    it, or its own reopening in it (a consulate back at work before its embassy)."""
    for event in office.events:
        if event.type in (EventType.STAYED_OPEN, EventType.REOPENED):
            earliest, latest = event.date.earliest, event.date.latest
            if (earliest is None or earliest <= gap.last) and (latest is None or latest >= gap.first):
                return True
    return False


def check_missions(located: Iterable[Located], successors: Mapping[str, str] | None = None) -> list[Problem]:
    """An office shown open while its sender's history in the host says it had no mission there.

    Relations broken off close every post: when all of a sender's missions in a host
    (embassies, legations, liaison and interests offices …) are shown closed after one of
    them closed, an office of the same sender shown certainly open then needs its own
    closing and reopening recorded (or other dates), or a ``stayed-open`` event in the
    gap saying, with its source, that it worked on (VCCR art. 2(3)). The gap's first
    weeks are left out: posts shut some days after the break. A mission to a former state
    counts for the state that continued it (``successors``, from states.toml): the
    embassy to the Soviet Union covers a consulate in Leningrad recorded under Russia.
    """
    successors = successors or {}
    groups: dict[tuple[str, str], list[Located]] = {}
    for item in located:
        host = successors.get(item[0].host, item[0].host)
        groups.setdefault((item[0].sending, host), []).append(item)
    problems = []
    for (sending, host), items in groups.items():
        missions = [office for office, _, _ in items if office.kind in _MISSIONS or office.first_kind in _MISSIONS]
        gaps = _gaps(missions)
        if not gaps:
            continue
        mission_ids = {mission.id for mission in missions}
        for office, at, file in items:
            if office.id in mission_ids:
                continue
            shown = [str(gap) for gap in gaps if _open_after_winding_up(office, gap) and not _worked_in(office, gap)]
            if shown:
                names = ", ".join(sorted(mission_ids))
                spans = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
                message = (
                    f"shown open during {spans} while {sending} had no mission in {host} ({names} closed then):"
                    " record this office's closing and reopening, or that it stayed open, or correct its dates"
                )
                problems.append(Problem(file, at.of("opened"), "opened", message))
    return problems


def check_lifespans(located: Iterable[Located], lifespans: Iterable[Lifespan]) -> list[Problem]:
    """An office dated open before its sending state existed (or an embassy before its host did), or closed after.

    Such a date usually belongs to a predecessor (a Czechoslovak legation under a Czech
    record): the record needs a predecessor, its own opening date, or a note.
    """
    spans = {span.code: span for span in lifespans}
    problems = []
    for office, at, file in located:
        for code, role, since, until in bounds_of(office, spans):
            opened = office.opened.latest if office.opened is not None else None
            if since is not None and opened is not None and opened < since.earliest:
                message = f"opened {office.opened} but its {role} {code} existed only from {since}"
                problems.append(Problem(file, at.of("opened"), "opened", message))
            closed = office.closed.earliest if office.closed is not None else None
            if until is not None and closed is not None and closed > until.latest:
                message = f"closed {office.closed} but its {role} {code} ceased on {until}"
                problems.append(Problem(file, at.of("closed"), "closed", message))
    return problems


def _check_claims(located: Iterable[Located], groups: Iterable[Group]) -> list[Problem]:
    """Every claim must be countable (its states, groups and kinds exist); its verdict is not a problem."""
    from consulates.claims import check

    items = list(located)
    registry = Registry((office for office, _, _ in items), groups=groups)
    problems = []
    for office, at, file in items:
        for index, claim in enumerate(office.claims, start=1):
            field = f"claim[{index}]"
            try:
                check(registry, office, claim)
            except (ValueError, LookupError) as error:
                problems.append(Problem(file, at.of(field), field, f"cannot be counted: {error}"))
    return problems


def check_cities(cities: Sequence[tuple[City, Lines]], file: str) -> list[Problem]:
    """City names: known countries, and no alias claimed by two cities of one country."""
    problems = []
    owner: dict[tuple[str, str], str] = {}
    for city, at in cities:
        if not countries.is_known(city.country):
            problems.append(Problem(file, at.of("country"), "country", f"unknown state {city.country!r}"))
        for name in (city.name, *city.aliases):
            key = (city.country, fold(name))
            if key in owner and owner[key] != city.name:
                problems.append(
                    Problem(file, at.of("aliases"), "aliases", f"{name!r} is already a name of {owner[key]}")
                )
            owner.setdefault(key, city.name)
    return problems


def check_retired(retired: Sequence[tuple[Retirement, Lines]], office_ids: set[str], file: str) -> list[Problem]:
    """Retired ids: not in use, each pointing to an office that exists (directly or by a chain)."""
    problems = []
    table = {item.id: item for item, _ in retired}
    for item, at in retired:
        if item.id in office_ids:
            problems.append(Problem(file, at.of("id"), "id", f"{item.id!r} is retired but still in use by an office"))
        if (item.successor is None) == (item.reason is None):
            problems.append(Problem(file, at.of("id"), "successor", "give either a successor or a reason, not both"))
        if item.successor is not None and not _leads_to_office(item.successor, table, office_ids):
            problems.append(
                Problem(file, at.of("successor"), "successor", f"{item.successor!r} does not lead to an office")
            )
    return problems


def _leads_to_office(successor: str, table: dict[str, Retirement], office_ids: set[str]) -> bool:
    seen = set()
    current: str | None = successor
    while current is not None and current not in office_ids:
        if current in seen or current not in table:
            return False
        seen.add(current)
        current = table[current].successor
    return current is not None


@attrs.frozen
class LocationException:
    """An office whose coordinates are right although they fail the location check, and why."""

    id: str
    reason: str


def check_locations(
    located: Sequence[Located],
    exceptions: Sequence[tuple[LocationException, Lines]],
    exceptions_file: str,
    cities: Iterable[City] = (),
) -> list[Problem]:
    """Coordinates not in their host, or far from the other offices of their city, unless excepted with a reason.

    See :func:`consulates.geo.check_locations` and :func:`consulates.geo.city_outliers`.
    Exceptions must name an office whose location fails a check: a stale one is reported
    too, so the list stays short and true. Without the ``geo`` extra (GeoNames places)
    the host is not checked, and the exceptions' need is not either.
    """
    from consulates import geo

    offices = {office.id: (office, at, file) for office, at, file in located}
    problems: list[Problem] = []
    excepted: dict[str, Lines] = {}
    for item, at in exceptions:
        if item.id not in offices:
            problems.append(Problem(exceptions_file, at.of("id"), "id", f"no office has the id {item.id!r}"))
        elif item.id in excepted:
            problems.append(Problem(exceptions_file, at.of("id"), "id", f"{item.id!r} is listed twice"))
        else:
            excepted[item.id] = at
    aliases = city_names(cities)
    failures = geo.city_outliers((office for office, _, _ in located), aliases)
    if geo.has_gazetteer():
        failures = geo.check_locations(office for office, _, _ in located) + failures
    failed = set()
    for office, reason in failures:
        if office.id in failed:
            continue
        failed.add(office.id)
        if office.id not in excepted:
            _, at, file = offices[office.id]
            note = f"{reason} (if the location is right, list the id in {exceptions_file} with a reason)"
            problems.append(Problem(file, at.of("location"), "location", note))
    for office_id, at in excepted.items():
        if office_id not in failed and geo.has_gazetteer():
            message = f"{office_id} passes the location check: remove this exception"
            problems.append(Problem(exceptions_file, at.of("id"), "id", message))
    return problems
