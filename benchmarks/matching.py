"""Benchmark the matcher on seeded, realistic instances; compare with a greedy baseline.

Run ``python benchmarks/matching.py [--sizes 1000,10000,20000,50000] [--seed N]
[--only ratios|scipy|table] [--rounds N]``. It prints three tables:

- ratios: for each size, the anchor (OR-Tools' min-cost flow on every edge of the
  explicit-edge instance, 40 edges a student, as a whole process including reading the JSON)
  and ``python -m matching solve`` as a whole process on (a) that explicit-edge instance and
  (b) the profile instance of the same size: the engine used, seconds, ratio to the anchor
  (``--rounds`` same-run rounds, 5 by default: medians, and the ratios' spread);
- scipy only: the dense scipy engine's solve alone (and OR-Tools' flow on the same allowed
  pairs) at ``--scipy-sizes`` (1,000, 2,000, 3,000);
- the detailed table with the greedy baseline; each size runs in its own process so its peak
  memory (``ru_maxrss``) is its own. `make_instance` is
importable: the portal's demo seeding may reuse its vocabulary.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

INTERESTS = [
    "robotics",
    "coding",
    "art",
    "music",
    "theatre",
    "dance",
    "football",
    "basketball",
    "swimming",
    "chess",
    "astronomy",
    "biology",
    "chemistry",
    "physics",
    "maths",
    "writing",
    "poetry",
    "journalism",
    "photography",
    "film",
    "gaming",
    "animation",
    "design",
    "fashion",
    "cooking",
    "gardening",
    "environment",
    "climate",
    "animals",
    "history",
    "politics",
    "debate",
    "law",
    "economics",
    "business",
    "entrepreneurship",
    "marketing",
    "languages",
    "travel",
    "volunteering",
    "health",
    "medicine",
    "psychology",
    "philosophy",
    "religion",
    "architecture",
    "engineering",
    "electronics",
    "cars",
    "aviation",
    "space",
    "geography",
    "anthropology",
    "sociology",
    "crafts",
    "woodwork",
    "knitting",
    "comics",
    "anime",
    "hiking",
    "cycling",
]
FIELDS = [
    "engineering",
    "medicine",
    "law",
    "teaching",
    "nursing",
    "software",
    "data-science",
    "design",
    "business",
    "finance",
    "research",
    "trades",
    "arts",
    "media",
    "public-service",
    "science",
    "sports",
    "hospitality",
    "agriculture",
    "social-work",
]
SLOTS = [f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri", "sat") for h in ("am", "pm")]
LANGUAGES = ("en", "es", "fr", "ar", "zh", "pt")
AREAS = ("north", "south", "east", "west", "centre", "riverside", "hills", "harbour")
MODALITIES = ("either", "in_person", "online")


def _zipf(rng: np.random.Generator, items: tuple[str, ...] | list[str], k: int) -> list[str]:
    """Return `k` distinct items drawn with Zipf-like skew (the first ones are common)."""
    p = 1.0 / np.arange(1, len(items) + 1) ** 1.1
    return [items[i] for i in rng.choice(len(items), size=k, replace=False, p=p / p.sum())]


def _languages(rng: np.random.Generator) -> list[str]:
    """Return a language list: English dominant, sometimes another first."""
    other = str(rng.choice(LANGUAGES[1:]))
    roll = rng.random()
    return (
        ["en"]
        if roll < 0.7
        else ["en", other]
        if roll < 0.85
        else [other, "en"]
        if roll < 0.95
        else [other]
    )


def _student(rng: np.random.Generator, i: int) -> dict[str, Any]:
    """Return one student's profile."""
    grade = int(rng.integers(6, 13))
    return {
        "id": f"s{i}",
        "grade": grade,
        "minor": grade < 12 or bool(rng.random() < 0.5),
        "interests": _zipf(rng, INTERESTS, int(rng.integers(2, 5))),
        "goals": _zipf(rng, FIELDS, int(rng.integers(1, 3))),
        "availability": _zipf(rng, SLOTS, int(rng.integers(2, 6))),
        "modality": str(rng.choice(MODALITIES, p=[0.5, 0.25, 0.25])),
        "languages": _languages(rng),
        "area": str(rng.choice(AREAS)),
    }


