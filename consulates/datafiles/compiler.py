"""Turning ``data/`` into the compiled registry the package reads at run time.

The artifact is JSON, one office a line so that a change to the data shows as a
readable diff. It carries the SHA-256 of the data files it was made from; the same
data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from consulates.artifact import render_artifact
from consulates.codec import WIKIDATA_ITEM, decode_claim, encode_office
from consulates.datafiles.checks import (
    Located,
    LocationException,
    check_cities,
    check_lifespans,
    check_locations,
    check_missions,
    check_offices,
    check_retired,
)
from consulates.datafiles.reader import Lines, read_offices_file, read_table_file
from consulates.datafiles.reference import FILE as GROUPS
from consulates.datafiles.reference import (
    NETWORKS,
    check_groups,
    compare_network,
    decode_group,
    decode_lifespan,
    encode_group,
    encode_lifespan,
    load_networks,
)
from consulates.errors import DataError, Problem
from consulates.groups import Group
from consulates.lifespans import Lifespan
from consulates.model import Claim, Office
from consulates.registry import City, Retirement, city_key, city_names, office_order

__all__ = [
    "CURATED",
    "DATA",
    "IMPORTED",
    "LOCATION_EXCEPTIONS",
    "Dataset",
    "compile_data",
    "load_data",
    "render",
    "source_digest",
    "with_city_locations",
]

DATA = Path(__file__).resolve().parents[2] / "data"
"""The project's data folder, in a source checkout."""

CURATED = "offices"
"""Hand-edited office files, one per sending state."""

LOCATION_EXCEPTIONS = "location-exceptions.toml"
"""Offices whose coordinates are right although they are not in their host, each with a reason."""

STATES = "states.toml"
"""When states began and ceased to exist: the bounds of their offices' dates."""

CLAIMS = "claims.toml"
"""Claims about offices kept apart from the office files: each names its office by id."""

IMPORTED = "imported"
"""Office files written by the importers under tools/; never edited by hand. A curated
office with the same id or Wikidata item replaces the imported one, and so does an open
curated office of the same sending state and kind in the same city."""


def _office_files(root: Path, folder: str = CURATED) -> list[Path]:
    return sorted((root / folder).glob("*.toml"))


@attrs.frozen
class Dataset:
    """Everything read from a data folder, and every problem found in it."""

    offices: tuple[Located, ...]
    cities: tuple[City, ...]
    retired: tuple[Retirement, ...]
    problems: tuple[Problem, ...]
    groups: tuple[Group, ...] = ()
    lifespans: tuple[Lifespan, ...] = ()
    warnings: tuple[Problem, ...] = ()
    """Contradictions for a curator to resolve that do not stop the build (see ``check_missions``)."""


def _files(root: Path) -> list[Path]:
    return _office_files(root) + _office_files(root, IMPORTED) + sorted(root.glob("*.toml"))


def _post(office: Office, names: Mapping[tuple[str, str], str]) -> tuple[str, str, str, str, str]:
    """What makes two open offices the same post: sending state, host, city (under any name), kind, organisation."""
    place = city_key(names, office.host, office.city or office.id)
    return (office.sending, office.host, place, office.kind.value, office.organisation or "")


def source_digest(root: Path) -> str:
    """SHA-256 over the data files' names and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError("must be a list of names")
    return tuple(item.strip() for item in value)


def _record_reader(
    allowed: set[str], required: set[str], make: Callable[[Mapping[str, Any]], Any]
) -> Callable[[Mapping[str, Any], Callable[[str, str], None]], Any]:
    """A reader for small tables (cities, retired ids) that reports unknown and missing keys."""

    def read(raw: Mapping[str, Any], report: Callable[[str, str], None]) -> Any:
        bad = False
        for key in sorted(set(raw) - allowed):
            report(key or '""', "unknown field")
            bad = True
        for key in sorted(required - set(raw)):
            report(key, "is required")
            bad = True
        if bad:
            return None
        try:
            return make(raw)
        except _FieldError as error:
            report(error.field, str(error))
            return None
        except (ValueError, TypeError) as error:
            report(next(iter(sorted(required))), str(error))
            return None

    return read


class _FieldError(ValueError):
    """A bad value in one named field of a small table's record."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _city(raw: Mapping[str, Any]) -> City:
    if not raw["sources"]:
        raise ValueError("every record needs at least one source")
    if not isinstance(raw["name"], str) or not isinstance(raw["country"], str):
        raise ValueError("country and name are text")
    return City(raw["country"], raw["name"], _strings(raw.get("aliases", [])))


def _retirement(raw: Mapping[str, Any]) -> Retirement:
    values = [raw.get(key) for key in ("id", "successor", "reason")]
    if not all(value is None or isinstance(value, str) for value in values):
        raise ValueError("id, successor and reason are text")
    # The withdrawn record's Wikidata item, read by the importers (which then leave it out).
    if "wikidata" in raw and not (isinstance(raw["wikidata"], str) and WIKIDATA_ITEM.match(raw["wikidata"])):
        raise _FieldError("wikidata", "must be a Wikidata item id such as Q72019286")
    return Retirement(raw["id"], raw.get("successor"), raw.get("reason"))


