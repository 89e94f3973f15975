"""The registry: offices indexed for the questions people ask of them."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from consulates import countries
from consulates.codec import decode_office
from consulates.counting import Ordinal, count
from consulates.dates import Dating, to_day
from consulates.errors import DataError, Problem, UnknownOfficeError, UnknownPlaceError
from consulates.model import Event, EventType, Kind, Location, Office
from consulates.text import fold

if TYPE_CHECKING:
    from consulates.geo import Geocoder, OfficeIndex

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
        kind = office.first_kind if self.type is EventType.OPENED else office.kind_on(_last_day(self.date))
        return f"{where}: {kind.label} {self.type.value}"


def _last_day(date: Dating | None) -> dt.date:
    """The last day a date may stand for; today when it is unknown or open-ended."""
    latest = date.latest if date is not None else None
    return latest or dt.date.today()


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
        self, sending: str | None, host: str | None, kind: Kind | str | None, on: dt.date | str | None
    ) -> bytes:
        """The located offices :meth:`find` keeps for these filters, remembered for the next query."""
        day = to_day(on)
        key: tuple[object, ...] | None = (sending, host, None if kind is None else Kind.parse(kind), day)
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
        sending: str | None = None,
        host: str | None = None,
        kind: Kind | str | None = None,
        k: int = 5,
        on: dt.date | str | None = None,
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
        return self._geo.nearest(point, allowed=mask, k=k, max_km=max_km)

    def serving(
        self,
        subdivision: str,
        *,
        sending: str,
        kind: Kind | str | None = None,
        on: dt.date | str | None = None,
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
        day = to_day(on)
        best: tuple[tuple[int, bool, int, int, str], Office] | None = None
        for office in self.find(sending=sending, kind=kind, on=day):
            level = min((levels[entry] for entry in office.jurisdiction if entry in levels), default=None)
            if level is None:
                continue
            order = (level, office.open_on(day) is not True, _service_group(office.kind), office.kind.rank, office.id)
            if best is None or order < best[0]:
                best = (order, office)
        return None if best is None else best[1]


_REMEMBERED_FILTERS = 64


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
