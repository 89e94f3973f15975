"""The registry: offices indexed for the questions people ask of them."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from consulates import countries
from consulates.artifact import REBUILD, Artifact, SourceCache, load_artifact, office_from_artifact, read_artifact
from consulates.dates import Period, When, to_period
from consulates.errors import DataError, Problem, UnknownCountryError, UnknownOfficeError, UnknownPlaceError
from consulates.model import EventType, Kind, Location, Office, cities_of, kinds_of
from consulates.text import fold

if TYPE_CHECKING:
    from consulates.chronology import HistoryEntry
    from consulates.counting import Ordinal, Selection
    from consulates.coverage import Counts
    from consulates.geo import Geocoder, OfficeIndex
    from consulates.groups import Group, Groups
    from consulates.lifespans import Lifespan

__all__ = [
    "ARTIFACT",
    "REBUILD",
    "STATUSES",
    "City",
    "Registry",
    "Retirement",
    "cities_of",
    "city_key",
    "city_names",
    "office_order",
]

_T = TypeVar("_T")

ARTIFACT = os.path.join(os.path.dirname(__file__), "_data", "registry.jsonl")
"""The compiled registry shipped with the package."""


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


def city_names(cities: Iterable[City]) -> dict[tuple[str, str], str]:
    """(country, folded other name) -> folded current name: "Nur-Sultan" and "Astana" are one city."""
    return {(city.country, fold(alias)): fold(city.name) for city in cities for alias in city.aliases}


def city_key(names: Mapping[tuple[str, str], str], host: str, city: str) -> str:
    """The folded current name of a city in ``host``, whatever name it is given under."""
    key = fold(city)
    return names.get((host, key), key)


class Registry:
    """A set of offices with the indexes that answer queries on them.

    Build one from offices (tests, the compiler) or load the compiled artifact with
    :meth:`load`. Indexes are built once, on first need.
    """

    def __init__(
        self,
        offices: Iterable[Office] = (),
        *,
        retired: Iterable[Retirement] = (),
        cities: Iterable[City] = (),
        groups: Iterable[Group] = (),
        lifespans: Iterable[Lifespan] = (),
    ) -> None:
        self._groups: Groups | list[Mapping[str, Any]] = []
        given = tuple(groups)
        if given:  # the package's own registry decodes its groups on first use, not here
            from consulates.groups import Groups

            self._groups = Groups(given)
        self._lifespans: dict[str, Lifespan] | list[Mapping[str, Any]] = {span.code: span for span in lifespans}
        by_sending: dict[str, list[Office]] = {}
        self._by_id: dict[str, Office] = {}
        for office in offices:
            if office.id in self._by_id:
                raise ValueError(f"office ids must be unique: {office.id!r} appears twice")
            self._by_id[office.id] = office
            by_sending.setdefault(office.sending, []).append(office)
        self._decoded = {code: tuple(sorted(items, key=office_order)) for code, items in by_sending.items()}
        hosts: dict[str, set[str]] = {}
        for code, items in by_sending.items():
            for office in items:
                hosts.setdefault(office.host, set()).add(code)
        self._hosts = {host: tuple(sorted(codes)) for host, codes in hosts.items()}
        self._artifact: Artifact | None = None
        self._source_cache: SourceCache = {}
        self._find_cache: dict[tuple[object, ...], tuple[Office, ...]] = {}
        self._retired = {item.id: item for item in retired}
        self._cities = tuple(cities)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str] = ARTIFACT) -> Registry:
        """Read a compiled registry; a missing, damaged or outdated file raises DataError naming the fix.

        Only the header is decoded here; each sending state's offices are decoded the
        first time a query needs them.
        """
        return cls._from_artifact(load_artifact(os.fspath(path)))

    @classmethod
    def parse(cls, data: bytes, name: str = "<registry>") -> Registry:
        """A registry from the bytes of a compiled artifact (see :mod:`consulates.artifact`)."""
        return cls._from_artifact(read_artifact(data, name))

    @classmethod
    def _from_artifact(cls, artifact: Artifact) -> Registry:
        header = artifact.header
        try:
            retired = [Retirement(**item) for item in header.get("retired", [])]
            cities = [City(item["country"], item["name"], tuple(item.get("aliases", ()))) for item in header["cities"]]
        except (KeyError, TypeError) as error:
            raise artifact.problem("header", f"malformed ({error})") from None
        registry = cls(retired=retired, cities=cities)
        registry._groups = list(header.get("groups", []))  # decoded on first use
        registry._lifespans = list(header.get("states", []))
        registry._artifact = artifact
        registry._hosts = {host: tuple(codes) for host, codes in artifact.hosts.items()}
        return registry

    @classmethod
    def from_document(cls, document: Mapping[str, Any], name: str = "<registry>") -> Registry:
        """A registry from plain mappings in the data-file schema, checked field by field as the build checks them.

        ``document`` is ``{"offices": [...], "cities": [...], "retired": [...]}``: what an
        export or another tool wrote can be read back.
        """
        from consulates.codec import decode_office

        problems: list[Problem] = []
        offices = []
        for index, raw in enumerate(document.get("offices", [])):

            def report(field: str, message: str, index: int = index) -> None:
                problems.append(Problem(name, 0, f"offices[{index}].{field}", message))

            office = decode_office(raw, report) if isinstance(raw, dict) else None
            if office is None and not isinstance(raw, dict):
                report("", "is not a mapping")
            if office is not None:
                offices.append(office)
        if problems:
            raise DataError(problems)
        retired = [Retirement(**item) for item in document.get("retired", [])]
        cities = [
            City(item["country"], item["name"], tuple(item.get("aliases", ()))) for item in document.get("cities", [])
        ]
        return cls(offices, retired=retired, cities=cities)

    @classmethod
    def from_records(
        cls,
        records: Iterable[Office | Mapping[str, Any]],
        *,
        retired: Iterable[Retirement] = (),
        cities: Iterable[City] = (),
    ) -> Registry:
        """A registry from offices: :class:`Office` records, or mappings as ``Office.to_dict()`` and JSON exports give.

        Mappings are checked field by field as the build checks data files; every problem
        found raises one :class:`DataError`.
        """
        if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
            raise TypeError(f"records are an iterable of offices or mappings, not {type(records).__name__}")
        offices: list[Office] = []
        mappings: list[Mapping[str, Any]] = []
        for record in records:
            if isinstance(record, Office):
                offices.append(record)
            elif isinstance(record, Mapping):
                mappings.append(record)
            else:
                raise TypeError(f"a record is an Office or a mapping, not {type(record).__name__}")
        if mappings:
            offices += cls.from_document({"offices": [dict(item) for item in mappings]}, "<records>").offices
        return cls(offices, retired=retired, cities=cities)

    def _offices_of(self, code: str) -> tuple[Office, ...]:
        """One sending state's offices in the registry's order, decoded on first use."""
        found = self._decoded.get(code)
        if found is not None:
            return found
        artifact = self._artifact
        if artifact is None or code not in artifact.ranges:
            return ()
        try:
            decoded = [office_from_artifact(raw, self._source_cache) for raw in artifact.offices(code)]
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise artifact.problem(f"index.{code}", f"a record is malformed ({error!r})") from None
        found = self._decoded[code] = tuple(sorted(decoded, key=office_order))
        for office in found:
            self._by_id[office.id] = office
        return found

    @property
    def _sending_codes(self) -> list[str]:
        codes = set(self._decoded)
        if self._artifact is not None:
            codes.update(self._artifact.ranges)
        return sorted(codes)

    @functools.cached_property
    def _offices(self) -> tuple[Office, ...]:
        # Grouped by sending state in code order, each group in the registry's order: the whole is in order too.
        return tuple(office for code in self._sending_codes for office in self._offices_of(code))

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

    @functools.cached_property
    def checksum(self) -> str:
        """SHA-256 identifying the data: of the data files a compiled registry was built from, else of its offices."""
        if self._artifact is not None:
            value = self._artifact.header.get("source_sha256")
            if isinstance(value, str):
                return value
        import hashlib
        import json

        from consulates.codec import encode_office

        digest = hashlib.sha256()
        for office in sorted(self._offices, key=lambda office: office.id):
            digest.update(json.dumps(encode_office(office), sort_keys=True, ensure_ascii=False).encode() + b"\n")
        return digest.hexdigest()

    def ids(self, prefix: str = "") -> list[str]:
        """The current office ids starting with ``prefix``, sorted; ``"kz-"`` decodes Kazakhstan's offices only."""
        code = prefix.partition("-")[0].upper() if "-" in prefix else None
        offices = self._offices_of(code) if code else self._offices
        return sorted(office.id for office in offices if office.id.startswith(prefix))

    def knows_city(self, name: str) -> bool:
        """Whether a city of this name (current or former, any spelling) has offices in the registry."""
        return isinstance(name, str) and fold(name) in self._city_labels

    def _current(self, office_id: str) -> Office | None:
        """A current office by id; ids start with their sending state's code, so only that state is decoded."""
        office = self._by_id.get(office_id)
        if office is None:
            self._offices_of(office_id.partition("-")[0].upper())
            office = self._by_id.get(office_id)
        return office

    def get(self, office_id: str) -> Office | None:
        """The office with this id, following retired ids to their successor; None if unknown."""
        if not isinstance(office_id, str):
            raise TypeError(f"an office id is text, not {type(office_id).__name__}")
        seen = set()
        current = office_id
        office = self._current(current)
        while office is None:
            retirement = self._retired.get(current)
            if retirement is None or retirement.successor is None or current in seen:
                return None
            seen.add(current)
            current = retirement.successor
            office = self._current(current)
        return office

    def lookup(self, office_id: str) -> Office:
        """Like :meth:`get`, but an unknown id raises :class:`UnknownOfficeError` naming close ids."""
        office = self.get(office_id)
        if office is not None:
            return office
        retirement = self._retired.get(office_id)
        if retirement is not None:
            raise UnknownOfficeError(office_id, [f"nothing: it was withdrawn ({retirement.reason})"])
        import difflib

        known = [office.id for office in self._offices]
        close = difflib.get_close_matches(office_id.strip().lower(), known, n=3, cutoff=0.6)
        raise UnknownOfficeError(office_id, close)

    @property
    def lifespans(self) -> Mapping[str, Lifespan]:
        """When states began and ceased to exist (``data/states.toml``), by code, decoded on first use."""
        if not isinstance(self._lifespans, dict):
            from consulates.artifact import lifespan_from_artifact

            try:
                spans = (lifespan_from_artifact(raw, self._source_cache) for raw in self._lifespans)
                self._lifespans = {span.code: span for span in spans}
            except (ValueError, TypeError, AttributeError) as error:
                raise self._malformed("states", "a state", error) from None
        return self._lifespans

    def _malformed(self, field: str, what: str, error: Exception) -> Exception:
        """What to raise for a header part that cannot be decoded: the artifact's problem, or the error itself."""
        return error if self._artifact is None else self._artifact.problem(field, f"{what} is malformed ({error})")

    @functools.cached_property
    def _bounded_until(self) -> int:
        """The latest year in which a state began: after it, no lifespan excludes an office (read from the header)."""
        if isinstance(self._lifespans, dict):
            years = [span.since.year for span in self._lifespans.values() if span.since is not None]
        else:
            years = [int(str(raw["since"])[:4]) for raw in self._lifespans if raw.get("since")]
        return max(years, default=0)

    def open_on(self, office: Office, day: When) -> bool | None:
        """Like :meth:`Office.open_on`, bounded by its states' lifespans where its own dates cannot decide.

        An office of Kazakhstan whose opening date is unknown was not open in 1985: Kazakhstan
        did not exist. Only a lifespan that certainly excludes the day decides.
        """
        answer = office.open_on(day)
        if answer is not None:
            return answer
        period = day if isinstance(day, Period) else to_period(day)
        if period.first.year > self._bounded_until:  # no state began that late: nothing to decode
            return None
        return False if _outside_lifespans(office, period, self.lifespans) else None

    # -- resolving arguments -----------------------------------------------------------------

    @property
    def groups(self) -> Groups:
        """The groups of states and subdivisions ("Central Asia", "western China"), decoded on first use."""
        from consulates.groups import Groups

        if not isinstance(self._groups, Groups):
            from consulates.artifact import group_from_artifact

            try:
                self._groups = Groups(group_from_artifact(raw, self._source_cache) for raw in self._groups)
            except (ValueError, TypeError, AttributeError) as error:
                raise self._malformed("groups", "a group", error) from None
        return self._groups

    @functools.cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset(self._sending_codes) | frozenset(self._hosts)

    @property
    def codes(self) -> frozenset[str]:
        """The codes of every sending and host state the registry holds."""
        return self._codes

    def resolve_state(self, value: str) -> str:
        """A state code from any accepted spelling; codes the registry holds skip pycountry."""
        if not isinstance(value, str):
            raise TypeError(f"a state is given as text, not {type(value).__name__}")
        code = value.strip().upper()
        if code in self._codes or code in countries.SARS:
            return code
        return countries.resolve(value)

    @functools.cached_property
    def _city_names(self) -> dict[tuple[str, str], str]:
        return city_names(self._cities)

    def _city_key(self, host: str, city: str) -> str:
        return city_key(self._city_names, host, city)

    # -- queries -----------------------------------------------------------------------------

    def find(
        self,
        sending: str | Iterable[str] | None = None,
        host: str | Iterable[str] | None = None,
        kind: Kind | str | Iterable[Kind | str] | None = None,
        city: str | Iterable[str] | None = None,
        subdivision: str | Iterable[str] | None = None,
        on: When | None = None,
        include_closed: bool = False,
        *,
        between: tuple[When, When] | None = None,
        status: str | Iterable[str] | None = None,
    ) -> list[Office]:
        """Offices matching every filter given, in the registry's order.

        Each filter takes one value or an iterable of them; values of one filter are
        alternatives (``sending=["KZ", "KG"]``), filters combine with AND. States are
        codes or names, kinds are :class:`Kind` or their names.

        Time: ``on`` is a day, a month or a year (``"2000-05-19"``, ``"2000-05"``,
        ``"2000"``, a ``date``), ``between=(start, end)`` a span from the first day of
        ``start`` to the last day of ``end``; the default is today. ``status`` keeps the
        offices whose dates show them ``"open"`` (certainly open on at least one day of
        the period), ``"closed"`` (certainly open on none of its days) or ``"unknown"``
        (the dates cannot tell); by default ``("open", "unknown")``. ``include_closed``
        keeps every office whatever its dates, and cannot be combined with the others.
        With a day, ``kind`` matches the office's kind that day; with a longer period,
        any kind it may have had during it.
        """
        # Queries repeat in loops: answers are remembered by their arguments (and today's date).
        today = dt.date.today() if on is None and between is None and not include_closed else None
        key: tuple[object, ...] | None = (
            sending,
            host,
            kind,
            city,
            subdivision,
            on,
            include_closed,
            between,
            status,
            today,
        )
        try:
            remembered = self._find_cache.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable argument (a list): normalised below, not remembered
            remembered, key = None, None
        if remembered is not None:
            return list(remembered)
        query = self._query(sending, host, kind, city, subdivision, on, include_closed, between, status)
        results = self._run(query)
        if key is not None:
            if len(self._find_cache) >= _REMEMBERED_QUERIES:
                self._find_cache.clear()
            self._find_cache[key] = tuple(results)
        return results

    def resolve_states(self, value: str | Iterable[str], *, on: dt.date | None = None) -> frozenset[str]:
        """State codes from a filter value: codes, names (:func:`countries.resolve_states`) and groups.

        A group ("Central Asia", "EU") stands for its members on the day ``on``, or for every
        state that was ever a member when no day is given. An unknown name raises
        :class:`UnknownCountryError` suggesting close state and group names.
        """
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, Iterable) or isinstance(items, bytes):
            return countries.resolve_states(value, known=self._codes)  # raises the TypeError
        codes: set[str] = set()
        plain: list[str] = []
        for item in items:
            code = item.strip().upper() if isinstance(item, str) else ""
            known = code in self._codes or code in countries.SARS
            group = self.groups.get(item, of="states") if isinstance(item, str) and not known else None
            if group is not None:
                codes |= self.groups.codes(group, on)
            else:
                plain.append(item)
        if plain or not codes:
            try:
                codes |= countries.resolve_states(plain, known=self._codes)
            except UnknownCountryError as error:
                from consulates.geo import suggest

                groups = suggest(error.value, self.groups.names(of="states"))
                raise UnknownCountryError(error.value, [*error.suggestions, *groups][:4]) from None
        return frozenset(codes)

    def resolve_subdivisions(self, value: str | Iterable[str], *, on: dt.date | None = None) -> frozenset[str]:
        """ISO 3166-2 codes from a filter value: codes, or groups of subdivisions ("western China")."""
        codes: set[str] = set()
        for item in _each(value, lambda item: item, "a subdivision"):
            group = self.groups.get(item, of="subdivisions") if isinstance(item, str) else None
            codes |= self.groups.codes(group, on) if group is not None else {_subdivision(item)}
        return frozenset(codes)

    def _query(
        self,
        sending: str | Iterable[str] | None,
        host: str | Iterable[str] | None,
        kind: Kind | str | Iterable[Kind | str] | None,
        city: str | Iterable[str] | None,
        subdivision: str | Iterable[str] | None,
        on: When | None,
        include_closed: bool,
        between: tuple[When, When] | None,
        status: str | Iterable[str] | None,
    ) -> _Query:
        """The filters checked and normalised once, before any office is looked at."""
        if not isinstance(include_closed, bool):
            raise TypeError(f"include_closed is True or False, not {type(include_closed).__name__}")
        if include_closed and (on is not None or between is not None):
            raise ValueError("give either on= (or between=) or include_closed=True, not both")
        if include_closed and status is not None:
            raise ValueError("include_closed=True keeps every office and status= selects by status: give one")
        period = None if include_closed else to_period(on, between=between)
        statuses = STATUSES_KEPT if status is None else frozenset(_each(status, _status, "a status"))
        day = None if period is None else period.last  # groups take their members on the last day asked
        hosts = None if host is None else self.resolve_states(host, on=day)
        regions = None
        territories = countries.TERRITORIES
        if hosts is not None and hosts & territories.keys():
            regions = frozenset(territories[code] for code in hosts & territories.keys())
            hosts = hosts - territories.keys()
        return _Query(
            sending=None if sending is None else self.resolve_states(sending, on=day),
            hosts=hosts,
            regions=regions,
            kinds=None if kind is None else kinds_of(_each(kind, lambda item: item, "a kind")),
            cities=None if city is None else frozenset(_each(city, _city_query, "a city")),
            subdivisions=None if subdivision is None else self.resolve_subdivisions(subdivision, on=day),
            period=period,
            statuses=statuses,
            when=None if period is None else (period.first if period.is_day else period),
            registry=self,
        )

    def _run(self, query: _Query) -> list[Office]:
        if query.sending is not None:
            pool: Iterable[Office] = [office for code in sorted(query.sending) for office in self._offices_of(code)]
        elif query.hosts is not None or query.regions is not None:
            sovereigns = {region.partition("-")[0] for region in query.regions or ()}
            wanted = (query.hosts or frozenset()) | sovereigns
            codes = sorted({code for host in wanted for code in self._hosts.get(host, ())})
            pool = [office for code in codes for office in self._offices_of(code) if office.host in wanted]
        else:
            pool = self._offices
        city_keys: dict[str, frozenset[str]] = {}
        results = []
        for office in pool:
            if not query.keeps(office):
                continue
            if query.cities is not None:
                wanted_cities = city_keys.get(office.host)
                if wanted_cities is None:
                    names = self._city_names
                    wanted_cities = frozenset(names.get((office.host, key), key) for key in query.cities)
                    city_keys[office.host] = wanted_cities
                if not self._in_cities(office, wanted_cities, query.period):
                    continue
            results.append(office)
        return results

    def _in_cities(self, office: Office, wanted: frozenset[str], period: Period | None) -> bool:
        """Whether the office was in one of the cities (folded current names) during the period asked.

        An office that moved is in each of its cities for the days it was there; where the
        dates of a move cannot place the period, or no period is asked, any city it was in
        counts, as :meth:`find` keeps what the dates cannot decide.
        """
        if not office.events or not any(event.type is EventType.MOVED for event in office.events):
            return office.city is not None and self._office_city(office) in wanted
        names = cities_of(office) if period is None else office.cities_during(period)
        return any(self._folded_city(office.host, name) in wanted for name in names)

    def _office_city(self, office: Office) -> str:
        """The folded current name of the office's city, remembered per (host, city)."""
        assert office.city is not None
        return self._folded_city(office.host, office.city)

    def _folded_city(self, host: str, name: str) -> str:
        """The folded current name of a city of ``host``, remembered: offices' cities are folded once."""
        found = self._office_cities.get((host, name))
        if found is None:
            found = self._office_cities[(host, name)] = self._city_key(host, name)
        return found

    @functools.cached_property
    def _office_cities(self) -> dict[tuple[str, str], str]:
        return {}

    def ordinal(
        self,
        office: Office | str,
        *,
        count_sars: bool = True,
        kinds: Kind | str | Iterable[Kind | str] | None = None,
        include_closed: bool = True,
        among: Mapping[str, Any] | None = None,
    ) -> Ordinal:
        """The office's place, by the date each opened as or became the kind counted.

        By default among its own state's offices of its kind in its host ("the third
        consulate general of Kazakhstan in China"). ``among`` counts over any selection,
        as :meth:`selection` reads it: ``among=dict(sending="Central Asia",
        subdivision="western China")``. ``kinds`` takes kinds and families
        (``"consular"``, ``"embassies"``, ``"any"``: see :data:`consulates.model.KIND_FAMILIES`).
        Groups count their members on the day the office became the kind counted.
        """
        from consulates.counting import count

        target = self.lookup(office) if isinstance(office, str) else office
        wanted = None if kinds is None else kinds_of([kinds] if isinstance(kinds, Kind | str) else kinds)
        if among is None:
            return count(
                target,
                self._offices_of(target.sending),
                count_sars=count_sars,
                kinds=wanted,
                include_closed=include_closed,
            )
        start = target.became(wanted or frozenset({target.kind}))
        selection = self.selection(among, on=None if start is None else start.latest)
        return count(
            target,
            self._network(selection),
            count_sars=count_sars,
            kinds=wanted,
            include_closed=include_closed,
            selection=selection,
            city_key=self._city_key,
        )

    def _network(self, selection: Selection) -> Iterator[Office]:
        """The offices a selection may admit: only the senders with offices in its hosts, where it names hosts."""
        hosts = selection.hosts
        if hosts is None and selection.subdivisions is not None:
            hosts = frozenset(code.partition("-")[0] for code in selection.subdivisions)
        if selection.sending is not None:
            codes = sorted(selection.sending)
        elif hosts is not None:
            codes = sorted({code for host in hosts for code in self._hosts.get(host, ())})
        else:
            codes = self._sending_codes
        for code in codes:
            for office in self._offices_of(code):
                if hosts is None or office.host in hosts:
                    yield office

    def selection(self, among: Mapping[str, Any], *, on: dt.date | None = None) -> Selection:
        """A counting selection from ``sending``, ``host``, ``subdivision`` and ``city``, each a value or a list.

        States are codes, names or groups of states ("Central Asia", "EU"); subdivisions
        are ISO 3166-2 codes or groups of them ("western China"). Groups take their members
        on the day ``on`` (members whose dates cannot tell are kept), or every member ever.
        """
        if not isinstance(among, Mapping):
            raise TypeError(f"among is a mapping such as dict(sending='KZ'), not {type(among).__name__}")
        unknown = sorted(set(among) - {"sending", "host", "subdivision", "city"})
        if unknown:
            raise ValueError(f"among takes sending, host, subdivision and city, not {unknown[0]!r}")
        sending, sending_words = self._states_of(among.get("sending"), on)
        hosts, host_words = self._states_of(among.get("host"), on)
        subdivisions, place_words = self._subdivisions_of(among.get("subdivision"), on)
        if hosts is not None and hosts & countries.SARS.keys():
            sars = {countries.SARS[code] for code in hosts & countries.SARS.keys()}
            hosts = (hosts - countries.SARS.keys()) | {"CN"}
            subdivisions = (subdivisions or frozenset()) | sars
        from consulates.counting import Selection

        city = among.get("city")
        cities = None
        if city is not None:
            names = [city] if isinstance(city, str) else list(city)
            cities = frozenset(self._city_key(host, name) for name in names for host in (hosts or {""}))
            place_words = " or ".join(names) + (f", {host_words}" if host_words else "")
        place = place_words or host_words or "any state"
        return Selection(
            sending=sending,
            hosts=hosts,
            subdivisions=subdivisions,
            cities=cities,
            sending_words=sending_words or "any state",
            place_words=place,
        )

    def _states_of(self, value: object, on: dt.date | None) -> tuple[frozenset[str] | None, str]:
        """Codes (:meth:`resolve_states`) and words for a state selection; ``"any"``: every state."""
        if value is None or value == "any":
            return None, ""
        items = _each(value, _text, "a state")
        words = []
        for item in items:
            group = self.groups.get(item, of="states")
            if group is not None:
                words.append(f"a state of {group.name}")
            else:
                (code,) = self.resolve_states(item)
                words.append(countries.name(code) if code not in countries.SARS else code)
        return self.resolve_states(items, on=on), " or ".join(words)

    def _subdivisions_of(self, value: object, on: dt.date | None) -> tuple[frozenset[str] | None, str]:
        """Codes (:meth:`resolve_subdivisions`) and words for a subdivision selection."""
        if value is None:
            return None, ""
        items = _each(value, _text, "a subdivision")
        words = []
        for item in items:
            group = self.groups.get(item, of="subdivisions")
            if group is not None:
                words.append(group.name)
            else:
                code = countries.subdivision(item)  # checked against ISO 3166-2: a claim's place must exist
                words.append(f"{countries.subdivision_name(code)} ({code})")
        return self.resolve_subdivisions(items, on=on), " or ".join(words)

    def stats(
        self,
        by: str | None = None,
        *,
        sending: str | Iterable[str] | None = None,
        host: str | Iterable[str] | None = None,
    ) -> dict[str, Counts]:
        """Counts and coverage of the offices, closed ones too: in all (key ``"all"``), or by sending, host or kind."""
        from consulates.coverage import count, group

        offices = self.find(sending=sending, host=host, include_closed=True)
        if by is None:
            return {"all": count(offices)}
        return {key: count(members) for key, members in group(offices, by).items()}

    def history(
        self, sending: str | Iterable[str] | None = None, host: str | Iterable[str] | None = None
    ) -> list[HistoryEntry]:
        """Every dated happening in the offices selected, oldest first; undated openings last."""
        from consulates.chronology import entries_of  # only when asked: it is not needed to start

        return entries_of(self.find(sending=sending, host=host, include_closed=True))

    # -- geography ---------------------------------------------------------------------------

    @functools.cached_property
    def _geo(self) -> OfficeIndex:
        """The located offices' search tree, built on the first geographic query."""
        from consulates.geo import OfficeIndex

        return OfficeIndex(self._offices)

    @functools.cached_property
    def _masks(self) -> dict[tuple[object, ...], bytes]:
        """Recent filters of :meth:`near` and the offices they keep, so a repeated query skips :meth:`find`."""
        return {}

    @functools.cached_property
    def _city_points(self) -> dict[str, dict[str, tuple[float, float]]]:
        """Folded city name (current or former) -> host -> where its offices are (see geo.city_centre)."""
        from consulates.geo import city_centre

        sites: dict[tuple[str, str], list[Location]] = {}
        for office in self._offices:
            if office.city and office.location is not None and office.location.precision == "site":
                key = (office.host, self._city_key(office.host, office.city))
                sites.setdefault(key, []).append(office.location)
        points: dict[str, dict[str, tuple[float, float]]] = {}
        for (host, name), locations in sites.items():
            centre = city_centre(locations)
            if centre is not None:
                points.setdefault(name, {})[host] = (centre.latitude, centre.longitude)
        for (host, alias), name in self._city_names.items():
            if host in points.get(name, {}):
                points.setdefault(alias, {}).setdefault(host, points[name][host])
        return points

    @functools.cached_property
    def _city_labels(self) -> dict[str, str]:
        """Folded city name -> the name as written, for suggestions."""
        labels = {fold(office.city): office.city for office in self._offices if office.city}
        for city in self._cities:
            for name in (city.name, *city.aliases):
                labels.setdefault(fold(name), name)
        return labels

    def locate(self, place: object, *, geocoder: Geocoder | None = None) -> tuple[float, float]:
        """(latitude, longitude) of a place: a pair, an :class:`Office`, a :class:`Location` or a name.

        A name is, in this order: ``"lat, lon"`` text; a city of the registry (the mean of
        its offices' site locations; former names work; ``"Hyderabad, Pakistan"`` names
        the country); a city of the GeoNames gazetteer if the ``geo`` extra is installed;
        and only then, if one is given, whatever ``geocoder`` finds online. An unknown name
        raises :class:`UnknownPlaceError` with close city names.
        """
        from consulates import geo

        if isinstance(place, Office):
            if place.location is None:
                raise ValueError(f"office {place.id!r} has no location")
            return geo.parse_point(place.location)
        if not isinstance(place, str):
            return geo.parse_point(place)
        text = place.strip()
        if not text:
            raise ValueError("a place name is empty")
        point = geo.text_point(text)
        if point is not None:
            return point
        name, country = self._split_country(text)
        point = self._registry_city(name, country, text) or geo.gazetteer_point(name, (country,) if country else ())
        if point is not None:
            return point
        if geocoder is not None:
            return geo.geocode(geocoder, text)
        hint = "" if geo.has_gazetteer() else " install consulates[geo] for a world gazetteer, or"
        suggestions = geo.suggest(name, self._city_labels)
        hint = f" (known offline: the registry's cities;{hint} pass geocoder=)"
        raise UnknownPlaceError(text, suggestions, hint=hint)

    def _split_country(self, text: str) -> tuple[str, str | None]:
        """``"Hyderabad, Pakistan"`` -> ("Hyderabad", "PK"); text without a known country after a comma stays whole."""
        name, comma, rest = text.rpartition(",")
        if not comma or not name.strip():
            return text, None
        try:
            return name.strip(), self.resolve_state(rest)
        except LookupError:
            return text, None

    def _registry_city(self, name: str, country: str | None, text: str) -> tuple[float, float] | None:
        """The registry's city of that name; a name found in several countries must name one."""
        hosts = self._city_points.get(fold(name), {})
        if country is not None:
            host = "CN" if country in countries.SARS else country
            return hosts.get(host)
        if len(hosts) > 1:
            label = self._city_labels.get(fold(name), name)
            choices = [f"{label}, {countries.name(host)}" for host in sorted(hosts)]
            raise UnknownPlaceError(text, choices, hint=" (the name is a city in several countries)")
        return next(iter(hosts.values()), None)

    def _near_mask(
        self,
        sending: str | Iterable[str] | None,
        host: str | Iterable[str] | None,
        kind: Kind | str | Iterable[Kind | str] | None,
        on: When | None,
    ) -> bytes:
        """The located offices :meth:`find` keeps for these filters, remembered for the next query."""
        day = to_period(on)
        key: tuple[object, ...] | None = (sending, host, kind, day)
        try:
            mask = self._masks.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable argument: find() says what is wrong with it
            mask, key = None, None
        if mask is None:
            mask = self._geo.mask(self.find(sending=sending, host=host, kind=kind, on=day))
            if key is not None:
                if len(self._masks) >= _REMEMBERED_FILTERS:
                    del self._masks[next(iter(self._masks))]
                self._masks[key] = mask
        return mask

    def near(
        self,
        place: object,
        *,
        sending: str | Iterable[str] | None = None,
        host: str | Iterable[str] | None = None,
        kind: Kind | str | Iterable[Kind | str] | None = None,
        k: int = 5,
        on: When | None = None,
        max_km: float | None = None,
        geocoder: Geocoder | None = None,
    ) -> list[tuple[Office, float]]:
        """The ``k`` offices nearest to a place, nearest first, with geodesic distances in km (ties by id).

        ``place`` is anything :meth:`locate` takes. The filters are :meth:`find`'s (open
        today by default); offices without a location are left out. ``max_km`` drops
        farther offices. Distances are WGS 84 geodesics, as ``geopy.distance.geodesic``.
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k is a whole number from 1, not {k!r}")
        if max_km is not None and (
            isinstance(max_km, bool) or not isinstance(max_km, int | float) or not 0 <= max_km < float("inf")
        ):
            raise ValueError(f"max_km is a distance in km from 0, not {max_km!r}")
        mask = self._near_mask(sending, host, kind, on)
        point = self.locate(place, geocoder=geocoder)
        day = to_period(on).last
        displaced = self._displaced(day)
        found = self._geo.nearest(point, allowed=mask, k=k + len(displaced), max_km=max_km)
        if not displaced:
            return found
        return _with_moves(found, point, day, displaced, mask, self._geo, k=k, max_km=max_km)

    def _displaced(self, day: dt.date) -> tuple[Office, ...]:
        """Offices somewhere else on ``day`` than their last site, which is what the search tree holds."""
        movers = self._movers
        if not movers:
            return ()
        found = self._displaced_on.get(day)
        if found is None:
            found = tuple(office for office in movers if office.location_on(day) != office.location)
            if len(self._displaced_on) >= _REMEMBERED_FILTERS:
                self._displaced_on.clear()
            self._displaced_on[day] = found
        return found

    @functools.cached_property
    def _displaced_on(self) -> dict[dt.date, tuple[Office, ...]]:
        return {}

    @functools.cached_property
    def _movers(self) -> tuple[Office, ...]:
        """Offices that moved (their site before a move is not in the search tree)."""
        return tuple(office for office in self._offices if any(e.type is EventType.MOVED for e in office.events))

    def serving(
        self,
        subdivision: str,
        *,
        sending: str | Iterable[str],
        kind: Kind | str | Iterable[Kind | str] | None = None,
        on: When | None = None,
    ) -> Office | None:
        """The office of ``sending`` whose consular district covers an ISO 3166-2 subdivision, open on ``on``.

        The district is the office's ``jurisdiction`` as recorded; nothing is inferred.
        An office listing the subdivision itself wins over one listing a subdivision that
        contains it, which wins over one listing the whole country (usually the embassy).
        An office with an empty jurisdiction serves nothing here, even an embassy: the
        answer is None rather than a guessed district. A whole country covers Hong Kong
        and Macau (CN-HK, CN-MO) only when they are listed (as CN-HK or HK). At the same
        level a career consular post comes before a diplomatic mission, then an honorary
        post; an office certainly open that day before one whose dates cannot tell; then id.
        """
        if sending is None:
            raise ValueError("serving() needs the sending state: sending=")
        code = countries.subdivision(subdivision)
        levels = _district_levels(code)
        day = to_period(on)
        best: tuple[tuple[int, bool, int, int, str], Office] | None = None
        for office in self.find(sending=sending, kind=kind, on=day):
            level = min((levels[entry] for entry in office.jurisdiction if entry in levels), default=None)
            if level is None:
                continue
            order = (level, office.open_on(day) is not True, _service_group(office.kind), office.kind.rank, office.id)
            if best is None or order < best[0]:
                best = (order, office)
        return None if best is None else best[1]


def _with_moves(
    found: list[tuple[Office, float]],
    point: tuple[float, float],
    day: dt.date,
    displaced: Sequence[Office],
    mask: bytes,
    index: OfficeIndex,
    *,
    k: int,
    max_km: float | None,
) -> list[tuple[Office, float]]:
    """Nearest offices on ``day``: offices elsewhere that day are measured from where they were.

    The tree was asked for ``k`` plus the number of displaced offices, so dropping those
    from its answer still leaves ``k``; they are then measured one by one (they are few).
    """
    from consulates.geo import geodesic_km

    moved = {office.id for office in displaced}
    results = [(office, km) for office, km in found if office.id not in moved]
    for office in displaced:
        if not index.allows(office, mask):
            continue
        where = office.location_on(day)
        if where is None:
            continue
        km = geodesic_km(point, where)
        if max_km is None or km <= max_km:
            results.append((office, km))
    results.sort(key=lambda pair: (pair[1], pair[0].id))
    return results[:k]


_REMEMBERED_FILTERS = 64
_REMEMBERED_QUERIES = 1024
_MAX_QUERY_TEXT = 200
"""The longest city name a query may give: far above any real one, and it keeps matching cheap."""

STATUSES = ("open", "closed", "unknown")
"""What the dates can say about an office in a period (see :meth:`Registry.find`)."""
STATUSES_KEPT = frozenset({"open", "unknown"})
"""The default of ``status=``: not shown closed by the dates."""


@attrs.frozen
class _Query:
    """The filters of one query, normalised: state codes, kinds, folded city names, the period and statuses."""

    sending: frozenset[str] | None
    hosts: frozenset[str] | None
    regions: frozenset[str] | None
    """Hong Kong and Macau asked for as hosts: China's offices in those subdivisions."""
    kinds: frozenset[Kind] | None
    cities: frozenset[str] | None
    subdivisions: frozenset[str] | None
    period: Period | None
    """None with include_closed: every office, whatever its dates."""
    statuses: frozenset[str]
    when: dt.date | Period | None = None
    """The period as ``open_on`` takes it fastest: a single day as a date."""
    registry: Registry | None = None
    """Whose :meth:`Registry.open_on` decides: the office's dates, bounded by its states' lifespans."""

    def keeps(self, office: Office) -> bool:
        """Whether the office passes every filter but the city (which needs the registry's names)."""
        if self.sending is not None and office.sending not in self.sending:
            return False
        if self.hosts is not None or self.regions is not None:
            in_host = self.hosts is not None and office.host in self.hosts
            in_region = self.regions is not None and office.subdivision in self.regions
            if not (in_host or in_region):
                return False
        if self.subdivisions is not None and office.subdivision not in self.subdivisions:
            return False
        return self.in_time(office)

    def in_time(self, office: Office) -> bool:
        """The one place where ``on=``, ``between=`` and ``status=`` decide, with the kind the office had then.

        Where the office's own dates cannot decide, its states' lifespans may: an office of a
        state that did not exist during the whole period was not open then.
        """
        period = self.period
        if period is None:
            return self.kinds is None or office.kind in self.kinds
        when = self.when or period
        answer = office.open_on(when) if self.registry is None else self.registry.open_on(office, when)
        status = "unknown" if answer is None else ("open" if answer else "closed")
        if status not in self.statuses:
            return False
        if self.kinds is None:
            return True
        return bool(office.kinds_during(period) & self.kinds)


