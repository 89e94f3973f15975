"""Table cells and tables of the state pages (raw HTML, every value escaped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from consulates.claims import Verdict
from consulates.model import Claim, Kind, Office, Source
from consulates.registry import Registry
from consulates.text import fold

from .facts import date_text, display_name, kind_group, status, subdivision_name
from .notes import SharedNotes
from .paths import office_href
from .text import h, safe_url


def source_html(source: Source) -> str:
    """A source with its title, site and date in view (no hover needed); a citation as text."""
    url = safe_url(source.url)
    site = urlsplit(source.url or "").netloc.removeprefix("www.") if url else ""
    label = source.title or site or source.citation or source.url or ""
    extra = ", ".join(h(part) for part in (site if source.title else "", source.date) if part)
    after = f' <span class="cs-sub">{extra}</span>' if extra else ""
    if url is not None:
        return f'<a href="{url}" rel="nofollow noopener">{h(label)}</a>{after}'
    return f"<span>{h(source.citation or label)}</span>{after}"


def sources_html(sources: Sequence[Source], limit: int | None = None) -> str:
    """The sources one a line; past ``limit``, a count (the office page lists them all)."""
    items = [source_html(source) for source in sources if source.url or source.citation]
    if not items:
        return "—"
    if limit is not None and len(items) > limit:
        items = [*items[:limit], f'<span class="cs-sub">and {len(items) - limit} more</span>']
    return '<ul class="cs-sources">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def kind_html(kind: Kind) -> str:
    return f'<span class="cs-kind cs-{kind_group(kind)}" title="{h(kind.description)}">{h(kind.label)}</span>'


def status_html(office: Office, today: dt.date) -> str:
    found = status(office, today)
    sign = {"open": "●", "closed": "✕", "suspended": "‖", "planned": "○"}[found.key]
    return f'<span class="cs-status cs-{found.key}"><span aria-hidden="true">{sign}</span> {h(found.label)}</span>'


def dates_html(office: Office, today: dt.date) -> str:
    """The opening date (as precise as known) above the status today; long bounds wrap."""
    return f'<span class="cs-date">{h(date_text(office.opened))}</span><br>{status_html(office, today)}'


def verdict_html(office: Office, claim: Claim, registry: Registry) -> str:
    """The registry's verdict on a claim (:mod:`consulates.claims`): holds, holds only if, fails, cannot be decided."""
    from consulates.claims import check

    try:
        verdict = check(registry, office, claim)
    except (ValueError, LookupError) as error:
        return f"not checked: {h(error)}"
    return verdict_words(verdict)


def verdict_words(verdict: Verdict) -> str:
    """A verdict in words, its status marked: "holds: claims 3rd, the registry counts …"."""
    return f'<span class="cs-verdict">{h(verdict.status)}</span>: {h(str(verdict).partition(": ")[2])}'


SAR_HOSTS = frozenset({"CN"})
"""Hosts where counting Hong Kong and Macau changes an ordinal: both rules are shown."""


def claim_html(office: Office, claim: Claim, registry: Registry) -> str:
    """What a source said about the office's place, and the registry's verdict on it."""
    return f"Claim: “{h(claim.text)}” — {verdict_html(office, claim, registry)}"


def office_html(office: Office, registry: Registry, page: str, notes: SharedNotes) -> str:
    """The office cell: its name (a link to its own section), id, claims and notes; the rest is on its page."""
    link = office_href(page, office.sending, office.id)
    lines = [f'<a class="cs-name" href="{link}">{h(display_name(office))}</a><br><code>{h(office.id)}</code>']
    details = [claim_html(office, claim, registry) for claim in office.claims]
    if office.events:
        count = len(office.events)
        details.append(f'<a href="{link}">{count} dated event{"s" if count != 1 else ""}</a>')
    note = notes.cell(office.notes)
    if note:
        details.append(note)
    if details:
        lines.append('<div class="cs-details">' + "<br>".join(details) + "</div>")
    return "".join(lines)


def city_html(office: Office) -> str:
    """The city, and its subdivision's name unless it is the city's own (Beijing in Beijing)."""
    city = h(office.city) if office.city else "—"
    if office.subdivision:
        region = subdivision_name(office.subdivision)
        if fold(region) != fold(office.city or ""):
            city += f' <span class="cs-sub">{h(region)}</span>'
    return city


def table(style: str, headers: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]]) -> str:
    """A raw HTML table (rows are (id, cells) with cells already escaped); each cell names its column for phones."""
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "".join(
        f'<tr id="{h(row_id)}">'
        + "".join(
            f'<td data-label="{h(header)}"><div>{cell}</div></td>' for header, cell in zip(headers, cells, strict=True)
        )
        + "</tr>"
        for row_id, cells in rows
    )
    return (
        f'<div class="cs-table {style}" data-search-exclude>'
        f'<table class="cs-rows"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "</div>"
    )
