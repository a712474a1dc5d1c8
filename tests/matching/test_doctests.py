"""The matcher's numpydoc examples run as doctests: an example whose output changes fails here."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import matching

# The package and each of its modules (``__main__`` runs the command line when imported).
SUBMODULES = [info.name for info in pkgutil.iter_modules(matching.__path__)]
MODULES = ["matching", *sorted(f"matching.{name}" for name in SUBMODULES if name != "__main__")]


def _doctests(name: str) -> list[doctest.DocTest]:
    """The docstring examples defined in module ``name`` (not those it imports)."""
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    return [test for test in tests if test.examples]


@pytest.mark.parametrize("name", MODULES)
def test_examples_print_what_they_say(name: str) -> None:
    report = io.StringIO()
    runner = doctest.DocTestRunner()
    for test in _doctests(name):
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


@pytest.mark.parametrize("name", MODULES)
def test_every_examples_section_has_examples_that_run(name: str) -> None:
    """An ``Examples`` heading with no ``>>>`` under it would be a doctest that tests nothing."""
    finder = doctest.DocTestFinder()
    empty = [
        test.name
        for test in finder.find(importlib.import_module(name))
        if "Examples\n" in (test.docstring or "") and not test.examples
    ]
    assert empty == []


def test_the_public_api_is_shown_by_example() -> None:
    shown = {test.name.rsplit(".", 1)[-1] for name in MODULES for test in _doctests(name)}
    assert {"matching", "solve", "score_matrix", "assign", "InstanceError"} <= shown
