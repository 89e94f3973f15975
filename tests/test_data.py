"""Data tests: the real data under data/ and the compiled registry shipped with the package."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import consulates
from consulates import countries
from consulates.datafiles import DATA, compile_data, load_data
from consulates.datafiles.compiler import Dataset
from consulates.registry import ARTIFACT


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_data(DATA)


def test_real_data_has_no_problems(dataset: Dataset) -> None:
    assert [str(problem) for problem in dataset.problems] == []


def test_compiled_registry_is_up_to_date() -> None:
    assert Path(ARTIFACT).read_bytes() == compile_data(DATA), "run: python -m consulates.datafiles"


def test_every_record_is_sourced_and_unique(dataset: Dataset) -> None:
    offices = [office for office, _, _ in dataset.offices]
    assert offices
    assert all(office.sources for office in offices)
    assert all(source.url or source.citation for office in offices for source in office.sources)
    duplicates = [key for key, n in Counter(office.id for office in offices).items() if n > 1]
    assert duplicates == []


def test_codes_resolve_and_dates_are_past(dataset: Dataset) -> None:
    today = dt.date.today()
    for office, _, _ in dataset.offices:
        assert countries.is_known(office.sending), office.id
        assert countries.is_known(office.host), office.id
        if office.subdivision:
            assert countries.subdivision_country(office.subdivision) == office.host, office.id
        for date in (office.opened, office.closed):
            if date is not None and date.earliest is not None:
                assert date.earliest <= today, office.id


def test_the_seed_fact() -> None:
    found = {office.id: office for office in consulates.find(sending="KZ", host="CN")}
    xian = found["kz-cn-xian"]
    assert xian.kind is consulates.Kind.CONSULATE_GENERAL
    assert str(xian.opened) == "2023-05-19"
    assert xian.opened is not None and xian.opened.precision == "day"
    assert xian.subdivision == "CN-SN"
    assert any("people.cn" in (source.url or "") for source in xian.sources)
    assert consulates.find(sending="Kazakhstan", host="China", city="Xian") == [xian]
    assert xian not in consulates.find(sending="KZ", host="CN", on="2023-05-18")
    assert xian in consulates.find(sending="KZ", host="CN", on="2023-05-19")


def test_the_seed_ordinal_both_ways() -> None:
    xian = consulates.lookup("kz-cn-xian")
    reported = consulates.ordinal(xian)
    assert reported.value == 3
    assert {office.id for office in reported.earlier} == {"kz-cn-hong-kong", "kz-cn-shanghai"}
    assert consulates.ordinal(xian, count_sars=False).value == 2
    claim = xian.claims[0]
    assert claim.ordinal == 3 and claim.count_sars


def test_the_xian_claims_have_verdicts() -> None:
    from consulates.claims import HOLDS, check

    registry = consulates.default_registry()
    xian = registry.lookup("kz-cn-xian")
    texts = {claim.text: check(registry, xian, claim) for claim in xian.claims}
    third = next(verdict for text, verdict in texts.items() if "third consulate general" in text)
    first = next(verdict for text, verdict in texts.items() if "Central Asian country in western China" in text)
    assert third.status == HOLDS and third.answer.value == 3
    # Kazakhstan's Urumqi office is a passport and visa office (an embassy office), not a consular post.
    assert first.answer.value == 1 and first.status == HOLDS
    wider = registry.ordinal(
        xian, among={"sending": "Central Asia", "subdivision": "western China"}, kinds="consular-with-embassy-offices"
    )
    assert "kz-cn-urumqi" in {office.id for office in (*wider.earlier, *wider.undecided)}


def test_hong_kong_is_found_as_host() -> None:
    assert "kz-cn-hong-kong" in [office.id for office in consulates.find(sending="KZ", host="HK")]
