"""The error raised for a bad instance."""

from __future__ import annotations

__all__ = ["InstanceError"]


class InstanceError(ValueError):
    """An instance breaks the JSON contract; the message names the record and field.

    Parameters
    ----------
    path : str
        Where the problem is, e.g. ``"mentors[3].capacity"``.
    problem : str
        What is wrong, e.g. ``"must be an integer >= 0"``.
    code : str, optional
        A stable machine-readable code (``docs/matching.md``): ``invalid_instance`` for a
        malformed field; for a refused pin ``pin_breaks_rule``, ``pin_forbidden``,
        ``pin_over_capacity`` or ``pin_twice``.
    rule : str, optional
        For ``pin_breaks_rule``: the broken rule's code (e.g. ``grade_outside_band``,
        ``not_listed_edge`` in edges mode).
    student, mentor, project : str, optional
        The ids of a refused pin (one of `mentor` and `project`).

    Examples
    --------
    >>> err = InstanceError("mentors[3].capacity", "must be an integer >= 0")
    >>> str(err), err.code
    ('mentors[3].capacity: must be an integer >= 0', 'invalid_instance')
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        code: str = "invalid_instance",
        rule: str | None = None,
        student: str | None = None,
        mentor: str | None = None,
        project: str | None = None,
    ) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
        self.code = code
        self.rule = rule
        self.student = student
        self.mentor = mentor
        self.project = project
