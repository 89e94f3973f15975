"""near() against a brute-force geodesic scan, on the packaged registry.

Run: ``.venv/bin/python benchmarks/bench_near.py [--points N] [--repeat R]``.

Both sides answer the same question: the 10 offices open today that are nearest to a
point. The peer is the obvious loop: ``geopy.distance.geodesic`` to every located office
that near() would consider, then sorted. Runs alternate (near, scan, near, scan …) so
that drift on a shared machine hits both; each side's time per query is the median over
the repetitions. Before timing, the two answers are checked to be identical.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence

from geopy.distance import geodesic  # type: ignore[import-untyped]

import consulates
from consulates import Office, geo
from consulates.registry import Registry

Point = tuple[float, float]
Answer = list[tuple[str, float]]


def scan(candidates: Sequence[Office], point: Point, k: int) -> Answer:
    """The peer: measure every candidate with geopy, sort by (distance, id), keep k."""
    measured = sorted((geodesic(point, tuple(office.location)).km, office.id) for office in candidates)  # type: ignore[arg-type]
    return [(office_id, km) for km, office_id in measured[:k]]


def indexed(registry: Registry, point: Point, k: int) -> Answer:
    return [(office.id, km) for office, km in registry.near(point, k=k)]


def points(count: int, registry: Registry, seed: int = 19) -> list[Point]:
    """Uniform random points on the sphere, and every other one a city of the registry."""
    rng = random.Random(seed)
    sites = [office for office in registry.find() if office.location is not None]
    chosen: list[Point] = []
    for index in range(count):
        if index % 2:
            office = rng.choice(sites)
            assert office.location is not None
            chosen.append((office.location.latitude, office.location.longitude))
        else:
            chosen.append((math.degrees(math.asin(rng.uniform(-1, 1))), rng.uniform(-180, 180)))
    return chosen


def timed(run: Callable[[Point], Answer], queries: Sequence[Point]) -> float:
    """Seconds per query, for one pass over the queries."""
    start = time.perf_counter()
    for point in queries:
        run(point)
    return (time.perf_counter() - start) / len(queries)


def geodesics_per_query(registry: Registry, queries: Sequence[Point], k: int) -> float:
    """How many geodesics near() computes per query (counted by wrapping the distance function)."""
    calls = 0
    original = geo.geodesic_km

    def counting(a: geo.Point | consulates.Location, b: geo.Point | consulates.Location) -> float:
        nonlocal calls
        calls += 1
        return original(a, b)

    geo.geodesic_km = counting
    try:
        for point in queries:
            registry.near(point, k=k)
    finally:
        geo.geodesic_km = original
    return calls / len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=6, help="query points (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="alternating repetitions (default: %(default)s)")
    parser.add_argument("-k", type=int, default=10, help="offices per answer (default: %(default)s)")
    args = parser.parse_args()

    registry = consulates.default_registry()
    candidates = [office for office in registry.find() if office.location is not None]
    queries = points(args.points, registry)
    k = args.k

    for point in queries:  # warm: the tree, the filter mask, geopy's import; and the answers must agree
        mine, theirs = indexed(registry, point, k), scan(candidates, point, k)
        assert [office_id for office_id, _ in mine] == [office_id for office_id, _ in theirs], point
        assert all(abs(a - b) < 1e-3 for (_, a), (_, b) in zip(mine, theirs, strict=True)), point

    near_times: list[float] = []
    scan_times: list[float] = []
    for repetition in range(args.repeat):
        pair = [("near", lambda p: indexed(registry, p, k)), ("scan", lambda p: scan(candidates, p, k))]
        for name, run in pair if repetition % 2 == 0 else pair[::-1]:
            (near_times if name == "near" else scan_times).append(timed(run, queries))

    near_ms = statistics.median(near_times) * 1000
    scan_ms = statistics.median(scan_times) * 1000
    print(f"registry: {len(registry)} offices, {len(candidates)} open today with a location; k={k}")
    print(f"{len(queries)} query points x {args.repeat} alternating repetitions; answers identical")
    print()
    print(f"| {'method':<42} | {'ms / query':>10} | {'geodesics / query':>17} |")
    print(f"|{'-' * 44}|{'-' * 12}|{'-' * 19}|")
    counted = geodesics_per_query(registry, queries, k)
    print(f"| {'consulates.near (k-d tree, chord bound)':<42} | {near_ms:>10.3f} | {counted:>17.1f} |")
    print(f"| {'brute force: geopy geodesic to each, sort':<42} | {scan_ms:>10.3f} | {len(candidates):>17} |")
    print()
    print(f"ratio (brute force / near): {scan_ms / near_ms:.0f}x")


if __name__ == "__main__":
    main()
