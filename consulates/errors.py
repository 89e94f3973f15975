"""The errors the registry raises, each specific enough to act on."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["DataError", "GeocodingError", "Problem", "UnknownCountryError", "UnknownOfficeError", "UnknownPlaceError"]


@attrs.frozen
class Problem:
    """One thing wrong in a data file, located as precisely as the reader could."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataError(Exception):
    """Bad data: every problem found, each as ``file:line: field: message``."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class _NotFoundError(LookupError):
    """Something asked for by name that is not there; the message names the closest matches.

    ``str()`` is the message alone (a plain LookupError would show it quoted, like a KeyError).
    """

    what = "value"

    def __init__(self, value: str, suggestions: Sequence[str] = (), *, hint: str = "") -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        close = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {self.what} {value!r}{close}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownCountryError(_NotFoundError):
    """A state or entity that the registry cannot resolve; the message suggests close names."""

    what = "country"


class UnknownOfficeError(_NotFoundError):
    """An office id that is not in the registry; the message suggests close ids."""

    what = "office id"


class UnknownPlaceError(_NotFoundError):
    """A place name that cannot be resolved offline (or by the geocoder given); suggests close city names."""

    what = "place"


class GeocodingError(LookupError):
    """The geocoder given to a query failed (timeout, service error); the place is unresolved."""

    def __str__(self) -> str:
        return str(self.args[0])
