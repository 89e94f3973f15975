"""``python -m consulates.datafiles``: compile data/ into consulates/_data/registry.jsonl.

It also keeps ``published-ids.txt`` in the data folder, the list of every office id ever
published (see :mod:`consulates.datafiles.published`): the current ids are added, none is ever
removed, and a listed id that no office has any more must be retired in ``retired.toml``
(the build stops until it is).

``--check`` writes nothing and exits 1 when the committed artifact differs from what the
data compiles to, or when the list of published ids is not up to date with the data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from consulates.datafiles.compiler import DATA, load_data, render, source_digest
from consulates.datafiles.published import (
    COMMAND,
    PUBLISHED,
    check_published,
    read_published,
    render_published,
    vanished,
)
from consulates.errors import DataError, Problem
from consulates.registry import ARTIFACT


def _shown(path: Path) -> str:
    """A path as a person at the terminal would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m consulates.datafiles", description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DATA, help="the data folder (default: %(default)s)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(ARTIFACT), help="where to write (default: %(default)s)"
    )
    parser.add_argument(
        "--published",
        type=Path,
        metavar="FILE",
        help=f"the list of every id ever published (default: {PUBLISHED} in the data folder)",
    )
    parser.add_argument("--check", action="store_true", help="only check that the output and the list are up to date")
    args = parser.parse_args(argv)
    # The pieces of compile_data, so that the ids come from the same reading of the data as the artifact.
    dataset = load_data(args.data)
    if dataset.problems:
        print(DataError(dataset.problems), file=sys.stderr)
        return 1
    for warning in dataset.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    text = render(dataset, source_digest(args.data))
    command = COMMAND if args.data.resolve() == DATA else f"{COMMAND} {args.data}"
    published_path: Path = args.published or args.data / PUBLISHED
    published = read_published(published_path, _shown(published_path))
    retired = {item.id for item in dataset.retired}
    retired_file = _shown(args.data / "retired.toml")
    current = args.output.read_bytes() if args.output.exists() else None
    if args.check:
        problems = check_published(published, dataset.offices, retired, retired_file=retired_file, command=command)
        if current != text:
            print(f"{args.output} is stale: run {command}", file=sys.stderr)
        _report(problems)
        if current != text or problems:
            return 1
        print(f"{args.output} and {published.display} are up to date")
        return 0
    # An id that vanished without being retired stops the build: the list would keep an id that leads nowhere.
    ids = {office.id for office, _, _ in dataset.offices}
    stop = list(published.problems) + vanished(published, ids, retired, retired_file=retired_file)
    if stop:
        _report(stop)
        print(f"nothing written: fix the {len(stop)} problem(s) above, then run {command}", file=sys.stderr)
        return 1
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(text)
    print(f"wrote {args.output}" if current != text else f"{args.output} was already up to date")
    listed = render_published(published.ids, ids, retired)
    before = published_path.read_text(encoding="utf-8") if published.exists else None
    if listed != before:
        published_path.parent.mkdir(parents=True, exist_ok=True)
        published_path.write_text(listed, encoding="utf-8")
        added = len((ids | retired) - published.ids)
        print(f"wrote {published.display}: {added} id{'s' if added != 1 else ''} added")
    else:
        print(f"{published.display} was already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
