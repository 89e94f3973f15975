"""The built documentation site, checked as a reader's browser would meet it.

With ``CONSULATES_SITE`` set to a built site (``.ci/run`` builds it once, strictly, and
sets it), the tests read that; otherwise they build one (slow; skipped without the docs
extra). They check, over the real registry: every office with a city is on its pages'
maps (or named under the map when its city cannot be found); the search index is within
its budget and holds no table cells; only pages with a map load the map scripts; every
office has its section; every state page links its downloads; every internal link and
anchor resolves; the sitemap lists the pages; nothing is fetched from the network.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

import consulates

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

from sitegen.search import BUDGET  # noqa: E402

pytestmark = pytest.mark.slow

_HREF = re.compile(r'<(?:a|link|script|img)\b[^>]*?\b(?:href|src)="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')
_POINTS = re.compile(r"data-points='([^']*)'")
_UNPLACED = re.compile(r'<p class="cs-unplaced">(.*?)</p>', re.DOTALL)
_MAP_SCRIPT = re.compile(r'<script[^>]*src="[^"]*(?:leaflet\.js|world-110m\.js|consulates\.js)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("CONSULATES_SITE")
    if given:
        return Path(given)
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "mkdocs_gen_files"):
        pytest.importorskip(module, reason="needs the docs extra: pip install -e '.[docs]'")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        patch.setenv("DISABLE_MKDOCS_2_WARNING", "true")
        build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder), strict=True))
    return folder


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _pages(site: Path) -> Iterator[Path]:
    return (path for path in sorted(site.rglob("*.html")) if "assets" not in path.parts)


@cache
def _map_links(path: Path) -> frozenset[str]:
    """The office ids that a page's maps link to."""
    ids = set()
    for attribute in _POINTS.findall(_read(path)):
        points: list[list[Any]] = json.loads(html.unescape(attribute))
        ids.update(unquote(point[7].rsplit("#", 1)[1]) for point in points)
    return frozenset(ids)


@cache
def _listed(path: Path) -> str:
    """The offices named under a page's map because they cannot be placed."""
    return "".join(_UNPLACED.findall(_read(path)))


def test_kazakhstan_page(site: Path) -> None:
    kazakhstan = _read(site / "sending" / "kz.html")
    assert "kz-cn-xian" in kazakhstan
    assert "2023-05-19" in kazakhstan
    assert 'href="http://en.people.cn/n3/2023/0520/c90000-20021331.html"' in kazakhstan
    assert "third consulate general" in kazakhstan
    office = _read(site / "office" / "kz.html")
    section = office[office.index('id="kz-cn-xian"') :][:20_000]
    assert "Hong Kong and Macau included" in section and "Hong Kong and Macau left out" in section
    assert "Shaanxi (CN-SN)" in section


def test_every_office_with_a_city_is_on_its_maps(site: Path) -> None:
    unplaced = []
    for office in consulates.default_registry():
        if not office.city and office.location is None:
            continue
        for page in (f"sending/{office.sending.lower()}.html", f"host/{office.host.lower()}.html"):
            if office.id in _map_links(site / page):
                continue
            assert f'#{office.id}"' in _listed(site / page), (page, office.id, "neither on the map nor listed under it")
            assert office.location is None, (page, office.id, "has coordinates yet is not on the map")
            unplaced.append(office.id)
    # The few towns that neither the registry nor GeoNames (1,000 people or more) knows are named under the map.
    assert len(set(unplaced)) <= 10, sorted(set(unplaced))


def test_search_index_is_light(site: Path) -> None:
    path = site / "search" / "search_index.json"
    assert path.stat().st_size <= BUDGET
    index = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(index)
    assert "data-label" not in text and "<td" not in text
    locations = [entry["location"] for entry in index["docs"]]
    assert "host/cn.html#city-xi-an" in locations
    xian = next(entry for entry in index["docs"] if entry["location"] == "host/cn.html#city-xi-an")
    assert "kz-cn-xian" in xian["tags"]
    assert any(location.startswith("guide.html") for location in locations)


def test_map_scripts_only_where_there_is_a_map(site: Path) -> None:
    with_map = 0
    for page in _pages(site):
        text = _read(page)
        has_map = 'class="cs-map"' in text
        with_map += has_map
        assert bool(_MAP_SCRIPT.search(text)) == has_map, page
    assert with_map > 300


def test_every_office_has_its_section(site: Path) -> None:
    for office in consulates.default_registry():
        text = _read(site / "office" / f"{office.sending.lower()}.html")
        assert f'id="{office.id}"' in text, office.id


def test_state_pages_link_their_downloads(site: Path) -> None:
    pages = [*sorted((site / "sending").glob("*.html")), *sorted((site / "host").glob("*.html"))]
    assert len(pages) > 300
    for page in pages:
        links = _HREF.findall(_read(page))
        for extension in (".csv", ".geojson"):
            found = [link for link in links if link.endswith(extension)]
            assert found, (page, extension)
            for link in found:
                assert (page.parent / unquote(link)).resolve().is_file(), (page, link)
    for name in ("consulates.sqlite", "consulates-csv.zip", "consulates.csv"):
        assert (site / "downloads" / name).stat().st_size > 1000


def _ids(path: Path) -> frozenset[str]:
    return frozenset(html.unescape(found) for found in _ID.findall(_read(path)))


def test_every_internal_link_resolves(site: Path) -> None:
    base = urlsplit(os.environ.get("CONSULATES_SITE_URL", "https://consulates.example.org/")).path
    ids: dict[Path, frozenset[str]] = {}
    broken = []
    checked = 0
    for page in _pages(site):
        for raw in set(_HREF.findall(_read(page))):
            link = html.unescape(raw)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue
            if parts.path.startswith("/"):  # the 404 page's links, absolute under the site URL
                target = site / posixpath.relpath(unquote(parts.path), base or "/")
            elif parts.path:
                target = page.parent / unquote(parts.path)
            else:
                target = page
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append((str(page.relative_to(site)), link))
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _ids(target)
                if unquote(parts.fragment) not in ids[target]:
                    broken.append((str(page.relative_to(site)), link))
    assert checked > 50_000
    assert not broken, broken[:20]


def test_sitemap_and_404(site: Path) -> None:
    sitemap = _read(site / "sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locations) > 600
    assert any(location.endswith("office/kz.html") for location in locations)
    not_found = _read(site / "404.html")
    assert re.search(r'href="/[^"]*assets/stylesheets/main\.[^"]*\.css"', not_found)


def test_nothing_is_fetched_from_the_network(site: Path) -> None:
    for page in (site / "index.html", site / "sending" / "kz.html", site / "office" / "kz.html"):
        # The canonical link names the page's address; it is not loaded.
        text = re.sub(r'<link rel="canonical"[^>]*>', "", _read(page))
        assert not re.search(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", text), page
