"""Compare assignment solvers side by side on the graphs the matcher really solves.

Run ``python benchmarks/solvers.py [--sizes 10000,20000] [--seed N]``. For each size it solves
the benchmark instance (`benchmarks/matching.py`), records every candidate graph that the
exact path hands to `matching._flow.assign` (the shortlist, then the graph after each pricing
round), and solves each graph again with:

- OR-Tools' min-cost max-flow (what `matching` uses): capacities on arcs, integer costs;
- scipy's `min_weight_full_bipartite_matching` (LAPJVsp) on the slot-expanded graph (each
  target repeated `capacity` times, each student given a private "unmatched" column), the
  solver `matching` used before.

It prints seconds per graph and checks that both give the same number of matches and the
same total (integer) score.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def scipy_slots(pairs: Any, capacity: Any, n_rows: int) -> Any:
    """Return each row's column by LAPJVsp on the slot-expanded graph (the old solver)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from matching._flow import SCALE

    big = min(n_rows, int(capacity.sum())) + 1
    cost = (2 * SCALE - np.rint(pairs.scores * SCALE)).astype(np.float64)
    start = np.concatenate([[0], np.cumsum(capacity)])
    n_slots = int(start[-1])
    repeat = capacity[pairs.cols]
    first = np.cumsum(repeat) - repeat
    slot = np.repeat(start[pairs.cols], repeat) + np.arange(int(repeat.sum()))
    slot -= np.repeat(first, repeat)
    rows = np.concatenate([np.repeat(pairs.rows, repeat), np.arange(n_rows)])
    cols = np.concatenate([slot, n_slots + np.arange(n_rows)])
    costs = np.concatenate([np.repeat(cost, repeat), np.full(n_rows, float((big + 2) * SCALE))])
    graph = sp.csr_array((costs, (rows, cols)), shape=(n_rows, n_slots + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    col_of = np.full(n_rows, -1, dtype=np.intp)
    real = col_ind < n_slots
    col_of[row_ind[real]] = owner[col_ind[real]]
    return col_of


def _figures(pairs: Any, col_of: Any) -> tuple[int, int]:
    """Return (matches, total integer score) of an assignment over `pairs`."""
    from matching._flow import SCALE

    chosen = col_of[pairs.rows] == pairs.cols
    return int(chosen.sum()), int(np.rint(pairs.scores[chosen] * SCALE).sum())


def compare(n: int, seed: int) -> list[str]:
    """Return one table row per graph solved for the mentors of the `n`-student instance."""
    import matching
    from benchmarks.matching import make_instance
    from matching import _flow

    graphs: list[tuple[Any, Any, int]] = []
    real = _flow.assign

    def record(pairs: Any, capacity: Any, n_rows: int) -> Any:
        graphs.append((pairs, capacity, n_rows))
        return real(pairs, capacity, n_rows)

    instance = make_instance(n, seed)
    instance["projects"] = []
    _flow.assign = record  # type: ignore[assignment]
    try:
        matching.solve(instance)
    finally:
        _flow.assign = real  # type: ignore[assignment]
    out = []
    for i, (pairs, capacity, n_rows) in enumerate(graphs, 1):
        arcs = int(capacity[pairs.cols].sum())
        start = time.perf_counter()
        flow = real(pairs, capacity, n_rows)
        t_flow = time.perf_counter() - start
        start = time.perf_counter()
        slots = scipy_slots(pairs, capacity, n_rows)
        t_scipy = time.perf_counter() - start
        same = _figures(pairs, flow) == _figures(pairs, slots)
        out.append(
            f"| {n:,} | {i} | {len(pairs):,} | {arcs:,} | {t_scipy:.2f} | {t_flow:.2f} | "
            f"{t_scipy / t_flow:.1f}x | {'yes' if same else '**NO**'} |"
        )
    return out


def main() -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| students | graph | pairs | slot-expanded arcs | scipy LAPJVsp s | OR-Tools flow s "
        "| ratio | same optimum |\n|---|---|---|---|---|---|---|---|"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        for row in compare(n, args.seed):
            print(row, flush=True)


if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # not benchmarks/: it has matching.py
    main()
