"""The performance suite: each figure measured side by side with its peer, in one run.

Run from the repository root, in the project's virtual environment:

    .venv/bin/python benchmarks/run.py [--repeat N]

Cold figures start a fresh interpreter for every run, alternating ours and the peer's
(ours, peer, ours, peer …) so that drift on a shared machine hits both; each side's
figure is the median. Warm figures use timeit's best of several loops. Nothing here is
asserted: the table shows each ratio next to its budget, and the test suite is the
judge of correctness (near() is checked identical to the brute-force scan before it is
timed).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CONSULATES = str(Path(PYTHON).with_name("consulates"))

COLD_OURS = "import consulates; consulates.find(sending='KZ')"
COLD_PEER = "import pycountry; pycountry.countries.get(alpha_2='KZ')"
RICH_PEER = "import rich.console, rich.table"
# What the cold figure cannot go below while the records are attrs classes: attrs itself,
# then the record layer (attrs imported and the record classes created, no data read).
FLOORS = (
    ("floor: import attrs", "import attrs"),
    ("floor: import consulates.model (records, no data)", "import consulates.model"),
)
RSS = (
    "{setup}\n"
    # Resident memory now, in kB (ru_maxrss would carry over the parent's peak across exec).
    "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmRSS:')))"
)


def _run(argv: Sequence[str], stdout: int | None = subprocess.DEVNULL) -> float:
    """Wall-clock seconds of one process, start to exit."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def alternate(ours: Callable[[], float], peer: Callable[[], float], repeat: int) -> tuple[float, float]:
    """Median of each side over ``repeat`` alternating runs (after one warm-up run each)."""
    ours(), peer()
    mine, theirs = [], []
    for _ in range(repeat):
        mine.append(ours())
        theirs.append(peer())
    return statistics.median(mine), statistics.median(theirs)


def cold_find(repeat: int, statement: str = COLD_OURS) -> tuple[float, float]:
    return alternate(
        lambda: _run([PYTHON, "-c", statement]),
        lambda: _run([PYTHON, "-c", COLD_PEER]),
        repeat,
    )


def cold_cli(repeat: int) -> tuple[float, float]:
    out = open(os.devnull, "w")  # noqa: SIM115 - a pipe to nowhere for the whole run
    try:
        return alternate(
            lambda: _run([CONSULATES, "find", "--country", "KZ"], stdout=out.fileno()),
            lambda: _run([PYTHON, "-c", RICH_PEER]),
            repeat,
        )
    finally:
        out.close()


def warm_find() -> list[tuple[str, float, float]]:
    """Seconds per call: our warm queries and pycountry's warm get, best of 5 timeit loops each."""
    import pycountry

    import consulates

    consulates.find(host="CN")
    consulates.find(sending="US")
    pycountry.countries.get(alpha_2="CN")

    def best(statement: Callable[[], object]) -> float:
        timer = timeit.Timer(statement)
        loops, _ = timer.autorange()
        return min(timer.repeat(repeat=5, number=loops)) / loops

    peer = best(lambda: pycountry.countries.get(alpha_2="CN"))
    return [
        ('warm find(host="CN")', best(lambda: consulates.find(host="CN")), peer),
        ('warm find(sending="US")', best(lambda: consulates.find(sending="US")), peer),
    ]


def memory() -> tuple[float, float, int]:
    """Resident memory (MB) of a process holding the whole registry and of a bare interpreter; the office count."""

    def rss(setup: str) -> float:
        result = subprocess.run([PYTHON, "-c", RSS.format(setup=setup)], capture_output=True, text=True, check=True)
        return int(result.stdout.strip()) / 1024

    loaded = statistics.median(rss("import consulates; len(consulates.default_registry().offices)") for _ in range(3))
    bare = statistics.median(rss("pass") for _ in range(3))
    import consulates

    return loaded, bare, len(consulates.default_registry())


def compile_time() -> float:
    """Seconds to read, validate and compile all of data/ (in a fresh process, as a maintainer runs it)."""
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "-c", "from consulates.datafiles import compile_data; compile_data()"],
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def near_figures() -> tuple[float, float, int]:
    """Seconds per near(point, k=10) query, and per brute-force geopy scan, on the whole registry."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_near

    import consulates

    registry = consulates.default_registry()
    queries = bench_near.points(6, registry)
    candidates = [office for office in registry.find() if office.location is not None]
    for point in queries:
        assert bench_near.indexed(registry, point, 10) == bench_near.scan(candidates, point, 10), point
    ours, peer = alternate(
        lambda: bench_near.timed(lambda point: bench_near.indexed(registry, point, 10), queries),
        lambda: bench_near.timed(lambda point: bench_near.scan(candidates, point, 10), queries),
        3,
    )
    return ours, peer, len(candidates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="alternating runs per cold figure (default 21)")
    args = parser.parse_args()
    # Cold starts read bytecode, as an installed package would; compile it once first.
    compileall.compile_dir(str(ROOT / "consulates"), quiet=1)

    rows: list[tuple[str, str, str, str, str]] = []

    def ratio_row(figure: str, peer: str, ours: float, theirs: float, unit: str, budget: str) -> None:
        scale = {"ms": 1e3, "us": 1e6}[unit]
        rows.append(
            (
                figure,
                f"{ours * scale:.1f} {unit}",
                f"{theirs * scale:.1f} {unit} ({peer})",
                f"{ours / theirs:.2f}x",
                budget,
            )
        )

    ours, theirs = cold_find(args.repeat)
    ratio_row('cold: import + find(sending="KZ")', "pycountry import + get", ours, theirs, "ms", "<= 0.8x")
    for figure, statement in FLOORS:
        ours, theirs = cold_find(args.repeat, statement)
        ratio_row(figure, "pycountry import + get", ours, theirs, "ms", "(floor)")
    ours, theirs = cold_cli(args.repeat)
    ratio_row(
        "cold: consulates find --country KZ > file", "import rich.console, rich.table", ours, theirs, "ms", "<= 1.5x"
    )
    ours, theirs, size = near_figures()
    rows.append(
        (
            f"near(point, k=10), warm, {size} offices",
            f"{ours * 1e3:.2f} ms",
            f"{theirs * 1e3:.1f} ms (geopy geodesic loop, sorted)",
            f"{theirs / ours:.0f}x faster",
            ">= 100x faster",
        )
    )
    for figure, mine, peer in warm_find():
        ratio_row(figure, "pycountry get, warm", mine, peer, "us", "<= 10x")
    loaded, bare, count = memory()
    rows.append(
        (
            "resident memory, registry loaded",
            f"{loaded:.1f} MB",
            f"{bare:.1f} MB (bare interpreter)",
            f"+{loaded - bare:.1f} MB",
            "<= +20 MB",
        )
    )
    # The budget that scales with the data: what each office adds over the bare interpreter.
    rows.append(
        (
            f"resident memory per office ({count} offices)",
            f"{(loaded - bare) * 1024 / count:.2f} kB",
            "-",
            "-",
            "<= 1.85 kB (11,799 offices, 2026-12-04)",
        )
    )
    seconds = compile_time()
    rows.append(("compile + validate all of data/", f"{seconds:.1f} s", "-", "-", "<= 10 s"))

    header = ("figure", "consulates", "peer", "ratio", "budget")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(name.ljust(width) for name, width in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in rows:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
    print(f"\n{len(rows)} figures; python {sys.version.split()[0]} at {PYTHON}; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
