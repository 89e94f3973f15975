"""Build ``tools/wikidata_states.tsv``: the Wikidata items of the extract mapped to state codes.

The database-of-embassies extract names sending states, host states and jurisdictions by
English label and by Wikidata item. Labels are ambiguous (three items are labelled
"Taiwan", two "Japan"), items are not, so the importer maps items through this table.

The table is built once from the labels in the extract: first by pycountry's own name
lookup, then by the registry's own resolver (consulates.countries), and every item that
neither matches, or that needs a decision (agencies of a state, territories, partially
recognised states, sub-national governments) is decided by hand in :data:`HAND` below.
The result is committed; re-run this only when a new extract brings new items::

    .venv/bin/python -m tools.build_wikidata_states [CSV]

Columns: ``qid``, ``label`` (as in the extract), ``code`` (ISO 3166-1 alpha-2 or a code
from consulates.countries.ENTITIES; empty when none applies), ``role``, ``how`` (which
matcher decided), ``note``. Roles, and what the importer does with them:

- ``state``: a state; may send and host offices.
- ``entity``: a sender without an ISO 3166-1 code of its own (EU, Kosovo, Order of Malta).
- ``agency``: a ministry, government or agency of a state; its offices are the state's.
- ``sar``: Hong Kong, Macau; hosts only, stored as host CN with subdivision CN-HK/CN-MO.
- ``territory``: has an ISO 3166-1 code but is not a state; may host, does not send.
- ``unrecognised``: a partially recognised state without an ISO 3166 code; excluded.
- ``not-a-state``: a sub-national government, parliament, people or other body; excluded.
- ``region``: a sub-national region or an organisation (jurisdictions only); kept in notes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from tools.embassies_extract import STATES_TSV, StateEntry, read_rows, write_states
from tools.import_database_of_embassies import DEFAULT_CSV

ROLES = ("state", "entity", "agency", "sar", "territory", "unrecognised", "not-a-state", "region")

HAND: dict[str, tuple[str, str, str]] = {
    # qid: (code, role, note)
    # Labels pycountry and the registry's resolver do not know.
    "Q27": ("IE", "state", "Republic of Ireland"),
    "Q778": ("BS", "state", "The Bahamas"),
    "Q1005": ("GM", "state", "The Gambia"),
    "Q574": ("TL", "state", "East Timor; the resolver's name match gives the former code TPTL"),
    # Items of one state under two labels or two items.
    "Q55": ("NL", "state", "Netherlands (the constituent country)"),
    "Q29999": ("NL", "state", "Kingdom of the Netherlands"),
    "Q35": ("DK", "state", "Denmark (the constituent country)"),
    "Q756617": ("DK", "state", "Kingdom of Denmark"),
    "Q237": ("VA", "state", "Vatican City: the Holy See's missions"),
    "Q159583": ("VA", "state", "Holy See"),
    "Q1246": ("XK", "entity", "Kosovo"),
    "Q1231": ("XK", "entity", "Kosovo (the region's item)"),
    "Q865": ("TW", "state", "Taiwan (Republic of China)"),
    "Q22502": ("TW", "state", "Taiwan (the island), as a jurisdiction"),
    "Q219060": ("PS", "state", "State of Palestine"),
    "Q190353": ("XM", "entity", "Sovereign Military Order of Malta"),
    "Q458": ("EU", "entity", "European Union: sends delegations"),
    # Agencies of a state: the office is the state's (the extract labels some of them with the state's name).
    "Q697158": ("TW", "agency", "Ministry of Foreign Affairs (Republic of China): its embassy to the Holy See"),
    "Q5589404": ("TW", "agency", "a Taiwanese government body, labelled Taiwan in the extract"),
    "Q705141": ("TW", "agency", "a Taiwanese government body, labelled Taiwan in the extract (Hong Kong, Macau)"),
    "Q1155502": ("CN", "agency", "Ministry of Foreign Affairs of the People's Republic of China"),
    "Q789889": ("RU", "agency", "Ministry of Foreign Affairs of the Russian Federation"),
    "Q16911151": ("RW", "agency", "Ministry of Foreign Affairs and Cooperation of Rwanda"),
    "Q930729": ("SE", "agency", "Government of Sweden"),
    "Q843186": ("JP", "agency", "Japan-Taiwan Exchange Association, labelled Japan in the extract"),
    # Special administrative regions: hosts as CN subdivisions; they do not send missions.
    "Q8646": ("HK", "sar", "Hong Kong: host CN, subdivision CN-HK"),
    "Q14773": ("MO", "sar", "Macau: host CN, subdivision CN-MO; its own offices abroad are not a state's"),
    # ISO 3166-1 entries that are not states: they may host an office, not send one.
    "Q23635": ("BM", "territory", "Bermuda, a British overseas territory"),
    "Q223": ("GL", "territory", "Greenland, part of the Kingdom of Denmark"),
    "Q1183": ("PR", "territory", "Puerto Rico, a territory of the United States"),
    "Q25228": ("AI", "territory", "Anguilla"),
    "Q18221": ("TC", "territory", "Turks and Caicos Islands"),
    "Q21203": ("AW", "territory", "Aruba"),
    "Q4628": ("FO", "territory", "Faroe Islands"),
    "Q16635": ("GU", "territory", "Guam"),
    "Q16641": ("AS", "territory", "American Samoa"),
    "Q5785": ("KY", "territory", "Cayman Islands"),
    "Q17054": ("MQ", "territory", "Martinique"),
    "Q17012": ("GP", "territory", "Guadeloupe"),
    "Q25279": ("CW", "territory", "Curaçao"),
    "Q9676": ("IM", "territory", "Isle of Man"),
    "Q6250": ("EH", "territory", "Western Sahara (the territory)"),
    # Partially recognised states without an ISO 3166 code: the registry cannot key them.
    "Q40362": ("", "unrecognised", "Sahrawi Arab Democratic Republic"),
    "Q31354462": ("", "unrecognised", "Abkhazia"),
    "Q23427": ("", "unrecognised", "South Ossetia"),
    "Q23681": ("", "unrecognised", "Turkish Republic of Northern Cyprus"),
    "Q34754": ("", "unrecognised", "Somaliland"),
    # Not states, nor organs of one.
    "Q176": ("", "not-a-state", "Quebec, a province of Canada"),
    "Q1202": ("", "not-a-state", "Saxony, a state of Germany"),
    "Q16152647": ("", "not-a-state", "Government of New Mexico, a state of the United States"),
    "Q8889": ("", "not-a-state", "European Parliament, an institution of the EU (not its diplomatic service)"),
    "Q326343": ("", "not-a-state", "Central Tibetan Administration, a government in exile"),
    "Q170355": ("", "not-a-state", "Indigenous Australians (the Aboriginal Tent Embassy)"),
    "Q52062": ("", "not-a-state", "Nordic countries, a region"),
    "Q2724951": ("", "not-a-state", "Portuguese colonization of the Americas, a mislinked item"),
    "Q148540": ("", "region", "Republic of Florence, a former state"),
    "Q1058785": ("", "region", "North India"),
    "Q542146": ("", "region", "South India"),
    "Q1788657": ("", "region", "Northern England"),
    "Q7159": ("", "region", "African Union, an organisation"),
    "Q7809": ("", "region", "UNESCO, an organisation"),
    "Q1065": ("", "region", "United Nations, an organisation"),
    "Q7825": ("", "region", "World Trade Organization, an organisation"),
}
"""Items decided by hand, each with why."""


def _pycountry_code(label: str) -> str | None:
    """pycountry's exact lookup on names, official and common names (case-insensitive)."""
    import pycountry

    for name in (label, label.removeprefix("The ")):
        try:
            return str(pycountry.countries.lookup(name).alpha_2)
        except LookupError:
            continue
    return None


