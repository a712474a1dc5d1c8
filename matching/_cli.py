"""The command line: ``python -m matching solve FILE|-`` prints the RESULT as JSON."""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import sys
from collections.abc import Sequence
from typing import Any

import orjson

from ._errors import InstanceError
from ._solve import solve

BAD_INSTANCE = 2
# glibc's mallopt parameters, and what the command line sets them to
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
ALLOCATOR = {M_MMAP_THRESHOLD: 32 << 20, M_TRIM_THRESHOLD: 1 << 30, M_TOP_PAD: 64 << 20}
# What the last `main` read and wrote, left alive: ``python -m matching`` exits without
# freeing them (`os._exit`), where freeing the instance, the result and its text one object
# at a time takes 0.05-0.1 s for a district
_KEPT: list[Any] = []


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m matching",
        description="Match students with mentors and projects (exact, explained).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "solve",
        help="solve an INSTANCE and print the RESULT as JSON",
        description="Solve an INSTANCE (JSON file, or - for standard input) and print the "
        "RESULT as JSON. A bad instance exits 2 with a message on standard error.",
    )
    run.add_argument("instance", metavar="FILE", help="instance JSON file, or - for stdin")
    run.add_argument("--indent", type=int, default=None, help="indent the JSON output")
    run.add_argument(
        "--no-timings",
        action="store_true",
        help="leave timings out (stats.seconds is 0): byte-identical output",
    )
    return parser


def _load(path: str) -> Any:
    """Return the decoded JSON of `path` (``-``: standard input)."""
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as err:
        raise InstanceError("instance", f"cannot read {path}: {err.strerror}") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InstanceError("instance", f"not valid JSON: {err}") from err


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    _reuse_freed_memory()
    # the instance and the result are trees of fresh dicts and lists, a million of them for a
    # district: no cycle to collect, and the collector's passes over them cost 0.2-0.3 s
    collecting = gc.isenabled()
    gc.disable()
    try:
        instance = _load(args.instance)
        result = solve(instance, timings=not args.no_timings)
        text = _dumps(result, args.indent)
        _KEPT[:] = [instance, result, text]
    except InstanceError as err:
        print(f"error: {err}", file=sys.stderr)
        return BAD_INSTANCE
    finally:
        if collecting:
            gc.enable()
    sys.stdout.flush()
    sys.stdout.buffer.write(text)  # not text + newline: a copy of 20-40 MB
    sys.stdout.buffer.write(b"\n")
    return 0


def _reuse_freed_memory() -> None:
    """Ask glibc's allocator to keep freed memory for reuse (nothing elsewhere).

    A solve allocates and frees numpy temporaries of 0.5-30 MB hundreds of times. By default
    glibc returns such blocks to the kernel when they are freed and the next one faults its
    pages in again: 0.2-0.3 s of system time at 20,000 students. The process is ours (the
    library called from another program changes nothing), and it ends after one solve.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        for param, value in ALLOCATOR.items():
            libc.mallopt(param, value)
    except (OSError, AttributeError):  # not glibc
        return


def _dumps(result: dict[str, Any], indent: int | None) -> bytes:
    """Return the RESULT as UTF-8 JSON: compact, or indented by `indent` spaces.

    Compact output comes from orjson: the standard library's ``separators=(",", ":")``
    output, but UTF-8 where that escapes non-ASCII characters, several times sooner (a
    district's result is 20-40 MB).
    """
    if indent is None:
        return orjson.dumps(result)
    # no cycle to look for
    text = json.dumps(result, indent=indent, allow_nan=False, check_circular=False)
    return text.encode()
