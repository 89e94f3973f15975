"""The documentation site: generated pages escape the data, documented examples still hold, the site builds.

The page generator (docs/gen_pages.py) is tested on the synthetic registry plus a record
whose text fields are hostile. The examples of the hand-written pages run against the
real registry, like the data tests. The full ``mkdocs build --strict`` (marked slow) runs
only where the ``docs`` extra is installed.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from consulates.dates import PartialDate
from consulates.model import Claim, Event, EventType, Kind, Location, Office, Source
from consulates.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TODAY = dt.date(2026, 6, 1)
HOSTILE = "<script>alert(1)</script> **bold** [link](x)"
BAD_URL = "javascript:alert(1)"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_pages", DOCS / "gen_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_pages"] = module
    spec.loader.exec_module(module)
    return module


gen_pages = _load_generator()


pytestmark = pytest.mark.usefixtures("registry_cities_only")


@pytest.fixture(scope="module")
def hostile_registry(synthetic: Registry) -> Registry:
    hostile = Office(
        id="kz-cn-hostile",
        kind=Kind.CONSULATE,
        sending="KZ",
        host="CN",
        city=HOSTILE,
        subdivision="CN-SC",
        location=Location(30.66, 104.06),
        opened=PartialDate(2019, 3),
        closed=PartialDate(2021),
        names={"en": HOSTILE},
        notes=HOSTILE,
        website=BAD_URL,
        sources=(
            Source(url="https://example.org/a?b=1&c=2", title=HOSTILE),
            Source(url=BAD_URL, title="bad"),
            Source(citation=HOSTILE),
        ),
        events=(Event(date=PartialDate(2020), type=EventType.MOVED, city=HOSTILE, note=HOSTILE),),
        claims=(Claim(ordinal=1, text=HOSTILE, sources=(Source(url="https://example.org/claim"),)),),
    )
    return Registry([*synthetic, hostile])


@pytest.fixture(scope="module")
def pages(hostile_registry: Registry) -> dict[str, str]:
    rendered: dict[str, str] = gen_pages.render(hostile_registry, today=TODAY, import_report=None)
    return rendered


def _markdown_lines(page: str) -> Iterator[str]:
    """The lines that Markdown parses: everything but the raw HTML blocks."""
    for line in page.splitlines():
        if not line.startswith("<"):
            yield line


def test_pages_for_every_state_and_the_index(pages: dict[str, str], hostile_registry: Registry) -> None:
    sending = {office.sending for office in hostile_registry}
    hosts = {office.host for office in hostile_registry}
    assert {f"sending/{code.lower()}.md" for code in sending} <= set(pages)
    assert {f"host/{code.lower()}.md" for code in hosts} <= set(pages)
    assert {"states.md", "report.md"} <= set(pages)
    assert "(sending/kz.md)" in pages["states.md"]


_MAP_SCRIPT = re.compile(
    r'<script defer src="[./]*assets/(?:vendor/leaflet/leaflet|world-110m|consulates)\.js"></script>'
)


def test_data_is_escaped_in_html(pages: dict[str, str]) -> None:
    escaped = html.escape("<script>alert(1)</script>")
    for path, text in pages.items():
        # The only scripts are the map's own, loaded by the pages with a map.
        assert "<script" not in _MAP_SCRIPT.sub("", text), path
        assert 'href="javascript' not in text.lower(), path
    for path, least in (("sending/kz.md", 4), ("host/cn.md", 4), ("office/kz.md", 7)):
        text = pages[path]
        assert escaped in text, path
        # The name, the city, the notes, the claim and the source's title and citation; on the
        # office page also the event and its moved-to city, the English name.
        assert text.count(escaped) >= least, path
        assert 'href="https://example.org/a?b=1&amp;c=2"' in text


def test_data_is_neutralised_in_markdown(pages: dict[str, str]) -> None:
    heading = next(line for line in pages["host/cn.md"].splitlines() if line.startswith("## ") and "alert" in line)
    assert "&lt;script&gt;" in heading
    assert "&#42;&#42;bold&#42;&#42;" in heading
    assert "&#91;link&#93;&#40;x&#41;" in heading
    for path, text in pages.items():
        for line in _markdown_lines(text):
            assert "**bold**" not in line, (path, line)
            assert "[link](x)" not in line, (path, line)


def test_map_points_round_trip(pages: dict[str, str]) -> None:
    attribute = re.search(r"data-points='([^']*)'", pages["sending/kz.md"])
    assert attribute is not None
    points: list[list[Any]] = json.loads(html.unescape(attribute.group(1)))
    names = [point[2] for point in points]
    assert HOSTILE in names
    assert len(points[0]) == len(gen_pages.MAP_FIELDS)


def test_rendered_markdown_has_no_markup_from_data(pages: dict[str, str]) -> None:
    markdown = pytest.importorskip("markdown")
    extensions = ["attr_list", "admonition", "tables", "toc", "def_list", "footnotes", "abbr"]
    for path in ("sending/kz.md", "host/cn.md", "office/kz.md", "states.md", "report.md"):
        out = markdown.markdown(pages[path], extensions=extensions)
        assert "<script" not in _MAP_SCRIPT.sub("", out), path
        assert "<p><script" not in out and "<p><link" not in out, path
        assert "<strong>bold</strong>" not in out, path
        assert "<em>bold</em>" not in out, path
        assert '<a href="x">' not in out, path


def test_the_claim_is_checked_on_the_page(pages: dict[str, str]) -> None:
    # The synthetic Xi'an records two claims, both borne out: each shows its verdict, in its row and on the claims page.
    assert 'class="cs-verdict">holds</span>' in pages["sending/kz.md"]
    assert "kz-cn-xian" in pages["claims.md"] and 'class="cs-verdict">holds</span>' in pages["claims.md"]


def test_timeline_chart(hostile_registry: Registry) -> None:
    offices = [office for office in hostile_registry if office.sending == "KZ"]
    svg = gen_pages.timeline_svg(offices, TODAY)
    assert svg is not None and svg.startswith("<svg")
    assert svg.count('class="cs-opened-bar"') >= 3
    assert 'class="cs-closed-bar"' in svg
    assert "<script" not in svg
    assert gen_pages.timeline_svg([], TODAY) is None


def test_status_today() -> None:
    source = (Source(url="https://example.org"),)
    office = Office(id="xx", kind=Kind.EMBASSY, sending="KZ", host="CN", sources=source, closed=PartialDate(2020))
    assert gen_pages.status(office, TODAY).key == "closed"
    planned = Office(id="yy", kind=Kind.EMBASSY, sending="KZ", host="CN", sources=source, opened=PartialDate(2027))
    assert gen_pages.status(planned, TODAY).label == "opens 2027"
    unknown = Office(id="zz", kind=Kind.EMBASSY, sending="KZ", host="CN", sources=source)
    assert gen_pages.status(unknown, TODAY).key == "open"


def test_escaping_helpers() -> None:
    assert gen_pages.md("a*b_c [d](e) <f> & #g") == ("a&#42;b&#95;c &#91;d&#93;&#40;e&#41; &lt;f&gt; &amp; &#35;g")
    assert gen_pages.h('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert gen_pages.clean("two\nlines\x00") == "two lines"
    assert gen_pages.safe_url("https://example.org/?a=1&b=2") == "https://example.org/?a=1&amp;b=2"
    for bad in (BAD_URL, "ftp://example.org", "https://exa mple.org", "//example.org", None):
        assert gen_pages.safe_url(bad) is None


def test_topology_decoding() -> None:
    # Two arcs forming a square, the second given backwards (~1), and a ring over the antimeridian.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [10, 0], [0, 10]], [[0, 0], [0, 10], [10, 0]], [[170, 0], [9, 0], [-358, 10], [349, -10]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, ~1]], "id": "001"},
                    {"type": "Polygon", "arcs": [[2]], "id": "002"},
                ],
            }
        },
    }
    square, wrapped = gen_pages.topology_features(topology)
    assert square["id"] == "001"
    assert square["geometry"]["coordinates"] == [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]
    longitudes = [point[0] for point in wrapped["geometry"]["coordinates"][0]]
    assert min(longitudes) == 170 and max(longitudes) == 181


def test_world_script_is_small_and_complete() -> None:
    script = gen_pages.world_script()
    assert script.startswith("/*") and "window.CONSULATES_WORLD=" in script
    collection = json.loads(script.split("=", 1)[1].rstrip().rstrip(";"))
    assert len(collection["features"]) > 150
    assert len(script) < 400_000


def test_generated_parts_of_hand_written_pages(synthetic: Registry) -> None:
    text = gen_pages.expand((DOCS / "data.md").read_text(encoding="utf-8"), synthetic, TODAY)
    assert "<!-- generated" not in text
    for kind in Kind:
        assert kind.value in text
    licence = gen_pages.expand((DOCS / "licence.md").read_text(encoding="utf-8"), synthetic, TODAY)
    assert "CC BY 4.0" in licence and "<!-- generated" not in licence


# -- the documented examples, on the real registry ------------------------------------------

_EXAMPLE = re.compile(r"```python\n((?:(?!```).)*?)```\n\n```text title=\"Output\"\n((?:(?!```).)*?)```", re.DOTALL)


# near() imports geopy, whose urllib3 probes for IPv6 by opening (never connecting) a socket at import.
@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
@pytest.mark.parametrize("page", ["index.md", "guide.md"])
def test_documented_examples_print_what_the_page_shows(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    examples = _EXAMPLE.findall(text)
    assert examples, page
    namespace: dict[str, Any] = {}
    for code, expected in examples:
        exec(compile(code, f"{page} example", "exec"), namespace)
        assert capsys.readouterr().out == expected, code


def test_docstring_rewriting_for_the_api_reference() -> None:
    pytest.importorskip("griffe", reason="needs the docs extra")
    spec = importlib.util.spec_from_file_location("griffe_roles", DOCS / "griffe_roles.py")
    assert spec is not None and spec.loader is not None
    roles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(roles)
    assert roles.strip_roles(":class:`Registry` and :meth:`~a.b.find`") == "`Registry` and `find`"
    assert roles.fence_doctests("Text.\n\n>>> x = 1\n>>> x\n1\n\nMore.") == (
        "Text.\n\n```pycon\n>>> x = 1\n>>> x\n1\n```\n\nMore."
    )
