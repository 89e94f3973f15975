"""The ``near`` and ``serving`` commands: offices by distance from a place, and by consular district.

Kept apart from :mod:`consulates.cli`, whose parser helpers they use; the geography itself is
:mod:`consulates.geo`'s, and only ``--online`` reaches a geocoder on the internet.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import consulates
from consulates.cli import (
    _SEVERAL,
    EXIT_FOUND,
    EXIT_NOTHING,
    PROG,
    UsageError,
    _add_command,
    _add_state_filters,
    _date_text,
    _examples,
    _flat,
    _kinds,
    _list_text,
    _nothing,
    _Parser,
    _positive,
    _resolve_states,
    _state_name,
    _status,
    _when,
)
from consulates.cli_output import Column, Listing, Session, emit
from consulates.dates import Period, to_period

if TYPE_CHECKING:
    from consulates.model import Office
    from consulates.registry import Registry

__all__ = ["add_parsers"]


def add_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    """Add ``near`` and ``serving`` to the command line."""
    _near_parser(commands)
    _serving_parser(commands)


def _km(text: str) -> float:
    """An argparse type: a distance in km from 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a distance in km, not {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a distance in km from 0, not {text!r}")
    return value


def _degrees(text: str) -> float:
    """An argparse type: a latitude or longitude in decimal degrees."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected decimal degrees, not {text!r}") from None


def _place(args: argparse.Namespace) -> object:
    """The place asked: a name, or --lat and --lon together (not both ways)."""
    point = (args.lat, args.lon)
    if args.place is not None and point != (None, None):
        raise UsageError("give a place name or --lat and --lon, not both")
    if args.place is not None:
        return args.place
    if None in point:
        raise UsageError("give a place name, or both --lat and --lon")
    return point


def _geocoder(args: argparse.Namespace) -> Any:
    """Nominatim (OpenStreetMap) when --online was given; None keeps the query offline."""
    if not args.online:
        return None
    from geopy.geocoders import Nominatim  # type: ignore[import-untyped]

    return Nominatim(user_agent=f"{PROG}/{consulates.__version__}", timeout=10)


def _office_row(office: Office, day: Period, registry: Registry) -> dict[str, Any]:
    return {
        "id": office.id,
        "sending": office.sending,
        "host": office.host,
        "city": office.city,
        "kind": office.kind.value,
        "opened": _date_text(office.opened),
        "status": _status(office, day, registry),
    }


_GEO_COLUMNS = (
    Column("id", "Id", "code"),
    Column("sending", "sending", "code"),
    Column("host", "host", "code"),
    Column("city", "City"),
    Column("kind", "kind", "code"),
    Column("opened", "Opened", "date"),
    Column("status", "status"),
)


def _cmd_near(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    place = _place(args)
    try:
        found = registry.near(
            place,
            sending=_resolve_states(registry, args.country),
            host=_resolve_states(registry, args.host),
            kind=_flat(args.kind),
            k=args.k,
            on=args.on,
            max_km=args.max_km,
            geocoder=_geocoder(args),
        )
    except (LookupError, ValueError) as error:
        raise UsageError(str(error).replace("pass geocoder=", "use --online")) from None
    day = args.on or to_period(None)
    rows = [{**_office_row(office, day, registry), "km": round(km, 3)} for office, km in found]
    columns = (Column("km", "km", "number"), *_GEO_COLUMNS)
    title = f"Nearest offices to {args.place or f'{args.lat}, {args.lon}'}"
    emit(session, Listing(columns, rows, title if session.terminal else ""), args.format)
    if not found:
        _nothing(session, args)
        return EXIT_NOTHING
    return EXIT_FOUND


def _near_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "near",
        "the offices nearest to a place",
        "The k offices nearest to a place, nearest first, with geodesic distances in km (WGS 84). The place is"
        " a city of the registry (former names work; 'Hyderabad, Pakistan' names the country), a GeoNames city"
        " when the geo extra is installed, or --lat and --lon. Only --online asks a geocoder on the internet"
        " (OpenStreetMap's Nominatim).",
        _examples(
            'consulates near "Chengdu" --country KZ -k 3',
            "consulates near --lat 30.66 --lon 104.07",
            "consulates near Almaty --kind consulate-general --max-km 50",
        ),
    )
    parser.add_argument("place", nargs="?", metavar="PLACE", help="a city name, or 'lat, lon'")
    parser.add_argument("--lat", type=_degrees, metavar="DEG", help="latitude in decimal degrees (with --lon)")
    parser.add_argument("--lon", type=_degrees, metavar="DEG", help="longitude in decimal degrees (with --lat)")
    group = parser.add_argument_group("filters")
    _add_state_filters(group)
    group.add_argument(
        "--kind", type=_kinds, action="append", metavar="KIND", help="embassy, consulate-general …" + _SEVERAL
    )
    group.add_argument(
        "--on",
        type=_when,
        metavar="DATE",
        help="offices open on this day, or in this month or year: YYYY-MM-DD, YYYY-MM or YYYY (default: today)",
    )
    group.add_argument("-k", type=_positive, default=5, metavar="N", help="how many offices (default: 5)")
    group.add_argument("--max-km", type=_km, metavar="KM", help="leave out offices farther than this")
    parser.add_argument("--online", action="store_true", help="resolve the place with an online geocoder if needed")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="default: table")
    parser.set_defaults(handler=_cmd_near, all=False)


def _cmd_serving(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    senders = _resolve_states(registry, args.country) or []
    found = []
    for code in senders:  # one answer per sending state asked
        try:
            office = registry.serving(args.subdivision, sending=code, kind=_flat(args.kind), on=args.on)
        except (LookupError, ValueError) as error:
            raise UsageError(str(error)) from None
        if office is not None:
            found.append(office)
    day = args.on or to_period(None)
    rows = [{**_office_row(office, day, registry), "district": " ".join(office.jurisdiction)} for office in found]
    columns = (*_GEO_COLUMNS, Column("district", "District"))
    names = _list_text([_state_name(code) for code in senders])
    title = f"The office{'s' if len(senders) > 1 else ''} of {names} serving {args.subdivision}"
    if rows or not session.terminal:
        emit(session, Listing(columns, rows, title if session.terminal else ""), args.format)
    if not found:
        listed = _list_text(senders)
        session.note(f"{PROG} serving: no office of {listed} lists {args.subdivision} in its consular district")
        return EXIT_NOTHING
    return EXIT_FOUND


def _serving_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "serving",
        "the office whose consular district covers a subdivision",
        "The office of a state whose consular district, as recorded, covers an ISO 3166-2 subdivision: one that"
        " lists the subdivision beats one listing a larger region containing it, which beats one listing the"
        " whole country. Nothing is inferred: an office with no recorded district serves nothing here.",
        _examples(
            "consulates serving CN-SC --country KZ",
            "consulates serving CN-HK --country KZ --format json",
        ),
    )
    parser.add_argument("subdivision", metavar="SUBDIVISION", help="an ISO 3166-2 code: CN-SC")
    parser.add_argument(
        "--country",
        metavar="STATE",
        required=True,
        action="append",
        help="the sending state: KZ or Kazakhstan" + _SEVERAL,
    )
    parser.add_argument(
        "--kind", type=_kinds, action="append", metavar="KIND", help="only offices of this kind" + _SEVERAL
    )
    parser.add_argument(
        "--on", type=_when, metavar="DATE", help="offices open on this day, month or year (default: today)"
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="default: table")
    parser.set_defaults(handler=_cmd_serving, all=False)
