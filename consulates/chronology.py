"""A network's history: openings, rank changes, moves, closures and reopenings, in date order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from consulates import countries
from consulates.dates import Dating, sort_key
from consulates.model import Event, EventType, Office

__all__ = ["HistoryEntry", "entries_of"]


@attrs.frozen
class HistoryEntry:
    """One dated happening in a network: an office and what happened to it."""

    date: Dating | None
    type: EventType
    office: Office
    event: Event | None = None
    """The recorded event; None for the opening and final closing, which are office fields."""

    def describe(self) -> str:
        """The happening in words, without the date."""
        office, event = self.office, self.event
        day = _last_day(self.date)
        where = office.city_on(day) or office.city or countries.name(office.host)
        if event is None or event.type in (EventType.CLOSED, EventType.REOPENED):
            kind = office.first_kind if self.type is EventType.OPENED else office.kind_on(day) or office.kind
            return f"{where}: {kind.label} {self.type.value}"
        kind = office.kind_on(day) or office.kind
        if event.type.changes_kind:
            assert event.from_kind is not None and event.to_kind is not None
            return f"{where}: {event.type.value} from {event.from_kind.label} to {event.to_kind.label}"
        if event.type is EventType.MOVED:
            origin = f" from {event.from_city}" if event.from_city else ""
            return f"{kind.label} moved{origin} to {event.city}"
        if event.type is EventType.RENAMED:
            origin = f" from {event.from_name}" if event.from_name else ""
            return f"{where}: {kind.label} renamed{origin} to {event.name}"
        return f"{where}: {kind.label} {event.type.words}"


def _last_day(date: Dating | None) -> dt.date:
    """The last day a date may stand for; today when it is unknown or open-ended."""
    latest = date.latest if date is not None else None
    return latest or dt.date.today()


def entries_of(offices: Iterable[Office]) -> list[HistoryEntry]:
    """Every dated happening of these offices in the order of :func:`consulates.dates.sort_key`; undated ones last.

    A bounded date sorts at its known end: "by 1949-10-13" at 1949-10-13, after 1779.
    """
    entries = []
    for office in offices:
        entries.append(HistoryEntry(office.opened, EventType.OPENED, office))
        entries.extend(HistoryEntry(event.date, event.type, office, event) for event in office.events)
        if office.closed is not None:
            entries.append(HistoryEntry(office.closed, EventType.CLOSED, office))
    entries.sort(key=lambda entry: (sort_key(entry.date), entry.office.sort_key))
    return entries