def _resolver_code(label: str) -> str | None:
    """The registry's resolver knows common short names ("Russia", "Ivory Coast"); only alpha-2 answers count."""
    from consulates import countries

    try:
        code = countries.resolve(label)
    except LookupError:
        return None
    return code if len(code) == 2 else None


def decide(qid: str, label: str, *, as_jurisdiction_only: bool) -> StateEntry:
    """One item's entry: by hand if listed, else by name match; unmatched items are regions."""
    if qid in HAND:
        hand_code, role, note = HAND[qid]
        return StateEntry(qid, label, hand_code, role, "hand", note)
    code: str | None = _pycountry_code(label)
    how = "pycountry"
    if code is None:
        code, how = _resolver_code(label), "consulates.countries"
    if code is not None:
        return StateEntry(qid, label, code, "state", how, "")
    if as_jurisdiction_only:
        return StateEntry(qid, label, "", "region", "unmatched", "a region or body, not a state")
    return StateEntry(qid, label, "", "not-a-state", "unmatched", "decide by hand")


def collect(csv_path: Path) -> dict[str, tuple[str, bool]]:
    """Every item in the sender, host and jurisdiction columns: qid -> (label, only seen as a jurisdiction)."""
    rows, _ = read_rows(csv_path)
    items: dict[str, tuple[str, bool]] = {}
    for row in rows:
        for qid, label in ((row.operator_qid, row.operator), (row.country_qid, row.country)):
            if qid:
                items[qid] = (label, False)
        for label, qid in row.jurisdictions:
            if qid and qid not in items:
                items[qid] = (label, True)
    return items


def build(csv_path: Path) -> list[StateEntry]:
    """The table's entries, sorted by item number."""
    items = collect(csv_path)
    return sorted(
        (decide(qid, label, as_jurisdiction_only=only) for qid, (label, only) in items.items()),
        key=lambda entry: int(entry.qid[1:]),
    )


def _undecided(entries: Iterable[StateEntry]) -> list[StateEntry]:
    return [entry for entry in entries if entry.how == "unmatched" and entry.role != "region"]


def main(argv: list[str] | None = None) -> int:
    """Write the table; list the items still to decide by hand (exit 1 if any)."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.build_wikidata_states", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("-o", "--output", type=Path, default=STATES_TSV)
    args = parser.parse_args(argv)
    entries = build(args.csv)
    write_states(args.output, entries)
    undecided = _undecided(entries)
    for entry in undecided:
        print(f"decide by hand: {entry.qid} {entry.label}", file=sys.stderr)
    print(f"wrote {args.output}: {len(entries)} items, {len(undecided)} undecided")
    return 1 if undecided else 0


if __name__ == "__main__":
    sys.exit(main())
