"""Shared fixtures: the synthetic registry the code tests run on."""

from __future__ import annotations

from pathlib import Path

import pytest

from consulates.build import compile_data
from consulates.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic"


@pytest.fixture(scope="session")
def synthetic() -> Registry:
    """The synthetic data folder, compiled and loaded the way the package loads its own."""
    return Registry.parse(compile_data(SYNTHETIC))
