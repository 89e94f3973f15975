"""Hypothesis profiles for the fuzz tests: a short run by default (CI), a long one on demand.

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz_loader.py tests/test_fuzz_cli.py

The profiles are registered with Hypothesis as ``short`` and ``long``, but only the fuzz
tests use them (through :func:`fuzz`): the other property tests keep Hypothesis' own
defaults whichever profile is asked for. Each fuzz test says how many cases it runs in
each profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["LONG", "PROFILE", "fuzz"]

_SHARED = {
    "deadline": None,  # file system and first-use imports make single cases slow at random
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    "print_blob": True,
}
settings.register_profile("short", max_examples=100, **_SHARED)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=5000, **_SHARED)  # type: ignore[arg-type]

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "short")
if PROFILE not in ("short", "long"):
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: the fuzz tests know the profiles short and long")
LONG = PROFILE == "long"


def fuzz(short: int, long: int) -> settings:
    """Settings for one fuzz test: ``short`` cases by default, ``long`` with HYPOTHESIS_PROFILE=long."""
    return settings(settings.get_profile(PROFILE), max_examples=long if LONG else short)
