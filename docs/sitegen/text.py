"""Escaping: everything taken from the data goes through these before it is written.

:func:`md` turns data into HTML character references (``<`` ``&`` ``"`` …) and also encodes
every character that Markdown or one of the site's Markdown extensions treats specially
(``*`` ``_`` ``[`` ``]`` ``(`` ``)`` ``#`` ``|`` ``{`` …), so a value reads as itself in
Markdown text and in raw HTML blocks alike. Links are written only for ``http`` and
``https`` URLs.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Markdown's own escapable characters, those of the extensions the site uses (tables,
# attr_list, pymdownx), and the quotes: each becomes a numeric character reference.
_MARKDOWN = "\\`*_{}[]()#+-.!|~^=:$'\""
_ENTITIES = {ord(char): f"&#{ord(char)};" for char in _MARKDOWN} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}


def clean(value: object) -> str:
    """Data as one line of text: control characters and line breaks become a space."""
    return _CONTROL.sub(" ", str(value)).strip()


def md(value: object) -> str:
    """Data made safe for Markdown text: HTML-escaped, and every Markdown-significant character encoded."""
    return clean(value).translate(_ENTITIES)


def h(value: object) -> str:
    """Data made safe for HTML text or a quoted attribute value (in raw HTML blocks, which Markdown leaves alone)."""
    return html.escape(clean(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL escaped for an ``href``; None for anything else (``javascript:``, spaces …)."""
    if not url or any(char.isspace() or ord(char) < 0x20 for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(url, quote=True)


def slug(value: str) -> str:
    """ASCII letters, digits and hyphens, for ids: ``"Xi'an"`` -> ``"xi-an"``; ``""`` for none."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def json_attribute(value: object) -> str:
    """JSON for a single-quoted HTML attribute: ``&``, ``'``, ``<`` and ``>`` escaped."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encoded.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
