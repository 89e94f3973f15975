"""History that is true on every day: moves, renames, suspensions, successions (synthetic data)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from consulates.dates import PartialDate
from consulates.model import Event, EventType, Kind, Office, Source
from consulates.registry import Registry

SOURCE = (Source(url="https://example.org/x"),)


def ids(offices: list[Office]) -> list[str]:
    return [office.id for office in offices]


def test_an_embassy_that_followed_the_capital(synthetic: Registry) -> None:
    # The embassy was in Almaty until 2006-08, then in Astana; Almaty then got a consulate general.
    assert ids(synthetic.find(sending="US", host="KZ", city="Almaty", on="2000-01-01")) == ["us-kz-astana"]
    assert ids(synthetic.find(sending="US", host="KZ", city="Almaty", on="2010-01-01")) == ["us-kz-almaty"]
    assert ids(synthetic.find(sending="US", host="KZ", city="Astana", on="2000-01-01")) == []
    assert ids(synthetic.find(sending="US", host="KZ", city="Astana", on="2010-01-01")) == ["us-kz-astana"]
    # Without a day, an office is found in every city it has been in.
    assert "us-kz-astana" in ids(synthetic.find(sending="US", city="Almaty", include_closed=True))


def test_answers_on_a_day_are_as_precise_as_the_dates(synthetic: Registry) -> None:
    embassy = synthetic.lookup("us-kz-astana")
    assert embassy.city_on("2006-07-31") == "Almaty"
    assert embassy.city_on(dt.date(2006, 8, 15)) is None  # moved "2006-08": that day cannot be told
    assert embassy.city_on("2006-09-01") == "Astana"
    assert embassy.location_on("2000-01-01") is None  # the Almaty site is not recorded
    assert embassy.location_on("2020-01-01") == embassy.location
    # Inside the month of the move, an open office is still kept by find().
    assert "us-kz-astana" in ids(synthetic.find(sending="US", city="Astana", on="2006-08-15"))


def test_a_rename(synthetic: Registry) -> None:
    almaty = synthetic.lookup("us-kz-almaty")
    assert almaty.name_on("2008-01-01") == "U.S. Consulate Almaty"
    assert almaty.name_on("2010-03-01") == "U.S. Consulate General Almaty"
    assert almaty.name == "U.S. Consulate General Almaty"
    assert almaty.predecessors == ("us-kz-astana",)


def test_a_suspension_is_not_a_closure(synthetic: Registry) -> None:
    kyiv = synthetic.lookup("us-ua-kyiv")
    assert kyiv.open_on("2022-03-01") is False
    assert kyiv.suspended_on("2022-03-01") is True
    assert kyiv.suspended_on("2021-03-01") is False
    assert kyiv.open_on("2023-01-01") is True
    assert kyiv.closed is None
    assert ids(synthetic.find(sending="US", host="UA", on="2022-03-01")) == []
    assert ids(synthetic.find(sending="US", host="UA", on="2022-06-01")) == ["us-ua-kyiv"]
    words = [entry.describe() for entry in synthetic.history(sending="US", host="UA")]
    assert words[1] == "Kyiv: embassy suspended (staff withdrawn, not closed)"
    assert words[2] == "Kyiv: embassy resumed"


def test_history_describes_moves_and_renames(synthetic: Registry) -> None:
    words = [entry.describe() for entry in synthetic.history(sending="US", host="KZ")]
    assert "embassy moved from Almaty to Astana" in words
    assert "Almaty: consulate general renamed from U.S. Consulate Almaty to U.S. Consulate General Almaty" in words


def test_seated_elsewhere(synthetic: Registry) -> None:
    tripoli = synthetic.lookup("us-ly-tripoli")
    assert (tripoli.host, tripoli.seated_in, tripoli.city) == ("LY", "TN", "Tunis")
    assert ids(synthetic.find(sending="US", host="LY")) == ["us-ly-tripoli"]


def test_near_on_a_day_measures_from_where_an_office_was() -> None:
    # Two sites 700 km apart; the office moved from the first to the second in 2006.
    moving = Office(
        id="us-kz-astana",
        kind=Kind.EMBASSY,
        sending="US",
        host="KZ",
        sources=SOURCE,
        city="Astana",
        location=_location(51.13, 71.43),
        opened=PartialDate(1992),
        events=(
            Event(
                date=PartialDate(2006, 8),
                type=EventType.MOVED,
                from_city="Almaty",
                city="Astana",
                sources=SOURCE,
            ),
        ),
    )
    staying = Office(
        id="us-kz-almaty-x",
        kind=Kind.CONSULATE_GENERAL,
        sending="US",
        host="KZ",
        sources=SOURCE,
        city="Almaty",
        location=_location(43.22, 76.95),
        opened=PartialDate(1992),
    )
    registry = Registry([moving, staying])
    today = [office.id for office, _ in registry.near((51.1, 71.4), k=2)]
    assert today == ["us-kz-astana", "us-kz-almaty-x"]
    # In 2000 the embassy's site is unknown (only its city): it is left out, as offices without a location are.
    in_2000 = [office.id for office, _ in registry.near((51.1, 71.4), k=2, on="2000-01-01")]
    assert in_2000 == ["us-kz-almaty-x"]


def _location(latitude: float, longitude: float):  # type: ignore[no-untyped-def]
    from consulates.model import Location

    return Location(latitude, longitude)


DAYS = st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=DAYS)
def test_find_on_a_day_agrees_with_the_answers_on_that_day(synthetic: Registry, day: dt.date) -> None:
    everything = synthetic.find(include_closed=True)
    found = set(ids(synthetic.find(on=day)))
    for office in everything:
        assert (office.id in found) == (synthetic.open_on(office, day) is not False)
        city = office.city_on(day)
        if office.id in found and city is not None:
            assert office.id in ids(synthetic.find(sending=office.sending, city=city, on=day))
        kind = office.kind_on(day)
        if office.id in found and kind is not None:
            assert office.id in ids(synthetic.find(sending=office.sending, kind=kind, on=day))
        if office.suspended_on(day):
            assert office.id not in found


def test_no_office_is_older_than_its_states(synthetic: Registry) -> None:
    spans = synthetic.lifespans
    assert spans["KZ"].exists_on(dt.date(1985, 1, 1)) is False
    assert spans["KZ"].exists_on(dt.date(1991, 12, 16)) is True
    undated = Office(id="kz-ru-omsk", kind=Kind.CONSULATE, sending="KZ", host="RU", sources=SOURCE, city="Omsk")
    hosted = Office(id="fr-kz-almaty", kind=Kind.EMBASSY, sending="FR", host="KZ", sources=SOURCE, city="Almaty")
    registry = Registry([undated, hosted], lifespans=spans.values())
    for office in (undated, hosted):
        assert office.open_on("1985-01-01") is None  # its own dates cannot tell
        assert registry.open_on(office, "1985-01-01") is False  # Kazakhstan did not exist
        assert registry.open_on(office, "1995-01-01") is None  # and after 1991 nothing decides
    # A consulate may be older than its host's independence (one in a republic of the Soviet
    # Union); only an embassy, accredited to the state itself, cannot.
    consular = Office(id="fr-kz-almaty-cg", kind=Kind.CONSULATE_GENERAL, sending="FR", host="KZ", sources=SOURCE)
    assert Registry([consular], lifespans=spans.values()).open_on(consular, "1985-01-01") is None
    # A lifespan never overrides what an office's own dates say.
    dated = synthetic.lookup("kz-cn-xian")
    assert synthetic.open_on(dated, "2024-01-01") is dated.open_on("2024-01-01") is True
