"""MkDocs hooks of the site (mkdocs.yml ``hooks:``): the light search index.

After Material's search plugin has written ``search/search_index.json``, the entries of
the generated pages are replaced by the compact ones of ``sitegen.search`` (a page entry
per state, an entry per city with its offices). Hooks run after the plugins.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen import search
from sitegen.facts import Site


def on_post_build(config: Any) -> None:
    import consulates

    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    site = Site(consulates.default_registry(), dt.date.today())
    merged = search.merge(index, search.entries(site))
    path.write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
