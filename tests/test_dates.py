from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consulates.dates import DateBounds, Order, PartialDate, compare, parse_dating, to_day


def partial_dates() -> st.SearchStrategy[PartialDate]:
    def build(day: dt.date, precision: str) -> PartialDate:
        if precision == "year":
            return PartialDate(day.year)
        if precision == "month":
            return PartialDate(day.year, day.month)
        return PartialDate(day.year, day.month, day.day)

    return st.builds(
        build, st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(["year", "month", "day"])
    )


def test_parse_forms() -> None:
    assert PartialDate.parse("2023") == PartialDate(2023)
    assert PartialDate.parse(2023) == PartialDate(2023)
    assert PartialDate.parse("2023-05") == PartialDate(2023, 5)
    assert PartialDate.parse(dt.date(2023, 5, 19)) == PartialDate(2023, 5, 19)
    assert str(PartialDate(2023, 5, 19)) == "2023-05-19"
    assert PartialDate(2023, 5).precision == "month"


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "23", "2023-5-1", "May 2023", "", "0000"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_leap_day() -> None:
    assert PartialDate.parse("2024-02-29").latest == dt.date(2024, 2, 29)
    with pytest.raises(ValueError, match="has no day 29"):
        PartialDate.parse("2023-02-29")


def test_year_against_day_is_unknown() -> None:
    assert compare(PartialDate(2023), PartialDate(2023, 5, 19)) is Order.UNKNOWN
    assert compare(PartialDate(2022), PartialDate(2023, 5, 19)) is Order.BEFORE
    assert compare(PartialDate(2023, 6), PartialDate(2023, 5, 19)) is Order.AFTER
    assert compare(PartialDate(2023, 5, 19), PartialDate(2023, 5, 19)) is Order.SAME
    # Two equal months are not the same day.
    assert compare(PartialDate(2023, 5), PartialDate(2023, 5)) is Order.UNKNOWN


def test_bounds() -> None:
    by = parse_dating({"not_after": "2016-11"})
    assert isinstance(by, DateBounds)
    assert str(by) == "by 2016-11"
    assert by.latest == dt.date(2016, 11, 30)
    assert by.earliest is None
    assert compare(by, PartialDate(2017)) is Order.BEFORE
    assert compare(by, PartialDate(2015)) is Order.UNKNOWN
    since = parse_dating({"not_before": "2003-08"})
    assert compare(since, PartialDate(2003, 7, 31)) is Order.AFTER
    with pytest.raises(ValueError):
        parse_dating({})
    with pytest.raises(ValueError, match="after"):
        parse_dating({"not_before": "2010", "not_after": "2009"})
    with pytest.raises(ValueError, match="unknown date bound"):
        parse_dating({"before": "2010"})


def test_to_day() -> None:
    assert to_day("2020-01-01") == dt.date(2020, 1, 1)
    assert to_day(None) == dt.date.today()
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        to_day("01/01/2020")


@given(partial_dates(), partial_dates())
def test_compare_is_antisymmetric(a: PartialDate, b: PartialDate) -> None:
    flipped = {Order.BEFORE: Order.AFTER, Order.AFTER: Order.BEFORE}
    order = compare(a, b)
    assert compare(b, a) is flipped.get(order, order)


@given(partial_dates(), partial_dates())
def test_compare_never_pretends(a: PartialDate, b: PartialDate) -> None:
    """BEFORE only when every day a may stand for precedes every day b may stand for."""
    order = compare(a, b)
    if order is Order.BEFORE:
        assert a.latest < b.earliest
    elif order is Order.AFTER:
        assert a.earliest > b.latest
    elif order is Order.SAME:
        assert a == b and a.precision == "day"
    else:
        # Unknown: some day of a is not before some day of b, and vice versa, or they are one fuzzy date.
        assert not a.latest < b.earliest and not a.earliest > b.latest


@given(partial_dates(), partial_dates(), partial_dates())
def test_before_is_transitive(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    if compare(a, b) is Order.BEFORE and compare(b, c) is Order.BEFORE:
        assert compare(a, c) is Order.BEFORE


@given(partial_dates())
def test_round_trip(value: PartialDate) -> None:
    assert PartialDate.parse(str(value)) == value
    assert value.earliest <= value.latest
