"""The load benchmark's markdown table: each figure with its ratio to the login page's, and
the targets (a counselor page's idle median at most 4x the login page's; p95 below 100 ms)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IDLE_RATIO = 4.0
P95_MS = 100.0


def machine() -> str:
    """The date, the CPU and the code measured (commit and branch)."""
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else "unknown CPU"
    )
    git = ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"]
    commit = subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()
    branch = ["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"]
    name = subprocess.run(branch, capture_output=True, text=True, check=False).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}; {os.cpu_count()} cores ({cpu}); code: branch {name}, {commit[:90]}"


def _cell(value: float, anchor: float) -> str:
    return f"{value:.1f} ({value / anchor:.1f}x)" if anchor else f"{value:.1f}"


def idle_ratio(row: dict[str, Any], anchor: dict[str, Any]) -> float:
    """The idle median over the login page's (asked alternately with the page)."""
    return float(row["idle"]) / float(row.get("anchor_idle") or anchor["idle"])


def verdict(row: dict[str, Any], anchor: dict[str, Any]) -> str:
    """PASS, or FAIL with the targets missed."""
    if row["role"] == "anonymous":
        return "anchor"
    missed = []
    if row["staff"] and idle_ratio(row, anchor) > IDLE_RATIO:
        missed.append(f"idle {idle_ratio(row, anchor):.1f}x > {IDLE_RATIO:.0f}x")
    if not row.get("requests", 1):
        missed.append("no answer within 10 s under load")
    elif row["p95"] >= P95_MS:
        missed.append(f"p95 >= {P95_MS:.0f} ms")
    if row["errors"]:
        missed.append(f"{row['errors']} errors")
    return "FAIL: " + ", ".join(missed) if missed else "PASS"


def markdown(results: list[dict[str, Any]], args: argparse.Namespace, where: str) -> str:
    """The whole report: what was measured, the table, and which rows miss a target."""
    anchor = results[0]
    lines = [
        f"Measured {where}.",
        f"District: {args.students} students in {args.schools} schools, {args.matches} matches, "
        f"{args.meetings} meetings, a finished run; PostgreSQL, gunicorn {args.workers} workers; "
        f"idle = median of {args.idle_requests} sequential requests from one client; under load "
        f"= wrk, {args.connections} connections, {args.duration} s per page. Ratios (x) are to "
        "the login page in the same run: idle, to the login page requested alternately with "
        "each page (the machine's load drifts); under load, to the first row. Targets: "
        f"counselor pages idle <= {IDLE_RATIO:.0f}x login; every page p95 < {P95_MS:.0f} ms. "
        "Counselor pages are measured as a counselor of one school and as the district admin "
        "(all schools).",
        "",
        "| page | as | SQL | idle ms | p50 ms | p95 ms | p99 ms | req/s | targets |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        idle = f"{row['idle']:.1f} ({idle_ratio(row, anchor):.1f}x)"
        cells = [row["page"], row["role"], str(row["sql"]), idle]
        cells += [_cell(row[p], anchor[p]) for p in ("p50", "p95", "p99")]
        cells += [f"{row['rps']:.0f}", verdict(row, anchor)]
        lines.append("| " + " | ".join(cells) + " |")
    failed = [
        f"{r['page']} ({r['role']})" for r in results if verdict(r, anchor).startswith("FAIL")
    ]
    measured = sum(1 for row in results if row["role"] != "anonymous")
    lines += ["", f"{measured - len(failed)} of {measured} pass."]
    if len(failed) > 12:
        failed = [*failed[:12], f"and {len(failed) - 12} more"]
    lines += [
        f"Missing a target: {', '.join(failed)}." if failed else "Every page meets the targets."
    ]
    return "\n".join(lines)
