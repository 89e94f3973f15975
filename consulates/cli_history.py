"""The ``timeline`` and ``stats`` commands: a network's dated history, and the registry's counts.

Kept apart from :mod:`consulates.cli`, whose parser helpers they use; the history is
:mod:`consulates.chronology`'s and the counts :mod:`consulates.coverage`'s.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from consulates.cli import (
    _SEVERAL,
    EXIT_FOUND,
    EXIT_NOTHING,
    PROG,
    _add_command,
    _date_text,
    _examples,
    _list_text,
    _Parser,
    _resolve,
    _resolve_states,
    _state_name,
)
from consulates.cli_output import Column, Listing, Markup, Session, emit
from consulates.model import EventType, Kind

if TYPE_CHECKING:
    from consulates.chronology import HistoryEntry
    from consulates.counting import Ordinal
    from consulates.coverage import Counts
    from consulates.registry import Registry

__all__ = ["add_parsers"]


def add_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    """Add ``timeline`` and ``stats`` to the command line."""
    _timeline_parser(commands)
    _stats_parser(commands)


# -- timeline ----------------------------------------------------------------------------


def _ordinal_text(ordinal: Ordinal, kind: Kind) -> str:
    """``"3rd consulate general in China"``: the place, without the rule (stated once below the table)."""
    from consulates import countries
    from consulates.counting import ordinal_word

    low, high = ordinal.lowest, ordinal.highest
    place = ordinal_word(low) if low == high else f"{ordinal_word(low)} to {ordinal_word(high)}"
    return f"{place} {kind.label} in {countries.name(ordinal.office.host)}"


def _entry_ordinal(registry: Registry, entry: HistoryEntry) -> str:
    """The place an opening or rank change gave the office: counted among offices of the kind it opened as or became."""
    if entry.type is EventType.OPENED:
        kind = entry.office.first_kind
    elif entry.event is not None and entry.event.type.changes_kind and entry.event.to_kind is not None:
        kind = entry.event.to_kind
    else:
        return ""
    try:
        return _ordinal_text(registry.ordinal(entry.office, kinds=[kind]), kind)
    except ValueError:
        return ""


def _describe(entry: HistoryEntry) -> str:
    if entry.type is EventType.OPENED:
        office = entry.office
        return f"{office.city or office.host}: {office.first_kind.label} opened"
    return entry.describe()


_ORDINAL_RULE = (
    "Ordinals count the sending state's offices of the same kind in the same host, Hong Kong and Macau"
    " included, closed ones included, by the date each opened as or became that kind."
)


def _cmd_timeline(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    sending = _resolve(registry, args.state)
    hosts = _resolve_states(registry, args.host)
    entries = registry.history(sending=sending, host=hosts)
    rows = [
        {
            "date": _date_text(entry.date) or "unknown",
            "event": entry.type.value,
            "office": entry.office.id,
            "sending": entry.office.sending,
            "host": entry.office.host,
            "description": _describe(entry),
            "ordinal": _entry_ordinal(registry, entry),
        }
        for entry in entries
    ]
    columns = (
        Column("date", "Date", "date"),
        Column("event", "Event", "code"),
        Column("office", "Office", "code"),
        Column("sending", "sending", "code", rich=False),
        Column("host", "host", "code", rich=False),
        Column("description", "What"),
        Column("ordinal", "Ordinal"),
    )
    title = ""
    if session.terminal and args.format == "table":
        where = f" in {_list_text([_state_name(code) for code in hosts])}" if hosts else ""
        title = f"History of {_state_name(sending or '')}'s offices" + where
    emit(session, Listing(columns, rows, title, _ORDINAL_RULE if rows else ""), args.format)
    if not rows:
        session.note(f"{PROG} timeline: no dated history found")
        return EXIT_NOTHING
    return EXIT_FOUND


def _timeline_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "timeline",
        "the dated history of a state's network",
        "The openings, rank changes, moves and closures of a state's offices, oldest first (undated last),"
        " with the ordinal of each opening and upgrade. " + _ORDINAL_RULE,
        _examples("consulates timeline KZ --host CN", "consulates timeline Kazakhstan --format csv"),
    )
    parser.add_argument("state", metavar="STATE", help="the sending state: KZ, KAZ or Kazakhstan")
    parser.add_argument("--host", metavar="STATE", action="append", help="only its offices in this state" + _SEVERAL)
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table, json or csv (default: table)"
    )
    parser.set_defaults(handler=_cmd_timeline)


# -- stats -------------------------------------------------------------------------------


def _stats_row(group: str, label: str, counts: Counts) -> dict[str, Any]:
    shares = ("with_opening_date", "with_location", "with_jurisdiction")
    return {
        "group": group,
        "label": label,
        "offices": counts.offices,
        "open": counts.open,
        "closed": counts.closed,
        "unknown": counts.unknown,
        **{field: round(counts.share(field), 3) for field in shares},
    }


def _group_label(by: str, key: str, names: bool) -> str:
    if by == "kind":
        return Kind(key).label
    return _state_name(key) if names else key


def _cmd_stats(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    sending, host = _resolve_states(registry, args.country), _resolve_states(registry, args.host)
    groups = registry.stats(args.by, sending=sending, host=host)
    names = session.terminal and args.format == "table"
    rows = [_stats_row(key, _group_label(args.by, key, names), counts) for key, counts in groups.items()]
    if names and rows:
        total = _stats_row("", "all", registry.stats(sending=sending, host=host)["all"])
        total["label"] = Markup("[bold]all[/]")
        rows.append(total)
    header = {"sending": "Sending state", "host": "Host", "kind": "Kind"}[args.by]
    columns = (
        Column("group", args.by, "code", rich=False),
        Column("label", header, plain=False),
        Column("offices", "Offices", "number"),
        Column("open", "Open", "number"),
        Column("closed", "Closed", "number"),
        Column("unknown", "Unknown", "number"),
        Column("with_opening_date", "Opening date", "percent"),
        Column("with_location", "Location", "percent"),
        Column("with_jurisdiction", "District", "percent"),
    )
    caption = (
        "Open, closed: what the dates show for today (closed includes not yet open); unknown: the dates cannot"
        " tell. Percentages: share of offices with that field known."
    )
    emit(session, Listing(columns, rows, f"Offices by {header.lower()}", caption), args.format)
    if not rows:
        session.note(f"{PROG} stats: no offices found")
        return EXIT_NOTHING
    return EXIT_FOUND


def _stats_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "stats",
        "counts and coverage of the registry",
        "Count offices (all; open, closed and unknown today, each office in one of the three) by sending state,"
        " host or kind, and show coverage: the share"
        " with an opening date, with a location, and with a consular district (jurisdiction). Piped, shares"
        " are fractions from 0 to 1.",
        _examples(
            "consulates stats",
            "consulates stats --by kind --country KZ",
            "consulates stats --by host --format json",
        ),
    )
    parser.add_argument(
        "--by", choices=("sending", "host", "kind"), default="sending", help="sending, host or kind (default: sending)"
    )
    parser.add_argument(
        "--country", metavar="STATE", action="append", help="only the offices of this sending state" + _SEVERAL
    )
    parser.add_argument("--host", metavar="STATE", action="append", help="only the offices in this state" + _SEVERAL)
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table, json or csv (default: table)"
    )
    parser.set_defaults(handler=_cmd_stats)
