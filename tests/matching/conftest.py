"""Factories and hypothesis strategies for matcher tests (no Flask, no portal)."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

SLOTS = ["mon-am", "mon-pm", "tue-pm", "sat-am"]
TAGS = ["robotics", "coding", "art", "music", "chess"]
FIELDS = ["engineering", "medicine", "law"]


def make_student(ident: str = "s1", **extra: Any) -> dict[str, Any]:
    """Return a valid student; `extra` overrides fields."""
    base = {
        "id": ident,
        "grade": 10,
        "minor": True,
        "interests": ["robotics"],
        "goals": ["engineering"],
        "availability": ["mon-pm"],
        "modality": "either",
        "languages": ["en"],
        "area": "north",
    }
    return base | extra


def make_mentor(ident: str = "m1", **extra: Any) -> dict[str, Any]:
    """Return a valid, background-checked mentor; `extra` overrides fields."""
    base = {
        "id": ident,
        "capacity": 1,
        "expertise": ["engineering"],
        "interests": ["robotics"],
        "availability": ["mon-pm"],
        "modality": "either",
        "languages": ["en"],
        "grades": [9, 12],
        "area": "north",
        "background_check": {"status": "verified", "expires": "2027-06-30"},
    }
    return base | extra


def make_project(ident: str = "p1", **extra: Any) -> dict[str, Any]:
    """Return a valid, supervisor-checked project; `extra` overrides fields."""
    base = {
        "id": ident,
        "capacity": 2,
        "skills": ["coding"],
        "availability": ["mon-pm"],
        "modality": "online",
        "grades": [9, 12],
        "area": "south",
        "supervisor_checked": True,
    }
    return base | extra


def make_instance(**extra: Any) -> dict[str, Any]:
    """Return a small valid instance; `extra` overrides top-level fields."""
    base = {
        "as_of": "2026-09-01",
        "students": [make_student()],
        "mentors": [make_mentor()],
        "projects": [make_project()],
    }
    return base | extra


@st.composite
def profile_instances(
    draw: st.DrawFn, max_students: int = 8, max_mentors: int = 4
) -> dict[str, Any]:
    """Draw small profile-mode instances with pins and forbidden pairs."""
    subsets = st.lists(st.sampled_from(TAGS), max_size=3, unique=True)
    slots = st.lists(st.sampled_from(SLOTS), max_size=3, unique=True)
    langs = st.lists(st.sampled_from(["en", "es"]), min_size=1, max_size=2, unique=True)
    modality = st.sampled_from(["in_person", "online", "either"])
    n_s = draw(st.integers(1, max_students))
    n_m = draw(st.integers(0, max_mentors))
    students = [
        make_student(
            f"s{i}",
            grade=draw(st.integers(8, 12)),
            minor=draw(st.booleans()),
            interests=draw(subsets),
            goals=draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True)),
            availability=draw(slots),
            modality=draw(modality),
            languages=draw(langs),
            area=draw(st.sampled_from(["north", "south", None])),
        )
        for i in range(n_s)
    ]
    low = st.integers(8, 11)
    mentors = []
    for j in range(n_m):
        lo = draw(low)
        status = draw(st.sampled_from(["verified", "verified", "pending", "expired"]))
        mentors.append(
            make_mentor(
                f"m{j}",
                capacity=draw(st.integers(0, 3)),
                interests=draw(subsets),
                expertise=draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True)),
                availability=draw(slots),
                modality=draw(modality),
                languages=draw(langs),
                grades=[lo, draw(st.integers(lo, 12))],
                background_check={"status": status, "expires": "2027-01-01"},
            )
        )
    inst = make_instance(
        students=students,
        mentors=mentors,
        projects=[],
        min_score=draw(st.sampled_from([0.0, 0.2, 0.4])),
        rules={
            "require_common_slot": draw(st.booleans()),
            "require_common_language": draw(st.booleans()),
        },
    )
    if n_m and draw(st.booleans()):
        inst["forbidden"] = [
            {
                "student": f"s{draw(st.integers(0, n_s - 1))}",
                "mentor": f"m{draw(st.integers(0, n_m - 1))}",
            }
        ]
    return inst


@st.composite
def edge_instances(draw: st.DrawFn, max_students: int = 6, max_mentors: int = 3) -> dict[str, Any]:
    """Draw small edges-mode instances (scores on a coarse grid, so ties happen)."""
    n_s, n_m = draw(st.integers(1, max_students)), draw(st.integers(1, max_mentors))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_s - 1), st.integers(0, n_m - 1)),
            unique=True,
            max_size=n_s * n_m,
        )
    )
    score = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.floats(0, 1))
    edges = [{"student": f"s{i}", "mentor": f"m{j}", "score": draw(score)} for i, j in pairs]
    return {
        "students": [{"id": f"s{i}"} for i in range(n_s)],
        "mentors": [{"id": f"m{j}", "capacity": draw(st.integers(0, 2))} for j in range(n_m)],
        "edges": edges,
        "min_score": draw(st.sampled_from([0.0, 0.3])),
    }


def brute_force(scores: np.ndarray, capacity: np.ndarray) -> tuple[int, float]:
    """Return the best (matched, total score) by enumerating every assignment."""
    n = scores.shape[0]
    options = [[-1, *np.flatnonzero(~np.isnan(scores[i])).tolist()] for i in range(n)]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        taken = [c for c in choice if c >= 0]
        if any(taken.count(c) > capacity[c] for c in set(taken)):
            continue
        total = sum(scores[i, c] for i, c in enumerate(choice) if c >= 0)
        if (len(taken), total) > best:
            best = (len(taken), total)
    return best


def frozen(value: Any) -> Any:
    """Return a deep copy (to check that inputs are not mutated)."""
    return copy.deepcopy(value)
