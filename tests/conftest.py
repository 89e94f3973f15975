"""Shared fixtures: the synthetic registry the code tests run on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from consulates.datafiles import compile_data
from consulates.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic"

GOOD = """\
[[office]]
id = "kz-cn-xian"
kind = "consulate-general"
host = "CN"
city = "Xi'an"
subdivision = "CN-SN"
opened = 2023-05-19
sources = ["https://example.org/a"]
"""
"""One valid office record: the validator tests break it a field at a time (line numbers depend on it)."""


@pytest.fixture(scope="session")
def synthetic() -> Registry:
    """The synthetic data folder, compiled and loaded the way the package loads its own."""
    return Registry.parse(compile_data(SYNTHETIC))


@pytest.fixture(scope="module")
def registry_cities_only() -> Iterator[None]:
    """Places from the registry's own cities only: the GeoNames tables are slow to load and not the point here.

    For the documentation tests (``pytestmark = pytest.mark.usefixtures("registry_cities_only")``),
    which put ``docs/`` on the import path for ``sitegen``.
    """
    from sitegen import placing

    from consulates import geo

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(geo, "_gazetteer", lambda: None)
        patch.setattr(placing, "_places", dict)
        yield
