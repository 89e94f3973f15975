"""The page of each sending state (its offices abroad) and of each host state (the foreign offices in it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from consulates import countries
from consulates.model import Office
from consulates.text import fold

from .cells import city_html, dates_html, kind_html, office_html, sources_html, table
from .facts import Site, is_open, state_name
from .maps import map_html, map_point
from .notes import SharedNotes
from .paths import (
    CHANGELOG,
    DATA_GUIDE,
    DOWNLOADS_PAGE,
    LICENCE,
    download,
    host_page,
    href,
    md_link,
    office_href,
    sending_page,
)
from .placing import Placer
from .text import h, md, slug
from .timeline import events_list, timeline_svg

SOURCES_SHOWN = 3
"""Sources shown in a table row; the office's section lists them all."""


def count_words(offices: Sequence[Office], today: dt.date) -> str:
    """``"12 open (3 embassies, …) and 2 closed"``."""
    open_offices = [office for office in offices if is_open(office, today)]
    kinds = Counter(office.kind for office in open_offices)
    by_kind = ", ".join(
        f"{number} {kind.label if number == 1 else kind.plural}"
        for kind, number in sorted(kinds.items(), key=lambda item: item[0].rank)
    )
    words = f"**{len(open_offices)} open**" + (f" ({by_kind})" if by_kind else "")
    others = len(offices) - len(open_offices)
    if others:
        words += f", and {others} closed or not yet open, kept as history"
    return words


# -- notes on special cases ----------------------------------------------------------------

_SENDER_NOTES = {
    "TW": "Taiwan's offices abroad are mostly representative offices (Taipei Economic and Cultural "
    "Offices and the like), recorded under the state that runs them, Taiwan (`TW`).",
    "PS": "Palestine's missions are recorded as the State of Palestine's (`PS`), whatever the host's recognition.",
    "VA": "The Holy See (`VA`) sends nunciatures (apostolic nunciatures), its diplomatic missions.",
    "XK": "Kosovo has no ISO 3166-1 code; the registry uses `XK`, the user-assigned code in common use.",
    "XM": "The Sovereign Military Order of Malta is a sovereign entity without territory; the registry "
    "uses `XM`, a code of its own.",
    "EU": "The European Union sends delegations; `EU` is a code exceptionally reserved by ISO 3166.",
}
_HOST_NOTES = {
    "CN": "Offices in Hong Kong and Macau are hosted by China and carry the subdivision `CN-HK` or "
    "`CN-MO` (ISO 3166-2); they are listed here in their own sections.",
    "PS": "Consulates general in Jerusalem that deal with the Palestinians are recorded with host `PS`, "
    "as the Wikidata extract records them; this states no view on the status of Jerusalem.",
    "VA": "Embassies to the Holy See are hosted by the Holy See (`VA`) even where they sit in Rome.",
    "TW": "Offices in Taiwan are recorded with host Taiwan (`TW`), mostly as representative offices.",
}
_NOTE_ANCHORS = {
    "TW": "taiwan",
    "PS": "jerusalem-and-palestine",
    "VA": "the-holy-see",
    "XK": "kosovo",
    "XM": "the-sovereign-order-of-malta",
    "EU": "the-european-union",
    "CN": "hong-kong-and-macau",
}


def special_note(page: str, code: str, notes: Mapping[str, str]) -> list[str]:
    note = notes.get(code)
    former = countries.is_known(code) and countries.state(code).status == "former"
    if former:
        note = f"{state_name(code)} no longer exists; its offices are kept under its ISO 3166-3 code `{code}`."
    if note is None:
        return []
    anchor = "former-states" if former else _NOTE_ANCHORS.get(code)
    more = md_link(page, DATA_GUIDE, "How the registry models this", anchor)
    return ['!!! note "Special case"', f"    {note} {more}.", ""]


def downloads_line(page: str, scope: str, code: str, count: int) -> list[str]:
    """Links to the page's offices as files, and to the whole registry, the licence and the changelog."""
    csv, geojson = download(scope, code, "csv"), download(scope, code, "geojson")
    return [
        f'<p class="cs-downloads">Download these {count} offices: <a href="{href(page, csv)}" download>CSV</a> · '
        f'<a href="{href(page, geojson)}" download>GeoJSON</a> · the whole registry: '
        f'<a href="{href(page, DOWNLOADS_PAGE)}">SQLite, CSV and more</a> · '
        f'<a href="{href(page, LICENCE)}">data licence</a> · <a href="{href(page, CHANGELOG)}">changelog</a></p>',
        "",
    ]


