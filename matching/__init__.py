"""Mentorbridge's matcher: students to mentors and projects, exact and explained.

Pure Python on numpy. School-size sides are solved by scipy's linear assignment on the
capacity-expanded matrix, larger ones by OR-Tools' min-cost flow (``stats.engine`` says which):
no Flask, no database, deterministic, inputs never mutated.
The JSON contract is in ``docs/matching.md``.

Examples
--------
>>> import matching
>>> result = matching.solve({
...     "as_of": "2026-09-01",
...     "students": [{"id": "s1", "grade": 10, "languages": ["en"], "availability": ["tue-pm"],
...                   "interests": ["robotics"]}],
...     "mentors": [{"id": "m1", "capacity": 1, "grades": [9, 12], "languages": ["en"],
...                  "availability": ["tue-pm"], "interests": ["robotics"],
...                  "background_check": {"status": "verified", "expires": "2027-06-30"}}],
... }, timings=False)
>>> [(p["student"], p["mentor"], round(p["score"], 3)) for p in result["mentor_pairs"]]
[('s1', 'm1', 0.653)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._api import ScoreMatrix, assign, score_matrix
from ._criteria import CRITERIA, DEFAULT_RULES, DEFAULT_WEIGHTS
from ._errors import InstanceError
from ._rules import CODES
from ._solve import solve as _solve

__all__ = [
    "CODES",
    "CRITERIA",
    "DEFAULT_RULES",
    "DEFAULT_WEIGHTS",
    "InstanceError",
    "ScoreMatrix",
    "assign",
    "score_matrix",
    "solve",
]


def solve(instance: Mapping[str, Any], *, timings: bool = True) -> dict[str, Any]:
    """Match students with mentors and with projects; return the RESULT dict.

    Parameters
    ----------
    instance : mapping
        A decoded INSTANCE (see ``docs/matching.md``); it is not modified.
    timings : bool, optional
        Report ``stats.seconds`` and ``stats.timings``. With False, ``seconds`` is 0 and
        the result is byte-for-byte the same for the same instance.

    Returns
    -------
    dict
        ``mentor_pairs``, ``project_pairs``, ``unmatched`` and ``stats``.

    Raises
    ------
    InstanceError
        When the instance breaks the contract; the message names the record and field.

    Examples
    --------
    >>> solve({"students": [{"id": "s1"}], "mentors": [{"id": "m1", "capacity": 1}],
    ...        "edges": [{"student": "s1", "mentor": "m1", "score": 0.5}]},
    ...       timings=False)["stats"]["mentor"]["matched"]
    1
    """
    return _solve(instance, timings=timings)