def _mentor(rng: np.random.Generator, i: int) -> dict[str, Any]:
    """Return one mentor's profile (10% with a pending or expired check)."""
    low = int(rng.integers(6, 12))
    roll = rng.random()
    check = (
        {"status": "verified", "expires": "2027-06-30"}
        if roll < 0.9
        else {"status": "pending", "expires": None}
        if roll < 0.95
        else {"status": "verified", "expires": "2026-03-31"}
    )
    return {
        "id": f"m{i}",
        "capacity": int(rng.integers(1, 6)),
        "expertise": _zipf(rng, FIELDS, int(rng.integers(1, 4))),
        "interests": _zipf(rng, INTERESTS, int(rng.integers(2, 6))),
        "availability": _zipf(rng, SLOTS, int(rng.integers(1, 5))),
        "modality": str(rng.choice(MODALITIES, p=[0.5, 0.25, 0.25])),
        "languages": _languages(rng),
        "grades": [low, min(12, low + int(rng.integers(1, 5)))],
        "area": str(rng.choice(AREAS)),
        "background_check": check,
    }


def _project(rng: np.random.Generator, i: int) -> dict[str, Any]:
    """Return one community project."""
    low = int(rng.integers(6, 11))
    return {
        "id": f"p{i}",
        "capacity": int(rng.integers(5, 40)),
        "skills": _zipf(rng, INTERESTS, int(rng.integers(1, 4))),
        "availability": _zipf(rng, SLOTS, int(rng.integers(2, 7))),
        "modality": str(rng.choice(MODALITIES)),
        "grades": [low, 12],
        "area": str(rng.choice(AREAS)),
        "supervisor_checked": bool(rng.random() < 0.8),
    }