def _map_points(
    site: Site, placer: Placer, page: str, offices: Sequence[Office], place_of: dict[str, str]
) -> tuple[list[list[object]], list[Office]]:
    points, unplaced = [], []
    for office in offices:
        point = map_point(
            office, placer.place(office), site.today, office_href(page, office.sending, office.id), place_of[office.id]
        )
        if point is None:
            unplaced.append(office)
        else:
            points.append(point)
    return points, unplaced


def _checked_against(site: Site, code: str, offices: list[Office]) -> list[str]:
    """Completeness stated, not implied: the list the network was checked against, and what it counts."""
    reference = site.networks.get(code)
    if reference is None:
        return ["*Completeness:* this network has not been checked against a list of its missions yet.", ""]
    link = f'<a href="{h(reference.url)}" rel="nofollow noopener">{h(reference.title)}</a>'
    if reference.counts:
        have = reference.registry_counts(offices, site.today)
        found = ", ".join(
            f"{kind.replace('-', ' ')}: {have[kind]} of {number} found"
            if have[kind] <= number
            else f"{kind.replace('-', ' ')}: {have[kind]} in the registry, {number} in the list"
            for kind, number in reference.counts.items()
        )
        dated = f" (its counts as of {h(reference.as_of)})" if reference.as_of is not None else ""
        summary = f"checked against {link}{dated} on {h(reference.read)}: {found}."
        summary += "".join(
            f" Why the {kind.replace('-', ' ')} count differs: {h(difference.why)}"
            for kind, difference in reference.differences.items()
        )
    else:
        summary = f"checked against {link} on {h(reference.read)}, which gives no counts the registry could compare."
    return [f"*Completeness:* {summary} {h(reference.note)}", ""]


def render_sending(site: Site, placer: Placer, code: str) -> str:
    page = sending_page(code)
    offices = site.by_sending[code]
    name = state_name(code)
    hosts = site.names({office.host for office in offices})
    lines = [
        f"# {md(name)}: offices abroad",
        "",
        f"{md(name)} (<code>{h(code)}</code>) has {count_words(offices, site.today)}, "
        f"in {len(hosts)} host state{'s' if len(hosts) != 1 else ''}, as the registry records them on "
        f"{site.today.isoformat()}. Each office's name leads to its own section, with every fact and source.",
        "",
    ]
    if code in site.by_host:
        lines += [f"Foreign offices in {md(name)}: {md_link(page, host_page(code), name)}.", ""]
    lines += downloads_line(page, "sending", code, len(offices))
    lines += _checked_against(site, code, offices)
    lines += special_note(page, code, _SENDER_NOTES)
    places = {
        office.id: ", ".join(part for part in (office.city, state_name(office.host)) if part) for office in offices
    }
    points, unplaced = _map_points(site, placer, page, offices, places)
    lines += [
        "## Map",
        "",
        map_html(
            page,
            points,
            hosts,
            f"Map of the offices of {name}",
            unplaced,
            f"Shaded: the states hosting its offices; in yellow: {name}.",
            home=code,
        ),
        "",
        "## Openings and closures",
        "",
    ]
    chart = timeline_svg(offices, site.today)
    dated = sum(1 for office in offices if office.opened is not None)
    if chart is None:
        lines += ["No opening or closing date is recorded for these offices yet.", ""]
    else:
        lines += [
            f'<div class="cs-chart">{chart}</div>',
            "",
            f"Openings (above the line, reopenings included) and closures (below) by year; {dated} of "
            f"{len(offices)} offices have a recorded opening date, and only dated ones are drawn.",
            "",
            events_list(page, offices),
            "",
        ]
    notes = SharedNotes(offices)
    lines += ["## Offices by host state", "", *notes.block()]
    headers = ["Office", "Kind", "City", "Opened", "Sources"]
    for host in hosts:
        here = [office for office in offices if office.host == host]
        lines += [
            f"### {md(state_name(host))} {{#{slug(host)} .cs-group}}",
            "",
            f"{len(here)} office{'s' if len(here) != 1 else ''} · all foreign offices in "
            f"{md_link(page, host_page(host), state_name(host))}",
            "{: .cs-count }",
            "",
            table(
                "cs-sending",
                headers,
                (
                    (
                        office.id,
                        [
                            office_html(office, site.registry, page, notes),
                            kind_html(office.kind),
                            city_html(office),
                            dates_html(office, site.today),
                            sources_html(office.sources, SOURCES_SHOWN),
                        ],
                    )
                    for office in here
                ),
            ),
            "",
        ]
    return "\n".join(lines)


