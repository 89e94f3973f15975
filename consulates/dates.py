"""Dates that are only as precise as their sources.

A source may give a day (2023-05-19), a month (2023-05) or only a year (2023); another
may only bound a fact ("open by November 2016", "not before August 2003"). Both are kept
as they were given, and comparisons answer ``UNKNOWN`` where the precision does not
decide: 2023 against 2023-05-19 is neither before nor after.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable

import attrs

__all__ = [
    "DateBounds",
    "Dating",
    "Order",
    "PartialDate",
    "Period",
    "compare",
    "parse_dating",
    "sort_key",
    "to_day",
    "to_period",
    "within",
]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Order(enum.Enum):
    """How two imprecise dates relate."""

    BEFORE = "before"
    SAME = "same"
    AFTER = "after"
    UNKNOWN = "unknown"


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (the calendar module costs more to import)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_partial(year: int, month: int | None, day: int | None) -> None:
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    if month is None:
        if day is not None:
            raise ValueError("a day needs a month")
        return
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range")
    if day is not None and not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"{year:04d}-{month:02d} has no day {day}")


class _Ordered:
    """Comparisons by :func:`sort_key`, shared by both kinds of date (a date and a date's bounds)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return _order(self, other, lambda a, b: a < b)

    def __le__(self, other: object) -> bool:
        return _order(self, other, lambda a, b: a <= b)

    def __gt__(self, other: object) -> bool:
        return _order(self, other, lambda a, b: a > b)

    def __ge__(self, other: object) -> bool:
        return _order(self, other, lambda a, b: a >= b)


@attrs.frozen(order=False)
class PartialDate(_Ordered):
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_partial(self.year, self.month, self.day)

    @classmethod
    def parse(cls, value: str | int | dt.date | PartialDate) -> PartialDate:
        """Read ``2023``, ``"2023"``, ``"2023-05"``, ``"2023-05-19"`` or a ``date``."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise TypeError(f"expected a date, not a date and time: {value!r}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise TypeError(f"not a date: {value!r}")
        if isinstance(value, int):
            return cls(value)
        if not isinstance(value, str):
            raise TypeError(f"a date is a date, a year or ISO text, not {type(value).__name__}")
        match = _PARTIAL.match(value.strip())
        if not match:
            raise ValueError(f"not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def earliest(self) -> dt.date:
        """The first day this date may stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this date may stand for."""
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return dt.date(self.year, month, day)

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, dt.date]:
        """The date's place in the total order of :func:`sort_key`."""
        return sort_key(self)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@attrs.frozen(order=False)
class DateBounds(_Ordered):
    """A date known only to lie between bounds, one of which may be open.

    ``DateBounds(not_after=PartialDate(2016, 11))`` is "by November 2016";
    ``DateBounds(not_before=PartialDate(2003, 8))`` is "not before August 2003".
    """

    not_before: PartialDate | None = None
    not_after: PartialDate | None = None

    def __attrs_post_init__(self) -> None:
        low, high = self.not_before, self.not_after
        if low is None and high is None:
            raise ValueError("date bounds need not_before, not_after or both")
        if low is not None and high is not None and low.earliest > high.latest:
            raise ValueError(f"not_before {low} is after not_after {high}")

    @property
    def precision(self) -> str:
        return "bounds"

    @property
    def earliest(self) -> dt.date | None:
        return self.not_before.earliest if self.not_before else None

    @property
    def latest(self) -> dt.date | None:
        return self.not_after.latest if self.not_after else None

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, dt.date]:
        """The bounds' place in the total order of :func:`sort_key`."""
        return sort_key(self)

    def __str__(self) -> str:
        if self.not_before and self.not_after:
            return f"between {self.not_before} and {self.not_after}"
        if self.not_after:
            return f"by {self.not_after}"
        return f"not before {self.not_before}"


Dating = PartialDate | DateBounds
"""When something happened, as precisely as it is known."""


def sort_key(date: Dating | None) -> tuple[dt.date, dt.date, dt.date]:
    """A key that puts any dates in one documented order (``sorted(dates, key=sort_key)``).

    A date sorts at its first possible day, or at its last where only that is known
    ("by 1949-10-13" sorts at 1949-10-13, "not before 2003-08" at 2003-08-01); ties go
    to the narrower date (2023-01-01, then 2023-01, then 2023), then to the one with an
    earlier first day. ``None`` (unknown) sorts last. This is an order for listing, not a
    statement of what came first: :func:`compare` says that, and answers UNKNOWN where
    the precision cannot decide. ``<`` on dates uses this order.
    """
    if date is None:
        return (dt.date.max, dt.date.max, dt.date.max)
    low, high = date.earliest, date.latest
    anchor = low if low is not None else high
    assert anchor is not None  # bounds have at least one side
    return (anchor, high or dt.date.max, low or dt.date.min)


