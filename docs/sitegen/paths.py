"""Where each generated page and file lives, and the links between them.

Pages are files (``use_directory_urls: false`` in mkdocs.yml): ``sending/kz.md`` is built
as ``sending/kz.html``. Links written in raw HTML are made relative here, because MkDocs
rewrites only Markdown links.
"""

from __future__ import annotations

import html
import posixpath
from urllib.parse import quote

from .text import md

PAGE_SUFFIX = ".html"
INDEX_PAGE = "states.md"
REPORT_PAGE = "report.md"
DATA_GUIDE = "data.md"
CHANGELOG = "changelog.md"
LICENCE = "licence.md"
DOWNLOADS_PAGE = "downloads.md"


def sending_page(code: str) -> str:
    return f"sending/{code.lower()}.md"


def host_page(code: str) -> str:
    return f"host/{code.lower()}.md"


def office_page(sending: str) -> str:
    """The page holding the offices of one sending state, one section (anchor: the office id) each."""
    return f"office/{sending.lower()}.md"


def download(scope: str, code: str, extension: str) -> str:
    """A state's offices as a file: ``downloads/sending/kz.csv``; scope is ``sending`` or ``host``."""
    return f"downloads/{scope}/{code.lower()}.{extension}"


REGISTRY_SQLITE = "downloads/consulates.sqlite"
REGISTRY_PACKAGE = "downloads/consulates-csv.zip"
REGISTRY_CSV = "downloads/consulates.csv"


def built(target: str) -> str:
    """The built file of a page (``.md`` -> ``.html``); other files keep their name."""
    return posixpath.splitext(target)[0] + PAGE_SUFFIX if target.endswith(".md") else target


def rel_url(page: str, target: str, anchor: str | None = None) -> str:
    """The URL from one page of the built site to another page or file."""
    url = posixpath.relpath(built(target), posixpath.dirname(page) or ".")
    if target == page and anchor:
        url = ""
    return url + (f"#{quote(anchor)}" if anchor else "")


def href(page: str, target: str, anchor: str | None = None) -> str:
    """:func:`rel_url` escaped for an attribute."""
    return html.escape(rel_url(page, target, anchor), quote=True)


def office_href(page: str, sending: str, office_id: str) -> str:
    """The link to an office's own section: its permalink is ``office/<sending>.html#<id>``."""
    return href(page, office_page(sending), office_id)


def md_link(page: str, target: str, label: str, anchor: str | None = None) -> str:
    """A Markdown link (checked by ``mkdocs build --strict``); ``label`` is escaped here."""
    url = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return f"[{md(label)}]({url}{'#' + anchor if anchor else ''})"