def city_sections(code: str, offices: Sequence[Office]) -> list[tuple[str, str, list[Office]]]:
    """(heading, anchor, offices) per city, by name; Hong Kong and Macau as their own sections."""
    groups: dict[str, tuple[str, list[Office]]] = {}
    for office in offices:
        if office.subdivision in countries.SARS.values():
            sar = office.subdivision or ""
            label = {"CN-HK": "Hong Kong", "CN-MO": "Macau"}.get(sar, sar)
            key, heading = f"~{sar}", f"{label} ({sar})"
        elif office.city:
            key, heading = fold(office.city) or office.city, office.city
        else:
            key, heading = "\uffff", "City not recorded"
        groups.setdefault(key, (heading, []))[1].append(office)
    sections = []
    used: set[str] = set()
    for key in sorted(groups, key=lambda item: (item.startswith("~"), item)):
        heading, members = groups[key]
        if key.startswith("~"):
            anchor = key[1:].lower()
        elif key == "\uffff":
            anchor = "no-city"
        else:
            anchor = "city-" + (slug(heading) or "x")
        base, number = anchor, 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        sections.append((heading, anchor, members))
    return sections


def render_host(site: Site, placer: Placer, code: str) -> str:
    page = host_page(code)
    offices = site.by_host[code]
    name = state_name(code)
    senders = {office.sending for office in offices}
    lines = [
        f"# Foreign offices in {md(name)}",
        "",
        f"{len(senders)} sending state{'s' if len(senders) != 1 else ''} have offices in {md(name)} "
        f"(<code>{h(code)}</code>): {count_words(offices, site.today)}, as the registry records them on "
        f"{site.today.isoformat()}.",
        "",
    ]
    if code in site.by_sending:
        lines += [f"{md(name)}'s own offices abroad: {md_link(page, sending_page(code), name)}.", ""]
    lines += downloads_line(page, "host", code, len(offices))
    lines += special_note(page, code, _HOST_NOTES)
    sections = city_sections(code, offices)
    lines += [
        '<p class="cs-cities">Cities: '
        + " · ".join(f'<a href="#{h(anchor)}">{h(heading)}</a>' for heading, anchor, _ in sections)
        + "</p>",
        "",
    ]
    places = {office.id: f"{office.city or name} ({state_name(office.sending)})" for office in offices}
    points, unplaced = _map_points(site, placer, page, offices, places)
    lines += [
        map_html(page, points, [code], f"Map of the foreign offices in {name}", unplaced, f"Shaded: {name}."),
        "",
    ]
    notes = SharedNotes(offices)
    lines += notes.block()
    headers = ["From", "Office", "Kind", "Opened", "Sources"]
    for heading, anchor, members in sections:
        lines += [
            f"## {md(heading)} {{#{anchor} .cs-group}}",
            "",
            table(
                "cs-host",
                headers,
                (
                    (
                        office.id,
                        [
                            f'<a href="{href(page, sending_page(office.sending), office.id)}">'
                            f"{h(state_name(office.sending))}</a>",
                            office_html(office, site.registry, page, notes),
                            kind_html(office.kind),
                            dates_html(office, site.today),
                            sources_html(office.sources, SOURCES_SHOWN),
                        ],
                    )
                    for office in sorted(
                        members, key=lambda office: (fold(state_name(office.sending)), office.kind.rank, office.id)
                    )
                ),
            ),
            "",
        ]
    return "\n".join(lines)
