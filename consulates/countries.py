"""Resolving states and other sending entities from codes and names.

Offices are keyed by ISO 3166-1 alpha-2 codes. A few senders have none, and use the
codes in :data:`ENTITIES`; states that no longer exist use their ISO 3166-3 code
(``SUHH`` for the USSR, ``YUCS`` for Yugoslavia). Hong Kong and Macau are hosts only
as subdivisions of China (``CN-HK``, ``CN-MO``), following ISO 3166-2; asking for host
``HK`` or ``MO`` finds the offices there. pycountry is imported here only, and only when
a name or a code outside the registry's own has to be resolved.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import attrs

from consulates.errors import UnknownCountryError
from consulates.text import fold

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

__all__ = [
    "ENTITIES",
    "SARS",
    "State",
    "is_known",
    "name",
    "name_in_text",
    "resolve",
    "resolve_states",
    "state",
    "subdivision",
    "subdivision_ancestors",
    "subdivision_country",
]


@attrs.frozen
class State:
    """A sending or host state, or an entity that sends missions without being one."""

    code: str
    name: str
    official_name: str | None = None
    alpha_3: str | None = None
    numeric: str | None = None
    status: str = "state"
    """``"state"``, ``"entity"`` (no ISO 3166-1 code of its own) or ``"former"`` (ISO 3166-3)."""


ENTITIES: dict[str, State] = {
    state.code: state
    for state in (
        State("EU", "European Union", status="entity"),
        State("XK", "Kosovo", "Republic of Kosovo", status="entity"),
        State("XM", "Sovereign Order of Malta", "Sovereign Military Hospitaller Order of Saint John", status="entity"),
    )
}
"""Senders without an ISO 3166-1 entry. ``EU`` is exceptionally reserved by ISO;
``XK`` is the user-assigned code in common use for Kosovo; ``XM`` is this project's
user-assigned code for the Sovereign Order of Malta."""

SARS = {"HK": "CN-HK", "MO": "CN-MO"}
"""Special administrative regions: hosts by their own ISO 3166-1 code, stored as CN subdivisions."""

TERRITORIES = {
    **SARS,
    "PR": "US-PR", "GU": "US-GU", "VI": "US-VI", "AS": "US-AS", "MP": "US-MP", "UM": "US-UM",
    "AW": "NL-AW", "CW": "NL-CW", "SX": "NL-SX",
    "GP": "FR-971", "MQ": "FR-972", "GF": "FR-973", "RE": "FR-974", "YT": "FR-976",
    "PM": "FR-PM", "NC": "FR-NC", "PF": "FR-PF", "WF": "FR-WF", "BL": "FR-BL", "MF": "FR-MF", "TF": "FR-TF",
    "SJ": "NO-21", "AX": "FI-01",
}  # fmt: skip
"""Territories with their own ISO 3166-1 code that ISO 3166-2 lists as a subdivision of their sovereign:
offices there are hosted by the sovereign with that subdivision, as Hong Kong's are by CN with CN-HK."""

_SHORT_NAMES = {
    "BO": "Bolivia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Holy See",
    "VE": "Venezuela",
    "VN": "Vietnam",
    "SUHH": "Soviet Union",
    "YUCS": "Yugoslavia",
    "CSHH": "Czechoslovakia",
    "DDDE": "East Germany",
    "CSXX": "Serbia and Montenegro",
    "YDYE": "South Yemen",
    "VDVN": "North Vietnam",
}
"""Names as people write them, where ISO's name is the formal or inverted one."""

_ALIASES = {
    "America": "US",
    "USA": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "Czech Republic": "CZ",
    "Turkey": "TR",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Macedonia": "MK",
    "Brunei": "BN",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Burma": "MM",
    "Swaziland": "SZ",
    "East Timor": "TL",
    "USSR": "SUHH",
    "Republic of China": "TW",
    "Republic of Ireland": "IE",
    "People's Republic of China": "CN",
    "PRC": "CN",
    "DRC": "CD",
    "Order of Malta": "XM",
    "Sovereign Military Order of Malta": "XM",
    "SMOM": "XM",
}


