"""Reading, checking and compiling ``data/`` (for maintainers and tests; never at run time)."""

from __future__ import annotations

from consulates.datafiles.compiler import DATA, Dataset, compile_data, load_data, source_digest

__all__ = ["DATA", "Dataset", "compile_data", "load_data", "source_digest"]
