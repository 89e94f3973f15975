"""The ``claims`` and ``groups`` commands: claims with their verdicts, and the groups they count over.

Kept apart from :mod:`consulates.cli`, whose parser and output helpers they use.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from consulates import cli
from consulates.cli import EXIT_FOUND, EXIT_NOTHING, UsageError, _examples
from consulates.cli_output import Column, Listing, Session, emit
from consulates.dates import Period
from consulates.errors import UnknownOfficeError

__all__ = ["add_parsers"]


def _cmd_claims(args: argparse.Namespace, session: Session) -> int:
    from consulates.claims import check

    registry = session.registry
    if args.id is not None:
        try:
            offices = [registry.lookup(args.id)]
        except (UnknownOfficeError, ValueError) as error:
            raise UsageError(str(error)) from None
    else:
        offices = [office for office in registry.offices if office.claims]
    rows: list[dict[str, Any]] = []
    for office in offices:
        for number, claim in enumerate(office.claims, 1):
            try:
                verdict = check(registry, office, claim)
            except (ValueError, LookupError) as error:
                raise UsageError(f"{office.id}, claim {number}: {error}") from None
            rows.append(
                {
                    "id": office.id,
                    "claim": number,
                    "text": claim.text,
                    "ordinal": claim.ordinal,
                    "verdict": verdict.status,
                    "condition": verdict.condition or "; ".join(f"not if {text}" for text in verdict.caveats),
                    "registry": str(verdict.answer),
                    "earlier": [other.id for other in verdict.answer.earlier],
                    "undecided": [other.id for other in verdict.answer.undecided],
                    "sources": [source.url or source.citation for source in claim.sources],
                }
            )
    columns = (
        Column("id", "Office", "code"),
        Column("claim", "#", "number", rich=False),
        Column("text", "Claim"),
        Column("ordinal", "Says", "number"),
        Column("verdict", "Verdict"),
        Column("condition", "Only if / not if"),
        Column("registry", "The registry counts"),
        Column("earlier", "Counted before", rich=False),
        Column("undecided", "Undecided", rich=False),
        Column("sources", "Sources", "url", rich=False),
    )
    caption = "Each claim as its source made it, checked against the registry's own count under the rule stated."
    emit(session, Listing(columns, rows, "Claims", caption), args.format)
    if not rows:
        session.note(f"{cli.PROG} claims: no claims recorded" + (f" for {args.id}" if args.id else ""))
        return EXIT_NOTHING
    return EXIT_FOUND


def _claims_parser(commands: argparse._SubParsersAction[cli._Parser]) -> None:
    parser = cli._add_command(
        commands,
        "claims",
        "published ordinal claims and their verdicts",
        "List the claims recorded in the data (\"the third consulate general of Kazakhstan in China\") with"
        " the registry's verdict on each: holds, holds only if (a stated change of counting rule, such as"
        " leaving Hong Kong out), fails, or cannot be decided (the dates allow a range), with the offices"
        " counted before it.",
        _examples("consulates claims", "consulates claims kz-cn-xian", "consulates claims --format json"),
    )
    parser.add_argument("id", metavar="ID", nargs="?", help="only the claims about this office")
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table, json or csv (default: table)"
    )
    parser.set_defaults(handler=_cmd_claims)


def _cmd_groups(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    groups = registry.groups
    if args.name is None:
        rows = [
            {
                "id": group.id,
                "name": group.name,
                "of": group.of,
                "members": len(groups.codes(group, _day(args.on))),
                "aliases": list(group.aliases),
            }
            for group in groups
        ]
        columns = (
            Column("id", "Id", "code"),
            Column("name", "Name"),
            Column("of", "Of"),
            Column("members", "Members", "number"),
            Column("aliases", "Also"),
        )
        emit(session, Listing(columns, rows, "Groups", "Usable wherever a state or subdivision is."), args.format)
        return EXIT_FOUND if rows else EXIT_NOTHING
    group = groups.get(args.name)
    if group is None:
        from consulates.geo import suggest

        close = suggest(args.name, groups.names())
        hint = f"; did you mean {' or '.join(close)}?" if close else "; list them with: consulates groups"
        raise UsageError(f"unknown group {args.name!r}{hint}")
    day = _day(args.on)
    current = groups.codes(group, day)
    rows = []
    for member in group.members:
        inner = groups.by_id.get(member.code)
        rows.append(
            {
                "code": member.code,
                "name": inner.name if inner else _member_name(member.code),
                "since": "" if member.since is None else str(member.since),
                "until": "" if member.until is None else str(member.until),
                "member_on": "yes" if inner or member.code in current else "no",
            }
        )
    columns = (
        Column("code", "Code", "code"),
        Column("name", "Name"),
        Column("since", "Since", "date"),
        Column("until", "Until", "date"),
        Column("member_on", f"Member on {day}"),
    )
    sources = "; ".join(str(source) for source in group.sources)
    emit(session, Listing(columns, rows, f"{group.name} ({group.id})", f"Sources: {sources}"), args.format)
    return EXIT_FOUND


def _day(period: Period | None) -> dt.date:
    """The day membership is taken on: the last day of the period asked, or today."""
    return dt.date.today() if period is None else period.last


def _member_name(code: str) -> str:
    from consulates import countries

    if "-" in code:
        return code
    return countries.name(code)


def _groups_parser(commands: argparse._SubParsersAction[cli._Parser]) -> None:
    parser = cli._add_command(
        commands,
        "groups",
        "groups of states and subdivisions",
        "List the groups of states (UN regions, the EU, the G20, ASEAN ...) and of subdivisions (western"
        " China, Russia's federal districts, US census regions) that filters and claims accept, or the"
        " members of one group with the dates their membership began and ended.",
        _examples('consulates groups', 'consulates groups "Central Asia"', "consulates groups EU --on 2019-01-01"),
    )
    parser.add_argument("name", metavar="NAME", nargs="?", help="a group's id or name: eu, \"western China\"")
    parser.add_argument("--on", type=cli._when, metavar="DATE", help="membership on this day (default: today)")
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table, json or csv (default: table)"
    )
    parser.set_defaults(handler=_cmd_groups)


def add_parsers(commands: argparse._SubParsersAction[cli._Parser]) -> None:
    """Add ``claims`` and ``groups`` to the command line."""
    _claims_parser(commands)
    _groups_parser(commands)