def make_instance(n_students: int, seed: int = 0) -> dict[str, Any]:
    """Return a realistic instance: ``n/3`` mentors, and ``n/50`` projects from 20,000 up."""
    rng = np.random.default_rng(seed)
    n_projects = n_students // 50 if n_students >= 20_000 else 0
    return {
        "as_of": "2026-09-01",
        "min_score": 0.2,
        "students": [_student(rng, i) for i in range(n_students)],
        "mentors": [_mentor(rng, i) for i in range(n_students // 3)],
        "projects": [_project(rng, i) for i in range(n_projects)],
    }


def make_edge_instance(n_students: int, seed: int = 0, per_student: int = 40) -> dict[str, Any]:
    """Return an explicit-edge instance: ``n/3`` mentors, `per_student` scored edges a student."""
    rng = np.random.default_rng(seed)
    n_mentors = max(1, n_students // 3)
    k = min(per_student, n_mentors)
    picks = (
        np.argsort(rng.random((n_students, n_mentors)), axis=1)[:, :k]
        if n_students <= 2000
        else np.stack([rng.choice(n_mentors, k, replace=False) for _ in range(n_students)])
    )
    scores = np.round(rng.random((n_students, k)), 4)
    return {
        "min_score": 0.1,
        "students": [{"id": f"s{i}"} for i in range(n_students)],
        "mentors": [
            {"id": f"m{j}", "capacity": int(c)}
            for j, c in enumerate(rng.integers(1, 6, size=n_mentors))
        ],
        "edges": [
            {"student": f"s{i}", "mentor": f"m{j}", "score": float(v)}
            for i, (row, vals) in enumerate(zip(picks.tolist(), scores.tolist(), strict=True))
            for j, v in zip(row, vals, strict=True)
        ],
    }


def greedy(instance: dict[str, Any], kind: str = "mentor") -> dict[str, Any]:
    """Return the greedy baseline: allowed pairs by descending score, taken while room."""
    from matching import _explain, _profile, _schema  # private: benchmark only

    inst = _schema.parse(instance)
    side = inst.sides[0 if kind == "mentor" else 1]
    scorer = _profile.ProfileScorer(inst, side)
    capacity = np.array([t.capacity for t in side.targets], dtype=np.int64)
    shortlist = scorer.shortlist(64, int(capacity.max(initial=0)) + 64)
    p = shortlist.pairs
    order = np.lexsort((p.cols, p.rows, -p.scores))
    col_of, room = np.full(scorer.n_rows, -1), capacity.copy()
    for r, c in zip(p.rows[order].tolist(), p.cols[order].tolist(), strict=True):
        if col_of[r] < 0 and room[c] > 0:
            col_of[r], room[c] = c, room[c] - 1
    out = _explain.Outcome.of(scorer, col_of, np.zeros(scorer.n_rows, bool), capacity)
    scores = out.row_score[col_of >= 0]
    return {
        "matched": len(scores),
        "total_score": float(scores.sum()),
        "min_score": float(scores.min()),
        "blocking_pairs": _explain.blocking_pairs(scorer, shortlist, out),
    }


def run_one(n: int, seed: int) -> dict[str, Any]:
    """Solve one size in this process; return its figures."""
    import matching

    instance = make_instance(n, seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = matching.solve(instance)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stats = result["stats"]
    return {
        "n": n,
        "mentors": len(instance["mentors"]),
        "projects": len(instance["projects"]),
        "seconds": wall,
        "timings": stats["timings"],
        "peak_mb": rss / 1024,
        "instance_mb": rss_before / 1024,
        "mentor": stats["mentor"],
        "project": stats["project"],
        "greedy": greedy(instance),
    }


def _row(fig: dict[str, Any]) -> str:
    """Return one markdown table row."""
    t, m, g = fig["timings"], fig["mentor"], fig["greedy"]
    return (
        f"| {fig['n']:,} | {fig['mentors']:,} / {fig['projects']} | {fig['seconds']:.2f} | "
        f"{t['validate']:.2f} / {t['score']:.2f} / {t['solve']:.2f} / {t['explain']:.2f} | "
        f"{fig['peak_mb']:.0f} ({fig['instance_mb']:.0f}) | {m['matched']:,} / {g['matched']:,} | "
        f"{m['total_score']:.1f} / {g['total_score']:.1f} | "
        f"{m['min_score']:.3f} / {g['min_score']:.3f} | "
        f"{m['blocking_pairs']:,} / {g['blocking_pairs']:,} | {m['lp_rounds']} |"
    )


HEADER = (
    "| students | mentors / projects | solve s | validate / score / solve / explain s | "
    "peak MB (instance) | matched exact / greedy | total score exact / greedy | "
    "min score exact / greedy | blocking pairs exact / greedy | LP rounds |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def anchor(path: str) -> float:
    """Solve every edge of an edges-mode instance file with OR-Tools' flow; return seconds.

    The anchor of the ratios: reading the JSON, indexing the edges and one min-cost max-flow
    on every allowed pair, nothing else (run as a whole process by `_process_seconds`).
    """
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        inst = json.load(handle)
    students = {s["id"]: i for i, s in enumerate(inst["students"])}
    mentors = {m["id"]: j for j, m in enumerate(inst["mentors"])}
    low = inst.get("min_score", 0.0)
    edges = [e for e in inst["edges"] if "mentor" in e and e["score"] >= low]
    rows = np.array([students[e["student"]] for e in edges], dtype=np.int64)
    cols = np.array([mentors[e["mentor"]] for e in edges], dtype=np.int64)
    cost = -np.rint(np.array([e["score"] for e in edges]) * (1 << 30)).astype(np.int64)
    capacity = np.array([m["capacity"] for m in inst["mentors"]], dtype=np.int64)
    n, m = len(students), len(mentors)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n, source), rows, n + np.arange(m)]),
        np.concatenate([np.arange(n), n + cols, np.full(m, sink)]),
        np.concatenate([np.ones(n + len(rows), np.int64), capacity]),
        np.concatenate([np.zeros(n, np.int64), cost, np.zeros(m, np.int64)]),
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("the anchor's flow did not solve")
    return time.perf_counter() - start


def _process_seconds(args: list[str]) -> tuple[float, str]:
    """Run a whole Python process; return its wall time and standard output."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return time.perf_counter() - start, out


def ratios(n: int, seed: int, folder: Path, rounds: int) -> str:
    """Return a table row: the matcher's whole-process times as ratios to the anchor.

    Each round runs the anchor, then the matcher on the edge instance, then on the profile
    instance (same-run ratios); the row gives each column's median and, for the ratios, the
    median of the rounds' ratios and their spread.
    """
    edges_file, profile_file = folder / f"edges-{n}.json", folder / f"profiles-{n}.json"
    edges_file.write_text(json.dumps(make_edge_instance(n, seed)))
    profile_file.write_text(json.dumps(make_instance(n, seed)))
    times: dict[str, list[float]] = {"anchor": [], "edges": [], "profiles": []}
    engines = {}
    for _ in range(rounds):
        times["anchor"].append(_process_seconds([__file__, "--anchor", str(edges_file)])[0])
        for name, path in (("edges", edges_file), ("profiles", profile_file)):
            seconds, out = _process_seconds(["-m", "matching", "solve", str(path)])
            times[name].append(seconds)
            engines[name] = json.loads(out)["stats"]["engine"]
    base = np.array(times["anchor"])
    cells = []
    for name in ("edges", "profiles"):
        wall = np.array(times[name])
        ratio = wall / base
        cells.append(
            f"{engines[name]} | {np.median(wall):.2f} | "
            f"{np.median(ratio):.2f}x ({ratio.min():.2f}-{ratio.max():.2f})"
        )
    return f"| {n:,} | {np.median(base):.2f} | {cells[0]} | {cells[1]} |"


RATIO_HEADER = (
    "| students | anchor s (flow on every edge, whole process) | edges: engine | edges s | "
    "edges / anchor (spread) | profiles: engine | profiles s | profiles / anchor (spread) |\n"
    "|---|---|---|---|---|---|---|---|"
)


def scipy_only(n: int, seed: int) -> str:
    """Return a table row: the dense scipy engine alone on the mentors of the instance."""
    from matching import _dense, _flow, _profile, _schema  # private: benchmark only

    inst = _schema.parse(make_instance(n, seed))
    side = inst.sides[0]
    scorer = _profile.ProfileScorer(inst, side)
    pairs = scorer.scan(np.arange(scorer.n_rows), np.full(scorer.n_rows, -np.inf))
    capacity = np.array([t.capacity for t in side.targets], dtype=np.int64)
    matrix, _, _ = _dense.slot_matrix(pairs.select(capacity[pairs.cols] > 0), capacity)
    start = time.perf_counter()
    dense = _dense.optimum(pairs, capacity, scorer.n_rows)
    lsa = time.perf_counter() - start
    start = time.perf_counter()
    flow = _flow.optimum(pairs, capacity, scorer.n_rows)
    flow_s = time.perf_counter() - start
    same = _figures(pairs, dense.col_of) == _figures(pairs, flow.col_of)
    return (
        f"| {n:,} | {matrix.shape[0]:,} x {matrix.shape[1]:,} | {len(pairs):,} | {lsa:.2f} | "
        f"{flow_s:.2f} | {'yes' if same else 'NO'} |"
    )


def _figures(pairs: Any, col_of: Any) -> tuple[int, int]:
    """Return (matches, total integer score) of an assignment over `pairs`."""
    chosen = col_of[pairs.rows] == pairs.cols
    return int(chosen.sum()), int(np.rint(pairs.scores[chosen] * (1 << 30)).sum())


SCIPY_HEADER = (
    "| students | matrix (students x slots) | allowed pairs | scipy LSA s | OR-Tools flow s | "
    "same optimum |\n|---|---|---|---|---|---|"
)


def main() -> None:
    """Run each size in a subprocess and print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", choices=("ratios", "scipy", "table"), help="print one table (default: all)"
    )
    parser.add_argument("--scipy-sizes", default="1000,2000,3000")
    parser.add_argument("--rounds", type=int, default=5, help="same-run rounds of the ratios")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--anchor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    if args.anchor:
        print(anchor(args.anchor))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.only in (None, "ratios"):
        print(RATIO_HEADER)
        with tempfile.TemporaryDirectory() as folder:
            for n in sizes:
                print(ratios(n, args.seed, Path(folder), args.rounds), flush=True)
    if args.only in (None, "scipy"):
        print(SCIPY_HEADER)
        for n in (int(s) for s in args.scipy_sizes.split(",")):
            print(scipy_only(n, args.seed), flush=True)
    if args.only in (None, "table"):
        print(HEADER)
        for n in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print(_row(json.loads(out)), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
