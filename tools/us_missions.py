"""The history of US embassies and legations, from the U.S. Diplomatic Mission Status Data.

Read by ``tools/import_database_of_embassies.py``, which merges this history into the US
records it imports from Wikidata, so that a US embassy's Wikidata facts (city, location,
website) and its dated history end up in one record of ``data/imported/US.toml``.

The input is the dataset's hand-coded transitions file (``2024-01-16_transitions.csv``):
one row per change of the highest US representation in a country, with the year, month and
day (month and day may be blank: the date keeps that precision, a day is never invented).
Source: Kenkel, Brenton. 2026. "U.S. Diplomatic Mission Status Data", v0.1,
github.com/brentonk/us_diplomatic_missions, from the State Department's Office of the
Historian; data under CC BY 4.0 (credited in data/SOURCES.md and data/imported/REPORT.md).

How the rows become offices (each rule says why):

1. **Statuses to offices.** A host's Legation and Embassy periods are ONE office, the resident
   diplomatic mission: ``opened`` is the start of its first period, a change between
   legation and embassy is an ``upgraded`` / ``downgraded`` event, and when resident
   diplomatic representation ends (the status becomes None, a nonresident status,
   Consulate, Liaison or Interests) it gets a ``closed`` event, when it resumes a
   ``reopened`` event (with a rank change the same day if it resumes as the other kind).
   If it has not resumed by the end of the data, the last closing is the office's
   ``closed`` field. Liaison offices and interests sections are separate offices (kinds
   ``liaison-office`` and ``interests-section``), one per host, with their own openings,
   closings and reopenings. Nonresident statuses (an ambassador, envoy or consul accredited
   from elsewhere) and None make no office.
2. **Consulates in the capital are separate offices** (kind ``consulate``), not the first
   period of the embassy. A consulate is a consular post (Vienna Convention on Consular
   Relations), a legation or embassy a diplomatic mission (Vienna Convention on Diplomatic
   Relations): different institutions, and the registry's kinds keep them apart. The data
   records the highest representation, so a change from Consulate to Legation says that a
   diplomatic mission was set up, not that the consulate turned into it; many of these
   consulates are a century or more and several interruptions older than the legation
   (Algiers 1796, Tunis 1795, Batavia 1801). Kept apart, the embassy's ``opened`` answers
   "since when has the US had a legation or embassy here", and a downgrade to a consulate
   (Damascus 1958, Vienna 1938) reads as the legation closing while a consulate served. A
   consulate's closing date is when the data stops recording it as the highest
   representation; where a legation or embassy took its place, its notes say that the post
   may have continued as the mission's consular section.
3. **Hosts.** The State Department's country name maps to an ISO 3166-1 code
   (:func:`consulates.countries.resolve`, or :data:`HOST_NAMES` where it does not resolve),
   or to the ISO 3166-3 code of a former state (Czechoslovakia CSHH, East Germany DDDE,
   South Yemen YDYE, Yugoslavia YUCS, the Soviet Union SUHH). Earlier states with neither
   are not imported (:data:`EXCLUDED_NAMES`: the German and Italian states, Hawaii, Texas,
   Korea 1883-1905, Austria-Hungary …), each with its reason in the report. Renamed states
   keep their current code (Dahomey is BJ, Burma MM). Where one State Department name
   covers two coded states over time, the rows are split by date (:data:`SPLITS`):
   "Russia" is the Soviet Union (SUHH) from 1922 to 25 December 1991, "Serbia" is
   Yugoslavia (YUCS) until 5 June 2006, as in the dataset's own state system. An office's
   host never changes in the registry, so the embassy to the Soviet Union is its own
   office, closed on 25 December 1991, when the United States recognized Russia as its
   successor and the embassy in Moscow stayed in place as the embassy to Russia: that day
   the Russian office reopens. Consulates recorded under a former state's name before the
   state existed (Prague 1869-1917, in Austria-Hungary) are hosted by today's state, as the
   curated data does (CZ).
4. **Matching.** The diplomatic history of a host merges into the imported US record of
   that host whose kind is embassy or legation; an interests section's into the US
   interests section there, a liaison office's into the US liaison office (see
   :data:`MATCH`). Consulate histories are never merged: the Wikidata consulates of a host
   are posts in other cities. Where no record matches, a record is made with the id
   ``us-<host>-<kind>`` (``us-ir-embassy``), without a city: the data names none, and a
   city is only given where a source does (the Wikidata record, or the Office of the
   Historian for the embassies to the former states, ``us-suhh-moscow``). The history's
   dates replace Wikidata's inception (often a building's date); a differing inception is
   kept in the notes.

Sources: every record and every event cites the dataset; the split and end dates of the
former states also cite the Office of the Historian's page for the country.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from consulates import countries
from consulates.dates import Order, PartialDate, compare
from consulates.errors import UnknownCountryError
from consulates.model import Event, EventType, Kind, Office, Source

__all__ = [
    "CITATION",
    "DATASET_URL",
    "DEFAULT_TRANSITIONS",
    "EXCLUDED_NAMES",
    "HOST_NAMES",
    "MATCH",
    "SPLITS",
    "Boundary",
    "Excluded",
    "Existing",
    "History",
    "Outcome",
    "Placement",
    "Role",
    "Status",
    "Transition",
    "build_histories",
    "created_record",
    "import_history",
    "place",
    "read_transitions",
    "render_report",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TRANSITIONS = REPO.parent / "shared" / "raw" / "us-diplomatic-missions" / "2024-01-16_transitions.csv"
SENDING = "US"
DATASET_URL = "https://github.com/brentonk/us_diplomatic_missions"
CITATION = (
    "Kenkel, Brenton. 2026. U.S. Diplomatic Mission Status Data, v0.1 (CC BY 4.0), "
    "from the Office of the Historian, U.S. Department of State"
)
HISTORIAN = "https://history.state.gov/countries/"
HISTORIAN_TITLE = (
    "A Guide to the United States' History of Recognition, Diplomatic, and Consular Relations, "
    "by Country, since 1776: {} (Office of the Historian)"
)
COLUMNS = ("state_dept_name", "status_change", "year", "month", "day", "last_verified", "notes")

# --------------------------------------------------------------------------------------
# Statuses and the offices they stand for.


class Role(enum.Enum):
    """Which of a host's US offices a status is about. The value ends a made record's id."""

    DIPLOMATIC = "embassy"
    CONSULATE = "consulate"
    LIAISON = "liaison-office"
    INTERESTS = "interests-section"


class Status(enum.Enum):
    """The highest US representation in a country, as the dataset codes it (codebook, section 3)."""

    EMBASSY = "Embassy"
    AMBASSADOR_NONRESIDENT = "Ambassador Nonresident"
    LEGATION = "Legation"
    ENVOY_NONRESIDENT = "Envoy Nonresident"
    CONSULATE = "Consulate"
    CONSUL_NONRESIDENT = "Consul Nonresident"
    LIAISON = "Liaison"
    INTERESTS = "Interests"
    NONE = "None"

    @property
    def kind(self) -> Kind | None:
        """The kind of the resident office this status is; None for nonresident statuses and None."""
        return _STATUS_KINDS.get(self)

    @property
    def role(self) -> Role | None:
        return _KIND_ROLES[self.kind] if self.kind is not None else None

    @property
    def text(self) -> str:
        """The status in words, for notes."""
        return _STATUS_TEXT[self]


_STATUS_KINDS = {
    Status.EMBASSY: Kind.EMBASSY,
    Status.LEGATION: Kind.LEGATION,
    Status.CONSULATE: Kind.CONSULATE,
    Status.LIAISON: Kind.LIAISON_OFFICE,
    Status.INTERESTS: Kind.INTERESTS_SECTION,
}
_KIND_ROLES = {
    Kind.EMBASSY: Role.DIPLOMATIC,
    Kind.LEGATION: Role.DIPLOMATIC,
    Kind.CONSULATE: Role.CONSULATE,
    Kind.LIAISON_OFFICE: Role.LIAISON,
    Kind.INTERESTS_SECTION: Role.INTERESTS,
}
_STATUS_TEXT = {
    Status.EMBASSY: "an embassy",
    Status.AMBASSADOR_NONRESIDENT: "an ambassador accredited from abroad, no resident mission",
    Status.LEGATION: "a legation",
    Status.ENVOY_NONRESIDENT: "an envoy accredited from abroad, no resident mission",
    Status.CONSULATE: "a consulate in the capital",
    Status.CONSUL_NONRESIDENT: "a consul accredited from abroad, no resident post",
    Status.LIAISON: "a liaison office",
    Status.INTERESTS: "an interests section under a protecting power",
    Status.NONE: "no US representation",
}

MATCH: Mapping[Role, frozenset[Kind]] = {
    Role.DIPLOMATIC: frozenset({Kind.EMBASSY, Kind.LEGATION}),
    Role.LIAISON: frozenset({Kind.LIAISON_OFFICE}),
    Role.INTERESTS: frozenset({Kind.INTERESTS_SECTION}),
    Role.CONSULATE: frozenset(),
}
"""The kinds of imported US records a role's history merges into (consulates: none, see rule 4)."""

