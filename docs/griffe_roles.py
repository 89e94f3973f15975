"""A Griffe extension for the API reference: reStructuredText habits of the docstrings made Markdown.

The package's docstrings use reStructuredText roles (``:class:`Registry```,
``:meth:`Registry.find```) and doctest blocks (``>>> …``); mkdocstrings renders
docstrings as Markdown, where a role would show as ``:class:`` followed by code and a
doctest as nested quotes. Roles become inline code, doctests fenced ``pycon`` blocks.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|data|attr|mod|exc|obj|const):`~?([^`]+)`")


def strip_roles(text: str) -> str:
    """``:class:`Registry``` -> ```Registry```; ``:meth:`~a.b.c``` -> ```c```."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(1)
        if match.group(0).find("`~") != -1:
            target = target.rsplit(".", 1)[-1]
        return f"`{target}`"

    return _ROLE.sub(replace, text)


def fence_doctests(text: str) -> str:
    """A doctest block (``>>>`` lines and their output, up to a blank line) as a fenced ``pycon`` block."""
    lines: list[str] = []
    in_block = False
    for line in text.split("\n"):
        if not in_block and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}```pycon")
            in_block = True
        elif in_block and not line.strip():
            lines.append(f"{indent}```")
            in_block = False
        lines.append(line)
    if in_block:
        lines.append(f"{indent}```")
    return "\n".join(lines)


class SphinxRoles(Extension):
    """Rewrites roles and doctests in every docstring Griffe loads."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(strip_roles(obj.docstring.value))
