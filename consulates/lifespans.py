"""When states began and ceased to exist: the outer bounds of every office's dates.

No office of Kazakhstan can be older than Kazakhstan (16 December 1991), and no office of
the Soviet Union outlived it. Where an office's own dates cannot decide whether it was
open on a day, its states' lifespans may: the answer is then inferred, not recorded.
"""

from __future__ import annotations

import datetime as dt

import attrs

from consulates.dates import PartialDate, within
from consulates.model import KIND_FAMILIES, Office, Source

__all__ = ["Lifespan", "accredited_to_host"]


@attrs.frozen
class Lifespan:
    """A state's existence as an independent state, from ``since`` to ``until`` (both included)."""

    code: str
    sources: tuple[Source, ...]
    since: PartialDate | None = None
    until: PartialDate | None = None
    successor: str | None = None

    def exists_on(self, day: dt.date) -> bool | None:
        """Whether the state existed that day; None where the precision of the dates cannot tell."""
        return within(day, self.since, self.until)

    def __str__(self) -> str:
        span = f"{self.since or '…'} to {self.until or 'today'}"
        return f"{self.code} existed {span}"


def accredited_to_host(office: Office) -> bool:
    """Whether every kind the office ever had is diplomatic: accredited to its host as a state.

    Only such an office is bounded by its host's beginning; a consulate may be older than its
    host's independence (it was then a consulate in a colony or a union republic).
    """
    kinds = {office.kind}
    for event in office.events:
        kinds.update(kind for kind in (event.from_kind, event.to_kind) if kind is not None)
    return kinds <= KIND_FAMILIES["diplomatic"]

