"""The pages generated from the registry: one per sending state, one per host state, an index and a data report.

MkDocs runs this file through the mkdocs-gen-files plugin (see ``mkdocs.yml``); what it
writes lives only in the built site and is never committed. :func:`render` returns the
pages as ``{path: text}`` for any registry (the tests use a synthetic one), and

    .venv/bin/python docs/gen_pages.py OUT

writes them into a folder, for a look without MkDocs.

Everything taken from the data is escaped before it is written: :func:`text` turns it
into HTML character references (``<`` ``&`` ``"`` …) and also encodes every character
that Markdown or one of the site's Markdown extensions treats specially (``*`` ``_``
``[`` ``]`` ``(`` ``)`` ``#`` ``|`` ``{`` …), so a value reads as itself in Markdown
text and in the raw HTML blocks (tables, maps, charts) alike. Links are written only
for ``http`` and ``https`` URLs. The maps get their points from a ``data-points``
attribute (JSON, HTML-escaped), and ``docs/assets/consulates.js`` puts data into the
page with ``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import posixpath
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

from consulates import countries
from consulates.dates import DateBounds, Dating, Order, PartialDate, compare
from consulates.model import Claim, EventType, Kind, Office, Source
from consulates.registry import Registry
from consulates.text import fold

ROOT = Path(__file__).resolve().parent.parent
WORLD_TOPOLOGY = ROOT / "docs" / "assets" / "vendor" / "world-atlas" / "countries-110m.json"
"""Natural Earth's 1:110m countries as TopoJSON, from the world-atlas npm package (ISC; data public domain)."""
WORLD_SCRIPT = "assets/world-110m.js"
"""The generated script that hands the world's outlines to the maps (file:// pages cannot fetch JSON)."""
IMPORT_REPORT = ROOT / "data" / "imported" / "REPORT.md"
PAGE_SUFFIX = ".html"
"""How a page is reached in the built site: mkdocs.yml sets ``use_directory_urls: false``."""

INDEX_PAGE = "states.md"
REPORT_PAGE = "report.md"
DATA_GUIDE = "data.md"

# -- escaping ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Markdown's own escapable characters, those of the extensions the site uses (tables,
# attr_list, pymdownx), and the quotes: each becomes a numeric character reference.
_MARKDOWN = "\\`*_{}[]()#+-.!|~^=:$'\""
_ENTITIES = {ord(char): f"&#{ord(char)};" for char in _MARKDOWN} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}


def clean(value: object) -> str:
    """Data as one line of text: control characters and line breaks become a space."""
    return _CONTROL.sub(" ", str(value)).strip()


def md(value: object) -> str:
    """Data made safe for Markdown text: HTML-escaped, and every Markdown-significant character encoded."""
    return clean(value).translate(_ENTITIES)


