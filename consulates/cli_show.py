"""The ``show`` command: one office, every field, its history and sources, for a terminal or as plain text.

Kept apart from :mod:`consulates.cli`, whose parser it uses (the session is :mod:`consulates.cli_output`'s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from consulates.cli import (
    _PRECISION,
    EXIT_FOUND,
    UsageError,
    _add_command,
    _date_text,
    _examples,
    _Parser,
    _state_name,
    _status,
)
from consulates.cli_output import Session, safe
from consulates.errors import UnknownOfficeError
from consulates.model import EventType

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from consulates.dates import Dating
    from consulates.model import Event, Office, Source
    from consulates.registry import Registry

__all__ = ["add_parsers"]


def _dating_text(date: Dating | None) -> str:
    return "" if date is None else f"{date} ({_PRECISION.get(date.precision, date.precision)})"


def _ordinals(registry: Registry, office: Office) -> list[str]:
    """The office's ordinal sentence; and counting mainland China only when it is there."""
    sentences = []
    variants: list[dict[str, Any]] = [{}]
    if office.host == "CN" and office.subdivision not in ("CN-HK", "CN-MO"):
        variants.append({"count_sars": False})
    for options in variants:
        try:
            sentences.append(str(registry.ordinal(office, **options)))
        except ValueError:
            continue
    return sentences


def _source_text(source: Source) -> str:
    details = [str(source.date)] if source.date is not None else []
    if source.supports:
        details.append("supports " + ", ".join(source.supports))
    head = source.title or source.citation or source.url or ""
    link = f" <{source.url}>" if source.url and source.url != head else ""
    return head + link + (f" ({'; '.join(details)})" if details else "")


def _event_text(event: Event) -> str:
    if event.type.changes_kind and event.from_kind and event.to_kind:
        what = f"{event.type.value} from {event.from_kind.label} to {event.to_kind.label}"
    elif event.type is EventType.MOVED:
        what = f"moved from {event.from_city} to {event.city}" if event.from_city else f"moved to {event.city}"
    elif event.type is EventType.RENAMED and event.name:
        what = f"renamed from {event.from_name} to {event.name}" if event.from_name else f"renamed {event.name}"
    else:
        what = event.type.words
    return what + (f": {event.note}" if event.note else "")


def _life(office: Office) -> list[tuple[str, str, tuple[Source, ...]]]:
    """The office's history: opening, recorded events, final closing, each with its sources."""
    first_city = office.city_on(office.opened.earliest) if office.opened and office.opened.earliest else None
    where = f" in {first_city}" if first_city and first_city != office.city else ""
    lines: list[tuple[str, str, tuple[Source, ...]]] = [
        (_date_text(office.opened) or "date unknown", f"opened as {office.first_kind.label}{where}", ())
    ]
    lines += [(str(event.date), _event_text(event), event.sources) for event in office.events]
    if office.closed is not None:
        lines.append((str(office.closed), "closed", ()))
    return lines


def _fields(office: Office, registry: Registry) -> list[tuple[str, str]]:
    """Label and value of everything known about the office, unknowns left out."""
    location = office.location
    fields = [
        ("id", office.id),
        ("name", office.name),
        ("kind", f"{office.kind.label}: {office.kind.description}"),
        ("sending", _state_name(office.sending)),
        ("host", _state_name(office.host)),
        ("city", office.city or ""),
        ("subdivision", office.subdivision or ""),
        ("location", f"{location.latitude}, {location.longitude} ({location.precision})" if location else ""),
        ("opened", _dating_text(office.opened) or "unknown"),
        ("closed", _dating_text(office.closed)),
        ("status", _status(office, dt.date.today(), registry)),
        ("district", ", ".join(office.jurisdiction)),
        *((f"name ({language})", text) for language, text in sorted(office.names.items()) if text != office.name),
        ("address", office.address or ""),
        ("website", office.website or ""),
        ("wikidata", office.wikidata or ""),
        ("notes", office.notes or ""),
    ]
    fields += [("ordinal", sentence) for sentence in _ordinals(registry, office)]
    return [(label, value) for label, value in fields if value]


