from __future__ import annotations

import datetime as dt

import pytest

from consulates import Kind, UnknownCountryError, UnknownOfficeError
from consulates.dates import PartialDate
from consulates.model import EventType
from consulates.registry import Registry


def ids(offices: list) -> list[str]:  # type: ignore[type-arg]
    return [office.id for office in offices]


def test_find_by_codes_and_names(synthetic: Registry) -> None:
    expected = ids(synthetic.find(sending="KZ", host="CN"))
    assert "kz-cn-xian" in expected
    for sending in ("KZ", "kz", "KAZ", "398", "Kazakhstan", "Republic of Kazakhstan"):
        assert ids(synthetic.find(sending=sending, host="China")) == expected


def test_find_defaults_to_open_today(synthetic: Registry) -> None:
    assert "kz-cn-lanzhou" not in ids(synthetic.find(sending="KZ"))
    assert "kz-cn-lanzhou" in ids(synthetic.find(sending="KZ", include_closed=True))


def test_find_on_a_day(synthetic: Registry) -> None:
    on_2004 = ids(synthetic.find(sending="KZ", host="CN", on="2004-01-01"))
    assert "kz-cn-lanzhou" in on_2004
    assert "kz-cn-xian" not in on_2004
    assert "kz-cn-hong-kong" in on_2004
    # Shanghai opened "2005": on 2005-03-01 the data cannot tell, so it is kept.
    assert "kz-cn-shanghai" in ids(synthetic.find(sending="KZ", on=dt.date(2005, 3, 1)))
    assert "kz-cn-shanghai" not in ids(synthetic.find(sending="KZ", on="2004-12-31"))
    assert "kz-cn-xian" not in ids(synthetic.find(sending="KZ", on="2023-05-18"))
    assert "kz-cn-xian" in ids(synthetic.find(sending="KZ", on="2023-05-19"))


def test_closed_and_reopened(synthetic: Registry) -> None:
    kabul = synthetic.lookup("us-af-kabul")
    assert kabul.open_on(dt.date(1980, 1, 1)) is True
    assert kabul.open_on(dt.date(1995, 1, 1)) is False
    assert kabul.open_on(dt.date(2010, 1, 1)) is True
    assert kabul.open_on(dt.date(2022, 1, 1)) is False
    assert ids(synthetic.find(sending="US", host="AF", on="1995-01-01")) == []
    assert ids(synthetic.find(sending="US", host="AF", on="2010-01-01")) == ["us-af-kabul"]


def test_kind_on_a_day_follows_upgrades(synthetic: Registry) -> None:
    urumqi = synthetic.lookup("kz-cn-urumqi")
    assert urumqi.kind_on(dt.date(2000, 1, 1)) is Kind.CONSULATE
    assert urumqi.kind_on(dt.date(2011, 1, 1)) is Kind.CONSULATE_GENERAL
    assert "kz-cn-urumqi" in ids(synthetic.find(sending="KZ", kind="consulate", on="2000-01-01"))
    assert "kz-cn-urumqi" not in ids(synthetic.find(sending="KZ", kind="consulate-general", on="2000-01-01"))


def test_sars_are_found_as_hosts(synthetic: Registry) -> None:
    assert ids(synthetic.find(host="HK")) == ["kz-cn-hong-kong"]
    assert ids(synthetic.find(host="Hong Kong")) == ["kz-cn-hong-kong"]
    assert "kz-cn-hong-kong" in ids(synthetic.find(host="CN"))
    assert ids(synthetic.find(host="MO")) == []


def test_city_matching(synthetic: Registry) -> None:
    for city in ("Xian", "Xi’an", "XI'AN", "xi an"):
        assert ids(synthetic.find(city=city)) == ["kz-cn-xian"]
    assert ids(synthetic.find(city="Urumqi")) == ["kz-cn-urumqi"]
    assert ids(synthetic.find(city="Nur-Sultan")) == ["us-kz-astana"]
    assert ids(synthetic.find(city="akmola", host="KZ")) == ["us-kz-astana"]


def test_find_order_is_documented(synthetic: Registry) -> None:
    found = synthetic.find(include_closed=True)
    keys = [(office.sending, office.host) for office in found]
    assert keys == sorted(keys)
    embassy_first = ids(synthetic.find(sending="KZ", host="CN"))
    assert embassy_first[0] == "kz-cn-beijing"


def test_bad_arguments(synthetic: Registry) -> None:
    with pytest.raises(UnknownCountryError, match="did you mean KZ"):
        synthetic.find(sending="Kazakstan")
    with pytest.raises(LookupError):
        synthetic.find(host="Narnia")
    with pytest.raises(ValueError, match="did you mean consulate-general"):
        synthetic.find(kind="consulate-generl")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        synthetic.find(on="yesterday")
    with pytest.raises(ValueError, match="not both"):
        synthetic.find(on="2020-01-01", include_closed=True)


def test_get_and_lookup(synthetic: Registry) -> None:
    assert synthetic.get("kz-cn-xian") is synthetic.lookup("kz-cn-xian")
    assert synthetic.get("nope") is None
    with pytest.raises(UnknownOfficeError, match="kz-cn-xian"):
        synthetic.lookup("kz-cn-xain")


