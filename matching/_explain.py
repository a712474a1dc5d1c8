"""Explanations computed on arrays: blocking pairs and each pair's next-best alternatives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._pairs import Array, Pairs, Scorer, Shortlist, best_of_groups

N_ALTERNATIVES = 3

WhyNot = dict[str, Any]  # {"code", "why_not"} and the ids and numbers the code refers to


@dataclass(frozen=True, slots=True)
class Outcome:
    """An assignment with what the explanations need: scores, loads, who is full."""

    col_of: Array  # (n_rows,) column or -1
    pinned: Array  # (n_rows,) bool
    capacity: Array  # (n_cols,)
    row_score: Array  # (n_rows,) partner's score, -inf when unmatched
    load: Array  # (n_cols,) students taken
    full: Array  # (n_cols,) bool
    col_min: Array  # (n_cols,) lowest partner score, +inf when none

    @classmethod
    def of(cls, scorer: Scorer, col_of: Array, pinned: Array, capacity: Array) -> Outcome:
        """Return the outcome of `col_of`, scoring its pairs with `scorer`."""
        rows = np.flatnonzero(col_of >= 0)
        row_score = np.full(len(col_of), -np.inf)
        row_score[rows] = scorer.score(rows, col_of[rows])
        load = np.bincount(col_of[rows], minlength=len(capacity))
        col_min = np.full(len(capacity), np.inf)
        np.minimum.at(col_min, col_of[rows], row_score[rows])
        return cls(col_of, pinned, capacity, row_score, load, load >= capacity, col_min)


def blocking_pairs(scorer: Scorer, shortlist: Shortlist, out: Outcome) -> int:
    """Count allowed pairs not chosen that both sides would rather have.

    A row's pairs missing from the shortlist score at most its bound, so only rows whose
    partner scores under that bound are rescanned: a matched row above its partner's score,
    an unmatched row above each column's threshold (its lowest score when full, else 0), so
    that only pairs that can block are scored exactly.
    """
    rescan = shortlist.row_bound > out.row_score
    col_threshold = np.where(out.full, out.col_min, -np.inf)
    parts = [shortlist.pairs.select(~rescan[shortlist.pairs.rows])]
    rows = np.flatnonzero(rescan & (out.col_of >= 0))
    if len(rows):
        parts.append(scorer.scan(rows, out.row_score[rows]))
    rows = np.flatnonzero(rescan & (out.col_of < 0))
    if len(rows):
        parts.append(scorer.scan(rows, np.zeros(len(rows)), np.maximum(col_threshold, 0.0)))
    # the shortlist's pairs alone are already sorted and distinct (edges: nothing rescanned)
    pairs = parts[0] if len(parts) == 1 else Pairs.union(parts, len(out.capacity))
    blocking = (pairs.scores > out.row_score[pairs.rows]) & (
        pairs.scores > col_threshold[pairs.cols]
    )
    blocking &= out.col_of[pairs.rows] != pairs.cols
    return int(blocking.sum())


def student_alternatives(shortlist: Shortlist, out: Outcome) -> tuple[Pairs, list[WhyNot]]:
    """Return each matched student's next-best columns and why each was not chosen."""
    p = shortlist.pairs
    skip = (out.col_of[p.rows] < 0) | (out.col_of[p.rows] == p.cols)
    alt = _take(p, best_of_groups(p.rows, p.scores, skip, N_ALTERNATIVES))
    higher = _count_higher(out, alt.cols, alt.scores)
    load = out.load[alt.cols]
    full = out.full[alt.cols]
    case = np.select(
        [out.pinned[alt.rows], full & (higher == load), full, alt.scores < out.row_score[alt.rows]],
        ["student_pinned", "full_higher_scores", "full_better_total", "lower_score"],
        "tie_broken_by_order",
    )
    memo: dict[tuple[str, int], WhyNot] = {}  # the dicts are copied into the result
    why = []
    for code, n in zip(case.tolist(), np.where(full, load, 0).tolist(), strict=True):
        if (code, n) not in memo:
            memo[code, n] = _why_not_target(code, n)
        why.append(memo[code, n])
    return alt, why


def _why_not_target(code: str, load: int) -> WhyNot:
    """Return why a student did not get a target, from the case's code and the target's load."""
    if code == "full_higher_scores":
        text = f"full: took {load} student{'' if load == 1 else 's'} with higher scores"
        return {"code": code, "why_not": text, "load": load}
    if code == "full_better_total":
        taken = "its student gives" if load == 1 else f"its {load} students give"
        text = f"full: {taken} more matches or a higher total"
        return {"code": code, "why_not": text, "load": load}
    return {"code": code, "why_not": _PLAIN[code]}


_PLAIN = {
    "student_pinned": "the student is pinned",
    "lower_score": "lower score",
    "tie_broken_by_order": "equal score; tie broken by order",
}


def _count_higher(out: Outcome, cols: Array, scores: Array) -> Array:
    """Return, per (col, score) query, how many of col's students score higher."""
    rows = np.flatnonzero(out.col_of >= 0)
    keys = np.sort(out.col_of[rows] * 4.0 + out.row_score[rows])
    end = np.searchsorted(keys, cols * 4.0 + 3.0)
    return end - np.searchsorted(keys, cols * 4.0 + scores, side="right")


def _take(pairs: Pairs, index: Array) -> Pairs:
    """Return `pairs` at `index`, in that order."""
    return Pairs(pairs.rows[index], pairs.cols[index], pairs.scores[index])


def target_alternatives(
    shortlist: Shortlist, out: Outcome, ids: Sequence[str]
) -> tuple[Pairs, list[WhyNot]]:
    """Return each column's next-best students (not its own) and why each is elsewhere."""
    p = shortlist.pairs
    skip = (out.load[p.cols] == 0) | (out.col_of[p.rows] == p.cols)
    alt = _take(p, best_of_groups(p.cols, p.scores, skip, N_ALTERNATIVES))
    partner = (out.col_of[alt.rows], out.pinned[alt.rows], out.row_score[alt.rows])
    why = [
        _why_not_student(ids, c, p, o, s)
        for c, p, o, s in zip(*(a.tolist() for a in partner), alt.scores.tolist(), strict=True)
    ]
    return alt, why


def _why_not_student(
    ids: Sequence[str], col: int, pinned: bool, other: float, score: float
) -> WhyNot:
    """Return why a student (scoring `score` here) is not among a column's students.

    `col`, `pinned` and `other` are the student's own column (-1: none), pin and score there;
    `ids` name the columns.
    """
    if col < 0:
        text = "unmatched: every place here went to a student who adds more"
        return {"code": "unmatched_adds_less", "why_not": text}
    if pinned:
        return {
            "code": "pinned_elsewhere",
            "why_not": f"pinned to {ids[col]}",
            "matched_to": ids[col],
        }
    partner = {"matched_to": ids[col], "matched_score": other}
    if other > score:
        text = f"matched to {ids[col]} with a higher score ({other:.2f})"
        return {"code": "matched_higher_score", "why_not": text, **partner}
    text = f"matched to {ids[col]} ({other:.2f}); a swap would lower the total"
    return {"code": "swap_lowers_total", "why_not": text, **partner}