# --------------------------------------------------------------------------------------
# Hosts.

HOST_NAMES: Mapping[str, str] = {
    # Names written "X, The" and names with a former name in brackets.
    "Bahamas, The": "BS",
    "Gambia, The": "GM",
    "Netherlands, The": "NL",
    "Solomon Islands, The": "SB",
    "United Arab Emirates, The": "AE",
    "United Kingdom, The": "GB",
    "Benin (Dahomey)": "BJ",
    "Burkina Faso (Upper Volta)": "BF",
    "Cote d’Ivoire (Ivory Coast)": "CI",
    "Republic of Korea (South Korea)": "KR",
    "East Germany (German Democratic Republic)": "DDDE",
    # The Yemen Arab Republic: ISO 3166-1 YE was its code before unification in 1990, and
    # the embassy in Sanaa continued as the embassy to Yemen.
    "North Yemen": "YE",
    # Before the first date in SPLITS: the Kingdom of Serbia, and the consulate in Prague
    # (then in Austria-Hungary), hosted by today's states; and the Federal Republic of
    # Yugoslavia, which the State Department lists as Serbia.
    "Kingdom of Serbia/Yugoslavia": "RS",
    "Czechoslovakia": "CZ",
    "Serbia": "YUCS",
}
"""State Department names that consulates.countries.resolve does not give the right code for."""

