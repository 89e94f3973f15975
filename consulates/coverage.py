"""Counts and coverage of a set of offices: how many, how many open, closed or undecided
today, and how many have an opening date, a location and a consular district."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from consulates.model import Kind, Office

__all__ = ["BY", "Counts", "count", "group"]

BY = ("sending", "host", "kind")
"""What offices can be grouped by."""


@attrs.frozen
class Counts:
    """How many offices, and how many of them have each field known."""

    offices: int = 0
    open: int = 0
    """Shown open on the day counted by the dates."""
    closed: int = 0
    """Shown not open on the day counted: closed (for good or for a while), or not yet open."""
    unknown: int = 0
    """Neither: the dates cannot tell (an office with no known opening date, say). open + closed + unknown = offices."""
    with_opening_date: int = 0
    with_location: int = 0
    with_jurisdiction: int = 0

    def share(self, field: str) -> float:
        """``with_…`` counts as a fraction of all offices (0 for none)."""
        part: int = getattr(self, field)
        return part / self.offices if self.offices else 0.0


def count(offices: Iterable[Office], today: dt.date | None = None) -> Counts:
    """The counts of these offices, open ones on ``today`` (default: today)."""
    day = today or dt.date.today()
    totals = [0, 0, 0, 0, 0, 0, 0]
    for office in offices:
        state = office.open_on(day)
        totals[0] += 1
        totals[1] += state is True
        totals[2] += state is False
        totals[3] += state is None
        totals[4] += office.opened is not None
        totals[5] += office.location is not None
        totals[6] += bool(office.jurisdiction)
    return Counts(*totals)


def group(offices: Iterable[Office], by: str) -> dict[str, list[Office]]:
    """Offices by sending state, host or kind (the kind's name), in code order (kinds in rank order)."""
    if by not in BY:
        raise ValueError(f"group by one of {', '.join(BY)}, not {by!r}")
    groups: dict[str, list[Office]] = {}
    for office in offices:
        key = office.kind.value if by == "kind" else getattr(office, by)
        groups.setdefault(key, []).append(office)
    order = sorted(groups, key=lambda key: (Kind(key).rank, key) if by == "kind" else (0, key))
    return {key: groups[key] for key in order}
