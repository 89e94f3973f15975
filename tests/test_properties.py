"""Property-based tests: find's filters, and records surviving the trip through the codec."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from consulates.codec import decode_office, encode_office
from consulates.datafiles import compile_data
from consulates.dates import DateBounds, PartialDate
from consulates.model import Event, EventType, Kind, Location, Office, Source, cities_of
from consulates.registry import Registry
from consulates.text import fold

from .conftest import SYNTHETIC

_REGISTRY = Registry.parse(compile_data(SYNTHETIC))
_SENDING = sorted({office.sending for office in _REGISTRY.offices})
_HOSTS = sorted({office.host for office in _REGISTRY.offices})
_CITIES = sorted({office.city for office in _REGISTRY.offices if office.city})


@settings(max_examples=300, deadline=None)
@given(
    sending=st.none() | st.sampled_from(_SENDING),
    host=st.none() | st.sampled_from(_HOSTS),
    kind=st.none() | st.sampled_from(list(Kind)),
    city=st.none() | st.sampled_from(_CITIES),
    on=st.none() | st.dates(dt.date(1940, 1, 1), dt.date(2026, 1, 1)),
)
def test_every_result_satisfies_every_filter(
    sending: str | None, host: str | None, kind: Kind | None, city: str | None, on: dt.date | None
) -> None:
    found = _REGISTRY.find(sending=sending, host=host, kind=kind, city=city, on=on)
    day = on or dt.date.today()
    for office in found:
        assert sending is None or office.sending == sending
        assert host is None or office.host == host
        assert city is None or _in_city(office, city, day)
        assert kind is None or _of_kind(office, kind, day)
        # `on` agrees with the dates: nothing the dates (or its states' lifespans) show closed or not yet open.
        assert _REGISTRY.open_on(office, day) is not False
        if office.opened is not None and office.opened.earliest is not None:
            assert office.opened.earliest <= day
        if office.closed is not None and office.closed.latest is not None:
            assert day < office.closed.latest
    # And nothing that satisfies them is missing.
    everything = [
        office
        for office in _REGISTRY.offices
        if (sending is None or office.sending == sending)
        and (host is None or office.host == host)
        and (city is None or _in_city(office, city, day))
        and (kind is None or _of_kind(office, kind, day))
        and _REGISTRY.open_on(office, day) is not False  # its dates, bounded by its states' lifespans
    ]
    assert found == everything


def _in_city(office: Office, city: str, day: dt.date) -> bool:
    """In the city that day; where a move's date cannot place the day, in any of its cities (kept, not guessed)."""
    there = office.city_on(day)
    return any(fold(name) == fold(city) for name in ([there] if there else cities_of(office)))


def _of_kind(office: Office, kind: Kind, day: dt.date) -> bool:
    """Of the kind that day; where a change of kind cannot be placed, any kind it ever had."""
    current = office.kind_on(day)
    return current is kind or (current is None and office.ever_was(frozenset({kind})))


_text = st.text(
    st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda text: text.strip() == text and text.strip() != "")


def _cut(day: dt.date, precision: int) -> PartialDate:
    """The day, kept to the year (0), the month (1) or the day (2)."""
    return PartialDate(day.year, day.month if precision else None, day.day if precision == 2 else None)


_partial = st.builds(_cut, st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 2))
_dating = (
    _partial
    | st.builds(DateBounds, not_before=_partial, not_after=st.none())
    | st.builds(DateBounds, not_before=st.none(), not_after=_partial)
)
_source = st.builds(Source, url=st.just("https://example.org/s"), title=st.none() | _text, date=st.none() | _partial)


@st.composite
def offices(draw: st.DrawFn) -> Office:
    return Office(
        id=draw(st.from_regex(r"[a-z0-9]{1,5}(-[a-z0-9]{1,5}){0,3}", fullmatch=True)),
        kind=draw(st.sampled_from(list(Kind))),
        sending="KZ",
        host=draw(st.sampled_from(["CN", "RU", "US"])),
        sources=tuple(draw(st.lists(_source, min_size=1, max_size=3))),
        city=draw(st.none() | _text),
        location=draw(
            st.none()
            | st.builds(
                Location,
                st.floats(-90, 90, allow_nan=False),
                st.floats(-180, 180, allow_nan=False),
                st.sampled_from(["site", "city"]),
            )
        ),
        opened=draw(st.none() | _dating),
        names=draw(st.dictionaries(st.sampled_from(["en", "zh", "kk", "ru"]), _text, max_size=3)),
        events=tuple(
            draw(
                st.lists(
                    st.builds(Event, date=_dating, type=st.just(EventType.RENAMED), note=st.none() | _text), max_size=2
                )
            )
        ),
    )


@settings(max_examples=200, deadline=None)
@given(offices())
def test_codec_round_trip(office: Office) -> None:
    problems: list[tuple[str, str]] = []
    decoded = decode_office(encode_office(office), lambda field, message: problems.append((field, message)))
    assert problems == []
    assert decoded == office


@given(st.text(max_size=20))
def test_a_name_folds_alike_in_any_case(name: str) -> None:
    # The validator's duplicate check and find(city=...) both rest on this: "Diyarbakır"
    # and "DIYARBAKIR", "Łódź" and "ŁÓDŹ" are one city.
    assert fold(name.upper()) == fold(name) == fold(name.lower())


def test_letters_without_a_decomposition_fold_to_plain_letters() -> None:
    assert fold("Diyarbakır") == fold("DIYARBAKIR") == "diyarbakir"
    assert fold("Łódź") == fold("Lodz") == "lodz"
    assert fold("Straße") == fold("STRASSE") == "strasse"