def load_data(root: Path = DATA, *, today: dt.date | None = None) -> Dataset:
    """Read and check every file under ``root``; problems are collected, not raised."""
    root = Path(root)
    problems: list[Problem] = []
    try:
        is_data = (root / "offices").is_dir()
    except OSError as error:  # a path the system refuses, such as a name too long
        is_data = False
        problems.append(Problem(str(root)[:200], 0, "path", f"cannot be read ({error.strerror or error})"))
        return Dataset((), (), (), tuple(problems))
    if not is_data:
        problems.append(Problem(str(root), 0, "offices", "no offices/ folder here: is this a data folder?"))
        return Dataset((), (), (), tuple(problems))
    cities: list[tuple[City, Lines]] = []
    path = root / "cities.toml"
    if path.exists():
        reader = _record_reader({"country", "name", "aliases", "sources"}, {"country", "name", "sources"}, _city)
        cities, found = read_table_file(path, _display(path, root), "city", reader)
        problems.extend(found)
        problems.extend(check_cities(cities, _display(path, root)))
    names = city_names(city for city, _ in cities)

    located: list[Located] = []
    for path in _office_files(root):
        parsed = read_offices_file(path, _display(path, root))
        problems.extend(parsed.problems)
        located.extend((office, lines, parsed.path) for office, lines in parsed.records)
    curated = {office.id for office, _, _ in located} | {office.wikidata for office, _, _ in located if office.wikidata}
    curated_posts = {_post(office, names) for office, _, _ in located if office.closed is None}
    for path in _office_files(root, IMPORTED):
        parsed = read_offices_file(path, _display(path, root))
        problems.extend(parsed.problems)
        located.extend(
            (office, lines, parsed.path)
            for office, lines in parsed.records
            if office.id not in curated
            and office.wikidata not in curated
            and (office.closed is not None or _post(office, names) not in curated_posts)
        )

    retired: list[tuple[Retirement, Lines]] = []
    path = root / "retired.toml"
    if path.exists():
        reader = _record_reader({"id", "successor", "reason", "date", "wikidata"}, {"id"}, _retirement)
        retired, found = read_table_file(path, _display(path, root), "retired", reader)
        problems.extend(found)
        problems.extend(check_retired(retired, {office.id for office, _, _ in located}, _display(path, root)))

    groups: list[tuple[Group, Lines]] = []
    path = root / GROUPS
    if path.exists():
        groups, found = read_table_file(path, _display(path, root), "group", _group_reader)
        problems.extend(found)
        problems.extend(check_groups(groups, _display(path, root)))

    lifespans: list[tuple[Lifespan, Lines]] = []
    path = root / STATES
    if path.exists():
        lifespans, found = read_table_file(path, _display(path, root), "state", _lifespan_reader)
        problems.extend(found)
        codes = [span.code for span, _ in lifespans]
        problems.extend(
            Problem(_display(path, root), at.of("code"), "code", f"{span.code} is listed twice")
            for index, (span, at) in enumerate(lifespans)
            if span.code in codes[:index]
        )

    path = root / CLAIMS
    if path.exists():
        claims, found = read_table_file(path, _display(path, root), "claim", _claim_reader)
        problems.extend(found)
        located = _with_claims(located, claims, _display(path, root), problems)

    problems.extend(_location_problems(root, located, [city for city, _ in cities]))
    warnings: list[Problem] = []
    if not problems:
        problems.extend(
            check_offices(
                located,
                today=today,
                cities=[city for city, _ in cities],
                groups=[group for group, _ in groups],
            )
        )
        successors = {span.code: span.successor for span, _ in lifespans if span.successor is not None}
        warnings.extend(check_missions(located, successors))
        warnings.extend(check_lifespans(located, (span for span, _ in lifespans)))
    references, found = load_networks(root)
    problems.extend(found)
    by_sending: dict[str, list[Office]] = {}
    for office, _, _ in located:
        by_sending.setdefault(office.sending, []).append(office)
    for reference in references:
        display = _display(root / NETWORKS / f"{reference.sending}.toml", root)
        warnings.extend(compare_network(reference, by_sending.get(reference.sending, []), display))
    return Dataset(
        tuple(located),
        tuple(city for city, _ in cities),
        tuple(item for item, _ in retired),
        tuple(problems),
        tuple(group for group, _ in groups),
        tuple(span for span, _ in lifespans),
        tuple(warnings),
    )


def _claim_reader(raw: Mapping[str, Any], report: Callable[[str, str], None]) -> tuple[str, Claim] | None:
    office = raw.get("office")
    if not isinstance(office, str) or not office.strip():
        report("office", "is required: the id of the office the claim is about")
        return None
    try:
        return office.strip(), decode_claim({key: value for key, value in raw.items() if key != "office"})
    except ValueError as error:
        report("claim", str(error))
        return None