def h(value: object) -> str:
    """Data made safe for HTML text or a quoted attribute value (in raw HTML blocks, which Markdown leaves alone)."""
    return html.escape(clean(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL escaped for an ``href``; None for anything else (``javascript:``, spaces …)."""
    if not url or any(char.isspace() or ord(char) < 0x20 for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(url, quote=True)


def slug(value: str) -> str:
    """ASCII letters, digits and hyphens, for ids: ``"Xi'an"`` -> ``"xi-an"``; ``""`` for none."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# -- paths ---------------------------------------------------------------------------------


def sending_page(code: str) -> str:
    return f"sending/{code.lower()}.md"


def host_page(code: str) -> str:
    return f"host/{code.lower()}.md"


def rel_url(page: str, target: str, anchor: str | None = None) -> str:
    """The URL from one page of the built site to another (MkDocs rewrites only Markdown links, not raw HTML)."""
    built = posixpath.splitext(target)[0] + PAGE_SUFFIX
    url = posixpath.relpath(built, posixpath.dirname(page) or ".")
    return url + (f"#{quote(anchor)}" if anchor else "")


def href(page: str, target: str, anchor: str | None = None) -> str:
    """:func:`rel_url` escaped for an attribute."""
    return html.escape(rel_url(page, target, anchor), quote=True)


def md_link(page: str, target: str, label: str, anchor: str | None = None) -> str:
    """A Markdown link (checked by ``mkdocs build --strict``); ``label`` is escaped here."""
    url = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return f"[{md(label)}]({url}{'#' + anchor if anchor else ''})"


# -- facts about offices -------------------------------------------------------------------


def state_name(code: str) -> str:
    return countries.name(code)


def display_name(office: Office) -> str:
    """The English name where known, else kind, sending state and city in words."""
    if "en" in office.names:
        return office.names["en"]
    place = f" in {office.city}" if office.city else ""
    return f"{office.kind.label.capitalize()} of {state_name(office.sending)}{place}"


def date_text(dating: Dating | None) -> str:
    return "—" if dating is None else str(dating)


def year_of(dating: Dating | None) -> int | None:
    """The year a date falls in, when that much is known."""
    if isinstance(dating, PartialDate):
        return dating.year
    if isinstance(dating, DateBounds):
        low, high = dating.earliest, dating.latest
        if low is not None and high is not None and low.year == high.year:
            return low.year
    return None


class Status(NamedTuple):
    key: str
    """``open``, ``closed``, ``suspended`` or ``planned``."""
    label: str


def status(office: Office, today: dt.date) -> Status:
    """Where the office stands today, as far as the data knows."""
    point = PartialDate(today.year, today.month, today.day)
    if office.closed is not None:
        if compare(point, office.closed) is Order.BEFORE:
            return Status("open", f"open, closes {office.closed}")
        return Status("closed", f"closed {office.closed}")
    if office.opened is not None and compare(point, office.opened) is Order.BEFORE:
        return Status("planned", f"opens {office.opened}")
    closed_since: Dating | None = None
    for event in office.events:
        if event.type is EventType.CLOSED:
            closed_since = event.date
        elif event.type is EventType.REOPENED:
            closed_since = None
    if closed_since is not None and compare(point, closed_since) is not Order.BEFORE:
        return Status("suspended", f"closed since {closed_since}")
    return Status("open", "open")


def is_open(office: Office, today: dt.date) -> bool:
    return status(office, today).key == "open"


def kind_group(kind: Kind) -> str:
    """The colour group on maps: diplomatic, consular (career), honorary, other."""
    if kind.is_diplomatic:
        return "diplomatic"
    if kind.is_career_consular:
        return "consular"
    return "honorary" if kind.is_honorary else "other"


# -- pieces of pages -----------------------------------------------------------------------


def sources_html(sources: Sequence[Source]) -> str:
    """Each source as a link named by its site, with its title on hover; a citation as text."""
    items = []
    for source in sources:
        url = safe_url(source.url)
        hover = " — ".join(h(part) for part in (source.title, source.date) if part)
        title = f' title="{hover}"' if hover else ""
        if url is not None:
            site = urlsplit(source.url or "").netloc.removeprefix("www.")
            items.append(f'<a href="{url}"{title} rel="nofollow noopener">{h(site)}</a>')
        elif source.citation or source.url:
            items.append(f"<span{title}>{h(source.citation or source.url)}</span>")
    return "<br>".join(items) if items else "—"


def kind_html(kind: Kind) -> str:
    return f'<span class="cs-kind cs-{kind_group(kind)}" title="{h(kind.description)}">{h(kind.label)}</span>'


def status_html(office: Office, today: dt.date) -> str:
    found = status(office, today)
    return f'<span class="cs-status cs-{found.key}">{h(found.label)}</span>'


def dates_html(office: Office, today: dt.date) -> str:
    """The opening date (as precise as known) above the status today."""
    return f'<span class="cs-date">{h(date_text(office.opened))}</span><br>{status_html(office, today)}'


def claim_html(office: Office, claim: Claim, registry: Registry) -> str:
    """What a source said about the office's place, and what the registry counts under the same rule."""
    said = f"Claim: “{h(claim.text)}”"
    try:
        found = registry.ordinal(
            office, count_sars=claim.count_sars, kinds=claim.kinds or None, include_closed=claim.include_closed
        )
    except (ValueError, LookupError) as error:
        return f"{said} — not checked: {h(error)}"
    if found.value == claim.ordinal:
        verdict = f"the registry agrees: {h(found)}"
    elif found.lowest <= claim.ordinal <= found.highest:
        verdict = f"the registry’s dates allow it: {h(found)}"
    else:
        verdict = f"the registry counts otherwise: {h(found)}"
    return f"{said} — {verdict}"


def office_html(office: Office, registry: Registry) -> str:
    """The office cell: name, id, and what else is known (notes, history, claims)."""
    lines = [f"<strong>{h(display_name(office))}</strong><br><code>{h(office.id)}</code>"]
    details = []
    for event in office.events:
        what = event.type.value
        if event.type.changes_kind and event.from_kind and event.to_kind:
            what += f" from {event.from_kind.label} to {event.to_kind.label}"
        elif event.type is EventType.MOVED and event.city:
            what += f" to {event.city}"
        if event.note:
            what += f" ({event.note})"
        details.append(f"{h(event.date)}: {h(what)}")
    if office.first_kind is not office.kind and not office.events:
        details.append(f"opened as {h(office.first_kind.label)}")
    details.extend(claim_html(office, claim, registry) for claim in office.claims)
    if office.jurisdiction:
        details.append("District: " + h(", ".join(office.jurisdiction)))
    if office.notes:
        details.append(h(office.notes))
    website = safe_url(office.website)
    if website is not None:
        details.append(f'<a href="{website}" rel="nofollow noopener">website</a>')
    if details:
        lines.append('<div class="cs-details">' + "<br>".join(details) + "</div>")
    return "".join(lines)


def city_html(office: Office) -> str:
    city = h(office.city) if office.city else "—"
    if office.subdivision:
        city += f' <span class="cs-sub">{h(office.subdivision)}</span>'
    return city


def table(style: str, headers: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]]) -> str:
    """A raw HTML table (rows are (id, cells) with cells already escaped), wrapped as Material wraps tables."""
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "".join(
        f'<tr id="{h(row_id)}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>" for row_id, cells in rows
    )
    return (
        f'<div class="md-typeset__scrollwrap cs-table {style}"><div class="md-typeset__table">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</div></div>"
    )