def _pycountry_states() -> Iterable[State]:
    import pycountry

    for country in pycountry.countries:
        code = country.alpha_2
        yield State(
            code=code,
            name=_SHORT_NAMES.get(code) or getattr(country, "common_name", None) or country.name,
            official_name=getattr(country, "official_name", None) or country.name,
            alpha_3=country.alpha_3,
            numeric=country.numeric,
        )
    for former in pycountry.historic_countries:
        code = former.alpha_4
        yield State(
            code=code,
            name=_SHORT_NAMES.get(code) or former.name.split(",")[0],
            official_name=former.name,
            alpha_3=getattr(former, "alpha_3", None),
            numeric=getattr(former, "numeric", None),
            status="former",
        )


@functools.cache
def _tables() -> tuple[dict[str, State], dict[str, str]]:
    """All states by code, and every folded code, name and alias to its code."""
    import pycountry

    states: dict[str, State] = {}
    for item in _pycountry_states():
        states.setdefault(item.code, item)
    states.update(ENTITIES)
    index: dict[str, str] = {}
    current = [item for item in states.values() if item.status != "former"]
    former = [item for item in states.values() if item.status == "former"]
    # Earlier entries win: codes over names, today's states over aliases, and all of
    # them over former states ("East Timor" is Timor-Leste, not the ISO 3166-3 entry).
    for item in current:
        for key in (item.code, item.alpha_3, item.numeric):
            if key:
                index.setdefault(fold(key), item.code)
    for item in current:
        for key in (item.name, item.official_name):
            if key:
                index.setdefault(fold(key), item.code)
    for country in pycountry.countries:
        index.setdefault(fold(country.name), country.alpha_2)
    for alias, code in _ALIASES.items():
        index.setdefault(fold(alias), code)
    for item in former:
        for key in (item.code, item.alpha_3, item.numeric, item.name, item.official_name):
            if key:
                index.setdefault(fold(key), item.code)
    return states, index


def resolve(value: str) -> str:
    """The code of a state given as alpha-2, alpha-3, numeric, name or common alias.

    Raises :class:`UnknownCountryError` with the closest names when nothing matches.
    """
    if not isinstance(value, str) or not value.strip():
        raise UnknownCountryError(str(value))
    states, index = _tables()
    key = fold(value)
    code = index.get(key) or (index.get(key[3:]) if key.startswith("the") else None)
    if code is not None:
        return code
    # A numeric code may be given without leading zeros ("4" for Afghanistan).
    if value.strip().isdigit():
        code = index.get(value.strip().zfill(3))
        if code is not None:
            return code
    raise UnknownCountryError(value, _suggest(value, states, index))


def resolve_states(value: str | Iterable[str], *, known: Collection[str] = ()) -> frozenset[str]:
    """The codes of the states a filter names: one code or name, or an iterable of them.

    Every state filter of the API (``sending=``, ``host=``) goes through here, so a new
    way of naming states is added in one place. Codes in ``known`` (the registry's own)
    and the SAR codes ``HK`` and ``MO`` are taken as they are, without pycountry. An
    unknown name raises :class:`UnknownCountryError` with suggestions; anything but text
    or an iterable of text raises TypeError.
    """
    if isinstance(value, str):
        items: Iterable[object] = (value,)
    elif isinstance(value, bytes) or not hasattr(value, "__iter__"):
        raise TypeError(f"a state is given as text or an iterable of text, not {type(value).__name__}")
    else:
        items = value
    codes = set()
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"a state is given as text, not {type(item).__name__}")
        code = item.strip().upper()
        codes.add(code if code in known or code in SARS else resolve(item))
    if not codes:
        raise ValueError("an empty list of states selects nothing: give at least one")
    return frozenset(codes)


