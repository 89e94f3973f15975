"""Groups, ordinals over any selection, and claims with their verdicts (synthetic data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from consulates.claims import FAILS, HOLDS, ONLY_IF, UNDECIDED, check
from consulates.datafiles.reference import decode_group
from consulates.errors import UnknownCountryError
from consulates.model import Claim, Source
from consulates.registry import Registry

SOURCE = (Source(url="https://example.org/claim"),)


def test_groups_by_name_and_membership_by_day(synthetic: Registry) -> None:
    groups = synthetic.groups
    assert groups.get("central asian states") is groups.get("Central-Asia") is groups.get("CENTRAL ASIA")
    assert groups.get("the European Union") is groups.get("EU")
    assert groups.get("western China", of="states") is None  # a group of subdivisions
    asia = groups.get("Asia")
    assert asia is not None
    assert groups.codes(asia) == {"KZ", "KG", "TJ", "TM", "UZ", "CN", "JP"}  # through the nested group
    eu = groups.get("EU")
    assert eu is not None
    assert groups.codes(eu, dt.date(2019, 1, 1)) == {"FR", "GB"}
    assert groups.codes(eu, dt.date(2020, 2, 1)) == {"FR"}
    assert groups.codes(eu, dt.date(1958, 6, 1)) == {"FR"}
    # In 1973 the day of joining is not known: GB may or may not be a member on 1973-06-01.
    assert groups.codes(eu, dt.date(1973, 6, 1)) == {"FR", "GB"}
    assert groups.codes(eu, dt.date(1973, 6, 1), certain=True) == {"FR"}


def test_the_xian_claims(synthetic: Registry) -> None:
    among = {"sending": "Central Asia", "subdivision": "western China"}
    answer = synthetic.ordinal("kz-cn-xian", among=among, kinds="consular")
    # Lanzhou (closed since) came before it in western China; Urumqi opened "not before 1995-03", so
    # the data cannot tell whether it came before: 2nd or 3rd.
    assert (answer.value, answer.lowest, answer.highest) == (None, 2, 3)
    assert [office.id for office in answer.earlier] == ["kz-cn-lanzhou"]
    assert [office.id for office in answer.undecided] == ["kz-cn-urumqi"]
    assert str(answer).startswith("2nd to 3rd consular post of a state of Central Asia in western China (counting")
    without_closed = synthetic.ordinal("kz-cn-xian", among=among, kinds="consular", include_closed=False)
    assert (without_closed.lowest, without_closed.highest) == (1, 2)
    # The default is the office's own state, kind and host.
    assert synthetic.ordinal("kz-cn-xian").value == 4


def test_selection_words_and_errors(synthetic: Registry) -> None:
    selection = synthetic.selection({"sending": ["KZ", "Central Asia"], "host": "CN", "city": "Xian"})
    assert selection.sending == {"KZ", "KG", "TJ", "TM", "UZ"}
    assert selection.place_words == "Xian, China"
    with pytest.raises(UnknownCountryError) as error:
        synthetic.selection({"sending": "Central Asai"})
    assert "Central Asia" in str(error.value)
    with pytest.raises(ValueError, match="among takes"):
        synthetic.selection({"sender": "KZ"})
    with pytest.raises(TypeError):
        synthetic.selection({"sending": [3]})


def _claimed(registry: Registry, office_id: str, **fields: object) -> tuple[Registry, Claim]:
    office = registry.lookup(office_id)
    claim = Claim(text="claimed", sources=SOURCE, **fields)  # type: ignore[arg-type]
    return registry, attrs.evolve(office, claims=(claim,)).claims[0]


@pytest.mark.parametrize(
    ("office_id", "fields", "status", "condition"),
    [
        ("kz-cn-xian", {"ordinal": 4}, HOLDS, ""),
        ("kz-cn-xian", {"ordinal": 3, "count_sars": False}, HOLDS, ""),
        ("kz-cn-xian", {"ordinal": 3}, ONLY_IF, "Hong Kong and Macau are left out"),
        (
            "kz-cn-xian",
            {"ordinal": 1, "sending": "central-asia", "subdivision": "western-china", "kinds": ("consular",)},
            FAILS,
            "",
        ),
        (
            "kz-cn-xian",
            {"ordinal": 2, "sending": "central-asia", "subdivision": "western-china", "kinds": ("consular",)},
            UNDECIDED,
            "",
        ),
        # Urumqi opened "not before 1995-03": it may have come before Lanzhou (2001) or not.
        ("kz-cn-lanzhou", {"ordinal": 1}, UNDECIDED, ""),
    ],
)
def test_verdicts(synthetic: Registry, office_id: str, fields: dict[str, object], status: str, condition: str) -> None:
    registry, claim = _claimed(synthetic, office_id, **fields)
    verdict = check(registry, registry.lookup(office_id), claim)
    assert verdict.status == status, str(verdict)
    assert verdict.condition == condition
    assert str(verdict).startswith(status)


def test_the_build_compiles_groups_into_the_registry(synthetic: Registry, tmp_path: Path) -> None:
    assert len(synthetic.groups) == 4
    with pytest.raises(ValueError, match="of is"):
        decode_group({"id": "x", "name": "X", "of": "planets", "members": ["KZ"], "sources": ["https://e.org/"]})
    with pytest.raises(ValueError, match="until"):
        decode_group(
            {
                "id": "x",
                "name": "X",
                "of": "states",
                "members": [{"code": "KZ", "since": "2000", "until": "1999"}],
                "sources": ["https://e.org/"],
            }
        )