def map_html(
    points: Sequence[Sequence[Any]],
    shaded: Iterable[str],
    label: str,
    missing: int,
    shading: str,
    home: str | None = None,
) -> str:
    """A map (drawn by docs/assets/consulates.js with Leaflet) and its legend; the points go in as JSON."""
    if not points:
        return '<p class="cs-note">None of these offices has a recorded location, so there is no map.</p>'
    numeric = sorted({number for code in shaded if (number := _numeric(code))})
    legend = "".join(
        f'<span class="cs-key cs-{group}">{name}</span>'
        for group, name in (
            ("diplomatic", "embassy or other diplomatic mission"),
            ("consular", "career consular post"),
            ("honorary", "honorary consulate"),
            ("other", "other office"),
            ("closed", "closed"),
        )
    )
    note = f"{missing} without a recorded location are not shown. " if missing else ""
    return (
        f'<div class="cs-map" role="region" aria-label="{h(label)}" '
        f"data-points='{json_attribute(points)}' data-hosts='{json_attribute(numeric)}' "
        f"data-home='{json_attribute(_numeric(home) if home else None)}'>"
        "<noscript>The map needs JavaScript; the tables below list every office.</noscript></div>"
        f'<p class="cs-legend">{legend}<br>{h(shading)} Sites are approximate where only the city is known. {note}'
        "Country outlines: Natural Earth (de facto boundaries, shown as a backdrop; they state no position).</p>"
    )


