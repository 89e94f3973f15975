"""The ``consulates`` command line: find, show, timeline, stats, validate, export.

On a terminal, results are Rich tables; piped, or with ``--format``, they are plain
text with stable columns (tab-separated with a header line), JSON, CSV or GeoJSON, and
never carry colour codes. ``NO_COLOR`` turns colour off; ``FORCE_COLOR`` or
``TTY_COMPATIBLE=1`` draws tables even when piped.

Bad input gets one line on stderr, with a suggestion where there is one, and exit code
2; nothing found (or problems found by ``validate``) exits 1; success exits 0.

Start-up is kept light: argparse from the standard library, and rich imported only in
the code that draws for a terminal, pycountry only where state names are shown.
Every piece of data shown passes through :func:`consulates.cli_output.safe`, so a record
cannot inject terminal control sequences or Rich markup; that module also draws and writes
the listings. This one holds the parser, its shared helpers and the commands find, export
and validate; ``show``, ``near``/``serving`` (:mod:`consulates.cli_geo`), ``timeline``/``stats``
(:mod:`consulates.cli_history`), ``claims``/``groups`` and completion have their own modules.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

import attrs

import consulates
from consulates.cli_output import Column, Listing, Session, emit, is_terminal, replacing, safe, styled
from consulates.dates import Period, sort_key, to_period
from consulates.errors import DataError, UnknownCountryError
from consulates.model import Kind

if TYPE_CHECKING:
    from pathlib import Path

    from consulates.dates import Dating
    from consulates.model import Office
    from consulates.registry import Registry

__all__ = ["EXIT_FOUND", "EXIT_NOTHING", "EXIT_USAGE", "UsageError", "build_parser", "main", "safe"]

PROG = "consulates"
EXIT_FOUND = 0
"""Something was found, written, or the data is valid."""
EXIT_NOTHING = 1
"""Nothing matched, or ``validate`` found problems."""
EXIT_USAGE = 2
"""Bad input (option, state, kind, date, id, file) or a broken registry."""

EXIT_CODES = """\
exit codes:
  0  found (or written, or the data is valid)
  1  nothing found, or validate found problems
  2  usage error: bad option or value, unknown state, kind, date or id,
     unreadable or unwritable file, broken registry"""


# -- errors and the parser ---------------------------------------------------------------


class UsageError(Exception):
    """Bad input: reported as one line on stderr, exit code 2."""

    def __init__(self, message: str, prog: str | None = None, *, help_hint: bool = False) -> None:
        super().__init__(message)
        self.prog = prog
        self.help_hint = help_hint

    def line(self) -> str:
        """The one line shown to the user."""
        prog = self.prog or PROG
        hint = f" (see '{prog} --help')" if self.help_hint else ""
        return safe(f"{prog}: error: {self.args[0]}{hint}")


def _close(word: str, candidates: Iterable[str], n: int = 2) -> list[str]:
    import difflib  # only when a name was mistyped: not at start-up

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line with a suggestion, raised instead of printed."""

    def error(self, message: str) -> NoReturn:
        found = re.search(r"invalid choice: '([^']*)'", message)
        if found:
            choices = [str(choice) for action in self._actions if action.choices for choice in action.choices]
            close = _close(found.group(1), choices)
            if close:
                message = re.sub(r" \(choose from .*\)$", "", message) + f"; did you mean {' or '.join(close)}?"
        raise UsageError(message, self.prog, help_hint=True)


def _positive(text: str) -> int:
    """An argparse type: a whole number from 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, not {text!r}")
    return int(text)


def _when(text: str) -> Period:
    """An argparse type: a day, a month or a year (YYYY-MM-DD, YYYY-MM, YYYY), as the days it covers."""
    try:
        return to_period(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _kind(text: str) -> Kind:
    """An argparse type: a kind, with the library's suggestions when unknown."""
    try:
        return Kind.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _kinds(text: str) -> list[Kind]:
    """An argparse type: one kind or several separated by commas."""
    return [_kind(part) for part in _split(text)]


