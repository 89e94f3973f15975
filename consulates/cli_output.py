"""What the command line shows: data made harmless for a terminal, the session (registry,
streams, drawing) and listings drawn as a Rich table or written as TSV, CSV or JSON.

Every command's output goes through here, so that no record's text can move the cursor,
reverse a line or break a column, whatever the data holds.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

import consulates

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from consulates.registry import Registry

# -- making data harmless ----------------------------------------------------------------


def _escape_code(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE = (
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),  # C1 controls: 0x9b is a one-byte CSI on some terminals
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),  # bidirectional overrides can make text read backwards
    *range(0x2066, 0x206A),
    0x2028,  # line and paragraph separators: some terminals and editors break lines there
    0x2029,
)
_SAFE_TABLE = {code: _escape_code(code) for code in _UNSAFE} | {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_SAFE_LINES_TABLE = _SAFE_TABLE | {ord("\t"): "\t", ord("\n"): "\n"}


def safe(text: object, *, markup: bool = False) -> str:
    """Data as harmless text for a terminal: control and bidi characters shown as ``\\xNN``.

    Tabs and line breaks become spaces, so one value stays on one line and in one
    column. With ``markup``, Rich markup in the data (``[bold]``) is escaped too, for
    text that will be parsed as markup.
    """
    value = str(text).translate(_SAFE_TABLE)
    if markup:
        from rich.markup import escape

        value = escape(value)
    return value


def _safe_lines(text: str) -> str:
    """Like :func:`safe`, but keeps tabs and line breaks: for whole documents sent to a terminal."""
    return text.translate(_SAFE_LINES_TABLE)


class Markup(str):
    """A string already made safe and marked up for Rich: used as is in tables."""

    __slots__ = ()


def styled(text: object, style: str) -> Text:
    """Data in a style, as Rich Text: never parsed as markup, so it shows exactly as written."""
    from rich.text import Text

    return Text(safe(text), style=style)



# -- the session: registry, streams, drawing ---------------------------------------------


def is_terminal(stream: IO[str]) -> bool:
    """Whether to draw Rich tables: a terminal, or FORCE_COLOR / TTY_COMPATIBLE=1 as Rich reads them."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible == "0":
        return False
    if compatible == "1" or os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


@contextlib.contextmanager
def replacing(stream: IO[str]) -> Iterator[None]:
    """Text the stream's encoding cannot show is replaced, not raised, while the command runs."""
    reconfigure = getattr(stream, "reconfigure", None)
    errors = getattr(stream, "errors", None)
    if reconfigure is None or errors not in ("strict", None) or _is_utf8(getattr(stream, "encoding", "") or ""):
        yield
        return
    try:
        reconfigure(errors="replace")
    except (ValueError, OSError):  # closed, or not a plain text stream
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors=errors or "strict")


class Session:
    """What a command needs: the registry (loaded on first use), the streams, and how to draw."""

    def __init__(self, registry: Registry | None, out: IO[str], err: IO[str]) -> None:
        self._registry = registry
        self.out = out
        self.err = err
        self.terminal = is_terminal(out)

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = consulates.default_registry()
        return self._registry

    def console(self) -> Console:
        """A Rich console on stdout; only called when drawing for a terminal."""
        from rich.console import Console

        return Console(file=self.out, force_terminal=True, emoji=False, highlight=False)

    def write(self, text: str) -> None:
        """A whole document to stdout; on a terminal, control characters in it are neutralised.

        Text the stream cannot encode is replaced (``?``): see :func:`main`.
        """
        self.out.write(_safe_lines(text) if self.terminal else text)

    def write_data(self, text: str) -> None:
        """A machine-readable document (JSON, CSV, GeoJSON) to stdout, always in UTF-8 whatever the locale."""
        text = _safe_lines(text) if self.terminal else text
        encoding = getattr(self.out, "encoding", None) or "utf-8"
        buffer = getattr(self.out, "buffer", None)
        if _is_utf8(encoding) or buffer is None:
            self.out.write(text)
            return
        self.out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()

    def note(self, message: str) -> None:
        """One line for the user on stderr (not part of the output)."""
        print(safe(message), file=self.err)


# -- listings: one table, drawn for a terminal or written as TSV, CSV or JSON -------------


@attrs.frozen
class Column:
    """A column of a listing. ``kind``: text and date wrap between words; code and number never wrap; url folds."""

    key: str
    header: str
    kind: str = "text"
    plain: bool = True
    """In TSV, CSV and JSON output (which have stable columns)."""
    rich: bool = True
    """In the table drawn for a terminal."""


@attrs.frozen
class Listing:
    """Rows to show. On a terminal, rows with the same ``group`` value get a heading row with that value."""

    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    title: str = ""
    caption: str = ""
    group: str | None = None


def _plain_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(map(str, value))
    return str(value)


def _tsv(listing: Listing) -> str:
    columns = [column for column in listing.columns if column.plain]
    lines = ["\t".join(column.key for column in columns)]
    lines += ["\t".join(safe(_plain_value(row.get(column.key))) for column in columns) for row in listing.rows]
    return "\n".join(lines) + "\n"