def json_attribute(value: object) -> str:
    """JSON for a single-quoted HTML attribute: ``&``, ``'``, ``<`` and ``>`` escaped."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encoded.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")


MAP_FIELDS = ("lat", "lon", "name", "kind", "group", "closed", "place", "link")
"""The order of a map point's fields, as docs/assets/consulates.js reads them."""


def map_point(office: Office, today: dt.date, link: str, place: str) -> list[Any] | None:
    if office.location is None:
        return None
    return [
        round(office.location.latitude, 4),
        round(office.location.longitude, 4),
        clean(display_name(office)),
        office.kind.label,
        kind_group(office.kind),
        0 if is_open(office, today) else 1,
        clean(place),
        link,
    ]


def _numeric(code: str) -> str | None:
    """ISO 3166-1 numeric code, as Natural Earth's outlines are keyed."""
    if code in countries.ENTITIES or len(code) != 2:
        return None
    try:
        numeric = countries.state(code).numeric
    except LookupError:
        return None
    return numeric


def timeline_svg(offices: Sequence[Office], today: dt.date) -> str | None:
    """Openings (up) and closures (down) by year as an inline SVG bar chart; None when nothing is dated."""
    opened: dict[int, list[str]] = {}
    closed: dict[int, list[str]] = {}
    for office in offices:
        place = ", ".join(part for part in (office.city, state_name(office.host)) if part)
        for dating, bucket in _happenings(office):
            year = year_of(dating)
            if year is not None:
                (opened if bucket == "opened" else closed).setdefault(year, []).append(place)
    if not opened and not closed:
        return None
    years = [*opened, *closed]
    first, last = min(years), max(*years, today.year)
    span = last - first + 1
    top_count = max((len(places) for places in opened.values()), default=0)
    bottom_count = max((len(places) for places in closed.values()), default=0)
    width, height = 760.0, 190.0
    left, right, top, bottom = 34.0, 10.0, 10.0, 24.0
    plot_width, plot_height = width - left - right, height - top - bottom
    up_height = plot_height * top_count / (top_count + bottom_count)
    base = top + up_height
    unit = plot_height / (top_count + bottom_count)
    step = plot_width / span
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="cs-timeline" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="Openings and closures by year, {first} to {last}" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="cs-axis" x1="{left}" x2="{width - right}" y1="{base:.1f}" y2="{base:.1f}"/>',
    ]
    for value, y in ((0, base), (top_count, top), (bottom_count, top + plot_height)):
        if value or y == base:
            parts.append(f'<text class="cs-tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    tick = next(size for size in (1, 2, 5, 10, 20, 25, 50, 100, 200) if span / size <= 12)
    for year in range(first + (-first) % tick, last + 1, tick):
        x = left + (year - first + 0.5) * step
        parts.append(
            f'<text class="cs-tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{year}</text>'
            f'<line class="cs-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_height}"/>'
        )
    for year, places, sign, kind in (
        *((year, places, -1, "opened") for year, places in sorted(opened.items())),
        *((year, places, 1, "closed") for year, places in sorted(closed.items())),
    ):
        x = left + (year - first) * step + (step - bar) / 2
        size = len(places) * unit
        y = base - size if sign < 0 else base
        shown = places[:12] + ([f"… and {len(places) - 12} more"] if len(places) > 12 else [])
        tip = f"{year}: {len(places)} {kind}: " + "; ".join(shown)
        parts.append(
            f'<rect class="cs-{kind}-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{size:.1f}">'
            f"<title>{h(tip)}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _happenings(office: Office) -> Iterator[tuple[Dating | None, str]]:
    yield office.opened, "opened"
    for event in office.events:
        if event.type is EventType.REOPENED:
            yield event.date, "opened"
        elif event.type is EventType.CLOSED:
            yield event.date, "closed"
    if office.closed is not None:
        yield office.closed, "closed"


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


def _note(page: str, code: str, notes: Mapping[str, str]) -> list[str]:
    note = notes.get(code)
    former = countries.is_known(code) and countries.state(code).status == "former"
    if former:
        note = f"{state_name(code)} no longer exists; its offices are kept under its ISO 3166-3 code `{code}`."
    if note is None:
        return []
    anchor = "former-states" if former else _NOTE_ANCHORS.get(code)
    more = md_link(page, DATA_GUIDE, "How the registry models this", anchor)
    return ['!!! note "Special case"', f"    {note} {more}.", ""]


# -- the pages -----------------------------------------------------------------------------


class Site:
    """The registry grouped the ways the pages need it."""

    def __init__(self, registry: Registry, today: dt.date) -> None:
        self.registry = registry
        self.today = today
        self.by_sending: dict[str, list[Office]] = {}
        self.by_host: dict[str, list[Office]] = {}
        for office in registry:
            self.by_sending.setdefault(office.sending, []).append(office)
            self.by_host.setdefault(office.host, []).append(office)

    def names(self, codes: Iterable[str]) -> list[str]:
        """Codes sorted by the state's name."""
        return sorted(codes, key=lambda code: (fold(state_name(code)), code))


def render_sending(site: Site, code: str) -> str:
    page = sending_page(code)
    offices = site.by_sending[code]
    name = state_name(code)
    hosts = site.names({office.host for office in offices})
    lines = [
        f"# {md(name)}: offices abroad",
        "",
        f"{md(name)} (<code>{h(code)}</code>) has {count_words(offices, site.today)}, "
        f"in {len(hosts)} host state{'s' if len(hosts) != 1 else ''}, as the registry records them on "
        f"{site.today.isoformat()}.",
        "",
    ]
    if code in site.by_host:
        lines += [f"Foreign offices in {md(name)}: {md_link(page, host_page(code), name)}.", ""]
    lines += _note(page, code, _SENDER_NOTES)
    points = []
    for office in offices:
        place = ", ".join(part for part in (office.city, state_name(office.host)) if part)
        point = map_point(office, site.today, "#" + quote(office.id), place)
        if point is not None:
            points.append(point)
    lines += [
        "## Map",
        "",
        map_html(
            points,
            hosts,
            f"Map of the offices of {name}",
            len(offices) - len(points),
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
            f"{len(offices)} offices have a recorded opening date, and only dated ones are drawn. "
            "Hover over a bar for the places.",
            "",
        ]
    lines += ["## Offices by host state", ""]
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
                            office_html(office, site.registry),
                            kind_html(office.kind),
                            city_html(office),
                            dates_html(office, site.today),
                            sources_html(office.sources),
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


def render_host(site: Site, code: str) -> str:
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
    lines += _note(page, code, _HOST_NOTES)
    sections = city_sections(code, offices)
    lines += ["Cities: " + " · ".join(md_link(page, page, heading, anchor) for heading, anchor, _ in sections), ""]
    points = []
    for office in offices:
        place = f"{office.city or name} ({state_name(office.sending)})"
        point = map_point(office, site.today, "#" + quote(office.id), place)
        if point is not None:
            points.append(point)
    lines += [
        map_html(
            points, [code], f"Map of the foreign offices in {name}", len(offices) - len(points), f"Shaded: {name}."
        ),
        "",
    ]
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
                            office_html(office, site.registry),
                            kind_html(office.kind),
                            dates_html(office, site.today),
                            sources_html(office.sources),
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


def render_index(site: Site) -> str:
    page = INDEX_PAGE
    codes = site.names(set(site.by_sending) | set(site.by_host))
    lines = [
        "# States and their offices",
        "",
        f"Every state or entity in the registry: {len(site.by_sending)} sending and {len(site.by_host)} host "
        f"pages. Counts are offices open on {site.today.isoformat()}, then all offices, closed ones included. "
        "Codes are ISO 3166-1 alpha-2, except those explained in "
        f"{md_link(page, DATA_GUIDE, 'the data guide', 'codes')}.",
        "",
        "| State | Code | Offices abroad: open (all) | Foreign offices in it: open (all) |",
        "|---|---|---:|---:|",
    ]
    for code in codes:
        cells = [md(state_name(code)), f"<code>{h(code)}</code>"]
        for groups, target in ((site.by_sending, sending_page), (site.by_host, host_page)):
            offices = groups.get(code)
            if offices is None:
                cells.append("—")
            else:
                open_count = sum(1 for office in offices if is_open(office, site.today))
                cells.append(md_link(page, target(code), f"{open_count} ({len(offices)})"))
        lines.append("| " + " | ".join(cells) + " |")
    china = site.by_host.get("CN", [])
    sars = [(sar, region) for sar, region in countries.SARS.items() if any(o.subdivision == region for o in china)]
    if sars:
        lines += [
            "",
            "Hong Kong and Macau are hosts as parts of China (ISO 3166-2 subdivisions): "
            + ", ".join(
                md_link(page, host_page("CN"), f"{state_name(sar)} ({region})", region.lower()) for sar, region in sars
            )
            + ".",
        ]
    return "\n".join(lines) + "\n"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def render_report(site: Site, import_report: str | None) -> str:
    page = REPORT_PAGE
    offices = list(site.registry)
    total = len(offices)
    open_count = sum(1 for office in offices if is_open(office, site.today))
    closed = sum(1 for office in offices if office.is_closed)
    precision = Counter(office.opened.precision if office.opened else "unknown" for office in offices)
    located = Counter(office.location.precision if office.location else "none" for office in offices)
    curated = sum(1 for office in offices if any("wikidata.org" not in (source.url or "") for source in office.sources))
    claims = [(office, claim) for office in offices for claim in office.claims]
    lines = [
        "# Data report",
        "",
        f"Generated from the registry when this site was built ({site.today.isoformat()}).",
        "",
        "## Totals",
        "",
        "| | offices | share |",
        "|---|---:|---:|",
        f"| all records | {total} | 100 % |",
        f"| open on {site.today.isoformat()} | {open_count} | {_percent(open_count, total)} |",
        f"| closed for good (a closing date) | {closed} | {_percent(closed, total)} |",
        f"| with an opening date | {total - precision['unknown']} | {_percent(total - precision['unknown'], total)} |",
        f"| … to the day | {precision['day']} | {_percent(precision['day'], total)} |",
        f"| … to the month | {precision['month']} | {_percent(precision['month'], total)} |",
        f"| … to the year | {precision['year']} | {_percent(precision['year'], total)} |",
        f"| … as bounds (“by 2016-11”) | {precision['bounds']} | {_percent(precision['bounds'], total)} |",
        f"| with dated events (rank changes, moves, closures) | {sum(1 for o in offices if o.events)} "
        f"| {_percent(sum(1 for o in offices if o.events), total)} |",
        f"| located at the site | {located['site']} | {_percent(located['site'], total)} |",
        f"| located at the city only | {located['city']} | {_percent(located['city'], total)} |",
        f"| without a location | {located['none']} | {_percent(located['none'], total)} |",
        f"| citing a source besides Wikidata | {curated} | {_percent(curated, total)} |",
        f"| sending states and entities | {len(site.by_sending)} | |",
        f"| host states | {len(site.by_host)} | |",
        "",
        f"Every record cites at least one source. {len(claims)} recorded claim{'s' if len(claims) != 1 else ''} "
        "about an office's place in its network (“the third consulate general”) "
        f"{'are' if len(claims) != 1 else 'is'} checked against the registry's own count on the state pages.",
        "",
        "## By kind",
        "",
        f"What the kinds mean: {md_link(page, DATA_GUIDE, 'the data guide', 'kinds')}.",
        "",
        "| kind | open | all | what it is |",
        "|---|---:|---:|---|",
    ]
    for kind in Kind:
        members = [office for office in offices if office.kind is kind]
        if members:
            open_members = sum(1 for office in members if is_open(office, site.today))
            lines.append(f"| {md(kind.label)} | {open_members} | {len(members)} | {md(kind.description)} |")
    for title, groups, target in (
        ("By sending state", site.by_sending, sending_page),
        ("By host state", site.by_host, host_page),
    ):
        ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), state_name(item[0])))
        lines += [
            "",
            f"## {title}",
            "",
            f"The 25 largest of {len(ranked)}; {md_link(page, INDEX_PAGE, 'every state')} is on the index.",
            "",
            "| state | open | all |",
            "|---|---:|---:|",
        ]
        for code, members in ranked[:25]:
            open_members = sum(1 for office in members if is_open(office, site.today))
            lines.append(f"| {md_link(page, target(code), state_name(code))} | {open_members} | {len(members)} |")
    lines += ["", "## What was imported, and what was left out", ""]
    lines += import_sections(import_report)
    return "\n".join(lines) + "\n"


