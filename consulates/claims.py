"""Claims checked: what a source said about an office's place, against what the registry counts.

A claim holds when the registry counts the same place under the claim's own rule. Where
it does not, the rule is varied one way at a time (Hong Kong and Macau in or out, closed
offices in or out, a wider or narrower family of kinds): a claim that holds under one of
those "holds only if" that rule is used, which is usually how its author counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from consulates.counting import Ordinal, ordinal_word
from consulates.model import Claim, Office

if TYPE_CHECKING:
    from consulates.registry import Registry

__all__ = ["FAILS", "HOLDS", "ONLY_IF", "UNDECIDED", "Verdict", "check", "verdicts"]

HOLDS = "holds"
ONLY_IF = "holds only if"
FAILS = "fails"
UNDECIDED = "cannot be decided"

# Wider kinds tried in turn when the claim's own do not give its number, with the change in words.
_WIDER = {
    "consular": (
        (
            "consular-with-embassy-offices",
            "embassy offices (such as passport and visa offices) count as consular posts",
        ),
        ("consular-with-honorary", "honorary consulates count as consular posts"),
    ),
    "consulate-general": (("consular", "consulates and other consular posts count too"),),
    "consulate": (("consular", "consulates general and other consular posts count too"),),
    "embassies": (("diplomatic", "embassy offices and other diplomatic missions count too"),),
    "embassy": (("embassies", "high commissions, nunciatures and legations count too"),),
}


@attrs.frozen
class Verdict:
    """A claim, the registry's count under the claim's rule, and the verdict."""

    office: Office
    claim: Claim
    status: str
    """:data:`HOLDS`, :data:`ONLY_IF`, :data:`FAILS` or :data:`UNDECIDED`."""
    answer: Ordinal
    """The registry's count under the claim's own rule."""
    condition: str = ""
    """For :data:`ONLY_IF`: the change of rule under which it holds, in words."""
    alternative: Ordinal | None = None
    """For :data:`ONLY_IF`: the count under that rule."""
    caveats: tuple[str, ...] = ()
    """For :data:`HOLDS`: the one-step changes of rule under which it would not hold."""

    def __str__(self) -> str:
        said = f"claims {ordinal_word(self.claim.ordinal)}"
        if self.status == HOLDS:
            unless = f" (it would not if {' or '.join(self.caveats)})" if self.caveats else ""
            return f"holds: {said}, the registry counts {self.answer}{unless}"
        if self.status == UNDECIDED:
            return f"cannot be decided: {said}, the dates allow {self.answer}"
        if self.status == ONLY_IF:
            return f"holds only if {self.condition}: {said}; under the claim's rule the registry counts {self.answer}"
        return f"fails: {said}, the registry counts {self.answer}"


def _options(office: Office, claim: Claim) -> dict[str, Any]:
    among = {key: getattr(claim, key) for key in ("sending", "host", "subdivision", "city") if getattr(claim, key)}
    if among and "sending" not in among:
        among["sending"] = office.sending
    if among and "host" not in among and "subdivision" not in among and "city" not in among:
        among["host"] = office.host
    return {
        "count_sars": claim.count_sars,
        "include_closed": claim.include_closed,
        "kinds": list(claim.kinds) or None,
        "among": among or None,
    }


def _variants(options: dict[str, Any], office: Office) -> Iterator[tuple[str, dict[str, Any]]]:
    """Rules one change away from the claim's, each with the change in words."""
    sars = options["count_sars"]
    yield ("Hong Kong and Macau are left out" if sars else "Hong Kong and Macau are counted"), {
        **options,
        "count_sars": not sars,
    }
    closed = options["include_closed"]
    yield ("offices closed before it are left out" if closed else "closed offices are counted too"), {
        **options,
        "include_closed": not closed,
    }
    kinds = options["kinds"] or [office.kind.value]
    for kind in kinds:
        for wider, words in _WIDER.get(kind, ()):
            yield words, {**options, "kinds": [wider if item == kind else item for item in kinds]}


def check(registry: Registry, office: Office, claim: Claim) -> Verdict:
    """The verdict on one claim; a ValueError or LookupError if the claim cannot be counted at all."""
    options = _options(office, claim)
    answer = registry.ordinal(office, **options)
    variants = []
    for condition, variant in _variants(options, office):
        try:
            variants.append((condition, registry.ordinal(office, **variant)))
        except ValueError:  # e.g. an office in Hong Kong with Hong Kong left out
            continue
    if answer.value == claim.ordinal:
        caveats = tuple(condition for condition, other in variants if other.value != claim.ordinal)
        return Verdict(office, claim, HOLDS, answer, caveats=caveats)
    for condition, other in variants:
        if other.value == claim.ordinal:
            return Verdict(office, claim, ONLY_IF, answer, condition, other)
    if answer.lowest <= claim.ordinal <= answer.highest:
        return Verdict(office, claim, UNDECIDED, answer)
    return Verdict(office, claim, FAILS, answer)


def verdicts(registry: Registry, offices: Iterable[Office] | None = None) -> list[Verdict]:
    """The verdict on every claim of these offices (every office by default), in registry order."""
    found: list[Verdict] = []
    for office in registry.offices if offices is None else offices:
        found.extend(check(registry, office, claim) for claim in office.claims)
    return found
