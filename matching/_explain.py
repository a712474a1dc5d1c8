"""Explanations computed on arrays: blocking pairs and each pair's next-best alternatives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _bounds
from ._pairs import Array, Pairs, Scorer, Shortlist, best_of_groups

N_ALTERNATIVES = 3

WhyNot = dict[str, Any]  # {"code", "why_not"} and the ids and numbers the code refers to
Item = dict[str, Any]  # an alternative in the result: the other side's id, the score, a WhyNot


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
    that only pairs that can block are scored exactly (from stored bounds, both at once).
    """
    rescan = shortlist.row_bound > out.row_score
    col_threshold = np.where(out.full, out.col_min, -np.inf)
    rows = np.flatnonzero(rescan)
    stored = _bounds.candidates(scorer, rows, out.row_score[rows], col_threshold)
    # each pair once: the shortlist's of the rows not rescanned, the rescan's of the others
    parts = [shortlist.pairs.select(~rescan[shortlist.pairs.rows])]
    parts += [stored] if stored is not None else _rescan(scorer, rows, out, col_threshold)
    count = 0
    for pairs in parts:
        blocking = (pairs.scores > out.row_score[pairs.rows]) & (
            pairs.scores > col_threshold[pairs.cols]
        )
        blocking &= out.col_of[pairs.rows] != pairs.cols
        count += int(blocking.sum())
    return count


def _rescan(scorer: Scorer, rows: Array, out: Outcome, col_threshold: Array) -> list[Pairs]:
    """Return the allowed pairs of `rows` that can block: the matched rows', the others'."""
    parts = []
    matched, unmatched = rows[out.col_of[rows] >= 0], rows[out.col_of[rows] < 0]
    if len(matched):
        parts.append(scorer.scan(matched, out.row_score[matched]))
    if len(unmatched):
        floor = np.zeros(len(unmatched))
        parts.append(scorer.scan(unmatched, floor, np.maximum(col_threshold, 0.0)))
    return parts


def student_alternatives(
    shortlist: Shortlist, out: Outcome, ids: Array, kind: str
) -> tuple[Array, list[Item]]:
    """Return each matched student's next-best columns as result items, and their rows.

    An item is ``{kind: id, "score", "code", "why_not"}`` and the load the code refers to;
    `ids` name the columns. Items come grouped by ascending row, the best first.
    """
    p = shortlist.pairs
    skip = (out.col_of[p.rows] < 0) | (out.col_of[p.rows] == p.cols)
    alt = _take(p, best_of_groups(p.rows, p.scores, skip, N_ALTERNATIVES))
    higher = _count_higher(out, alt.cols, alt.scores)
    load = out.load[alt.cols]
    full = out.full[alt.cols]
    case = np.select(  # an index into _TARGET_CASES
        [out.pinned[alt.rows], full & (higher == load), full, alt.scores < out.row_score[alt.rows]],
        [0, 1, 2, 3],
        4,
    )
    # the alternatives with the same (case, load) share one why-not dict (the load counts
    # only when full); each item copies it
    width = int(load.max(initial=0)) + 1
    unique, inverse = np.unique(case * width + np.where(full, load, 0), return_inverse=True)
    shared = np.empty(len(unique), dtype=object)
    shared[:] = [_why_not_target(_TARGET_CASES[k // width], k % width) for k in unique.tolist()]
    items = [
        {kind: ident, "score": score, **why}
        for ident, score, why in zip(
            ids[alt.cols].tolist(), alt.scores.tolist(), shared[inverse.reshape(-1)], strict=True
        )
    ]
    return alt.rows, items


_TARGET_CASES = (
    "student_pinned",
    "full_higher_scores",
    "full_better_total",
    "lower_score",
    "tie_broken_by_order",
)


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
    query = cols * 4.0 + scores
    # sorted queries are searched several times sooner; they are sorted by col too
    order = np.argsort(query)
    end = np.searchsorted(keys, cols[order] * 4.0 + 3.0)
    higher = np.empty(len(query), dtype=np.intp)
    higher[order] = end - np.searchsorted(keys, query[order], side="right")
    return higher


def _take(pairs: Pairs, index: Array) -> Pairs:
    """Return `pairs` at `index`, in that order."""
    return Pairs(pairs.rows[index], pairs.cols[index], pairs.scores[index])


def target_alternatives(
    shortlist: Shortlist, out: Outcome, ids: Array, target_ids: Sequence[str]
) -> tuple[Array, list[Item]]:
    """Return each column's next-best students (not its own) as result items, and their columns.

    An item is ``{"student": id, "score", "code", "why_not"}`` and the partner the code refers
    to; `ids` name the rows, `target_ids` the columns. Items come grouped by ascending column.
    """
    p = shortlist.pairs
    skip = (out.load[p.cols] == 0) | (out.col_of[p.rows] == p.cols)
    alt = _take(p, best_of_groups(p.cols, p.scores, skip, N_ALTERNATIVES))
    own = (out.col_of[alt.rows], out.pinned[alt.rows], out.row_score[alt.rows])
    items = [
        _why_not_student(target_ids, ident, score, col, pinned, other)
        for ident, score, col, pinned, other in zip(
            ids[alt.rows].tolist(), alt.scores.tolist(), *(a.tolist() for a in own), strict=True
        )
    ]
    return alt.cols, items


_UNMATCHED = "unmatched: every place here went to a student who adds more"


def _why_not_student(
    ids: Sequence[str], student: str, score: float, col: int, pinned: bool, other: float
) -> Item:
    """Return the item of a student (scoring `score` here) not among a column's students.

    `col`, `pinned` and `other` are the student's own column (-1: none), pin and score there;
    `ids` name the columns.
    """
    if col < 0:
        return {
            "student": student,
            "score": score,
            "code": "unmatched_adds_less",
            "why_not": _UNMATCHED,
        }
    at = ids[col]
    if pinned:
        return {
            "student": student,
            "score": score,
            "code": "pinned_elsewhere",
            "why_not": f"pinned to {at}",
            "matched_to": at,
        }
    if other > score:
        text = f"matched to {at} with a higher score ({other:.2f})"
        code = "matched_higher_score"
    else:
        text = f"matched to {at} ({other:.2f}); a swap would lower the total"
        code = "swap_lowers_total"
    return {
        "student": student,
        "score": score,
        "code": code,
        "why_not": text,
        "matched_to": at,
        "matched_score": other,
    }