def _show_plain(office: Office, registry: Registry) -> str:
    fields = _fields(office, registry)
    width = max(len(label) for label, _ in fields) + 2
    lines = [f"{label + ':':<{width}}{safe(value)}" for label, value in fields]
    lines.append("history:")
    for date, what, sources in _life(office):
        lines.append(f"  {safe(date)}  {safe(what)}")
        lines += [f"      source: {safe(_source_text(source))}" for source in sources]
    for index, claim in enumerate(office.claims, 1):
        lines.append(f"claim {index}: {safe(claim.text)} (ordinal {claim.ordinal})")
        lines += [f"      source: {safe(_source_text(source))}" for source in claim.sources]
    lines.append("sources:")
    lines += [f"  {index}. {safe(_source_text(source))}" for index, source in enumerate(office.sources, 1)]
    return "\n".join(lines) + "\n"


def _link(text: str, url: str | None) -> Text:
    """Text linked to an http(s) URL on terminals that support links; both made safe."""
    from rich.style import Style
    from rich.text import Text

    if url and url.lower().startswith(("http://", "https://")):
        return Text(safe(text), style=Style(link=safe(url)))
    return Text(safe(text))


def _source_rich(source: Source) -> Text:
    """A source for a terminal: its title linked to its URL, then the URL and what it supports, dimmed."""
    from rich.text import Text

    text = Text()
    text.append(_link(source.title or source.citation or source.url or "", source.url))
    details = [source.url] if source.url and source.title else []
    details += [str(source.date)] if source.date else []
    details += ["supports " + ", ".join(source.supports)] if source.supports else []
    if details:
        text.append("\n" + safe(" · ".join(details)), style="dim")
    return text


def _grid() -> Table:
    """Two columns, label and value; long values wrap between words, only long tokens (URLs) fold."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    return grid


def _office_links(office: Office) -> dict[str, str | None]:
    links = {"website": office.website}
    if office.wikidata:
        links["wikidata"] = f"https://www.wikidata.org/wiki/{office.wikidata}"
    if office.location:
        latitude, longitude = office.location
        links["location"] = f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
    return links


def _show_rich(session: Session, office: Office) -> None:
    """The office on a terminal: its fields, then history, claims and sources, linked where possible."""
    from rich.text import Text

    console = session.console()
    fields, links = _grid(), _office_links(office)
    for label, value in _fields(office, session.registry):
        fields.add_row(Text(label), _link(value, links.get(label)))
    history = _grid()
    for date, what, sources in _life(office):
        history.add_row(Text(safe(date)), Text(safe(what), style="not bold"))
        for source in sources:
            history.add_row(Text(""), _source_rich(source))
    claims = _grid()
    for index, claim in enumerate(office.claims, 1):
        claims.add_row(Text(f"{index}."), Text(safe(f"{claim.text} (ordinal {claim.ordinal})")))
        for source in claim.sources:
            claims.add_row(Text(""), _source_rich(source))
    cited = _grid()
    for index, source in enumerate(office.sources, 1):
        cited.add_row(Text(f"{index}."), _source_rich(source))
    console.print(Text(safe(office.name), style="bold underline"))
    console.print(fields)
    for heading, grid in (("History", history), ("Claims", claims), ("Sources", cited)):
        if grid.row_count:
            console.print(Text("\n" + heading, style="bold underline"))
            console.print(grid)


def _cmd_show(args: argparse.Namespace, session: Session) -> int:
    registry = session.registry
    try:
        office = registry.lookup(args.id)
    except (UnknownOfficeError, ValueError) as error:
        raise UsageError(str(error)) from None
    if office.id != args.id:
        session.note(f"{args.id} is a retired id; showing its successor {office.id}")
    if args.format == "json":
        session.write_data(json.dumps(office.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif session.terminal:
        _show_rich(session, office)
    else:
        session.write(_show_plain(office, registry))
    return EXIT_FOUND


def add_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    parser = _add_command(
        commands,
        "show",
        "everything about one office",
        "Show one office: kind, states, city, subdivision, location, dates with their precision,"
        " consular district, history, claims, sources (linked on terminals that support it), and its"
        " ordinal: its place among its state's offices of its kind in the host, with the counting rule.",
        _examples("consulates show kz-cn-xian", "consulates show kz-cn-xian --format json"),
    )
    parser.add_argument("id", metavar="ID", help="the office id, as find lists it: kz-cn-xian")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text, or json in the data-file schema (default: text)",
    )
    parser.set_defaults(handler=_cmd_show)
