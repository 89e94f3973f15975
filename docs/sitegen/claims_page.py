"""The claims page: every published ordinal claim in the data, with the registry's verdict.

A claim is what a source said ("the third consulate general of Kazakhstan in China");
the verdict is what the registry counts under the claim's own rule, and under which
change of rule the claim would hold or stop holding (:mod:`consulates.claims`).
"""

from __future__ import annotations

from collections import Counter

from consulates.claims import check
from consulates.model import Office

from .cells import source_html, table, verdict_words
from .facts import Site, display_name
from .paths import office_href
from .text import h

CLAIMS_PAGE = "claims.md"

_INTRO = """# Claims

Published statements about an office's place among others ("the third consulate general
of Kazakhstan in China", "the first consular office of a Central Asian country in western
China"), each recorded as its source made it, with the counting rule its words imply, and
checked against the registry's own count. A verdict says whether the claim **holds**
under its rule (and which one-step change of rule would make it fail), **holds only if**
the rule changes one way, **fails**, or **cannot be decided** because the dates the
registry holds allow a range. Offices counted before are listed; a claim that cannot be
decided becomes decidable as opening dates are added. `consulates claims` gives the same
from the command line.
"""


def render_claims(site: Site) -> str:
    """The page's Markdown: counts by verdict, then a row per claim."""
    page = CLAIMS_PAGE
    rows = []
    statuses: Counter[str] = Counter()
    for office in site.registry:
        for number, claim in enumerate(office.claims, 1):
            try:
                verdict = check(site.registry, office, claim)
            except (ValueError, LookupError) as error:
                statuses["not checked"] += 1
                cells = [_office_cell(page, office), h(claim.text), f"not checked: {h(error)}", "—"]
                rows.append((f"{office.id}-{number}", cells))
                continue
            statuses[verdict.status] += 1
            answer = verdict.answer
            before = [
                f'<a href="{office_href(page, other.sending, other.id)}"><code>{h(other.id)}</code></a>'
                for other in answer.earlier
            ]
            undecided = len(answer.undecided)
            counted = ", ".join(before) or "none"
            if undecided:
                counted += f' <span class="cs-sub">({undecided} more whose dates cannot be ordered)</span>'
            cited = "<br>".join(source_html(source) for source in claim.sources)
            claim_cell = f"“{h(claim.text)}” <span class='cs-sub'>(ordinal {claim.ordinal})</span><br>{cited}"
            rows.append(
                (f"{office.id}-{number}", [_office_cell(page, office), claim_cell, verdict_words(verdict), counted])
            )
    summary = ", ".join(f"{count} {status}" for status, count in statuses.most_common()) or "no claims"
    body = table("cs-claims", ["Office", "Claim and source", "Verdict", "Counted before"], rows)
    return f"{_INTRO}\n{sum(statuses.values())} claims: {summary}.\n\n{body}\n"


def _office_cell(page: str, office: Office) -> str:
    link = office_href(page, office.sending, office.id)
    return f'<a href="{link}">{h(display_name(office))}</a><br><code>{h(office.id)}</code>'
