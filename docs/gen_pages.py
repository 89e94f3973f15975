"""The pages and files generated from the registry: a page per sending state, per host state and of
offices per sending state, an index, a data report, the downloads and the maps' world outlines.

MkDocs runs this file through the mkdocs-gen-files plugin (see ``mkdocs.yml``); what it
writes lives only in the built site and is never committed. :func:`render` returns the
pages as ``{path: text}`` for any registry (the tests use a synthetic one), and

    .venv/bin/python docs/gen_pages.py OUT

writes everything into a folder, for a look without MkDocs. The work is done by the
modules of ``docs/sitegen/``, one job each; this file puts them together. Everything
taken from the data is escaped (``sitegen.text``) before it is written.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen import downloads
from sitegen.cells import sources_html, table
from sitegen.claims_page import CLAIMS_PAGE, render_claims
from sitegen.facts import Site, display_name, is_open, state_name, status
from sitegen.handwritten import EXPANDED, expand
from sitegen.maps import MAP_FIELDS, MAP_SCRIPTS
from sitegen.office_pages import render_offices
from sitegen.overview import render_index, render_report
from sitegen.paths import DOWNLOADS_PAGE, INDEX_PAGE, REPORT_PAGE, host_page, office_page, sending_page
from sitegen.placing import Placer
from sitegen.state_pages import render_host, render_sending
from sitegen.text import clean, h, md, safe_url, slug
from sitegen.timeline import timeline_svg
from sitegen.world import WORLD_SCRIPT, topology_features, world_script

from consulates.datafiles.reference import NetworkReference, load_networks
from consulates.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
IMPORT_REPORT = ROOT / "data" / "imported" / "REPORT.md"

__all__ = [
    "MAP_FIELDS",
    "MAP_SCRIPTS",
    "clean",
    "display_name",
    "expand",
    "generate",
    "h",
    "is_open",
    "md",
    "render",
    "safe_url",
    "slug",
    "sources_html",
    "state_name",
    "status",
    "table",
    "timeline_svg",
    "topology_features",
    "world_script",
]


def render(
    registry: Registry,
    *,
    today: dt.date | None = None,
    import_report: str | None = None,
    repository: str | None = None,
    networks: Mapping[str, NetworkReference] | None = None,
) -> dict[str, str]:
    """Every generated page, ``{path under docs/: Markdown}`` (the downloads page aside: it needs the files' sizes)."""
    site = Site(registry, today or dt.date.today(), repository, networks)
    placer = Placer(registry)
    pages = {
        INDEX_PAGE: render_index(site),
        REPORT_PAGE: render_report(site, import_report),
        CLAIMS_PAGE: render_claims(site),
    }
    for code in site.by_sending:
        pages[sending_page(code)] = render_sending(site, placer, code)
        pages[office_page(code)] = render_offices(site, placer, code)
    for code in site.by_host:
        pages[host_page(code)] = render_host(site, placer, code)
    return pages


def generate(write: Callable[[str, str | bytes], None], registry: Registry | None = None) -> int:
    """Write every page, download, generated part of a hand-written page and the world's outlines."""
    if registry is None:
        import consulates

        registry = consulates.default_registry()
    report = IMPORT_REPORT.read_text(encoding="utf-8") if IMPORT_REPORT.exists() else None
    today = dt.date.today()
    repository = os.environ.get("CONSULATES_REPOSITORY") or None
    references, _ = load_networks(ROOT / "data")
    networks = {reference.sending: reference for reference in references}
    pages = render(registry, today=today, import_report=report, repository=repository, networks=networks)
    for path, content in pages.items():
        write(path, content)
    sizes = {}
    site = Site(registry, today, repository)
    for path, data in downloads.files(site):
        write(path, data)
        sizes[path] = len(data.encode("utf-8") if isinstance(data, str) else data)
    write(DOWNLOADS_PAGE, downloads.render_page(site, sizes))
    for name in EXPANDED:
        write(name, expand((ROOT / "docs" / name).read_text(encoding="utf-8"), registry, today))
    write(WORLD_SCRIPT, world_script())
    return len(pages) + 1


def _write_with_gen_files(path: str, content: str | bytes) -> None:
    import mkdocs_gen_files

    if isinstance(content, bytes):
        with mkdocs_gen_files.open(path, "wb") as binary:
            binary.write(content)
    else:
        with mkdocs_gen_files.open(path, "w", encoding="utf-8") as text:
            text.write(content)


def _write_into(folder: Path) -> Callable[[str, str | bytes], None]:
    def write(path: str, content: str | bytes) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    return write


if __name__ == "<run_path>":  # run by mkdocs-gen-files
    generate(_write_with_gen_files)
elif __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/gen_pages.py OUT_FOLDER")
    print(f"{generate(_write_into(Path(sys.argv[1])))} pages written to {sys.argv[1]}")