def _split(text: str) -> list[str]:
    """Comma-separated values, blanks dropped: ``"KZ, KG"`` -> ``["KZ", "KG"]``."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError(f"expected a value, not {text!r}")
    return parts


def _flat(values: Sequence[Sequence[Any]] | None) -> list[Any] | None:
    """The values of a repeatable option, each already split at commas, as one list (None if not given)."""
    return None if values is None else [item for value in values for item in value]


def _wrap(text: str) -> str:
    """Help text wrapped by hand (descriptions and epilogs are shown as written): never inside a word."""
    import textwrap

    return textwrap.fill(text, width=88, break_on_hyphens=False, break_long_words=False)


def _examples(*lines: str, notes: str = "") -> str:
    """An epilog: examples, any notes, and the exit codes."""
    parts = ["examples:\n" + "\n".join(f"  {line}" for line in lines)]
    if notes:
        parts.append(_wrap(notes))
    return "\n\n".join([*parts, EXIT_CODES])


def _add_command(
    commands: argparse._SubParsersAction[_Parser], name: str, summary: str, description: str, examples: str
) -> _Parser:
    return commands.add_parser(
        name,
        help=summary,
        description=_wrap(description),
        epilog=examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )


_STATUS_CHOICES = ("open", "closed", "unknown")
_SORT_KEYS = ("id", "sending", "host", "city", "kind", "opened", "closed", "status")


def _statuses(text: str) -> list[str]:
    """An argparse type: open, closed or unknown, or several separated by commas."""
    parts = [part.lower() for part in _split(text)]
    for part in parts:
        if part not in _STATUS_CHOICES:
            close = _close(part, _STATUS_CHOICES, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise argparse.ArgumentTypeError(f"unknown status {part!r} (open, closed or unknown){hint}")
    return parts


def _keys(text: str, allowed: Sequence[str], refusal: str) -> list[str]:
    """Comma-separated column names, each one of ``allowed``; ``refusal`` words a bad one (``{!r}``)."""
    parts = [part.lower() for part in _split(text)]
    for part in parts:
        if part not in allowed:
            close = _close(part, allowed, n=1)
            hint = f"; did you mean {close[0]}?" if close else f" (one of {', '.join(allowed)})"
            raise argparse.ArgumentTypeError(refusal.format(part) + hint)
    return parts


def _sort_keys(text: str) -> list[str]:
    """An argparse type: columns to sort by, separated by commas."""
    return _keys(text, _SORT_KEYS, "cannot sort by {!r}")


_SEVERAL = " (repeat the option, or separate values with commas, for several)"


def _add_state_filters(group: argparse._ArgumentGroup, *, host: bool = True) -> None:
    group.add_argument(
        "--country",
        metavar="STATE",
        action="append",
        help="the sending state, whose offices: KZ, KAZ or Kazakhstan" + _SEVERAL,
    )
    if host:
        group.add_argument(
            "--host",
            metavar="STATE",
            action="append",
            help="the state the offices are in (HK and MO: Hong Kong and Macau)" + _SEVERAL,
        )


def _add_time_filters(group: argparse._ArgumentGroup, *, everything: bool) -> None:
    when = group.add_mutually_exclusive_group()
    when.add_argument(
        "--on",
        type=_when,
        metavar="DATE",
        help="offices open on this day, or in this month or year: YYYY-MM-DD, YYYY-MM or YYYY (default: today)",
    )
    when.add_argument(
        "--between",
        type=_when,
        nargs=2,
        metavar=("START", "END"),
        help="offices open at some time from START to END (each YYYY, YYYY-MM or YYYY-MM-DD; both included)",
    )
    if everything:
        when.add_argument("--all", action="store_true", help="every office, whatever its dates (closed ones too)")
    group.add_argument(
        "--status",
        type=_statuses,
        action="append",
        metavar="STATUS",
        help="open (certainly open on a day asked), closed (certainly on none) or unknown (the dates cannot tell);"
        " default: open and unknown" + _SEVERAL,
    )


def _add_filters(parser: _Parser, *, formats: Sequence[str], default: str | None) -> None:
    """The selection options shared by find and export."""
    group = parser.add_argument_group("filters")
    _add_state_filters(group)
    group.add_argument(
        "--kind",
        type=_kinds,
        action="append",
        metavar="KIND",
        help="embassy, consulate-general … (see below)" + _SEVERAL,
    )
    group.add_argument(
        "--city",
        action="append",
        metavar="CITY",
        help="the city, in any spelling the registry knows (Xian, Xi'an)" + _SEVERAL,
    )
    group.add_argument(
        "--subdivision",
        type=_split,
        action="append",
        metavar="CODE",
        help="the ISO 3166-2 subdivision the offices are in: CN-SN" + _SEVERAL,
    )
    _add_time_filters(group, everything=True)
    group.add_argument("--limit", type=_positive, metavar="N", help="at most N offices")
    output = parser.add_argument_group("output")
    default_text = f" (default: {default})" if default else " (default: from the file name)"
    output.add_argument("--format", choices=formats, default=default, help=f"one of {', '.join(formats)}{default_text}")
    output.add_argument(
        "--sort",
        type=_sort_keys,
        metavar="KEYS",
        help=f"order by these columns, separated by commas: {', '.join(_SORT_KEYS)}"
        " (dates in the order documented for imprecise dates; default: grouped by state)",
    )


_KINDS_HELP = "kinds: " + ", ".join(kind.value for kind in Kind)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; also the source of docs/cli.md and of shell completion."""
    parser = _Parser(
        prog=PROG,
        description="The world's diplomatic and consular offices: a typed, sourced, time-aware registry.",
        epilog=_examples(
            "consulates find --country KZ",
            "consulates find --host CN --kind consulate-general",
            "consulates show kz-cn-xian",
            "consulates timeline KZ --host CN",
            'consulates near "Chengdu" --country KZ -k 3',
            "consulates serving CN-SC --country KZ",
            "consulates export --format sqlite -o offices.db",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {consulates.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=_Parser)
    # The other modules' commands import this one: they are imported when the parser is made.
    from consulates import cli_claims, cli_completion, cli_geo, cli_history, cli_show

    for add in (
        _find_parser,
        cli_show.add_parsers,
        cli_geo.add_parsers,
        cli_history.add_parsers,
        _validate_parser,
        _export_parser,
        cli_claims.add_parsers,
        cli_completion.add_parsers,
    ):
        add(commands)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The command parsers by name, in order (for docs and completion)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def summaries(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each command's one-line summary, as in ``consulates --help``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help or "" for choice in action._choices_actions}
    return {}


# -- shared helpers ----------------------------------------------------------------------


def _state_name(code: str) -> str:
    """``"Kazakhstan (KZ)"``; the name needs pycountry, so only terminal views and show use it."""
    from consulates import countries

    name = countries.name(code)
    return f"{name} ({code})" if name != code else code


def _resolve(registry: Registry, value: str | None) -> str | None:
    """A state code from what the user typed; an unknown state is a usage error with suggestions."""
    if value is None:
        return None
    try:
        return registry.resolve_state(value)
    except (UnknownCountryError, ValueError) as error:
        raise UsageError(str(error)) from None


_PRECISION = {"day": "to the day", "month": "to the month", "year": "to the year", "bounds": "bounds only"}


def _date_text(date: Dating | None) -> str:
    return "" if date is None else str(date)


def _resolve_states(registry: Registry, values: Sequence[str] | None) -> list[str] | None:
    """State codes from repeated or comma-separated values; a whole value with a comma is tried first."""
    if values is None:
        return None
    codes: set[str] = set()
    for value in values:
        try:
            codes |= registry.resolve_states(value)  # "Korea, Republic of" is one state
            continue
        except (LookupError, ValueError, TypeError) as error:
            if "," not in value:
                raise UsageError(str(error)) from None
        try:
            codes |= registry.resolve_states(_split(value))
        except (LookupError, ValueError, TypeError, argparse.ArgumentTypeError) as error:
            raise UsageError(str(error)) from None
    return sorted(codes)


def _cities(registry: Registry, values: Sequence[str] | None) -> list[str] | None:
    """City names from repeated or comma-separated values; a known city with a comma ("Washington, D.C.") is one."""
    if values is None:
        return None
    cities: list[str] = []
    for value in values:
        if "," in value and not registry.knows_city(value):
            cities += [part.strip() for part in value.split(",") if part.strip()]
        else:
            cities.append(value)
    return cities


def _status(office: Office, when: dt.date | Period, registry: Registry) -> str:
    """open, closed, not yet open on a day or in a period; open? or closed? where the dates cannot decide.

    The registry's answer, as ``find`` selects by: the office's dates, bounded by its states' lifespans.
    """
    period = to_period(when)
    state = registry.open_on(office, period)
    if state is None:
        return "closed?" if office.closed is not None else "open?"
    if state:
        return "open"
    earliest = office.opened.earliest if office.opened is not None else None
    return "not yet open" if earliest is not None and earliest > period.last else "closed"


_STATUS_STYLE = {"open": "green", "open?": "green", "closed": "red", "closed?": "yellow", "not yet open": "yellow"}
_STATUS_ORDER = {"open": 0, "open?": 1, "closed?": 2, "not yet open": 3, "closed": 4}


# -- find and export: selecting offices --------------------------------------------------


@attrs.frozen
class _Selection:
    """The offices selected by the filters, in the order shown, and what was asked."""

    offices: list[Office]
    total: int
    period: Period
    """The days asked about (today with --all, for the status shown)."""
    group: str | None
    """``host``, or ``sending`` when only the host was given; None when sorted by --sort."""
    asked: bool
    """Whether a date or period was asked (--on, --between), so kinds are shown as they were then."""
    registry: Registry
    """Where the offices come from: it says whether each was open (dates bounded by lifespans)."""


def _period_asked(args: argparse.Namespace) -> Period | None:
    if getattr(args, "between", None):
        start, end = args.between
        if start.first > end.last:
            raise UsageError(f"--between: the end ({end.last}) is before the start ({start.first})")
        return Period(start.first, end.last)
    on: Period | None = getattr(args, "on", None)
    return on


def _select(args: argparse.Namespace, registry: Registry) -> _Selection:
    """Offices matching the filters, grouped (by host, or by sending state when only --host is given)."""
    sending = _resolve_states(registry, args.country)
    host = _resolve_states(registry, args.host)
    period = _period_asked(args)
    statuses = _flat(args.status)
    if args.all and statuses:
        raise UsageError("--all shows every office, --status selects by status: give one")
    try:
        offices = registry.find(
            sending=sending,
            host=host,
            kind=_flat(args.kind),
            city=_cities(registry, args.city),
            subdivision=_flat(args.subdivision),
            on=period,
            include_closed=args.all,
            status=statuses,
        )
    except (ValueError, TypeError) as error:
        raise UsageError(str(error)) from None
    shown = period or to_period(None)
    group: str | None = "sending" if host is not None and sending is None else "host"
    if args.sort:
        offices.sort(key=lambda office: [_sort_value(office, key, shown, registry) for key in args.sort])
        group = None
    else:
        offices.sort(key=lambda office: getattr(office, group or "host"))
    total = len(offices)
    if args.limit is not None:
        offices = offices[: args.limit]
    return _Selection(offices, total, shown, group, period is not None, registry)


def _sort_value(office: Office, key: str, period: Period, registry: Registry) -> Any:
    """What --sort compares: codes and ids as text, cities folded, kinds by rank, dates in the documented order."""
    if key == "opened":
        return sort_key(office.opened)
    if key == "closed":
        return sort_key(office.closed)
    if key == "kind":
        return office.kind.rank
    if key == "status":
        return _STATUS_ORDER[_status(office, period, registry)]
    if key == "city":
        return office.sort_key[2]
    return getattr(office, key)


def _nothing(session: Session, args: argparse.Namespace) -> None:
    asked = args.all or args.on or getattr(args, "between", None) or getattr(args, "status", None)
    hint = "" if asked else " (--all includes closed offices)"
    session.note(f"{PROG} {args.command}: no offices found{hint}")


def _list_text(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _find_title(args: argparse.Namespace, selection: _Selection, *, one_group: bool) -> str:
    """``"Consulates general of Kazakhstan (KZ) in China (CN)"``: what was asked, and the one group if only one."""
    kinds = _flat(args.kind) or []
    what = _list_text([kind.plural for kind in kinds]).capitalize() if kinds else "Offices"
    offices = selection.offices
    senders = sorted({office.sending for office in offices})
    hosts = sorted({office.host for office in offices})
    if offices and (args.country or (one_group and selection.group == "sending")):
        what += f" of {_list_text([_state_name(code) for code in senders])}"
    if args.city:
        what += f" in {_list_text(args.city)}"
    elif offices and (args.host or (one_group and selection.group == "host")):
        what += f" in {_list_text([_state_name(code) for code in hosts])}"
    return what


def _find_caption(args: argparse.Namespace, selection: _Selection) -> str:
    count = f"{selection.total} office{'s' if selection.total != 1 else ''}"
    statuses = _flat(args.status)
    if args.all:
        when = ", closed ones included"
    else:
        period = selection.period
        days = f"on {period.first}" if period.is_day else f"from {period.first} to {period.last}"
        words = {"open": "open", "closed": "closed", "unknown": "undecided by their dates"}
        kept = " or ".join(words[status] for status in dict.fromkeys(statuses or ("open", "unknown")))
        when = f", {kept} {days}"
    shown = f"; showing {len(selection.offices)}" if len(selection.offices) < selection.total else ""
    return count + when + shown


def _find_listing(args: argparse.Namespace, selection: _Selection, *, names: bool) -> Listing:
    """The columns of find: stable codes piped; on a terminal (``names``), a table grouped under state names."""
    period, rows = selection.period, []
    for office in selection.offices:
        kind = (office.kind_on(period.last) or office.kind) if selection.asked else office.kind
        status = _status(office, period, selection.registry)
        row: dict[str, Any] = {
            "id": office.id,
            "name": office.name if "name" in (args.columns or ()) else None,
            "sending": office.sending,
            "host": office.host,
            "city": (office.city_on(period.last) or office.city) if selection.asked else office.city,
            "subdivision": office.subdivision,
            "kind": kind.value,
            "opened": _date_text(office.opened),
            "closed": _date_text(office.closed),
            "status": status,
        }
        if names:
            if selection.group is not None:
                row["group"] = _state_name(getattr(office, selection.group))
            row["sending_label"] = _state_name(office.sending)
            row["kind_label"] = kind.label
            closed = f" {office.closed}" if status == "closed" and office.closed else ""
            row["status_label"] = styled(status + closed, _STATUS_STYLE[status])
        rows.append(row)
    groups = {getattr(office, selection.group) for office in selection.offices} if selection.group else set()
    one_group = len(groups) <= 1
    several_senders = len({office.sending for office in selection.offices}) > 1
    if args.columns:
        columns = tuple(Column(key, key, _COLUMN_KINDS.get(key, "text")) for key in args.columns)
        title = _find_title(args, selection, one_group=one_group) if names else ""
        return Listing(columns, rows, title, _find_caption(args, selection) if names else "")
    columns = (
        Column("group", "", plain=False, rich=False),
        Column("id", "Id", "code", rich=False),
        Column("sending", "sending", "code", rich=False),
        Column("sending_label", "Sending", plain=False, rich=several_senders and selection.group != "sending"),
        Column("host", "host", "code", rich=False),
        Column("city", "City"),
        Column("kind", "kind", "code", rich=False),
        Column("kind_label", "Kind", plain=False),
        Column("opened", "Opened", "date"),
        Column("closed", "closed", "date", rich=False),
        Column("status", "status", rich=False),
        Column("status_label", "Status", plain=False),
        Column("id", "Id", "code", plain=False),
    )
    if not names:
        return Listing(columns, rows)
    title = _find_title(args, selection, one_group=one_group)
    group = None if one_group or selection.group is None else "group"
    return Listing(columns, rows, title, _find_caption(args, selection), group)


_COLUMN_KEYS = ("id", "name", "sending", "host", "city", "subdivision", "kind", "opened", "closed", "status")
_COLUMN_KINDS = {"id": "code", "sending": "code", "host": "code", "subdivision": "code", "kind": "code"}


def _column_keys(text: str) -> list[str]:
    """An argparse type: the columns of the table, separated by commas."""
    return _keys(text, _COLUMN_KEYS, "no column {!r}")


_OFFICE_WRITERS = ("json", "jsonl", "csv", "geojson")


def _write_offices(fmt: str, offices: Sequence[Office], target: IO[str] | Path, registry: Registry) -> int:
    """Offices in an export format (see consulates.export) to an open file or a path, with the registry's metadata."""
    from consulates import export

    writers: dict[str, Callable[..., int]] = {
        "csv": export.to_csv,
        "json": export.to_json,
        "jsonl": export.to_jsonl,
        "geojson": export.to_geojson,
        "sqlite": export.to_sqlite,
    }
    return writers[fmt](offices, target, metadata=export.metadata(registry))


def _cmd_find(args: argparse.Namespace, session: Session) -> int:
    if args.columns and args.format != "table":
        raise UsageError(f"--columns shapes the table; --format {args.format} writes the export schema")
    selection = _select(args, session.registry)
    if args.format in _OFFICE_WRITERS:
        buffer = io.StringIO()
        _write_offices(args.format, selection.offices, buffer, session.registry)
        session.write_data(buffer.getvalue())
    elif selection.offices or not session.terminal:
        emit(session, _find_listing(args, selection, names=session.terminal), "table")
    if not selection.offices:
        _nothing(session, args)
        return EXIT_NOTHING
    _undecided(session, args, selection)
    return EXIT_FOUND


def _undecided(session: Session, args: argparse.Namespace, selection: _Selection) -> None:
    """Say so when no office listed is known to be open: their dates cannot tell."""
    if args.all or args.status or not selection.asked:
        return
    statuses = {_status(office, selection.period, selection.registry) for office in selection.offices}
    if statuses <= {"open?", "closed?"}:
        count = len(selection.offices)
        session.note(
            f"{PROG} find: the dates of {'these' if count > 1 else 'this'} {count} office{'s' if count > 1 else ''}"
            f" cannot tell whether {'they were' if count > 1 else 'it was'} open then;"
            " --status open keeps only offices known to be open"
        )


def _find_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "find",
        "list offices matching filters",
        "List offices: open today by default, grouped by host (by sending state when only --host is given),"
        " with city, kind, opening date and status: open, closed or not yet open on the day asked, open? or"
        " closed? where the dates cannot tell (an office with no known opening date is open?). Every filter"
        " takes several values (repeated, or separated by commas): values of one filter are alternatives,"
        " filters combine. --on takes a day, a month or a year; --status open keeps what the dates show open"
        " on at least one day asked. On a terminal, a Sending column appears whenever several states' offices"
        " are listed. Piped, the table is tab-separated with a header line.",
        _examples(
            "consulates find --country KZ",
            "consulates find --host CN --kind consulate-general",
            "consulates find --country KZ,KG --host CN --kind embassy --kind consulate-general",
            "consulates find --country Kazakhstan --on 2010-01-01",
            "consulates find --country KZ --on 2000 --status open",
            "consulates find --country US --host CN --between 1950 1970 --status closed",
            "consulates find --city Chengdu --sort opened --columns id,sending,opened",
            "consulates find --country KZ --all --format csv > kz.csv",
            "consulates find --host HK --format geojson",
            notes=_KINDS_HELP,
        ),
    )
    _add_filters(parser, formats=("table", *_OFFICE_WRITERS), default="table")
    parser.add_argument_group("table").add_argument(
        "--columns",
        type=_column_keys,
        metavar="KEYS",
        help=f"the table's columns, separated by commas: {', '.join(_COLUMN_KEYS)}",
    )
    parser.set_defaults(handler=_cmd_find)


# -- export -------------------------------------------------------------------------------


_EXPORT_SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".geojson": "geojson",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}


def _export_format(args: argparse.Namespace) -> str:
    """The format asked, or the one the output file's suffix names."""
    from pathlib import Path

    if args.format:
        return str(args.format)
    found = _EXPORT_SUFFIXES.get(Path(args.output).suffix.lower())
    if found is None:
        raise UsageError(f"cannot tell the format from {args.output!r}: give --format")
    return found


def _cmd_export(args: argparse.Namespace, session: Session) -> int:
    from pathlib import Path

    fmt = _export_format(args)
    if args.output != "-" and Path(args.output).is_dir():
        raise UsageError(
            f"{args.output} is a folder: give a file name, such as {Path(args.output) / ('offices.' + fmt)}"
        )
    selection = _select(args, session.registry)
    if args.output == "-":
        if fmt == "sqlite":
            raise UsageError("sqlite needs a file: give -o FILE")
        buffer = io.StringIO()
        count = _write_offices(fmt, selection.offices, buffer, session.registry)
        session.write_data(buffer.getvalue())
    else:
        try:
            count = _write_offices(fmt, selection.offices, Path(args.output), session.registry)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
        sidecar = " and datapackage.json beside it" if fmt in ("csv", "jsonl") else ""
        session.note(f"wrote {count} office{'s' if count != 1 else ''} to {args.output} ({fmt}){sidecar}")
    if not count:
        _nothing(session, args)
        return EXIT_NOTHING
    return EXIT_FOUND


def _export_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "export",
        "write offices to a CSV, JSON Lines, GeoJSON or SQLite file",
        "Write the offices matching the filters (as for find) to a file, replaced atomically. GeoJSON follows"
        " RFC 7946 (longitude, latitude; null geometry where the location is unknown). SQLite has the tables"
        " meta, offices, events, claims and sources, documented in docs/cli.md and in consulates.export;"
        " it opens in sqlite3, Datasette and DuckDB. Every format carries the licences, the attribution, the"
        " version, the creation time and the registry's checksum: a metadata member (JSON, GeoJSON), the meta"
        " table (SQLite), or datapackage.json written beside CSV and JSON Lines files (a Frictionless Data"
        " Package with the columns' types). CSV cells that would run as spreadsheet formulas get a leading '.",
        _examples(
            "consulates export --format sqlite -o offices.db",
            "consulates export --country KZ --format geojson -o kz.geojson",
            "consulates export --all -o offices.csv          # format from the suffix",
            "consulates export --format jsonl -o -           # to stdout",
        ),
    )
    _add_filters(parser, formats=("csv", "json", "jsonl", "geojson", "sqlite"), default=None)
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the file to write (replaced); - for stdout"
    )
    parser.set_defaults(handler=_cmd_export)


