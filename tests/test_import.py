"""`import consulates` stays cheap: no heavy modules, no data read, no package metadata."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
import consulates
after_import = sorted(m for m in sys.modules if m.split(".")[0] in {"rich", "geopy", "pycountry", "argparse", "click", "typer"} or m == "importlib.metadata")
data_read_at_import = [path for path in opened if path.endswith((".json", ".toml"))]
consulates.find(sending="KZ")
consulates.find(sending="KZ")
after_find = sorted(m for m in sys.modules if m in {"tomllib", "pycountry", "rich", "geopy"})
reads = [path for path in opened if path.endswith("registry.jsonl")]
print(json.dumps([after_import, data_read_at_import, after_find, reads]))
"""


def test_import_is_light_and_loads_once() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    after_import, data_read_at_import, after_find, reads = json.loads(result.stdout)
    assert after_import == []
    assert data_read_at_import == []
    assert after_find == []
    # The header once, then Kazakhstan's lines once: the second query reads nothing.
    assert len(reads) == 2


def test_tests_run_without_network() -> None:
    """The suite runs with sockets blocked (pytest-socket); a test reaching out would fail."""
    import socket

    import pytest_socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except pytest_socket.SocketBlockedError:
        return
    raise AssertionError("sockets are not blocked in the test suite")


def test_public_functions_survive_submodule_imports() -> None:
    """A submodule named like a package function would replace it once imported (consulates.stats did)."""
    import importlib
    import pkgutil

    import consulates

    for module in pkgutil.iter_modules(consulates.__path__):
        if module.name != "__main__":
            importlib.import_module(f"consulates.{module.name}")
    for name in ("find", "get", "lookup", "ordinal", "history", "stats", "near", "serving", "default_registry"):
        assert callable(getattr(consulates, name)), name