def import_sections(report: str | None) -> list[str]:
    """The summary of ``data/imported/REPORT.md`` (rows read, left out by reason, repairs), re-rendered escaped."""
    if not report:
        return ["The import report (`data/imported/REPORT.md`) was not found when the site was built.", ""]
    lines = [
        "The imported records come from the 2022-11-16 Wikidata extract of the database-of-embassies "
        "project; `tools/import_database_of_embassies.py` reads it and writes `data/imported/`, and its "
        "report, `data/imported/REPORT.md`, lists every row it left out with the reason. Its summary:",
        "",
    ]
    in_summary = False
    table_rows: list[list[str]] = []

    def flush() -> None:
        if table_rows:
            header, *body = table_rows
            lines.append("| " + " | ".join(md(cell) for cell in header) + " |")
            lines.append("|---" + "|---:" * (len(header) - 1) + "|")
            lines.extend("| " + " | ".join(md(cell) for cell in row) + " |" for row in body)
            lines.append("")
            table_rows.clear()

    for raw in report.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            if in_summary:
                break
            in_summary = line[3:].strip().lower() == "summary"
            continue
        if not in_summary:
            continue
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                table_rows.append(cells)
            continue
        flush()
        if line.startswith("### "):
            lines += [f"### {md(line[4:])}", ""]
        elif line:
            lines += [md(line), ""]
    flush()
    return lines


