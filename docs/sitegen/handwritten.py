"""The parts of hand-written pages that the build fills in: ``<!-- generated: NAME -->`` lines."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from consulates.model import Kind
from consulates.registry import Registry

from .facts import is_open
from .text import md

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ROOT / "data" / "SOURCES.md"
EXPANDED = ("data.md", "licence.md")
"""Hand-written pages with ``<!-- generated: NAME -->`` lines that the build fills in."""
_PLACEHOLDER = re.compile(r"^<!-- generated: ([a-z]+) -->$", re.MULTILINE)


def kinds_table(registry: Registry, today: dt.date) -> str:
    """Every kind with its description (``Kind.description``), its class and how many offices are of it."""
    counts = Counter(office.kind for office in registry)
    open_counts = Counter(office.kind for office in registry if is_open(office, today))
    lines = ["| kind | class | what it is | offices: open (all) |", "|---|---|---|---:|"]
    for kind in Kind:
        if kind.is_diplomatic:
            group = "diplomatic"
        elif kind.is_career_consular:
            group = "consular, career"
        elif kind.is_honorary:
            group = "consular, honorary"
        else:
            group = "other"
        lines.append(f"| `{kind.value}` | {group} | {md(kind.description)} | {open_counts[kind]} ({counts[kind]}) |")
    return "\n".join(lines)


def sources_table(path: Path = SOURCES) -> str:
    """The dataset table of ``data/SOURCES.md`` and what follows it (project text, kept as Markdown)."""
    if not path.exists():
        return "`data/SOURCES.md` was not found when the site was built."
    text_lines = path.read_text(encoding="utf-8").splitlines()
    start = next((index for index, line in enumerate(text_lines) if line.startswith("|")), len(text_lines))
    return "\n".join(text_lines[start:]).strip()


def expand(page: str, registry: Registry, today: dt.date | None = None) -> str:
    """A hand-written page with its ``<!-- generated: … -->`` lines filled in."""
    day = today or dt.date.today()
    parts: dict[str, Callable[[], str]] = {
        "kinds": lambda: kinds_table(registry, day),
        "sources": sources_table,
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parts:
            raise ValueError(f"{page}: unknown generated part {name!r}")
        return parts[name]()

    return _PLACEHOLDER.sub(fill, page)
