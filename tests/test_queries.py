"""Queries people can trust: several values per filter, periods and statuses, and an API that fails loudly.

All on the synthetic registry (tests/fixtures/synthetic).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import consulates
from consulates import DateBounds, Kind, Office, PartialDate, Source, UnknownCountryError, countries
from consulates.datafiles import compile_data
from consulates.dates import Period, parse_dating, sort_key, to_period
from consulates.errors import DataError
from consulates.registry import Registry

from .conftest import SYNTHETIC


def ids(offices: list[Office]) -> list[str]:
    return [office.id for office in offices]


# -- several values per filter -----------------------------------------------------------------


def test_several_values_are_alternatives_and_filters_combine(synthetic: Registry) -> None:
    both = synthetic.find(sending=["KZ", "US"], kind=["embassy"], include_closed=True)
    assert ids(both) == ["kz-cn-beijing", "kz-ru-moscow", "us-af-kabul", "us-kz-astana", "us-ly-tripoli", "us-ua-kyiv"]
    # Names and codes mix; a set or a generator works as well as a list.
    assert ids(synthetic.find(sending=(s for s in ["Kazakhstan", "USA"]), host={"KZ", "RU"})) == [
        "kz-ru-kazan",
        "kz-ru-moscow",
        "us-kz-almaty",
        "us-kz-astana",
    ]
    assert ids(synthetic.find(sending="KZ", city=["Xian", "Moscow"])) == ["kz-cn-xian", "kz-ru-moscow"]
    assert ids(synthetic.find(subdivision=["CN-SN", "CN-BJ"])) == ["kz-cn-beijing", "kz-cn-xian"]


def test_hong_kong_in_a_list_of_hosts(synthetic: Registry) -> None:
    assert ids(synthetic.find(host=["HK", "RU"])) == ["kz-cn-hong-kong", "kz-ru-kazan", "kz-ru-moscow"]
    assert "kz-cn-hong-kong" in ids(synthetic.find(host=["CN", "HK"]))


def test_one_resolver_for_every_state_filter(synthetic: Registry) -> None:
    assert countries.resolve_states("Kazakhstan") == frozenset({"KZ"})
    assert countries.resolve_states(["KZ", "kaz", "398"]) == frozenset({"KZ"})
    with pytest.raises(UnknownCountryError, match="did you mean KZ"):
        countries.resolve_states(["US", "Kazakstan"])
    with pytest.raises(TypeError):
        countries.resolve_states(398)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty"):
        synthetic.find(sending=[])


# -- periods and statuses ----------------------------------------------------------------------


def test_periods_parse() -> None:
    assert to_period("2000") == Period(dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    assert to_period("2000-02") == Period(dt.date(2000, 2, 1), dt.date(2000, 2, 29))
    assert to_period(dt.date(2001, 5, 6)).is_day
    assert to_period(between=("1990", "2000-06")) == Period(dt.date(1990, 1, 1), dt.date(2000, 6, 30))
    with pytest.raises(ValueError, match="YYYY"):
        to_period("May 2000")
    with pytest.raises(ValueError, match="before it starts"):
        to_period(between=("2001", "2000"))
    with pytest.raises(TypeError):
        to_period(2000.5)  # type: ignore[arg-type]


def test_a_year_asks_about_all_its_days(synthetic: Registry) -> None:
    # Lanzhou opened 2001-01-15 and closed 2008-09-30; Xi'an opened 2023-05-19.
    assert "kz-cn-lanzhou" in ids(synthetic.find(sending="KZ", on="2001"))
    assert "kz-cn-lanzhou" not in ids(synthetic.find(sending="KZ", on="2000"))
    assert "kz-cn-lanzhou" in ids(synthetic.find(sending="KZ", on="2008-09"))
    assert "kz-cn-lanzhou" not in ids(synthetic.find(sending="KZ", on="2008-10"))
    xian = synthetic.lookup("kz-cn-xian")
    assert xian.open_on("2023") is True  # certainly open on some day of 2023
    assert xian.open_on("2023-05-18") is False
    assert xian.open_on(PartialDate(2023, 5)) is True


def test_status_keeps_open_closed_and_unknown_apart(synthetic: Registry) -> None:
    on = "1999-01-01"
    # Ürümqi opened "not before 1995-03": the dates cannot tell; Moscow (1992) is certainly open.
    assert ids(synthetic.find(sending="KZ", on=on, status="open")) == ["kz-cn-beijing", "kz-ru-moscow"]
    assert ids(synthetic.find(sending="KZ", on=on, status="unknown")) == ["kz-cn-urumqi", "kz-ru-kazan"]
    closed = ids(synthetic.find(sending="KZ", on=on, status="closed"))
    assert closed == ["kz-cn-hong-kong", "kz-cn-lanzhou", "kz-cn-shanghai", "kz-cn-xian"]
    everything = synthetic.find(sending="KZ", on=on, status=["open", "closed", "unknown"])
    assert len(everything) == len(synthetic.find(sending="KZ", include_closed=True))
    # The default keeps what is not shown closed: open and unknown.
    assert ids(synthetic.find(sending="KZ", on=on)) == ["kz-cn-beijing", "kz-cn-urumqi", "kz-ru-kazan", "kz-ru-moscow"]
    with pytest.raises(ValueError, match="unknown status 'maybe'"):
        synthetic.find(status="maybe")
    with pytest.raises(ValueError, match="give one"):
        synthetic.find(status="open", include_closed=True)


def test_between_and_gaps(synthetic: Registry) -> None:
    # Kabul: opened 1948, closed 1989-01-30, reopened 2002-01-17, closed 2021-08-31.
    assert synthetic.find(sending="US", host="AF", between=("1990", "2001"), status="closed")
    assert synthetic.find(sending="US", host="AF", between=("1990", "2002"), status="open")
    kabul = synthetic.lookup("us-af-kabul")
    assert kabul.open_on(Period(dt.date(1990, 1, 1), dt.date(2001, 12, 31))) is False
    with pytest.raises(ValueError, match="not both"):
        synthetic.find(on="2000", between=("1990", "2000"))


def test_kind_during_a_period(synthetic: Registry) -> None:
    # Ürümqi: a consulate until it became a consulate general on 2010-06-01.
    assert ids(synthetic.find(kind="consulate", on="2009-01-01")) == ["kz-cn-urumqi"]
    assert ids(synthetic.find(kind="consulate-general", on="2010", host="CN", city="Urumqi")) == ["kz-cn-urumqi"]
    assert ids(synthetic.find(kind="consulate", on="2010", city="Urumqi")) == ["kz-cn-urumqi"]
    urumqi = synthetic.lookup("kz-cn-urumqi")
    assert urumqi.kind_on("2009-12-31").value == "consulate"
    assert urumqi.kind_on("2011").value == "consulate-general"


# -- the API: records, types, order ------------------------------------------------------------


def test_records_are_read_only(synthetic: Registry) -> None:
    xian = synthetic.lookup("kz-cn-xian")
    with pytest.raises(TypeError):
        xian.names["fr"] = "x"  # type: ignore[index]
    assert "fr" not in synthetic.lookup("kz-cn-xian").names
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        xian.city = "Lanzhou"  # type: ignore[misc]
    # A dict given to the constructor is copied, so changing it later changes nothing.
    names = {"en": "A"}
    office = attrs.evolve(xian, names=names)
    names["en"] = "B"
    assert office.names["en"] == "A"


def test_a_long_city_is_refused_not_matched_slowly(synthetic: Registry) -> None:
    with pytest.raises(ValueError, match="at most 200 characters"):
        synthetic.find(city="A" * 20000)
    with pytest.raises(ValueError, match="at most 200"):
        synthetic.find(city=["Xian", "B" * 201])


def test_city_is_folded_once_per_query(synthetic: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    from consulates import registry as module

    calls: list[str] = []
    real = module.fold

    def counting(text: str) -> str:
        calls.append(text)
        return real(text)

    fresh = Registry(synthetic.offices)
    monkeypatch.setattr(module, "fold", counting)
    fresh.find(city="xi'an", include_closed=True)
    assert calls.count("xi'an") == 1
    calls.clear()
    fresh.find(city="lanzhou", include_closed=True)  # the offices' own cities were folded by the first query
    assert calls == ["lanzhou"]


def test_dates_have_a_total_order() -> None:
    by_1949 = parse_dating({"not_after": "1949-10-13"})
    dates = [PartialDate(2023), by_1949, PartialDate(1779), PartialDate(2023, 1, 1), PartialDate(2023, 1)]
    assert sorted(dates) == [
        PartialDate(1779),
        by_1949,
        PartialDate(2023, 1, 1),
        PartialDate(2023, 1),
        PartialDate(2023),
    ]
    assert sorted(dates, key=sort_key) == sorted(dates)
    assert PartialDate(1779) < by_1949 and by_1949 > PartialDate(1779)
    assert PartialDate(2003, 8, 1) < DateBounds(not_before=PartialDate(2003, 8)) < PartialDate(2003, 8, 2)
    assert sort_key(None) > sort_key(PartialDate(9999))
    with pytest.raises(TypeError):
        _ = PartialDate(2000) < "2001"


def test_offices_sort_in_the_registry_order(synthetic: Registry) -> None:
    offices = synthetic.find(include_closed=True)
    assert sorted(reversed(offices)) == offices
    by_opening = sorted(offices, key=lambda office: sort_key(office.opened))
    assert by_opening[0].id == "us-af-kabul" and by_opening[-1].id == "kz-ru-kazan"  # 1948 first, undated last


def test_open_on_takes_strings(synthetic: Registry) -> None:
    xian = synthetic.lookup("kz-cn-xian")
    assert xian.open_on("2023-03-01") is False
    assert xian.open_on(" 2024-01-01 ") is True
    assert xian.open_on(dt.date(2024, 1, 1)) is True
    with pytest.raises(ValueError):
        xian.open_on("yesterday")
    with pytest.raises(TypeError):
        xian.open_on(3.5)  # type: ignore[arg-type]


def test_to_dict_is_json_ready_and_reads_back(synthetic: Registry) -> None:
    offices = synthetic.find(include_closed=True)
    records = [office.to_dict() for office in offices]
    text = json.dumps(records)
    assert json.loads(text)[0]["id"] == offices[0].id
    again = Registry.from_records(json.loads(text))
    assert again.find(include_closed=True) == offices
    assert Registry.from_records(offices).find(include_closed=True) == offices
    with pytest.raises(DataError, match="kind"):
        Registry.from_records([{**records[0], "kind": "palace"}])
    with pytest.raises(TypeError):
        Registry.from_records([42])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "arguments",
    [
        {"sending": 398},
        {"host": b"KZ"},
        {"kind": 3},
        {"city": 5},
        {"subdivision": 7},
        {"on": 2000.5},
        {"status": 1},
        {"include_closed": "yes"},
        {"between": "1990"},
    ],
)
def test_wrong_types_raise_type_error(synthetic: Registry, arguments: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        synthetic.find(**arguments)


def test_wrong_types_for_ids(synthetic: Registry) -> None:
    with pytest.raises(TypeError):
        synthetic.get(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        synthetic.lookup(None)  # type: ignore[arg-type]


def test_first_load_happens_once(monkeypatch: pytest.MonkeyPatch, synthetic: Registry) -> None:
    loads: list[int] = []
    barrier = threading.Barrier(8)

    def load(cls: type[Registry], *args: Any) -> Registry:
        loads.append(1)
        return synthetic

    monkeypatch.setattr(consulates, "_registry", None)
    monkeypatch.setattr(Registry, "load", classmethod(load))
    found: list[Registry] = []

    def worker() -> None:
        barrier.wait()
        found.append(consulates.default_registry())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and len(found) == 8 and all(item is synthetic for item in found)


def test_generated_names_read_as_english(synthetic: Registry) -> None:
    assert synthetic.lookup("us-kz-astana").name == "Embassy of the United States in Astana"
    assert synthetic.lookup("kz-cn-shanghai").name == "Consulate General of Kazakhstan in Shanghai"
    assert synthetic.lookup("kz-cn-xian").name == "Consulate General of Kazakhstan in Xi'an"  # names["en"]
    cityless = attrs.evolve(synthetic.lookup("kz-ru-kazan"), city=None)
    assert cityless.name == "Consulate General of Kazakhstan in Russia"
    assert countries.name_in_text("NL") == "the Netherlands" and countries.name_in_text("KZ") == "Kazakhstan"


# -- properties --------------------------------------------------------------------------------

_REGISTRY = Registry.parse(compile_data(SYNTHETIC))
_STATES = sorted({office.sending for office in _REGISTRY.offices} | {office.host for office in _REGISTRY.offices})
_WHEN = st.one_of(
    st.dates(dt.date(1940, 1, 1), dt.date(2030, 12, 31)).map(str),
    st.integers(1940, 2030).map(str),
    st.tuples(st.integers(1940, 2030), st.integers(1, 12)).map(lambda pair: f"{pair[0]}-{pair[1]:02d}"),
)


@settings(max_examples=200, deadline=None)
@given(
    senders=st.lists(st.sampled_from(_STATES), min_size=1, max_size=3),
    kinds=st.lists(st.sampled_from(list(Kind)), min_size=1, max_size=3),
    on=_WHEN,
)
def test_several_values_are_the_union_of_one_each(senders: list[str], kinds: list[Kind], on: str) -> None:
    together = _REGISTRY.find(sending=senders, kind=kinds, on=on)
    apart = {
        office.id
        for sending in senders
        for kind in kinds
        for office in _REGISTRY.find(sending=sending, kind=kind, on=on)
    }
    assert {office.id for office in together} == apart
    assert together == sorted(together)  # still in the registry's order


@settings(max_examples=200, deadline=None)
@given(on=_WHEN, end=_WHEN)
def test_statuses_split_every_office_in_three(on: str, end: str) -> None:
    everything = {office.id for office in _REGISTRY.find(include_closed=True)}
    parts = [{office.id for office in _REGISTRY.find(on=on, status=status)} for status in ("open", "closed", "unknown")]
    assert set.union(*parts) == everything
    assert sum(map(len, parts)) == len(everything)  # disjoint
    # Open at some time in a period: open in any span containing it too.
    start = min([on, end], key=lambda text: to_period(text).first)
    stop = max([on, end], key=lambda text: to_period(text).last)
    span = {office.id for office in _REGISTRY.find(between=(start, stop), status="open")}
    assert {office.id for office in _REGISTRY.find(on=on, status="open")} <= span
    assert {office.id for office in _REGISTRY.find(on=end, status="open")} <= span


def test_a_closing_known_only_from_below_has_happened_by_today() -> None:
    # The data records a closing only once it has happened, so "closed, not before 1998-09-21"
    # means closed by today: shown closed today, unknown between the bound and today.
    miami = Office(
        id="kr-us-miami",
        kind=Kind.CONSULATE_GENERAL,
        sending="KR",
        host="US",
        sources=(Source(url="https://example.org/1998-cuts"),),
        opened=PartialDate(1980),
        closed=DateBounds(not_before=PartialDate(1998, 9, 21)),
    )
    assert miami.open_on(dt.date.today()) is False
    assert miami.open_on(dt.date.today() + dt.timedelta(days=400)) is False
    assert miami.open_on("1998-09-20") is True
    assert miami.open_on("2005-01-01") is None
    # A closing bounded above is closed from its last possible day on, whichever day it was.
    december = attrs.evolve(miami, closed=PartialDate(2014, 12))
    assert december.open_on("2014-12-31") is False
    assert december.open_on("2014-12-15") is None
    assert december.open_on("2014-11-30") is True
