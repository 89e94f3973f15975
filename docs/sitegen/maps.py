"""The maps of the state pages: their points as JSON, their legend, and the scripts only they load.

docs/assets/consulates.js draws each ``<div class="cs-map">`` with Leaflet; the points go
in a ``data-points`` attribute (JSON, HTML-escaped) and reach the page through
``textContent`` only. Leaflet, the world's outlines and the drawing script are loaded by
the map itself (``defer``), so pages without a map load none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from consulates import countries
from consulates.model import Office

from .facts import display_name, is_open, kind_group
from .paths import href, office_href
from .placing import Placed
from .text import clean, h, json_attribute

MAP_FIELDS = ("lat", "lon", "name", "kind", "group", "closed", "place", "link", "approximate")
"""The order of a map point's fields, as docs/assets/consulates.js reads them."""

MAP_SCRIPTS = ("assets/vendor/leaflet/leaflet.js", "assets/world-110m.js", "assets/consulates.js")
MAP_STYLES = ("assets/vendor/leaflet/leaflet.css",)


def map_point(office: Office, placed: Placed | None, today: dt.date, link: str, place: str) -> list[Any] | None:
    if placed is None:
        return None
    return [
        round(placed.latitude, 4),
        round(placed.longitude, 4),
        clean(display_name(office)),
        office.kind.label,
        kind_group(office.kind),
        0 if is_open(office, today) else 1,
        clean(place),
        link,
        1 if placed.approximate else 0,
    ]


def numeric(code: str) -> str | None:
    """ISO 3166-1 numeric code, as Natural Earth's outlines are keyed."""
    if code in countries.ENTITIES or len(code) != 2:
        return None
    try:
        number = countries.state(code).numeric
    except LookupError:
        return None
    return number


def scripts(page: str) -> str:
    """The map's own styles and scripts, relative to the page."""
    styles = "".join(f'<link rel="stylesheet" href="{href(page, path)}">' for path in MAP_STYLES)
    code = "".join(f'<script defer src="{href(page, path)}"></script>' for path in MAP_SCRIPTS)
    return styles + code


def unplaced_html(page: str, offices: Sequence[Office]) -> str:
    """The offices a map cannot show, named, each linked to its section."""
    if not offices:
        return ""
    items = ", ".join(
        f'<a href="{office_href(page, office.sending, office.id)}">{h(display_name(office))}</a>'
        + (f" ({h(office.city)})" if office.city else " (no city recorded)")
        for office in offices
    )
    count = len(offices)
    return (
        f'<p class="cs-unplaced"><strong>Not on the map ({count}):</strong> '
        f"{'its' if count == 1 else 'their'} city is not recorded or could not be found: {items}.</p>"
    )


def map_html(
    page: str,
    points: Sequence[Sequence[Any]],
    shaded: Iterable[str],
    label: str,
    unplaced: Sequence[Office],
    shading: str,
    home: str | None = None,
) -> str:
    """A map and its legend, or, when nothing can be placed, a note; the offices not on it are listed."""
    if not points:
        return (
            '<p class="cs-note">None of these offices has a known city or location, so there is no map.</p>'
            + unplaced_html(page, unplaced)
        )
    number = sorted({found for code in shaded if (found := numeric(code))})
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
    approximate = sum(1 for point in points if point[-1])
    where = (
        f" {approximate} of the {len(points)} shown are placed at their city only (hollow markers)."
        if approximate
        else ""
    )
    return (
        '<div class="cs-map-block">'
        f'<div class="cs-map" role="region" aria-label="{h(label)}" '
        f"data-points='{json_attribute(points)}' data-hosts='{json_attribute(number)}' "
        f"data-home='{json_attribute(numeric(home) if home else None)}'>"
        "<noscript>The map needs JavaScript; the tables below list every office.</noscript></div>"
        + scripts(page)
        + f'<p class="cs-legend">{legend}<br>{h(shading)}{h(where)} '
        "Country outlines: Natural Earth (de facto boundaries, shown as a backdrop; they state no position).</p>"
        + unplaced_html(page, unplaced)
        + "</div>"
    )
