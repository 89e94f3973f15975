"""consulates: the world's diplomatic and consular offices as a typed, sourced, time-aware registry.

>>> import consulates
>>> office = consulates.get("kz-cn-xian")
>>> str(office.opened)
'2023-05-19'

Importing the package is cheap: the compiled registry is read on first use, once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from consulates.dates import DateBounds, Dating, Order, PartialDate, Period, When
from consulates.errors import (
    DataError,
    GeocodingError,
    Problem,
    UnknownCountryError,
    UnknownOfficeError,
    UnknownPlaceError,
)
from consulates.model import Claim, Event, EventType, Kind, Location, Office, Source

if TYPE_CHECKING:
    from consulates.chronology import HistoryEntry
    from consulates.counting import Ordinal
    from consulates.coverage import Counts
    from consulates.geo import Geocoder
    from consulates.registry import Registry

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "Counts",
    "DataError",
    "DateBounds",
    "Dating",
    "Event",
    "EventType",
    "GeocodingError",
    "HistoryEntry",
    "Kind",
    "Location",
    "Office",
    "Order",
    "Ordinal",
    "PartialDate",
    "Period",
    "Problem",
    "Registry",
    "Source",
    "UnknownCountryError",
    "UnknownOfficeError",
    "UnknownPlaceError",
    "__version__",
    "default_registry",
    "find",
    "get",
    "history",
    "lookup",
    "near",
    "ordinal",
    "serving",
    "stats",
]

_registry: Registry | None = None
_loading = threading.Lock()


def default_registry() -> Registry:
    """The packaged registry, loaded on first call and kept (once, even when threads ask together)."""
    global _registry
    if _registry is None:
        with _loading:
            if _registry is None:
                from consulates.registry import Registry

                _registry = Registry.load()
    return _registry


def find(
    sending: str | Iterable[str] | None = None,
    host: str | Iterable[str] | None = None,
    kind: Kind | str | Iterable[Kind | str] | None = None,
    city: str | Iterable[str] | None = None,
    subdivision: str | Iterable[str] | None = None,
    on: When | None = None,
    include_closed: bool = False,
    *,
    between: tuple[When, When] | None = None,
    status: str | Iterable[str] | None = None,
) -> list[Office]:
    """Offices matching every filter given (one value or several each); see :meth:`Registry.find`."""
    return default_registry().find(
        sending=sending,
        host=host,
        kind=kind,
        city=city,
        subdivision=subdivision,
        on=on,
        include_closed=include_closed,
        between=between,
        status=status,
    )


def get(office_id: str) -> Office | None:
    """The office with this id (retired ids lead to their successor), or None."""
    return default_registry().get(office_id)


def lookup(office_id: str) -> Office:
    """The office with this id; an unknown id raises :class:`UnknownOfficeError` with close ids."""
    return default_registry().lookup(office_id)


def near(
    place: object,
    *,
    sending: str | Iterable[str] | None = None,
    host: str | Iterable[str] | None = None,
    kind: Kind | str | Iterable[Kind | str] | None = None,
    k: int = 5,
    on: When | None = None,
    max_km: float | None = None,
    geocoder: Geocoder | None = None,
) -> list[tuple[Office, float]]:
    """The ``k`` offices nearest to a place, with geodesic distances in km; see :meth:`Registry.near`."""
    return default_registry().near(
        place, sending=sending, host=host, kind=kind, k=k, on=on, max_km=max_km, geocoder=geocoder
    )


def serving(
    subdivision: str,
    *,
    sending: str | Iterable[str],
    kind: Kind | str | Iterable[Kind | str] | None = None,
    on: When | None = None,
) -> Office | None:
    """The office of ``sending`` whose recorded district covers a subdivision; see :meth:`Registry.serving`."""
    return default_registry().serving(subdivision, sending=sending, kind=kind, on=on)


def ordinal(
    office: Office | str,
    *,
    count_sars: bool = True,
    kinds: Kind | str | Iterable[Kind | str] | None = None,
    include_closed: bool = True,
    among: Mapping[str, Any] | None = None,
) -> Ordinal:
    """The office's place by opening date: among its state's offices of its kind in its host, or any selection.

    ``among=dict(sending="Central Asia", subdivision="western China")`` with ``kinds="consular"``
    ranks Kazakhstan's Xi'an consulate general among the consular posts of the Central Asian
    states in western China (see :meth:`Registry.ordinal`).
    """
    return default_registry().ordinal(
        office, count_sars=count_sars, kinds=kinds, include_closed=include_closed, among=among
    )


def stats(
    by: str | None = None, *, sending: str | Iterable[str] | None = None, host: str | Iterable[str] | None = None
) -> dict[str, Counts]:
    """Counts (offices; open, closed, unknown today) and coverage (dates, locations, districts), in all or by group.

    ``by`` is ``"sending"``, ``"host"`` or ``"kind"``; ``None`` gives one entry, ``"all"``.
    """
    return default_registry().stats(by, sending=sending, host=host)


def history(sending: str | Iterable[str] | None = None, host: str | Iterable[str] | None = None) -> list[HistoryEntry]:
    """Dated openings, rank changes, moves and closures, oldest first."""
    return default_registry().history(sending=sending, host=host)


def __getattr__(name: str) -> object:
    # Types that live in modules the package does not import up front.
    if name == "Registry":
        from consulates.registry import Registry

        return Registry
    if name == "HistoryEntry":
        from consulates.chronology import HistoryEntry

        return HistoryEntry
    if name == "Counts":
        from consulates.coverage import Counts

        return Counts
    if name == "Ordinal":
        from consulates.counting import Ordinal

        return Ordinal
    raise AttributeError(f"module 'consulates' has no attribute {name!r}")
