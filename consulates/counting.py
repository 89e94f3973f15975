"""Ordinals: "the third consulate general of Kazakhstan in China", and the rule behind it.

An ordinal depends on how one counts: whether Hong Kong and Macau count as China,
which kinds count as "the same", whether offices closed before this one opened still
count. :func:`count` takes the rule as arguments, states it in words, lists the offices
it counted, and gives a range instead of a number where dates cannot decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from consulates import countries
from consulates.dates import Dating, Order, compare
from consulates.model import KIND_FAMILIES, EventType, Kind, Office, cities_of

CityKey = Callable[[str, str], str]
"""(host, city name) -> the city's folded current name, so that former names match."""

__all__ = ["Ordinal", "Selection", "count", "kind_words", "ordinal_word"]

_SAR_SUBDIVISIONS = frozenset(countries.SARS.values())


@attrs.frozen
class Selection:
    """What an ordinal counts among, in codes and in words (see :meth:`Registry.selection`)."""

    sending: frozenset[str] | None = None
    """Sending states counted; None: any."""
    hosts: frozenset[str] | None = None
    """Host states counted; None: any."""
    subdivisions: frozenset[str] | None = None
    """Only offices in these subdivisions; None: anywhere."""
    cities: frozenset[str] | None = None
    """Only offices in these cities (folded current names); None: any."""
    sending_words: str = ""
    """``"Kazakhstan"``, ``"a state of Central Asia"``."""
    place_words: str = ""
    """``"China"``, ``"western China"``, ``"Chengdu, China"``."""

    def admits(self, office: Office, city_key: CityKey) -> bool:
        """Whether the office is of the senders and in the place counted, at some time (its kind is checked apart)."""
        if self.sending is not None and office.sending not in self.sending:
            return False
        if self.hosts is not None and office.host not in self.hosts:
            return False
        if self.subdivisions is not None and office.subdivision not in self.subdivisions:
            return False
        return self.cities is None or any(city_key(office.host, city) in self.cities for city in cities_of(office))

    def entered(self, office: Office, kinds: frozenset[Kind], city_key: CityKey) -> Dating | None:
        """When the office first counted here: when it became one of ``kinds``, or moved into the city if later."""
        became = office.became(kinds)
        if self.cities is None:
            return became
        moves = [event for event in office.events if event.type is EventType.MOVED]
        start = moves[0].from_city if moves else office.city
        if start is not None and city_key(office.host, start) in self.cities:
            return became
        arrival = next(
            (move.date for move in moves if move.city and city_key(office.host, move.city) in self.cities), None
        )
        if arrival is None or (became is not None and compare(became, arrival) is Order.AFTER):
            return became
        return arrival


@attrs.frozen
class Ordinal:
    """An office's place among the offices a selection describes, under a stated counting rule."""

    office: Office
    value: int | None
    """The place (1 for the first); None when the dates cannot decide it."""
    lowest: int
    highest: int
    """The place lies between lowest and highest; equal when decided."""
    rule: str
    """The counting rule, in words."""
    earlier: tuple[Office, ...]
    """Offices certainly counted before this one."""
    undecided: tuple[Office, ...]
    """Offices whose dates cannot be ordered against this one."""
    kinds: frozenset[Kind]
    count_sars: bool
    include_closed: bool
    what: str = ""
    """What was counted, in words: ``"consulate general of Kazakhstan in China"``."""

    def __str__(self) -> str:
        if self.value is not None:
            place = ordinal_word(self.value)
        else:
            place = f"{ordinal_word(self.lowest)} to {ordinal_word(self.highest)}"
        return f"{place} {self.what} ({self.rule})"


