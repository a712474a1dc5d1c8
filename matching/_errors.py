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

    Examples
    --------
    >>> err = InstanceError("mentors[3].capacity", "must be an integer >= 0")
    >>> str(err)
    'mentors[3].capacity: must be an integer >= 0'
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