def _csv(listing: Listing) -> str:

    import csv

    from consulates.export import neutralise

    columns = [column.key for column in listing.columns if column.plain]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([neutralise(_plain_value(row.get(key))) for key in columns] for row in listing.rows)
    return buffer.getvalue()


def _json(listing: Listing) -> str:
    columns = [column.key for column in listing.columns if column.plain]
    records = [{key: row.get(key) for key in columns} for row in listing.rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _rich_cell(column: Column, value: object) -> str | Text:
    """A cell for a Rich table: data as Text (never parsed as markup), our own markup as it is."""
    from rich.text import Text

    if isinstance(value, Markup | Text):
        return value
    if value is None or value == "":
        return "[dim]—[/]"
    if column.kind == "percent" and isinstance(value, float):
        return f"{value:.0%}"
    return Text(safe(_plain_value(value)))


def _cell_words(value: object) -> list[str]:
    """The words of a cell as shown (markup removed), to size its column."""
    plain = getattr(value, "plain", None)  # rich.text.Text, without importing Rich to ask
    if isinstance(plain, str):
        return plain.split()
    if isinstance(value, Markup):
        from rich.text import Text

        value = Text.from_markup(value).plain
    return _plain_value(value).split()


_GAP = 2
"""Characters between two columns: the (blank) rule and the left padding."""


def _sizes(listing: Listing, columns: Sequence[Column]) -> tuple[list[int], list[int]]:
    """Per column: the narrowest it can be without breaking a word (a code: whole), and its natural width."""
    needs, naturals = [], []
    for index, column in enumerate(columns):
        cells = [row.get(column.key) for row in listing.rows]
        if index == 0 and listing.group:
            cells += [row.get(listing.group) for row in listing.rows]
        words = [word for cell in cells for word in _cell_words(cell)] + column.header.split()
        lines = [" ".join(_cell_words(cell)) for cell in cells] + [column.header]
        natural = max(map(len, lines), default=1)
        needs.append(natural if column.kind == "code" else max(map(len, words), default=1))
        naturals.append(natural)
    return needs, naturals


def _widths(listing: Listing, columns: Sequence[Column], width: int) -> list[int] | None:
    """Column widths that fit ``width`` without breaking words; None when the natural widths fit already.

    When words alone do not fit, the widest code (an id) folds in the space left; on a
    terminal too narrow even for that, None again and Rich shortens cells with an ellipsis.
    """
    needs, naturals = _sizes(listing, columns)
    room = width - _GAP * (len(columns) - 1)
    if sum(naturals) <= room:
        return None
    widths, spare = list(needs), room - sum(needs)
    if spare < 0:
        codes = [index for index, column in enumerate(columns) if column.kind == "code"]
        if not codes:
            return None
        widest = max(codes, key=lambda index: needs[index])
        widths[widest] += spare
        return widths if widths[widest] >= 8 else None
    while spare > 0:  # share what is left, a character at a time, among the columns that would wrap
        growing = [index for index in range(len(columns)) if widths[index] < naturals[index]]
        for index in growing[:spare]:
            widths[index] += 1
        spare -= len(growing[:spare])
    return widths


def _add_columns(table: Table, listing: Listing, columns: Sequence[Column], width: int) -> None:
    """Codes and numbers never wrap, text wraps between words, URLs and ids squeezed for room fold."""
    widths = _widths(listing, columns, width)
    needs, _ = _sizes(listing, columns)
    for index, column in enumerate(columns):
        size = None if widths is None else widths[index]
        fold = column.kind == "url" or (column.kind == "code" and size is not None and size < needs[index])
        table.add_column(
            column.header,
            width=size,
            no_wrap=column.kind in ("code", "number", "percent") and not fold,
            overflow="fold" if fold else "ellipsis",
            justify="right" if column.kind in ("number", "percent") else "left",
        )


def _rich_table(listing: Listing, width: int) -> Table:
    """The listing as a Rich table for a terminal ``width`` wide; groups get a heading row each."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(safe(listing.title)) if listing.title else None,
        caption=Text(safe(listing.caption)) if listing.caption else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 0, 0, 1),
        header_style="bold",
        title_style="bold",
        caption_justify="left",
    )
    columns = [column for column in listing.columns if column.rich]
    _add_columns(table, listing, columns, width)
    previous: object = None
    for index, row in enumerate(listing.rows):
        if listing.group and (index == 0 or row.get(listing.group) != previous):
            previous = row.get(listing.group)
            if index > 0:
                table.add_row(*[""] * len(columns))
            table.add_row(styled(_plain_value(previous), "bold"), *[""] * (len(columns) - 1))
        table.add_row(*[_rich_cell(column, row.get(column.key)) for column in columns])
    return table


def emit(session: Session, listing: Listing, fmt: str) -> None:
    """Show a listing in the format asked: a table (Rich on a terminal, TSV piped), JSON or CSV."""
    if fmt == "json":
        session.write_data(_json(listing))
    elif fmt == "csv":
        session.write_data(_csv(listing))
    elif session.terminal:
        console = session.console()
        console.print(_rich_table(listing, console.width))
    else:
        session.write(_tsv(listing))