EXCLUDED_NAMES: Mapping[str, str] = {
    "Austrian Empire": "Austria-Hungary (to 1918); the State Department lists Austria apart",
    "Baden": "German state, in the German Empire from 1871",
    "Bavaria": "German state, in the German Empire from 1871",
    "Brunswick and Lüneburg": "German state, in the German Empire from 1871",
    "Hanseatic Republics": "German city states (Bremen, Hamburg, Lübeck), in the German Empire from 1871",
    "Hesse": "German state, in the German Empire from 1871",
    "Mecklenburg-Schwerin": "German state, in the German Empire from 1871",
    "Nassau": "German state, annexed by Prussia in 1866",
    "Württemberg": "German state, in the German Empire from 1871",
    "Two Sicilies": "Kingdom of the Two Sicilies, annexed to Italy in 1861",
    "Papal States": "annexed to Italy in 1870; the State Department lists the Holy See apart",
    "Republic of Genoa": "annexed by France in 1805",
    "Central American Federation": "federation of 1823-1841, now five states",
    "Hawaii": "annexed by the United States in 1898: the host would be the sending state",
    "Texas": "annexed by the United States in 1845: the host would be the sending state",
    "Orange Free State": "annexed by the United Kingdom in 1900, now part of South Africa",
    "Korea": "Korea (Joseon, the Korean Empire) 1883-1910; the State Department lists the Republic of Korea apart",
    "Zanzibar": "independent 1963-1964, then part of Tanzania; no ISO 3166-3 code",
}
"""Historical states with no ISO 3166 code: their rows are not imported (the reason is reported)."""


@dataclass(frozen=True)
class Boundary:
    """From ``date``, a State Department name stands for another coded state."""

    date: PartialDate
    host: str | None
    """The host from this date; None: the name's country ends here (its successor has rows of its own)."""
    note: str
    page: str
    """The Office of the Historian's page on the change (``https://history.state.gov/countries/<page>``)."""
    country: str
    """That page's title."""


SPLITS: Mapping[str, tuple[Boundary, ...]] = {
    "Russia": (
        # No US representation then (1919-1933): the date makes no event.
        Boundary(PartialDate(1922, 12, 30), "SUHH", "The Soviet Union was founded.", "russia", "Russia"),
        Boundary(
            PartialDate(1991, 12, 25),
            "RU",
            "The United States recognized the Russian Federation as the successor to the Soviet Union; "
            "the embassy in Moscow remained in place as the embassy to Russia.",
            "russia",
            "Russia",
        ),
    ),
    "Kingdom of Serbia/Yugoslavia": (
        # The dataset's state system starts Yugoslavia here; only a nonresident envoy before.
        Boundary(
            PartialDate(1918, 12, 1),
            "YUCS",
            "The Kingdom of Serbs, Croats and Slovenes (Yugoslavia) was founded.",
            "kingdom-of-yugoslavia",
            "Kingdom of Yugoslavia",
        ),
    ),
    "Serbia": (
        # The dataset's state system (COW) keeps Yugoslavia until 4 June 2006: Serbia and
        # Montenegro (ISO CSXX, 2003-2006) is not split off.
        Boundary(
            PartialDate(2006, 6, 5),
            "RS",
            "Serbia declared itself the successor state of Serbia and Montenegro (the Federal Republic of "
            "Yugoslavia until 2003); the embassy in Belgrade continued as the embassy to Serbia.",
            "serbia",
            "Serbia",
        ),
    ),
    "Czechoslovakia": (
        # The dataset's state system starts Czechoslovakia here; no US representation then.
        Boundary(
            PartialDate(1918, 11, 11), "CSHH", "Czechoslovakia became independent.", "czechoslovakia", "Czechoslovakia"
        ),
        Boundary(
            PartialDate(1993, 1, 1),
            None,
            "Czechoslovakia ceased to exist on 31 December 1992; the embassy in Prague became the embassy "
            "to the Czech Republic.",
            "czechoslovakia",
            "Czechoslovakia",
        ),
    ),
    "East Germany (German Democratic Republic)": (
        Boundary(
            PartialDate(1990, 10, 2),
            None,
            "The United States closed its embassy in Berlin on 2 October 1990, the eve of German reunification.",
            "german-democratic-republic",
            "East Germany (German Democratic Republic)",
        ),
    ),
}
"""Dates from which a State Department name stands for another coded state, in order."""