def _with_claims(
    located: list[Located], claims: list[tuple[tuple[str, Claim], Lines]], file: str, problems: list[Problem]
) -> list[Located]:
    """Offices with the claims of claims.toml added after their own; a claim about an unknown id is a problem."""
    by_office: dict[str, list[Claim]] = {}
    ids = {office.id for office, _, _ in located}
    for (office_id, claim), at in claims:
        if office_id not in ids:
            problems.append(Problem(file, at.of("office"), "office", f"no office has the id {office_id!r}"))
            continue
        by_office.setdefault(office_id, []).append(claim)
    return [
        (attrs.evolve(office, claims=(*office.claims, *by_office[office.id])), at, path)
        if office.id in by_office
        else (office, at, path)
        for office, at, path in located
    ]


def _lifespan_reader(raw: Mapping[str, Any], report: Callable[[str, str], None]) -> Lifespan | None:
    try:
        return decode_lifespan(raw)
    except ValueError as error:
        report("state", str(error))
        return None


def _group_reader(raw: Mapping[str, Any], report: Callable[[str, str], None]) -> Group | None:
    try:
        return decode_group(raw)
    except ValueError as error:
        report("group", str(error))
        return None


def _location_exception(raw: Mapping[str, Any]) -> LocationException:
    if not all(isinstance(raw[key], str) and raw[key].strip() for key in ("id", "reason")):
        raise ValueError("id and reason are text")
    return LocationException(raw["id"].strip(), raw["reason"].strip())


def _location_problems(root: Path, located: list[Located], cities: list[City]) -> list[Problem]:
    """Coordinates that are not in their host, less those listed in location-exceptions.toml."""
    path = root / LOCATION_EXCEPTIONS
    exceptions: list[tuple[LocationException, Lines]] = []
    problems: list[Problem] = []
    if path.exists():
        reader = _record_reader({"id", "reason"}, {"id", "reason"}, _location_exception)
        exceptions, problems = read_table_file(path, _display(path, root), "exception", reader)
    return problems + check_locations(located, exceptions, _display(path, root), cities)


def _display(path: Path, root: Path) -> str:
    """The path as a person at the terminal would type it: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def with_city_locations(offices: Sequence[Office], cities: Iterable[City]) -> list[Office]:
    """Offices without coordinates get their city's, marked ``city`` precision; the rest are unchanged.

    A city's location is the mean of the site locations of the other offices of the same
    host and city (matched as queries match them: folded, under former names), of the
    same subdivision where the office has one, less any far from the rest (see
    :func:`consulates.geo.city_centre`). Where most sites do not lie together, the name
    stands for more than one place and nothing is given: a location is never guessed.
    """
    from consulates.geo import city_centre

    names = city_names(cities)

    def place(office: Office) -> tuple[str, str]:
        return (office.host, city_key(names, office.host, office.city or ""))

    sites: dict[tuple[str, str], list[Office]] = {}
    for office in sorted(offices, key=lambda office: office.id):
        if office.city and office.location is not None and office.location.precision == "site":
            sites.setdefault(place(office), []).append(office)
    result = []
    for office in offices:
        centre = None
        if office.location is None and office.city:
            same = [site for site in sites.get(place(office), ()) if office.subdivision in (None, site.subdivision)]
            centre = city_centre([site.location for site in same if site.location is not None])
        result.append(office if centre is None else attrs.evolve(office, location=centre))
    return result


def render(dataset: Dataset, digest: str) -> bytes:
    """The artifact's bytes for a checked dataset; offices without coordinates get their city's."""
    offices = with_city_locations(
        sorted((office for office, _, _ in dataset.offices), key=lambda office: office.id), dataset.cities
    )
    by_sending: dict[str, list[Office]] = {}
    for office in offices:
        by_sending.setdefault(office.sending, []).append(office)
    cities = [
        {"country": city.country, "name": city.name, "aliases": list(city.aliases)}
        for city in sorted(dataset.cities, key=lambda city: (city.country, city.name))
    ]
    retired = [
        {key: value for key, value in attrs.asdict(item).items() if value is not None}
        for item in sorted(dataset.retired, key=lambda item: item.id)
    ]
    return render_artifact(
        {
            code: [encode_office(office) for office in sorted(items, key=office_order)]
            for code, items in by_sending.items()
        },
        cities=cities,
        retired=retired,
        groups=[encode_group(group) for group in sorted(dataset.groups, key=lambda group: group.id)],
        states=[encode_lifespan(span) for span in sorted(dataset.lifespans, key=lambda span: span.code)],
        source_sha256=digest,
    )


def compile_data(root: Path = DATA, *, today: dt.date | None = None) -> bytes:
    """The artifact's bytes for the data under ``root``; raises DataError listing every problem."""
    dataset = load_data(root, today=today)
    if dataset.problems:
        raise DataError(dataset.problems)
    return render(dataset, source_digest(Path(root)))
