from __future__ import annotations

import pytest

from consulates import UnknownCountryError, countries


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("KZ", "KZ"),
        ("kaz", "KZ"),
        ("398", "KZ"),
        ("Kazakhstan", "KZ"),
        ("Republic of Kazakhstan", "KZ"),
        ("Russia", "RU"),
        ("South Korea", "KR"),
        ("The Gambia", "GM"),
        ("the Bahamas", "BS"),
        ("East Timor", "TL"),
        ("Republic of Ireland", "IE"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("USSR", "SUHH"),
        ("Soviet Union", "SUHH"),
        ("Kosovo", "XK"),
        ("Order of Malta", "XM"),
        ("European Union", "EU"),
        ("4", "AF"),
    ],
)
def test_resolve(value: str, code: str) -> None:
    assert countries.resolve(value) == code


def test_unknown_country_suggests() -> None:
    with pytest.raises(UnknownCountryError) as caught:
        countries.resolve("Kazakstan")
    assert "KZ (Kazakhstan)" in str(caught.value)
    assert caught.value.suggestions[0] == "KZ (Kazakhstan)"
    with pytest.raises(LookupError):
        countries.resolve("Narnia")
    with pytest.raises(LookupError):
        countries.resolve("")


def test_names_and_status() -> None:
    assert countries.name("KR") == "South Korea"
    assert countries.name("SUHH") == "Soviet Union"
    assert countries.state("SUHH").status == "former"
    assert countries.state("XK").status == "entity"
    assert countries.is_known("XM")
    assert not countries.is_known("ZZ")
    assert countries.subdivision_country("CN-HK") == "CN"
    assert countries.subdivision_country("CN-ZZ") is None
