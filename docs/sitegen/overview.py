"""The index of states and the data report."""

from __future__ import annotations

import re
from collections import Counter

from consulates import countries
from consulates.model import Kind

from .facts import Site, is_open, state_name
from .paths import DATA_GUIDE, INDEX_PAGE, REPORT_PAGE, host_page, md_link, sending_page
from .text import h, md


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
