"""Timing helpers: a route measured in alternation with /healthz, medians and percentiles.

Alternating one request of the route with one of /healthz (and swapping which goes
first every round) makes drift on a shared machine hit both series alike, so the
ratio `healthz / route` is steadier than either time alone.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def timed_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


@dataclass(frozen=True)
class Paired:
    route_ms: list[float]
    healthz_ms: list[float]

    @property
    def route(self) -> float:
        return statistics.median(self.route_ms)

    @property
    def healthz(self) -> float:
        return statistics.median(self.healthz_ms)

    @property
    def vs_healthz(self) -> float:
        """1.0: as fast as /healthz; 0.1: ten times its cost."""
        return self.healthz / self.route


def interleaved(
    route: Callable[[], object],
    healthz: Callable[[], object],
    *,
    rounds: int,
    warmup: int = 2,
    budget_s: float | None = None,
    min_rounds: int = 3,
) -> Paired:
    """`rounds` alternations (fewer once `budget_s` is spent, but at least `min_rounds`)."""
    return interleaved_many(
        [route], healthz, rounds=rounds, warmup=warmup, budget_s=budget_s, min_rounds=min_rounds
    )[0]


def interleaved_many(
    routes: list[Callable[[], object]],
    healthz: Callable[[], object],
    *,
    rounds: int,
    warmup: int = 2,
    budget_s: float | None = None,
    min_rounds: int = 3,
) -> list[Paired]:
    """Several routes in one loop, each request beside one of /healthz; the routes take
    turns going first, so round i of each route ran at about the same moment."""
    for _ in range(warmup):
        for route in routes:
            route()
            healthz()
    samples: list[tuple[list[float], list[float]]] = [([], []) for _ in routes]
    start = time.perf_counter()
    for i in range(rounds):
        turn = i % len(routes)
        for j in [*range(turn, len(routes)), *range(turn)]:
            xs, hs = samples[j]
            if i % 2:
                hs.append(timed_ms(healthz))
                xs.append(timed_ms(routes[j]))
            else:
                xs.append(timed_ms(routes[j]))
                hs.append(timed_ms(healthz))
        spent = time.perf_counter() - start
        if budget_s is not None and i + 1 >= min_rounds and spent > budget_s:
            break
    return [Paired(xs, hs) for xs, hs in samples]


def paired_differences(
    first: Callable[[], object], second: Callable[[], object], *, pairs: int, warmup: int = 3
) -> list[float]:
    """`first` minus `second`, pair by pair, the order inside each pair alternating."""
    for _ in range(warmup):
        first()
        second()
    diffs = []
    for i in range(pairs):
        if i % 2:
            b = timed_ms(second)
            a = timed_ms(first)
        else:
            a = timed_ms(first)
            b = timed_ms(second)
        diffs.append(a - b)
    return diffs


def sign_test_p(diffs: list[float]) -> float:
    """Two-sided exact sign test: how likely so lopsided a split of signs is by chance."""
    nonzero = [d for d in diffs if d != 0]
    n = len(nonzero)
    if n == 0:
        return 1.0
    k = min(sum(d > 0 for d in nonzero), sum(d < 0 for d in nonzero))
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