def _outside_lifespans(office: Office, period: Period, lifespans: Mapping[str, Lifespan]) -> bool:
    """Whether a state bounding the office (see ``lifespans.bounds_of``) did not exist on any day of the period."""
    from consulates.lifespans import bounds_of  # read with the lifespans, not at import

    for _, _, since, until in bounds_of(office, lifespans):
        if since is not None and period.last < since.earliest:
            return True
        if until is not None and period.first > until.latest:
            return True
    return False


def _each(value: object, read: Callable[[Any], _T], what: str) -> list[_T]:
    """One value or an iterable of them, each read by ``read``; an empty iterable is refused."""
    single = isinstance(value, str | bytes | Kind) or not isinstance(value, Iterable)
    items: list[object] = [value] if single else list(value)  # type: ignore[call-overload]
    if not items:
        raise ValueError(f"an empty list selects nothing: give at least one {what.rsplit(maxsplit=1)[-1]}")
    return [read(item) for item in items]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _status(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a status is text, not {type(value).__name__}")
    key = value.strip().lower()
    if key not in STATUSES:
        raise ValueError(f"unknown status {value!r} (one of {', '.join(STATUSES)})")
    return key


def _city_query(value: object) -> str:
    """A city name as asked, folded once for the whole query."""
    if not isinstance(value, str):
        raise TypeError(f"a city is text, not {type(value).__name__}")
    if len(value) > _MAX_QUERY_TEXT:
        raise ValueError(f"a city name is at most {_MAX_QUERY_TEXT} characters, not {len(value)}")
    key = fold(value)
    if not key:
        raise ValueError(f"not a city name: {value!r}")
    return key


def _district_levels(code: str) -> dict[str, int]:
    """Jurisdiction entries that cover a subdivision, by how specific they are (0 = the subdivision itself)."""
    chain = countries.subdivision_ancestors(code)
    levels = {item: depth for depth, item in enumerate(chain)}
    sars = {region: sar for sar, region in countries.SARS.items()}
    if code in sars:
        levels[sars[code]] = 0
    else:
        levels.setdefault(code.partition("-")[0], len(chain))
    return levels


def _service_group(kind: Kind) -> int:
    """Career consular posts serve a district first, then diplomatic missions, then honorary posts."""
    if kind.is_career_consular:
        return 0
    if kind.is_diplomatic:
        return 1
    return 2 if kind.is_honorary else 3


def office_order(office: Office) -> tuple[str, str, str, int, str]:
    """The documented result order: sending, host, city (folded), kind, id (``Office.sort_key``)."""
    return office.sort_key


def _subdivision(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a subdivision is an ISO 3166-2 code as text, not {type(value).__name__}")
    if "-" not in value:
        raise ValueError(f"not an ISO 3166-2 subdivision code: {value!r}")
    return value.strip().upper()
