"""A section per office, one page per sending state: ``office/kz.html#kz-cn-xian`` is an office's permalink.

Each section states every fact of the record: kind, places (with subdivision and district
names), location and how precise it is, dates and status, names, address, website, its
place in its network under the counting rules (both, for China: with and without Hong
Kong and Macau), its claims with the registry's verdicts, its dated history and every
source with its title and date. The offices of a state share a page so that 11,000
offices make some 200 pages, not 11,000: the build stays fast and the site small.
"""

from __future__ import annotations

from collections.abc import Sequence

from consulates.model import Event, EventType, Office, Source
from consulates.registry import Registry

from .cells import SAR_HOSTS, kind_html, source_html, status_html, verdict_html
from .facts import Site, date_text, display_name, state_name, subdivision_name
from .notes import SharedNotes
from .paths import host_page, href, office_page, sending_page
from .placing import Placed, Placer
from .state_pages import city_sections, downloads_line
from .text import h, md, safe_url


def place_words(code: str) -> str:
    """A district member in words: a state (``KZ``) or a subdivision (``CN-SN``), with its code."""
    name = state_name(code) if len(code) == 2 else subdivision_name(code)
    return f"{name} ({code})" if name != code else code


def event_words(event: Event) -> str:
    what = event.type.value.replace("-", " ")
    if event.type.changes_kind and event.from_kind and event.to_kind:
        what += f" from {event.from_kind.label} to {event.to_kind.label}"
    elif event.type is EventType.MOVED and event.city:
        what += f" to {event.city}"
    if event.note:
        what += f" ({event.note})"
    return what


def _sources_list(sources: Sequence[Source]) -> str:
    items = []
    for source in sources:
        if not (source.url or source.citation):
            continue
        supports = f' <span class="cs-sub">supports: {h(", ".join(source.supports))}</span>' if source.supports else ""
        items.append(f"<li>{source_html(source)}{supports}</li>")
    return '<ul class="cs-sources">' + "".join(items) + "</ul>" if items else "—"


def _location_words(office: Office, placed: Placed | None) -> str:
    if office.location is not None:
        where = f"{office.location.latitude:.4f}, {office.location.longitude:.4f}"
        how = "the office's site" if office.location.precision == "site" else "the city only: approximate"
        return f"{h(where)} <span class='cs-sub'>({how})</span>"
    if placed is not None:
        return (
            f"not recorded; drawn on the maps at its city, {placed.latitude:.2f}, {placed.longitude:.2f} "
            "<span class='cs-sub'>(approximate)</span>"
        )
    return "not recorded, and its city could not be placed"


def _ordinals(office: Office, registry: Registry) -> list[str]:
    rules = [True, False] if office.host in SAR_HOSTS else [True]
    found = []
    for count_sars in rules:
        try:
            found.append(h(registry.ordinal(office, count_sars=count_sars)))
        except (ValueError, LookupError):
            continue
    return found


def _city_anchor(site: Site, office: Office) -> str:
    """The anchor of the office's city section on its host's page, as that page groups its cities.

    Spellings that fold alike ("Sanaa", "Sana'a") share one section, headed by one of them:
    the anchor must come from the host's whole list, not from the office alone.
    """
    anchors = site.city_anchors.get(office.host)
    if anchors is None:
        sections = city_sections(office.host, site.by_host[office.host])
        anchors = site.city_anchors[office.host] = {
            member.id: anchor for _, anchor, members in sections for member in members
        }
    return anchors[office.id]


def office_section(site: Site, placer: Placer, page: str, office: Office, notes: SharedNotes) -> list[str]:
    """One office's facts as a definition list under a heading whose anchor is the office id."""
    facts: list[tuple[str, str]] = [
        ("Id", f"<code>{h(office.id)}</code>"),
        ("Kind", f"{kind_html(office.kind)} <span class='cs-sub'>{h(office.kind.description)}</span>"),
        ("From", f'<a href="{href(page, sending_page(office.sending))}">{h(state_name(office.sending))}</a>'),
    ]
    host_anchor = _city_anchor(site, office)
    facts.append(
        ("In", f'<a href="{href(page, host_page(office.host), host_anchor)}">{h(state_name(office.host))}</a>')
    )
    facts.append(("City", h(office.city) if office.city else "not recorded"))
    if office.subdivision:
        facts.append(("Subdivision", h(place_words(office.subdivision))))
    facts.append(("Location", _location_words(office, placer.place(office))))
    facts.append(("Opened", f'<span class="cs-date">{h(date_text(office.opened))}</span>'))
    if office.closed is not None:
        facts.append(("Closed", f'<span class="cs-date">{h(date_text(office.closed))}</span>'))
    facts.append(("Status", status_html(office, site.today)))
    if office.first_kind is not office.kind:
        facts.append(("Opened as", h(office.first_kind.label)))
    if office.jurisdiction:
        facts.append(("District", "; ".join(h(place_words(code)) for code in office.jurisdiction)))
    for language, name in sorted(office.names.items()):
        facts.append((f"Name ({h(language)})", h(name)))
    if office.address:
        facts.append(("Address", h(office.address)))
    website = safe_url(office.website)
    if website is not None:
        facts.append(("Website", f'<a href="{website}" rel="nofollow noopener">{h(office.website)}</a>'))
    if office.wikidata:
        item = safe_url(f"https://www.wikidata.org/wiki/{office.wikidata}")
        facts.append(("Wikidata", f'<a href="{item}" rel="nofollow noopener">{h(office.wikidata)}</a>'))
    places = _ordinals(office, site.registry)
    if places:
        facts.append(("Place in its network", "<br>".join(places)))
    for claim in office.claims:
        verdicts = [verdict_html(office, claim, site.registry)]
        facts.append(
            (
                "Claim",
                f"“{h(claim.text)}” <span class='cs-sub'>(ordinal {claim.ordinal})</span><br>"
                + "<br>".join(verdicts)
                + _sources_list(claim.sources),
            )
        )
    if office.events:
        items = "".join(
            f'<li><span class="cs-date">{h(event.date)}</span>: {h(event_words(event))}'
            + (_sources_list(event.sources) if event.sources else "")
            + "</li>"
            for event in office.events
        )
        facts.append(("History", f'<ul class="cs-history">{items}</ul>'))
    note = notes.cell(office.notes)
    if note:
        facts.append(("Notes", note))
    facts.append(("Sources", _sources_list(office.sources)))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
    return [
        f"## {md(display_name(office))} {{#{office.id} .cs-office}}",
        "",
        f'<dl class="cs-facts">{body}</dl>',
        "",
    ]


def render_offices(site: Site, placer: Placer, code: str) -> str:
    """The page of a sending state's offices, a section each, in the order of its state page."""
    page = office_page(code)
    offices = sorted(site.by_sending[code], key=lambda office: (state_name(office.host), office.city or "", office.id))
    name = state_name(code)
    notes = SharedNotes(offices)
    lines = [
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {md(name)}: every office, every fact",
        "",
        f"Each of the {len(offices)} offices of {md(name)} with all the registry records about it; "
        f"the link to an office is this page with its id as the anchor (<code>#{h(offices[0].id)}</code>). "
        f"The overview with a map and timeline is on {md(name)}'s "
        f'<a href="{href(page, sending_page(code))}">page</a>.',
        "",
    ]
    lines += downloads_line(page, "sending", code, len(offices))
    lines += notes.block()
    for office in offices:
        lines += office_section(site, placer, page, office, notes)
    return "\n".join(lines)
