"""Openings and closures by year: a bar chart (SVG) and the same events as a list that needs no mouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from consulates.dates import Dating
from consulates.model import EventType, Office

from .facts import date_text, display_name, state_name, year_of
from .paths import office_href
from .text import h


def happenings(office: Office) -> Iterator[tuple[Dating | None, str]]:
    """The office's openings (reopenings too) and closures, as (date, "opened" or "closed")."""
    yield office.opened, "opened"
    for event in office.events:
        if event.type is EventType.REOPENED:
            yield event.date, "opened"
        elif event.type is EventType.CLOSED:
            yield event.date, "closed"
    if office.closed is not None:
        yield office.closed, "closed"


def _place(office: Office) -> str:
    return ", ".join(part for part in (office.city, state_name(office.host)) if part)


def _day(dating: Dating) -> dt.date:
    """A day to sort a date by: its first possible day, else its last."""
    return dating.earliest or dating.latest or dt.date.min


def timeline_svg(offices: Sequence[Office], today: dt.date) -> str | None:
    """Openings (up) and closures (down, counted negative) by year as an inline SVG; None when nothing is dated."""
    opened: dict[int, list[str]] = {}
    closed: dict[int, list[str]] = {}
    for office in offices:
        for dating, bucket in happenings(office):
            year = year_of(dating)
            if year is not None:
                (opened if bucket == "opened" else closed).setdefault(year, []).append(_place(office))
    if not opened and not closed:
        return None
    years = [*opened, *closed]
    first, last = min(years), max(*years, today.year)
    span = last - first + 1
    top_count = max((len(places) for places in opened.values()), default=0)
    bottom_count = max((len(places) for places in closed.values()), default=0)
    width, height = 760.0, 220.0
    left, right, top, bottom = 44.0, 10.0, 12.0, 30.0
    plot_width, plot_height = width - left - right, height - top - bottom
    up_height = plot_height * top_count / (top_count + bottom_count)
    base = top + up_height
    unit = plot_height / (top_count + bottom_count)
    step = plot_width / span
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="cs-timeline" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="Openings and closures by year, {first} to {last}; the list below gives each one" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line class="cs-axis" x1="{left}" x2="{width - right}" y1="{base:.1f}" y2="{base:.1f}"/>',
    ]
    for label, y, shown in (
        ("0", base, True),
        (f"+{top_count}", top, top_count > 0),
        (f"−{bottom_count}", top + plot_height, bottom_count > 0),
    ):
        if shown:
            parts.append(f'<text class="cs-tick" x="{left - 5}" y="{y + 5:.1f}" text-anchor="end">{label}</text>')
    tick = next(size for size in (1, 2, 5, 10, 20, 25, 50, 100, 200) if span / size <= 8)
    for year in range(first + (-first) % tick, last + 1, tick):
        x = left + (year - first + 0.5) * step
        parts.append(
            f'<text class="cs-tick" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{year}</text>'
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


def events_list(page: str, offices: Sequence[Office]) -> str:
    """Every dated opening and closure as a list, newest first, inside a disclosure (keyboard and screen readers)."""
    rows: list[tuple[str, str, Office, Dating]] = []
    for office in offices:
        for dating, bucket in happenings(office):
            if dating is None:
                continue
            rows.append((date_text(dating), bucket, office, dating))
    if not rows:
        return ""
    rows.sort(key=lambda row: (_day(row[3]), row[2].id), reverse=True)
    items = []
    for when, bucket, office, _ in rows:
        sign = "+" if bucket == "opened" else "−"
        link = office_href(page, office.sending, office.id)
        items.append(
            f'<li class="cs-{bucket}-item"><span class="cs-sign" aria-hidden="true">{sign}</span> '
            f'<span class="cs-date">{h(when)}</span> {bucket}: '
            f'<a href="{link}">{h(display_name(office))}</a> <span class="cs-sub">{h(_place(office))}</span></li>'
        )
    return (
        f'<details class="cs-events"><summary>Every dated opening (+) and closure (−), newest first '
        f"({len(rows)})</summary><ul>{''.join(items)}</ul></details>"
    )
