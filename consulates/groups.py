"""Groups of states and of subdivisions: "Central Asia", "the EU", "western China".

A claim such as "the first consular office of a Central Asian state in western China"
counts over groups, and so can any query. Groups are data (``data/groups.toml``), each
with its sources; a membership that changed carries its dates (the United Kingdom in the
EU until 2020-01-31), and a group may have other groups as members (Asia is Central,
Eastern, Southern, South-eastern and Western Asia).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs

from consulates.dates import PartialDate, within
from consulates.model import Source
from consulates.text import fold

__all__ = ["Group", "Groups", "Member"]

STATES = "states"
SUBDIVISIONS = "subdivisions"


@attrs.frozen
class Member:
    """A state, a subdivision or another group, a member from ``since`` to ``until`` (both included)."""

    code: str
    since: PartialDate | None = None
    until: PartialDate | None = None

    def member_on(self, day: dt.date) -> bool | None:
        """Whether a member that day; None where the dates (a year, a month) cannot tell."""
        return within(day, self.since, self.until)


@attrs.frozen
class Group:
    """A named group: of states (``of="states"``) or of ISO 3166-2 subdivisions."""

    id: str
    name: str
    of: str
    members: tuple[Member, ...]
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    notes: str | None = None


class Groups:
    """The registry's groups, found by id, name or alias in any case and spelling."""

    def __init__(self, groups: Iterable[Group] = ()) -> None:
        self._by_id = {group.id: group for group in groups}
        self._by_name: dict[str, Group] = {}
        for group in self._by_id.values():
            for name in (group.id, group.name, *group.aliases):
                self._by_name.setdefault(_key(name), group)

    def __iter__(self) -> Iterator[Group]:
        return iter(sorted(self._by_id.values(), key=lambda group: group.id))

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def by_id(self) -> Mapping[str, Group]:
        return self._by_id

    def get(self, text: str, of: str | None = None) -> Group | None:
        """The group named ``text`` (id, name or alias), of states or subdivisions if ``of`` is given."""
        group = self._by_name.get(_key(text))
        if group is None or (of is not None and group.of != of):
            return None
        return group

    def names(self, of: str | None = None) -> dict[str, str]:
        """Folded name -> name as written, for suggestions."""
        return {
            _key(name): name
            for group in self._by_id.values()
            if of is None or group.of == of
            for name in (group.name, *group.aliases)
        }

    def codes(self, group: Group, on: dt.date | None = None, *, certain: bool = False) -> frozenset[str]:
        """The states or subdivisions in a group on a day, through nested groups.

        With no day, every code that was ever a member. On a day, members whose dates
        cannot tell are kept, unless ``certain``.
        """
        found: set[str] = set()
        self._collect(group, on, certain, found, set())
        return frozenset(found)

    def _collect(self, group: Group, on: dt.date | None, certain: bool, found: set[str], seen: set[str]) -> None:
        seen.add(group.id)
        for member in group.members:
            if on is not None:
                answer = member.member_on(on)
                if answer is False or (answer is None and certain):
                    continue
            inner = self._by_id.get(member.code)
            if inner is None:
                found.add(member.code)
            elif inner.id not in seen:
                self._collect(inner, on, certain, found, seen)

    def containing(self, code: str) -> list[Group]:
        """The groups that have ``code`` as a member at some time, directly or through another group."""
        return [group for group in self if code in self.codes(group)]


def _key(text: str) -> str:
    """Names match whatever their case, accents, spaces, hyphens and a leading "the"."""
    words = text.split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return fold(" ".join(words))