# -- validate ----------------------------------------------------------------------------


@contextlib.contextmanager
def _status_after_a_moment(session: Session, message: str, delay: float = 0.4) -> Iterator[None]:
    """A spinner on stderr, shown only on a terminal and only if the work outlasts ``delay`` seconds."""
    if not is_terminal(session.err):
        yield
        return
    import threading

    lock = threading.Lock()
    shown: list[Any] = []
    finished = False

    def start() -> None:
        from rich.console import Console

        with lock:
            if not finished:
                status = Console(file=session.err, force_terminal=True).status(message)
                status.start()
                shown.append(status)

    timer = threading.Timer(delay, start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            finished = True
            for status in shown:
                status.stop()


def _data_folder(args: argparse.Namespace) -> Path:
    """The folder to check: PATH; else the project's data/ (a clone); else ./data; else a usage error."""
    from pathlib import Path

    from consulates.datafiles import DATA

    if args.path is not None:
        return Path(args.path)
    for candidate in (DATA, Path("data")):
        with contextlib.suppress(OSError):
            if (candidate / "offices").is_dir():
                return candidate
    raise UsageError(
        "no data folder here: give PATH, a folder with offices/<STATE>.toml files"
        " (an installed package has no data/ of its own; a clone's is data/)"
    )


def _cmd_validate(args: argparse.Namespace, session: Session) -> int:
    from consulates.datafiles import load_data

    root = _data_folder(args)
    try:
        found = root.is_dir()
    except OSError as error:  # a name too long for the system, say
        raise UsageError(f"cannot read {str(root)[:80]!r}: {error.strerror or error}") from None
    if not found:
        raise UsageError(f"no data folder at {root}")
    with _status_after_a_moment(session, f"checking {root}"):
        try:
            dataset = load_data(root)
        except OSError as error:
            raise UsageError(f"cannot read {root}: {error.strerror or error}") from None
    warnings = "".join(f"{item.file}:{item.line}: {item.field}: warning: {item.message}\n" for item in dataset.warnings)
    if dataset.problems:
        session.write("".join(f"{problem}\n" for problem in dataset.problems) + warnings)
        count = len(dataset.problems)
        session.note(f"{count} problem{'s' if count != 1 else ''} in {root}")
        return EXIT_NOTHING
    session.write(warnings)
    count = len(dataset.warnings)
    if count:
        session.note(f"{count} warning{'s' if count != 1 else ''} in {root}: contradictions to look into")
    count = len(dataset.offices)
    session.write(f"{root}: {count} office{'s' if count != 1 else ''}, no problems\n")
    return EXIT_FOUND


def _validate_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "validate",
        "check a data folder",
        "Read and check every file of a data folder: each record alone, then across records (duplicate ids,"
        " codes, dates, claims). Every problem is printed as file:line: field: message, and exits 1. Warnings"
        " (file:line: field: warning: message) are contradictions to look into that do not stop the build,"
        " such as an office shown open while its sender had no mission in the host. The folder holds"
        " offices/<STATE>.toml files (and optionally imported/, cities.toml, retired.toml); by default, the"
        " data/ of the clone the package runs from, else ./data.",
        _examples("consulates validate", "consulates validate path/to/data"),
    )
    parser.add_argument(
        "path", nargs="?", metavar="PATH", help="the data folder (default: the clone's data/, else ./data)"
    )
    parser.set_defaults(handler=_cmd_validate)