def render(registry: Registry, *, today: dt.date | None = None, import_report: str | None = None) -> dict[str, str]:
    """Every generated page, ``{path under docs/: Markdown}``."""
    site = Site(registry, today or dt.date.today())
    pages = {INDEX_PAGE: render_index(site), REPORT_PAGE: render_report(site, import_report)}
    for code in site.by_sending:
        pages[sending_page(code)] = render_sending(site, code)
    for code in site.by_host:
        pages[host_page(code)] = render_host(site, code)
    return pages


# -- the world's outlines ------------------------------------------------------------------


def topology_features(topology: Mapping[str, Any], name: str = "countries") -> list[dict[str, Any]]:
    """GeoJSON features from a quantized TopoJSON object (the TopoJSON specification, 2.1-2.2)."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, 2), round(y * scale_y + shift_y, 2)))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> list[list[float]]:
        coordinates: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            for point in arc[1:] if coordinates else arc:
                if not coordinates or coordinates[-1] != point:
                    coordinates.append(point)
        if coordinates and coordinates[0] != coordinates[-1]:
            coordinates.append(coordinates[0])
        # A ring that crosses the antimeridian (Russia's Chukotka, Fiji) jumps from 180 to -180;
        # drawn as is, it would streak across the map. Its western half is moved east of 180.
        if any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(coordinates)):
            coordinates = [(x + 360 if x < 0 else x, y) for x, y in coordinates]
        return [list(point) for point in coordinates]

    def polygon(rings: Sequence[Sequence[int]]) -> list[list[list[float]]]:
        # Rounding can shrink a tiny island to a point: rings of fewer than 4 positions are dropped.
        return [found for found in (ring(item) for item in rings) if len(found) >= 4]

    features = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [polygon(geometry["arcs"])]
        elif geometry["type"] == "MultiPolygon":
            polygons = [polygon(item) for item in geometry["arcs"]]
        else:
            continue
        polygons = [item for item in polygons if item]
        if not polygons:
            continue
        shape = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append({"type": "Feature", "id": geometry.get("id"), "properties": {}, "geometry": shape})
    return features


def world_script(path: Path = WORLD_TOPOLOGY) -> str:
    features = topology_features(json.loads(path.read_text(encoding="utf-8")))
    collection = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return (
        "/* Country outlines: Natural Earth 1:110m (public domain), from world-atlas 2.0.2 (ISC, "
        "Michael Bostock). Generated by docs/gen_pages.py. */\n"
        f"window.CONSULATES_WORLD={collection};\n"
    )


# -- hand-written pages with generated parts ----------------------------------------------

SOURCES = ROOT / "data" / "SOURCES.md"
EXPANDED = ("data.md", "licence.md")
"""Hand-written pages with ``<!-- generated: NAME -->`` lines that the build fills in."""
_PLACEHOLDER = re.compile(r"^<!-- generated: ([a-z]+) -->$", re.MULTILINE)


def kinds_table(registry: Registry, today: dt.date) -> str:
    """Every kind with its description (``Kind.description``), its class and how many offices are of it."""
    counts = Counter(office.kind for office in registry)
    open_counts = Counter(office.kind for office in registry if is_open(office, today))
    lines = ["| kind | class | what it is | offices: open (all) |", "|---|---|---|---:|"]
    for kind in Kind:
        if kind.is_diplomatic:
            group = "diplomatic"
        elif kind.is_career_consular:
            group = "consular, career"
        elif kind.is_honorary:
            group = "consular, honorary"
        else:
            group = "other"
        lines.append(f"| `{kind.value}` | {group} | {md(kind.description)} | {open_counts[kind]} ({counts[kind]}) |")
    return "\n".join(lines)


def sources_table(path: Path = SOURCES) -> str:
    """The dataset table of ``data/SOURCES.md`` and what follows it (project text, kept as Markdown)."""
    if not path.exists():
        return "`data/SOURCES.md` was not found when the site was built."
    text_lines = path.read_text(encoding="utf-8").splitlines()
    start = next((index for index, line in enumerate(text_lines) if line.startswith("|")), len(text_lines))
    return "\n".join(text_lines[start:]).strip()


def expand(page: str, registry: Registry, today: dt.date | None = None) -> str:
    """A hand-written page with its ``<!-- generated: … -->`` lines filled in."""
    day = today or dt.date.today()
    parts: dict[str, Callable[[], str]] = {
        "kinds": lambda: kinds_table(registry, day),
        "sources": sources_table,
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parts:
            raise ValueError(f"{page}: unknown generated part {name!r}")
        return parts[name]()

    return _PLACEHOLDER.sub(fill, page)


# -- running -------------------------------------------------------------------------------


def generate(write: Callable[[str, str], None], registry: Registry | None = None) -> int:
    """Render every page, the generated parts of hand-written ones and the world's outlines through ``write``."""
    if registry is None:
        import consulates

        registry = consulates.default_registry()
    report = IMPORT_REPORT.read_text(encoding="utf-8") if IMPORT_REPORT.exists() else None
    today = dt.date.today()
    pages = render(registry, today=today, import_report=report)
    for path, content in pages.items():
        write(path, content)
    for name in EXPANDED:
        write(name, expand((ROOT / "docs" / name).read_text(encoding="utf-8"), registry, today))
    write(WORLD_SCRIPT, world_script())
    return len(pages)


def _write_with_gen_files(path: str, content: str) -> None:
    import mkdocs_gen_files

    with mkdocs_gen_files.open(path, "w", encoding="utf-8") as file:
        file.write(content)


def _write_into(folder: Path) -> Callable[[str, str], None]:
    def write(path: str, content: str) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")

    return write


if __name__ == "<run_path>":  # run by mkdocs-gen-files
    generate(_write_with_gen_files)
elif __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/gen_pages.py OUT_FOLDER")
    print(f"{generate(_write_into(Path(sys.argv[1])))} pages written to {sys.argv[1]}")
