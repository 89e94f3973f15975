"""Facts about offices as the pages state them: names, dates, status today, colour groups."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from consulates import countries
from consulates.datafiles.reference import NetworkReference
from consulates.dates import DateBounds, Dating, Order, PartialDate, compare
from consulates.model import EventType, Kind, Office
from consulates.registry import Registry
from consulates.text import fold


def state_name(code: str) -> str:
    return countries.name(code)


@functools.cache
def subdivision_name(code: str) -> str:
    """An ISO 3166-2 code in words (``CN-SN`` -> ``Shaanxi``); the code itself if pycountry does not know it.

    ISO gives China's provinces and municipalities with their pinyin kind (``Shaanxi Sheng``,
    ``Beijing Shi``); that word is left out, as English text does.
    """
    import pycountry

    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if found is None:
        return code
    name = str(found.name)
    if code.startswith("CN-"):
        name = name.removesuffix(" Sheng").removesuffix(" Shi")
    return name


def display_name(office: Office) -> str:
    """The English name where known, else kind, sending state and city in words."""
    if "en" in office.names:
        return office.names["en"]
    place = f" in {office.city}" if office.city else ""
    return f"{office.kind.label.capitalize()} of {state_name(office.sending)}{place}"


def date_text(dating: Dating | None) -> str:
    return "—" if dating is None else str(dating)


def year_of(dating: Dating | None) -> int | None:
    """The year a date falls in, when that much is known."""
    if isinstance(dating, PartialDate):
        return dating.year
    if isinstance(dating, DateBounds):
        low, high = dating.earliest, dating.latest
        if low is not None and high is not None and low.year == high.year:
            return low.year
    return None


class Status(NamedTuple):
    key: str
    """``open``, ``closed``, ``suspended`` or ``planned``."""
    label: str


def status(office: Office, today: dt.date) -> Status:
    """Where the office stands today, as far as the data knows."""
    point = PartialDate(today.year, today.month, today.day)
    if office.closed is not None:
        if compare(point, office.closed) is Order.BEFORE:
            return Status("open", f"open, closes {office.closed}")
        return Status("closed", f"closed {office.closed}")
    if office.opened is not None and compare(point, office.opened) is Order.BEFORE:
        return Status("planned", f"opens {office.opened}")
    closed_since: Dating | None = None
    for event in office.events:
        if event.type is EventType.CLOSED:
            closed_since = event.date
        elif event.type is EventType.REOPENED:
            closed_since = None
    if closed_since is not None and compare(point, closed_since) is not Order.BEFORE:
        return Status("suspended", f"closed since {closed_since}")
    return Status("open", "open")


def is_open(office: Office, today: dt.date) -> bool:
    return status(office, today).key == "open"


def kind_group(kind: Kind) -> str:
    """The colour group on maps: diplomatic, consular (career), honorary, other."""
    if kind.is_diplomatic:
        return "diplomatic"
    if kind.is_career_consular:
        return "consular"
    return "honorary" if kind.is_honorary else "other"


class Site:
    """The registry grouped the ways the pages need it, and the build's settings."""

    def __init__(
        self,
        registry: Registry,
        today: dt.date,
        repository: str | None = None,
        networks: Mapping[str, NetworkReference] | None = None,
    ) -> None:
        self.registry = registry
        self.today = today
        self.networks: Mapping[str, NetworkReference] = networks or {}
        """The list each sending state's network was checked against (data/networks/), by state."""
        self.repository = repository
        """The source repository's URL, when the build knows it (``extra.repository`` in mkdocs.yml)."""
        self.by_sending: dict[str, list[Office]] = {}
        self.by_host: dict[str, list[Office]] = {}
        for office in registry:
            self.by_sending.setdefault(office.sending, []).append(office)
            self.by_host.setdefault(office.host, []).append(office)
        self.city_anchors: dict[str, dict[str, str]] = {}
        """Host -> office id -> the anchor of its city's section on the host's page (filled as pages are made)."""

    def names(self, codes: Iterable[str]) -> list[str]:
        """Codes sorted by the state's name."""
        return sorted(codes, key=lambda code: (fold(state_name(code)), code))
