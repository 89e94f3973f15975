"""Ordinals: "the third consulate general of Kazakhstan in China", and the rule behind it.

An ordinal depends on how one counts: whether Hong Kong and Macau count as China,
which kinds count as "the same", whether offices closed before this one opened still
count. :func:`count` takes the rule as arguments, states it in words, lists the offices
it counted, and gives a range instead of a number where dates cannot decide.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from consulates import countries
from consulates.dates import Order, compare
from consulates.model import Kind, Office

__all__ = ["Ordinal", "count", "ordinal_word"]

_SAR_SUBDIVISIONS = frozenset(countries.SARS.values())


@attrs.frozen
class Ordinal:
    """An office's place in its network under a stated counting rule."""

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

    def __str__(self) -> str:
        office = self.office
        kind = _kind_words(self.kinds, plural=False)
        host = countries.name(office.host)
        sending = countries.name(office.sending)
        if self.value is not None:
            place = ordinal_word(self.value)
        else:
            place = f"{ordinal_word(self.lowest)} to {ordinal_word(self.highest)}"
        return f"{place} {kind} of {sending} in {host} ({self.rule})"


def ordinal_word(number: int) -> str:
    """``1`` -> ``"1st"``, ``2`` -> ``"2nd"``, ``11`` -> ``"11th"``, ``23`` -> ``"23rd"``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _kind_words(kinds: frozenset[Kind], *, plural: bool) -> str:
    ordered = sorted(kinds, key=lambda kind: kind.rank)
    words = [kind.plural if plural else kind.label for kind in ordered]
    return " or ".join(words)


def _in_sar(office: Office) -> bool:
    return office.subdivision in _SAR_SUBDIVISIONS


def count(
    office: Office,
    network: Iterable[Office],
    *,
    count_sars: bool = True,
    kinds: frozenset[Kind] | None = None,
    include_closed: bool = True,
) -> Ordinal:
    """The place of ``office`` among ``network`` (its sending state's offices) under the rule given.

    Offices count when they are in the same host, held one of ``kinds`` (by default the
    office's own kind) at some time, and, with ``count_sars=False``, are not in Hong Kong
    or Macau. They are ordered by the date each first held one of those kinds: its
    opening, or the upgrade that made it one. With ``include_closed=False``, offices
    closed before this one became one of the kinds are left out.
    """
    wanted = kinds if kinds else frozenset({office.kind})
    if not office.ever_was(wanted):
        raise ValueError(f"{office.id} was never a {_kind_words(wanted, plural=False)}")
    if not count_sars and _in_sar(office):
        raise ValueError(f"{office.id} is in {office.subdivision}; count it with count_sars=True")
    start = office.became(wanted)
    earlier, undecided = [], []
    for other in network:
        if other.id == office.id or other.host != office.host or not other.ever_was(wanted):
            continue
        if not count_sars and _in_sar(other):
            continue
        other_start = other.became(wanted)
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
        f"counting {_kind_words(wanted, plural=True)}",
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
    )