def ordinal_word(number: int) -> str:
    """``1`` -> ``"1st"``, ``2`` -> ``"2nd"``, ``11`` -> ``"11th"``, ``23`` -> ``"23rd"``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


_FAMILY_WORDS = {
    "consular": ("consular post", "career consular posts"),
    "consular-with-honorary": ("consular post", "consular posts, honorary ones included"),
    "consular-with-embassy-offices": ("consular post", "consular posts and embassy offices"),
    "embassies": ("embassy", "embassies and high commissions"),
    "diplomatic": ("diplomatic mission", "diplomatic missions"),
    "posts": ("post", "diplomatic and consular posts of every kind but honorary"),
    "any": ("office", "offices of every kind"),
}


def kind_words(kinds: frozenset[Kind], *, plural: bool) -> str:
    """Kinds in words: a family's name where they are one (``"consular posts"``), else the kinds joined by "or"."""
    for family, members in KIND_FAMILIES.items():
        if kinds == members:
            return _FAMILY_WORDS[family][1 if plural else 0]
    ordered = sorted(kinds, key=lambda kind: kind.rank)
    return " or ".join(kind.plural if plural else kind.label for kind in ordered)


def _in_sar(office: Office) -> bool:
    return office.subdivision in _SAR_SUBDIVISIONS


def count(
    office: Office,
    network: Iterable[Office],
    *,
    count_sars: bool = True,
    kinds: frozenset[Kind] | None = None,
    include_closed: bool = True,
    selection: Selection | None = None,
    city_key: CityKey = lambda host, city: city,
) -> Ordinal:
    """The place of ``office`` among the offices of ``network`` that ``selection`` admits, under the rule given.

    Without a selection, the network's offices in the office's own host count (the
    office's sending state's network, as "the third consulate general of Kazakhstan in
    China"). Offices count when they held one of ``kinds`` at some time (by default the
    office's own kind) and, with ``count_sars=False``, are not in Hong Kong or Macau.
    They are ordered by the date each first held one of those kinds: its opening, or the
    change of kind that made it one. With ``include_closed=False``, offices closed before
    this one became one of the kinds are left out.
    """
    wanted = kinds if kinds else frozenset({office.kind})
    if not office.ever_was(wanted):
        raise ValueError(f"{office.id} was never a {kind_words(wanted, plural=False)}")
    if not count_sars and _in_sar(office):
        raise ValueError(f"{office.id} is in {office.subdivision}; count it with count_sars=True")
    if selection is None:
        selection = Selection(
            sending=frozenset({office.sending}),
            hosts=frozenset({office.host}),
            sending_words=countries.name(office.sending),
            place_words=countries.name(office.host),
        )
    if not selection.admits(office, city_key):
        counted = f"{selection.sending_words} in {selection.place_words}"
        raise ValueError(f"{office.id} is not among the offices counted ({counted})")
    start = selection.entered(office, wanted, city_key)
    earlier, undecided = [], []
    for other in network:
        if other.id == office.id or not other.ever_was(wanted) or not selection.admits(other, city_key):
            continue
        if not count_sars and _in_sar(other):
            continue
        other_start = selection.entered(other, wanted, city_key)
        if not include_closed and other.closed is not None:
            if start is not None and compare(other.closed, start) in (Order.BEFORE, Order.SAME):
                continue
            if start is None:
                undecided.append(other)
                continue
        if start is None or other_start is None:
            undecided.append(other)
            continue
        order = compare(other_start, start)
        if order is Order.BEFORE:
            earlier.append(other)
        elif order is not Order.AFTER:
            undecided.append(other)
    lowest = len(earlier) + 1
    highest = lowest + len(undecided)
    rule_parts = [
        f"counting {kind_words(wanted, plural=True)}",
        "Hong Kong and Macau included" if count_sars else "Hong Kong and Macau left out",
        "closed ones included" if include_closed else "those closed before it left out",
        "by the date each opened as or became one",
    ]
    return Ordinal(
        office=office,
        value=lowest if lowest == highest else None,
        lowest=lowest,
        highest=highest,
        rule=", ".join(rule_parts),
        earlier=tuple(earlier),
        undecided=tuple(undecided),
        kinds=wanted,
        count_sars=count_sars,
        include_closed=include_closed,
        what=f"{kind_words(wanted, plural=False)} of {selection.sending_words} in {selection.place_words}",
    )
