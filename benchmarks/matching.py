"""Benchmark the matcher on seeded, realistic instances; compare with a greedy baseline.

Run ``python benchmarks/matching.py [--sizes 1000,10000,20000,50000] [--seed N]``. Each size
runs in its own process so its peak memory (``ru_maxrss``) is its own. `make_instance` is
importable: the portal's demo seeding may reuse its vocabulary.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

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
    picks = np.argsort(rng.random((n_students, n_mentors)), axis=1)[:, :k] if n_students <= 2000 \
        else np.stack([rng.choice(n_mentors, k, replace=False) for _ in range(n_students)])
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


def main() -> None:
    """Run each size in a subprocess and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    print(HEADER)
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(_row(json.loads(out)), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