def test_retired_ids_lead_to_successor(synthetic: Registry) -> None:
    assert synthetic.get("kz-cn-xi-an") is synthetic.lookup("kz-cn-xian")
    assert synthetic.get("kz-cn-old") is synthetic.lookup("kz-cn-xian")
    assert synthetic.get("kz-cn-wrong") is None
    with pytest.raises(UnknownOfficeError, match="withdrawn"):
        synthetic.lookup("kz-cn-wrong")


def test_ordinal_states_its_rule(synthetic: Registry) -> None:
    xian = synthetic.lookup("kz-cn-xian")
    with_sars = synthetic.ordinal(xian)
    assert with_sars.value == 4
    assert ids(list(with_sars.earlier)) == ["kz-cn-hong-kong", "kz-cn-shanghai", "kz-cn-urumqi"]
    assert "Hong Kong and Macau included" in with_sars.rule
    assert str(with_sars).startswith("4th consulate general of Kazakhstan in China")
    mainland = synthetic.ordinal(xian, count_sars=False)
    assert mainland.value == 3
    assert "left out" in mainland.rule


def test_ordinal_undecided_gives_a_range(synthetic: Registry) -> None:
    # Urumqi opened "not before 1995-03" as a consulate; Lanzhou opened 2001 as one.
    lanzhou = synthetic.lookup("kz-cn-lanzhou")
    answer = synthetic.ordinal(lanzhou)
    assert answer.value is None
    assert (answer.lowest, answer.highest) == (1, 2)
    assert ids(list(answer.undecided)) == ["kz-cn-urumqi"]
    assert "1st to 2nd" in str(answer)


def test_ordinal_rules(synthetic: Registry) -> None:
    xian = synthetic.lookup("kz-cn-xian")
    # Counting consulates too brings in Lanzhou (2001) before Xi'an.
    wider = synthetic.ordinal(xian, kinds=["consulate-general", "consulate"])
    assert "kz-cn-lanzhou" in ids(list(wider.earlier))
    narrower = synthetic.ordinal(xian, kinds=["consulate-general", "consulate"], include_closed=False)
    assert "kz-cn-lanzhou" not in ids(list(narrower.earlier + narrower.undecided))
    with pytest.raises(ValueError, match="count_sars=True"):
        synthetic.ordinal("kz-cn-hong-kong", count_sars=False)
    with pytest.raises(ValueError, match="never"):
        synthetic.ordinal("kz-cn-beijing", kinds=["consulate"])


def test_history_in_order(synthetic: Registry) -> None:
    entries = synthetic.history(sending="KZ", host="CN")
    kinds = [(entry.office.id, entry.type) for entry in entries]
    assert ("kz-cn-urumqi", EventType.UPGRADED) in kinds
    assert ("kz-cn-lanzhou", EventType.CLOSED) in kinds
    dated = [entry.date for entry in entries if entry.date is not None]
    lows = [date.earliest or dt.date.min for date in dated]
    assert lows == sorted(lows)
    assert entries[-1].office.id == "kz-cn-xian"
    upgrade = next(entry for entry in entries if entry.type is EventType.UPGRADED)
    assert "upgraded from consulate to consulate general" in upgrade.describe()


def test_history_of_reopened_office(synthetic: Registry) -> None:
    types = [entry.type for entry in synthetic.history(sending="US", host="AF")]
    assert types == [EventType.OPENED, EventType.CLOSED, EventType.REOPENED, EventType.CLOSED]


def test_registry_refuses_duplicate_ids(synthetic: Registry) -> None:
    office = synthetic.lookup("kz-cn-xian")
    with pytest.raises(ValueError, match="unique"):
        Registry([office, office])


def test_open_on_precision() -> None:
    from consulates.model import Office, Source

    office = Office("x", Kind.EMBASSY, "KZ", "CN", (Source(url="https://example.org"),), opened=PartialDate(2023))
    assert office.open_on(dt.date(2023, 3, 1)) is None
    assert office.open_on(dt.date(2024, 1, 1)) is True
    assert office.open_on(dt.date(2022, 12, 31)) is False
    unknown = Office("y", Kind.EMBASSY, "KZ", "CN", (Source(url="https://example.org"),))
    assert unknown.open_on(dt.date(2000, 1, 1)) is None


def test_stats(synthetic: Registry) -> None:
    (everything,) = synthetic.stats().values()
    assert everything.offices == len(synthetic.offices)
    assert everything.closed == sum(office.closed is not None for office in synthetic.offices)
    by_kind = synthetic.stats("kind", sending="KZ")
    assert next(iter(by_kind)) == "embassy"
    assert by_kind["consulate"].offices == 1 and by_kind["consulate"].closed == 1
    assert sum(counts.offices for counts in by_kind.values()) == len(synthetic.find(sending="KZ", include_closed=True))
    assert by_kind["embassy"].share("with_location") == 0.5
    with pytest.raises(ValueError, match="group by one of"):
        synthetic.stats("colour")
