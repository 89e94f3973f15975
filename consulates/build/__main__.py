"""``python -m consulates.build``: compile data/ into consulates/_data/registry.jsonl.

``--check`` compiles without writing and exits 1 when the committed artifact differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from consulates.build.compiler import DATA, compile_data
from consulates.errors import DataError
from consulates.registry import ARTIFACT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m consulates.build", description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DATA, help="the data folder (default: %(default)s)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(ARTIFACT), help="where to write (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="only check that the output is up to date")
    args = parser.parse_args(argv)
    try:
        text = compile_data(args.data)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    current = args.output.read_bytes() if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is stale: run python -m consulates.build", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(text)
    print(f"wrote {args.output}" if current != text else f"{args.output} was already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