def _suggest(value: str, states: dict[str, State], index: dict[str, str]) -> list[str]:
    import difflib

    key = fold(value)
    close = difflib.get_close_matches(key, list(index), n=6, cutoff=0.6)
    suggestions: list[str] = []
    for match in close:
        code = index[match]
        text = f"{code} ({states[code].name})"
        if text not in suggestions:
            suggestions.append(text)
    return suggestions[:3]


def state(code: str) -> State:
    """The state with this code (as stored in the registry)."""
    states, _ = _tables()
    try:
        return states[code]
    except KeyError:
        raise UnknownCountryError(code, _suggest(code, states, _tables()[1])) from None


def name(code: str) -> str:
    """The state's name as people write it: ``"Kazakhstan"``, ``"South Korea"``, ``"Soviet Union"``."""
    states, _ = _tables()
    found = states.get(code)
    return found.name if found else code


_ARTICLE_WORDS = ("Republic", "Kingdom", "Union", "Islands", "Emirates", "States", "Federation", "Order", "See")
_ARTICLE_NAMES = frozenset({"Netherlands", "Philippines", "Bahamas", "Gambia", "Comoros", "Maldives", "Seychelles"})


def name_in_text(code: str) -> str:
    """The state's name as it reads inside a sentence: "the United States", "Kazakhstan", "the Holy See"."""
    text = name(code)
    words = text.split()
    if text in _ARTICLE_NAMES or (words and words[0] in ("United", "Democratic", "Federated", "Central", "Sovereign")):
        return f"the {text}"
    if any(word in _ARTICLE_WORDS for word in words) and not text.startswith("the "):
        return f"the {text}"
    return text


def is_known(code: str) -> bool:
    """Whether ``code`` is a code the registry may store (alpha-2, entity, or former state)."""
    return code in _tables()[0]


def subdivision_country(code: str) -> str | None:
    """The alpha-2 code of the country an ISO 3166-2 subdivision belongs to; None if unknown."""
    import pycountry

    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return None if found is None else str(found.country_code)


def subdivision_name(code: str) -> str:
    """``"CN-SC"`` -> ``"Sichuan Sheng"`` (ISO 3166-2's English or romanised name); the code if unknown."""
    import pycountry

    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(found.name) if found is not None else code


def subdivision(value: str) -> str:
    """An ISO 3166-2 code checked against pycountry: ``"cn-sc"`` -> ``"CN-SC"``, ``"HK"`` -> ``"CN-HK"``.

    Anything else raises ValueError naming close codes, matched by code or by name.
    """
    import pycountry

    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not an ISO 3166-2 subdivision code: {value!r}")
    code = value.strip().upper()
    code = SARS.get(code, code)
    if pycountry.subdivisions.get(code=code) is not None:  # type: ignore[no-untyped-call]
        return code
    close = _close_subdivisions(value)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise ValueError(f"unknown ISO 3166-2 subdivision {value!r}{hint}")


def _close_subdivisions(value: str) -> list[str]:
    """Subdivisions whose name starts like ``value`` ("Sichuan"), else codes that look like it."""
    import difflib

    import pycountry

    key = fold(value)
    every = list(pycountry.subdivisions)
    if len(key) >= 3:
        named = [f"{item.code} ({item.name})" for item in every if fold(item.name).startswith(key)]
        if named:
            return sorted(named)[:3]
    codes = [item.code for item in every]
    return difflib.get_close_matches(value.strip().upper(), codes, n=3, cutoff=0.6)


def subdivision_ancestors(code: str) -> tuple[str, ...]:
    """The subdivision and those containing it, innermost first: ``("FR-75C", "FR-IDF")``."""
    import pycountry

    chain = [code]
    while True:
        found = pycountry.subdivisions.get(code=chain[-1])  # type: ignore[no-untyped-call]
        parent = getattr(found, "parent_code", None)
        if not parent or parent in chain:
            return tuple(chain)
        chain.append(str(parent))