# -- main --------------------------------------------------------------------------------


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, and make leftovers one error line from the command's own parser, with the closest option."""
    args, extra = parser.parse_known_args(argv)
    commands = subcommands(parser)
    if args.command is None:
        raise UsageError(f"give a command: {', '.join(commands)}", help_hint=True)
    if extra:
        sub = commands[args.command]
        options = [option for action in sub._actions for option in action.option_strings]
        unknown = next((word for word in extra if word.startswith("-")), "")
        close = _close(unknown.split("=")[0], options, n=1) if unknown else []
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}{hint}", sub.prog, help_hint=not close)
    return args


def _exit_code(code: object) -> int:
    if code is None:
        return EXIT_FOUND
    return code if isinstance(code, int) else EXIT_USAGE


def _quiet_broken_pipe(stream: IO[str]) -> None:
    """After the reader of a pipe went away: point stdout at /dev/null so the final flush does not fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    """Run the command line and return its exit code (0 found, 1 nothing found, 2 usage error).

    ``registry`` replaces the packaged registry (for tests and embedding).
    """
    out, err = sys.stdout, sys.stderr
    try:
        args = _parse(build_parser(), argv)
        handler: Callable[[argparse.Namespace, Session], int] = args.handler
        try:
            with replacing(out):
                return handler(args, Session(registry, out, err))
        except UsageError as error:
            error.prog = error.prog or f"{PROG} {args.command}"
            raise
    except UsageError as error:
        print(error.line(), file=err)
        return EXIT_USAGE
    except DataError as error:
        lines = [f"{PROG}: error: the registry cannot be read: {error.problems[0] if error.problems else error}"]
        lines += [f"  {problem}" for problem in error.problems[1:]]
        print("\n".join(safe(line) for line in lines), file=err)
        return EXIT_USAGE
    except SystemExit as exit:  # --help and --version
        return _exit_code(exit.code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        _quiet_broken_pipe(out)
        return 141
