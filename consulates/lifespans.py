"""When states began and ceased to exist: the outer bounds of every office's dates.

No office of Kazakhstan can be older than Kazakhstan (16 December 1991), and no office of
the Soviet Union outlived it. Where an office's own dates cannot decide whether it was
open on a day, its states' lifespans may: the answer is then inferred, not recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import attrs

from consulates.dates import PartialDate, within
from consulates.model import KIND_FAMILIES, Office, Source, kinds_held

__all__ = ["Lifespan", "bounds_of"]


@attrs.frozen
class Lifespan:
    """A state's existence as an independent state, from ``since`` to ``until`` (both included)."""

    code: str
    sources: tuple[Source, ...]
    since: PartialDate | None = None
    until: PartialDate | None = None
    successor: str | None = None
    provisional_since: PartialDate | None = None
    """Before ``since``: when a provisional government began to send and receive diplomatic
    missions ahead of independence (Burma's in 1947), so that an embassy of then is no error."""

    def exists_on(self, day: dt.date) -> bool | None:
        """Whether the state existed that day; None where the precision of the dates cannot tell."""
        return within(day, self.since, self.until)

    def __str__(self) -> str:
        span = f"{self.since or '…'} to {self.until or 'today'}"
        return f"{self.code} existed {span}"


def bounds_of(
    office: Office, lifespans: Mapping[str, Lifespan]
) -> Iterator[tuple[str, str, PartialDate | None, PartialDate | None]]:
    """``(code, role, since, until)`` for each of the office's states whose lifespan bounds it.

    The sending state bounds both ends. The host bounds the end of every office in it, and
    the start only of diplomatic offices, accredited to it as a state: a consulate may be
    older than its host's independence (it was then in a colony or a union republic). Where
    a provisional government conducted the state's relations before independence, its
    start is the start.
    """
    for code, role in ((office.sending, "sending state"), (office.host, "host")):
        span = lifespans.get(code)
        if span is None:
            continue
        accredited = role == "sending state" or kinds_held(office) <= KIND_FAMILIES["diplomatic"]
        yield code, role, (span.provisional_since or span.since) if accredited else None, span.until