def _order(a: object, b: object, test: Callable[[tuple[dt.date, ...], tuple[dt.date, ...]], bool]) -> bool:
    if not isinstance(b, PartialDate | DateBounds):
        result: bool = NotImplemented
        return result
    assert isinstance(a, PartialDate | DateBounds)
    return test(sort_key(a), sort_key(b))


def parse_dating(value: object) -> Dating:
    """Read a date as written in a data file or passed by a user.

    Accepts what :meth:`PartialDate.parse` accepts, or a mapping with ``not_before``
    and/or ``not_after``.
    """
    if isinstance(value, PartialDate | DateBounds):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {"not_before", "not_after"}
        if unknown:
            raise ValueError(f"unknown date bound {sorted(unknown)[0]!r} (use not_before, not_after)")
        low, high = value.get("not_before"), value.get("not_after")
        return DateBounds(
            not_before=None if low is None else PartialDate.parse(low),
            not_after=None if high is None else PartialDate.parse(high),
        )
    if isinstance(value, str | int | dt.date):
        return PartialDate.parse(value)
    raise ValueError(f"not a date: {value!r}")


def to_day(value: str | dt.date | None) -> dt.date:
    """A query day: a ``date``, an ISO ``YYYY-MM-DD`` string, or ``None`` for today."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not a day (expected YYYY-MM-DD): {value!r}") from None
    raise TypeError(f"a day is a date or YYYY-MM-DD text, not {type(value).__name__}")


@attrs.frozen
class Period:
    """The days from ``first`` to ``last``, both included: what a query's ``on=`` or ``between=`` asks about."""

    first: dt.date
    last: dt.date

    def __attrs_post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError(f"a period cannot end ({self.last}) before it starts ({self.first})")

    @property
    def is_day(self) -> bool:
        return self.first == self.last

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return str(self.first) if self.is_day else f"{self.first} to {self.last}"


When = str | int | dt.date | PartialDate | Period
"""What ``on=`` takes: a day, a month or a year (as text, a ``date`` or a :class:`PartialDate`), or a Period."""


def to_period(value: When | None = None, *, between: tuple[When, When] | None = None) -> Period:
    """The days a query asks about: ``"2000"`` is all of 2000, ``"2000-05"`` all of May 2000; None is today.

    ``between=(a, b)`` runs from the first day of ``a`` to the last day of ``b``
    (``("1990", "2000")`` is 1990-01-01 to 2000-12-31). Wrong types raise TypeError;
    text that is no date raises ValueError.
    """
    if between is not None:
        if value is not None:
            raise ValueError("give either on= or between=, not both")
        if isinstance(between, str | bytes) or not isinstance(between, tuple | list) or len(between) != 2:
            raise TypeError(f"between= is a pair (start, end), not {between!r}")
        start, end = (to_period(item) for item in between)
        return Period(start.first, end.last)
    if value is None:
        today = dt.date.today()
        return Period(today, today)
    if isinstance(value, Period):
        return value
    if isinstance(value, dt.datetime):
        return Period(value.date(), value.date())
    if isinstance(value, dt.date):
        return Period(value, value)
    if isinstance(value, str):
        try:
            partial = PartialDate.parse(value)
        except ValueError:
            raise ValueError(f"not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {value!r}") from None
    elif isinstance(value, int | PartialDate) and not isinstance(value, bool):
        partial = PartialDate.parse(value)
    else:
        raise TypeError(f"a date is a date, a year or YYYY[-MM[-DD]] text, not {type(value).__name__}")
    return Period(partial.earliest, partial.latest)


def within(day: dt.date, since: PartialDate | None, until: PartialDate | None) -> bool | None:
    """Whether ``day`` falls from ``since`` to ``until`` (both included, either open); None if precision cannot tell."""
    if since is not None:
        if day < since.earliest:
            return False
        if day < since.latest:
            return None
    if until is not None:
        if day > until.latest:
            return False
        if day > until.earliest:
            return None
    return True


def compare(a: Dating, b: Dating) -> Order:
    """Whether ``a`` is certainly before, the same as, or after ``b``; else UNKNOWN."""
    a_low, a_high, b_low, b_high = a.earliest, a.latest, b.earliest, b.latest
    if a_high is not None and b_low is not None and a_high < b_low:
        return Order.BEFORE
    if a_low is not None and b_high is not None and a_low > b_high:
        return Order.AFTER
    if a_low is not None and a_low == a_high == b_low == b_high:
        return Order.SAME
    return Order.UNKNOWN