FORMER_CITIES: Mapping[str, tuple[str, str, str]] = {
    "SUHH": ("Moscow", "russia", "Russia"),
    "YUCS": ("Belgrade", "serbia", "Serbia"),
    "CSHH": ("Prague", "czechoslovakia", "Czechoslovakia"),
    "DDDE": ("Berlin", "german-democratic-republic", "East Germany (German Democratic Republic)"),
}
"""The city of the embassy to a former state, and the Office of the Historian's page that names it."""

# --------------------------------------------------------------------------------------
# Reasons a row makes no change, as they appear in the report.

NO_CODE = "historical state with no ISO 3166 code"
NONRESIDENT = "no resident US office before or after (nonresident accreditation or no relations)"
UNCHANGED = "same status as the row before (the State Department's name for the country changed)"
REASONS = (NO_CODE, NONRESIDENT, UNCHANGED)


# --------------------------------------------------------------------------------------
# Reading.


@dataclass(frozen=True)
class Transition:
    """One row of the transitions file."""

    line: int
    name: str
    status: Status
    date: PartialDate
    note: str = ""


def _number(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a number")
    return int(text)


def read_transitions(path: Path) -> list[Transition]:
    """The rows of the transitions file; raises ValueError naming the line of a bad row."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
            raise ValueError(f"{path}: unexpected header {header!r}")
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(COLUMNS):
                raise ValueError(f"{path}:{line}: expected {len(COLUMNS)} cells, found {len(cells)}")
            name, status, year, month, day, _, note = (cell.strip() for cell in cells)
            try:
                parsed = Status(status)
                value = _number(year, "year")
                if value is None:
                    raise ValueError("no year")
                date = PartialDate(value, _number(month, "month"), _number(day, "day"))
            except ValueError as error:
                raise ValueError(f"{path}:{line}: {error}") from None
            if not name:
                raise ValueError(f"{path}:{line}: no country name")
            rows.append(Transition(line, name, parsed, date, " ".join(note.split())))
    return rows


# --------------------------------------------------------------------------------------
# Timelines.


@dataclass(frozen=True)
class Excluded:
    """A row that changed no office, and why."""

    row: Transition
    reason: str
    text: str


@dataclass(frozen=True)
class _Step:
    """A change in one host's timeline: a row, or a date where a name changes its host."""

    date: PartialDate
    status: Status
    note: str
    sources: tuple[Source, ...]
    row: Transition | None = None
    ends: bool = False
    """The host's country ends here (or the name moves on to another host): close what is open."""
    page: tuple[str, str] | None = None
    """For a boundary: the Office of the Historian's page and its country."""


def dataset_source(supports: Sequence[str] = ()) -> Source:
    """The dataset as a source; with ``supports`` for a record, without for an event."""
    title = "Transitions file, 2024-01-16 (2024-01-16_transitions.csv)" if supports else None
    return Source(url=DATASET_URL, citation=CITATION, title=title, supports=tuple(supports))


def historian_source(page: str, country: str, supports: Sequence[str] = ()) -> Source:
    """An Office of the Historian country page as a source."""
    return Source(url=HISTORIAN + page, title=HISTORIAN_TITLE.format(country), supports=tuple(supports))


def _row_note(row: Transition) -> str:
    note = f"dataset status: {row.status.value} ({row.status.text})"
    return f"{note}; dataset note: {row.note}" if row.note else note


def host_of(name: str) -> str:
    """The host code of a State Department name before any split; KeyError for excluded names."""
    if name in EXCLUDED_NAMES:
        raise KeyError(name)
    if name in HOST_NAMES:
        return HOST_NAMES[name]
    try:
        return countries.resolve(name)
    except UnknownCountryError:
        raise ValueError(
            f"unknown country name {name!r}: add it to HOST_NAMES or EXCLUDED_NAMES in tools/us_missions.py"
        ) from None


def _cross(steps: dict[str, list[_Step]], boundary: Boundary, host: str | None, status: Status) -> str | None:
    """Pass a boundary: an open office of the old host closes, and the new host's carries on. Returns the new host."""
    if status.role is not None and host is not None:
        sources = (dataset_source(), historian_source(boundary.page, boundary.country))
        page = (boundary.page, boundary.country)
        end = _Step(boundary.date, Status.NONE, boundary.note, sources, ends=True, page=page)
        steps.setdefault(host, []).append(end)
        if boundary.host is not None:
            steps.setdefault(boundary.host, []).append(_Step(boundary.date, status, boundary.note, sources, page=page))
    return boundary.host


def _timelines(rows: Sequence[Transition]) -> tuple[dict[str, list[_Step]], list[Excluded]]:
    """Each host's steps, in date order, and the rows of excluded names."""
    by_name: dict[str, list[Transition]] = {}
    for row in rows:
        by_name.setdefault(row.name, []).append(row)
    steps: dict[str, list[_Step]] = {}
    excluded: list[Excluded] = []
    for name, items in by_name.items():
        if name in EXCLUDED_NAMES:
            excluded += [Excluded(row, NO_CODE, f"{NO_CODE}: {EXCLUDED_NAMES[name]}") for row in items]
            continue
        for before, after in itertools.pairwise(items):
            if compare(after.date, before.date) is Order.BEFORE:
                raise ValueError(f"line {after.line}: {name} rows are not in date order")
        host: str | None = host_of(name)
        status = Status.NONE
        pending = list(SPLITS.get(name, ()))
        for row in items:
            while pending:
                order = compare(row.date, pending[0].date)
                if order is Order.UNKNOWN:
                    raise ValueError(f"line {row.line}: {row.date} may be before or after {pending[0].date}")
                if order is Order.BEFORE:
                    break
                host = _cross(steps, pending.pop(0), host, status)
            if host is None:
                raise ValueError(f"line {row.line}: {name} has rows after its end in SPLITS")
            steps.setdefault(host, []).append(_Step(row.date, row.status, _row_note(row), (dataset_source(),), row))
            status = row.status
        for boundary in pending:
            host = _cross(steps, boundary, host, status)
    for timeline in steps.values():
        # Stable: a host's steps come from one name, or from names whose periods do not overlap.
        timeline.sort(key=lambda step: step.date.earliest)
    return steps, excluded


# --------------------------------------------------------------------------------------
# Offices from timelines.


@dataclass(frozen=True)
class History:
    """One US office's history in a host, from the dataset."""

    host: str
    role: Role
    kind: Kind
    """The kind at the end (the last held, also while closed)."""
    opened: PartialDate
    closed: PartialDate | None
    events: tuple[Event, ...]
    lines: tuple[int, ...]
    """The transitions file's lines this history rests on."""
    notes: tuple[str, ...]
    sources: tuple[Source, ...]
    city: str | None = None
    """Only for the embassies to former states, from the Office of the Historian."""

    @property
    def ever_embassy(self) -> bool:
        return self.kind is Kind.EMBASSY or any(event.to_kind is Kind.EMBASSY for event in self.events)


@dataclass
class _Office:
    host: str
    role: Role
    kind: Kind
    opening: _Step
    events: list[Event] = field(default_factory=list)
    closing: _Step | None = None
    closing_note: str = ""
    lines: list[int] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    """Office of the Historian pages the history rests on, with their country."""

    def use(self, step: _Step) -> None:
        if step.row is not None:
            self.lines.append(step.row.line)
        if step.page is not None:
            self.pages.setdefault(*step.page)

    def close(self, step: _Step, note: str) -> None:
        self.closing, self.closing_note = step, note
        self.use(step)

    def reopen(self, step: _Step, kind: Kind) -> None:
        assert self.closing is not None
        self.events.append(Event(self.closing.date, EventType.CLOSED, note=self.closing_note,
                                 sources=self.closing.sources))  # fmt: skip
        self.events.append(Event(step.date, EventType.REOPENED, note=step.note, sources=step.sources))
        self.closing = None
        if kind is not self.kind:
            self.change(step, kind, note=None)
        self.use(step)

    def change(self, step: _Step, kind: Kind, note: str | None) -> None:
        change = EventType.UPGRADED if kind.rank < self.kind.rank else EventType.DOWNGRADED
        self.events.append(Event(step.date, change, self.kind, kind, note=note, sources=step.sources))
        self.kind = kind
        self.use(step)

    def history(self) -> History:
        notes = []
        if self.opening.row is None:
            notes.append(f"Opened: {self.opening.note}")
        elif self.opening.row.note:
            notes.append(f"Opening: dataset note: {self.opening.row.note}.")
        supports = ["kind", "opened", "history"]
        if self.closing is not None:
            notes.append(f"Closed: {self.closing_note}.")
            supports.insert(2, "closed")
        city = None
        sources = [dataset_source(supports)]
        sources += [historian_source(page, country, ["history"]) for page, country in sorted(self.pages.items())]
        if self.role is Role.DIPLOMATIC and self.host in FORMER_CITIES:
            city, page, country = FORMER_CITIES[self.host]
            sources.append(historian_source(page, country, ["city"]))
        return History(
            host=self.host,
            role=self.role,
            kind=self.kind,
            opened=self.opening.date,
            closed=self.closing.date if self.closing else None,
            events=tuple(self.events),
            lines=tuple(sorted(set(self.lines))),
            notes=tuple(notes),
            sources=_merge_sources(sources),
            city=city,
        )


def _merge_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    """One source per URL, its supports joined, in first-seen order."""
    merged: dict[str, Source] = {}
    for source in sources:
        key = source.url or source.citation or ""
        if key in merged:
            old = merged[key]
            supports = old.supports + tuple(item for item in source.supports if item not in old.supports)
            merged[key] = Source(old.url, old.citation, old.title, old.date, supports)
        else:
            merged[key] = source
    return tuple(merged.values())


def _closing_note(office: _Office, step: _Step) -> str:
    """Why an office closed: what the data records next, or the boundary's reason."""
    if step.ends:
        return step.note.rstrip(".")
    note = step.note
    if office.role is Role.CONSULATE and step.status.role is Role.DIPLOMATIC:
        note += "; the consulate may have continued as the consular section of the new mission"
    return note


def _run(host: str, steps: Sequence[_Step]) -> tuple[list[History], list[Excluded]]:
    """Walk one host's steps: the offices they open, change and close, and the rows that change nothing."""
    status = Status.NONE
    offices: dict[Role, _Office] = {}
    excluded: list[Excluded] = []
    for step in steps:
        if step.ends:
            for office in offices.values():
                if office.closing is None and status.role is office.role:
                    office.close(step, _closing_note(office, step))
            status = Status.NONE
            continue
        new = step.status
        if new is status:
            if step.row is not None:
                excluded.append(Excluded(step.row, UNCHANGED, f"{UNCHANGED}: still {new.value}"))
            continue
        old_role, new_role = status.role, new.role
        if old_role is not None and old_role is new_role:
            assert new.kind is not None
            note = step.note if step.row is None else f"dataset note: {step.row.note}" if step.row.note else None
            offices[old_role].change(step, new.kind, note)
        else:
            if old_role is not None:
                offices[old_role].close(step, _closing_note(offices[old_role], step))
            if new_role is not None:
                assert new.kind is not None
                if new_role in offices:
                    offices[new_role].reopen(step, new.kind)
                else:
                    offices[new_role] = _Office(host, new_role, new.kind, step)
                    offices[new_role].use(step)
            elif old_role is None and step.row is not None:
                excluded.append(Excluded(step.row, NONRESIDENT, f"{NONRESIDENT}: {new.value}"))
        status = new
    histories = [offices[role].history() for role in Role if role in offices]
    for history in histories:
        if history.closed is None and countries.state(history.host).status == "former":
            raise ValueError(f"the US {history.role.value} in {history.host} (a former state) never closes: add a "
                             "Boundary to SPLITS")  # fmt: skip
    return histories, excluded


def build_histories(rows: Sequence[Transition]) -> tuple[list[History], list[Excluded]]:
    """Every US office the rows make, by host and role, and every row that changes none."""
    steps, excluded = _timelines(rows)
    histories: list[History] = []
    for host in sorted(steps):
        found, dropped = _run(host, steps[host])
        histories += found
        excluded += dropped
    excluded.sort(key=lambda item: item.row.line)
    return histories, excluded


# --------------------------------------------------------------------------------------
# Placing histories: merged into an imported record, or a record of their own.


@dataclass(frozen=True)
class Existing:
    """An imported US record that a history may merge into."""

    id: str
    host: str
    kind: Kind
    qid: str
    opened: str | None = None
    """Wikidata's inception, as the importer writes it."""
    superseded: bool = False
    """A curated record replaces it when the registry is compiled."""


@dataclass(frozen=True)
class Placement:
    """Where a history goes: the id of its record, and the imported record it merges into (if any)."""

    id: str
    history: History
    merged: Existing | None = None
    notes: tuple[str, ...] = ()
    """What the merge changed or could not decide."""

    @property
    def kind(self) -> Kind:
        return self.history.kind


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _made_id(history: History) -> str:
    suffix = history.role.value
    if history.role is Role.DIPLOMATIC:
        suffix = _slug(history.city) if history.city else ("embassy" if history.ever_embassy else "legation")
    return f"{SENDING.lower()}-{history.host.lower()}-{suffix}"


def _inception_note(existing: Existing, history: History) -> str | None:
    """A note when Wikidata's inception is not the history's opening (at the inception's precision)."""
    if existing.opened is None:
        return None
    inception = PartialDate.parse(existing.opened)
    if compare(inception, history.opened) not in (Order.BEFORE, Order.AFTER):
        return None
    return f"Wikidata gives the inception as {inception}; the opening above is the State Department's."


def place(histories: Sequence[History], existing: Sequence[Existing], reserved: Collection[str]) -> list[Placement]:
    """A record for every history: merged into the imported record it matches, else a new id.

    ``reserved``: ids a new record must not take (imported and retired ones). A curated id
    is not reserved: a curated record with a made record's id replaces it, as curated
    records replace imported ones.
    """
    placements = []
    used = set(reserved)
    for history in histories:
        matches = sorted(
            (item for item in existing if item.host == history.host and item.kind in MATCH[history.role]),
            key=lambda item: item.id,
        )
        if matches:
            merged = matches[0]
            notes = []
            if len(matches) > 1:
                others = ", ".join(item.id for item in matches[1:])
                notes.append(f"History merged here rather than into {others} (first by id).")
            if merged.kind is not history.kind:
                notes.append(f"Wikidata gives the kind as {merged.kind.value}; the last held kind is the history's.")
            inception = _inception_note(merged, history)
            if inception:
                notes.append(inception)
            if history.closed is not None:
                closing = f"the State Department's record closes it on {history.closed}"
                notes.append(f"Wikidata has no closing date; {closing}.")
            placements.append(Placement(merged.id, history, merged, tuple(notes)))
            continue
        base = office_id = _made_id(history)
        number = 2
        while office_id in used:
            office_id, number = f"{base}-{number}", number + 1
        used.add(office_id)
        placements.append(Placement(office_id, history))
    return placements


# --------------------------------------------------------------------------------------
# Writing.

HISTORY_NOTE = (
    "History from the U.S. Diplomatic Mission Status Data (the State Department's record of the highest US "
    "representation in each country)"
)


def record_notes(placement: Placement) -> tuple[str, ...]:
    """The notes a placement adds to its record."""
    history = placement.history
    if placement.merged is not None:
        lead = f"{HISTORY_NOTE}, merged into this Wikidata record by host and kind."
        if history.role is Role.DIPLOMATIC:
            lead += (
                " The data names no city: in earlier periods the mission may have been in another city (a former "
                "capital, or with a government in exile)."
            )
    elif history.city is not None:
        lead = f"{HISTORY_NOTE}; city from the Office of the Historian."
    else:
        lead = f"{HISTORY_NOTE}; no Wikidata record of this office. The data names no city (the capital is implied)."
    return (lead, *placement.notes, *history.notes)


def created_record(placement: Placement) -> Office:
    """The record of a history with no imported record to merge into."""
    history = placement.history
    return Office(
        id=placement.id,
        kind=history.kind,
        sending=SENDING,
        host=history.host,
        city=history.city,
        opened=history.opened,
        closed=history.closed,
        sources=history.sources,
        notes=" ".join(record_notes(placement)),
        events=history.events,
    )


# --------------------------------------------------------------------------------------
# Running, and the report.


@dataclass(frozen=True)
class Outcome:
    """One import of the dataset: where each history went, and the rows that changed nothing."""

    source: str
    sha256: str
    rows: int
    placements: tuple[Placement, ...]
    excluded: tuple[Excluded, ...]
    unmatched: tuple[Existing, ...]
    """Imported US embassies and legations of hosts with no diplomatic history in the data."""
    curated: frozenset[str] = frozenset()
    """Ids of placements that a curated record replaces when the registry is compiled."""


def import_history(
    path: Path, existing: Sequence[Existing], reserved: Collection[str], curated: Collection[str] = ()
) -> Outcome:
    """Read the transitions file and place every history (nothing is written here)."""
    rows = read_transitions(path)
    histories, excluded = build_histories(rows)
    placements = place(histories, existing, reserved)
    with_history = {(p.history.host, p.history.role) for p in placements}
    unmatched = tuple(
        item
        for item in sorted(existing, key=lambda item: item.id)
        if item.kind in MATCH[Role.DIPLOMATIC] and (item.host, Role.DIPLOMATIC) not in with_history
    )
    replaced = frozenset(p.id for p in placements if p.id in curated or (p.merged is not None and p.merged.superseded))
    return Outcome(
        source=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        rows=len(rows),
        placements=tuple(sorted(placements, key=lambda p: p.id)),
        excluded=tuple(excluded),
        unmatched=unmatched,
        curated=replaced,
    )


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|") or " "


def event_counts(outcome: Outcome) -> Counter[str]:
    """Events written, by type."""
    return Counter(event.type.value for p in outcome.placements for event in p.history.events)


def render_report(outcome: Outcome) -> list[str]:
    """The report's section on this dataset, as lines."""
    placements = outcome.placements
    merged = [p for p in placements if p.merged is not None]
    made = [p for p in placements if p.merged is None]
    used = {line for p in placements for line in p.history.lines}
    reasons = Counter(item.reason for item in outcome.excluded)
    kinds = Counter(p.kind.value for p in placements)
    events = event_counts(outcome)
    closed = [p for p in placements if p.history.closed is not None]
    lines = [
        "## History of US missions: U.S. Diplomatic Mission Status Data",
        "",
        'Data: Kenkel, Brenton. 2026. "U.S. Diplomatic Mission Status Data", v0.1, '
        f"<{DATASET_URL}>, from the Office of the Historian, U.S. Department of State. "
        "Licensed under CC BY 4.0 (<https://creativecommons.org/licenses/by/4.0/>); the records below "
        "carry its facts, cited on each record and event.",
        "",
        f"Read by `tools/us_missions.py` from `{outcome.source}` (sha256 `{outcome.sha256}`). "
        "The rules (statuses to offices, consulates, hosts, matching) are in that module's docstring.",
        "",
        "| | |",
        "|---|---:|",
        f"| rows read | {outcome.rows} |",
        f"| rows making a change | {len(used)} |",
        f"| rows making no change | {len(outcome.excluded)} |",
        f"| records merged into Wikidata records | {len(merged)} |",
        f"| records made (no Wikidata record) | {len(made)} |",
        f"| records closed | {len(closed)} |",
        f"| records replaced by a curated record | {len(outcome.curated)} |",
        "",
        "| kind | records |",
        "|---|---:|",
    ]
    lines += [f"| {kind.value} | {kinds[kind.value]} |" for kind in Kind if kinds[kind.value]]
    lines += ["", "| event | count |", "|---|---:|"]
    lines += [f"| {kind.value} | {events[kind.value]} |" for kind in EventType if events[kind.value]]
    lines += ["", "| rows making no change, by reason | rows |", "|---|---:|"]
    lines += [f"| {_cell(reason)} | {reasons[reason]} |" for reason in REASONS if reasons[reason]]
    lines += [
        "",
        "### Records",
        "",
        "| id | host | kind | opened | closed | events | record |",
        "|---|---|---|---|---|---:|---|",
    ]
    for p in placements:
        history = p.history
        record = f"merged into {p.merged.qid}" if p.merged else "made"
        if p.id in outcome.curated:
            record += "; replaced by a curated record"
        cells = (p.id, history.host, history.kind.value, str(history.opened), str(history.closed or ""),
                 str(len(history.events)), record)  # fmt: skip
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    notes = [(p.id, note) for p in merged for note in p.notes]
    if notes:
        lines += ["", "### Differences with Wikidata", "", "| id | note |", "|---|---|"]
        lines += [f"| {_cell(office_id)} | {_cell(note)} |" for office_id, note in notes]
    if outcome.unmatched:
        lines += [
            "",
            "### Imported US embassies with no diplomatic history in the data",
            "",
            "| id | host |",
            "|---|---|",
        ]
        lines += [f"| {_cell(item.id)} | {item.host} |" for item in outcome.unmatched]
    lines += [
        "",
        "### Rows making no change",
        "",
        "| line | country | status | date | reason |",
        "|---:|---|---|---|---|",
    ]
    order = {reason: index for index, reason in enumerate(REASONS)}
    for item in sorted(outcome.excluded, key=lambda item: (order[item.reason], item.row.line)):
        row = item.row
        row_cells = (str(row.line), row.name, row.status.value, str(row.date), item.text)
        lines.append("| " + " | ".join(_cell(cell) for cell in row_cells) + " |")
    return lines
