"""District load benchmark: every counselor, student and partner page as a ratio to the login page.

Steps: start a throwaway PostgreSQL (scripts/pg-throwaway.sh), ``flask db upgrade``, seed a
district (``benchmarks/district.py``: 10 schools x 2,000 students, 15,000 matches, 120,000
meetings, a finished run with its proposals; every account has the benchmark password),
``VACUUM (ANALYZE)``, count each page's SQL statements (``benchmarks/inapp.py``), start
gunicorn, then for the login page (the anchor) and every page of ``benchmarks/pages.py``:
log its role in through the real form, check it answers 200, time 25 sequential requests
from one client after a warm-up, alternating with the login page (the idle medians: both
meet the same moments of the machine's load), and run ``wrk`` (8 connections, a few
seconds) for p50/p95/p99; the login page again at the end. Prints a markdown table with each
figure's ratio to the anchor's and the targets (a counselor page's idle median at most 4x
the login page's; every page's p95 under load below 100 ms). Counselor pages are measured
as a one-school counselor and (unless --no-admin) as the district admin. Everything is
stopped at the end.

    python benchmarks/load.py                       # the district: 20,000 students
    python benchmarks/load.py --students 2000 --schools 2 --duration 3 --pages dashboard

Needs ``wrk`` (Debian: ``sudo apt-get install -y wrk``). The load generator shares the
machine's cores with the server and the database: read the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pages  # noqa: E402
from benchmarks.load_http import gunicorn, idle_medians, login_cookie, postgres, wrk  # noqa: E402
from benchmarks.load_table import machine, markdown  # noqa: E402

PASSWORD = "benchmark password 2025"  # noqa: S105 - throwaway database only
PYTHON = sys.executable
WRK_MISSING = (
    "wrk is not installed: it generates the load. Install it with\n"
    "    sudo apt-get install -y wrk     (Debian/Ubuntu; or apt-get as root)\n"
    "    brew install wrk                (macOS)"
)


def _run(args: list[str], env: dict[str, str], timeout: int = 3600) -> str:
    result = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args[:4])}…\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def _after(marker: str, out: str) -> dict[str, Any]:
    return dict(json.loads(out.split(marker + " ", 1)[1].splitlines()[0]))


def prepare(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, seed the district, vacuum, resolve the pages' paths and count their SQL."""
    _run([PYTHON, "-m", "flask", "--app", "portal", "db", "upgrade"], env)
    sizes = ["--students", str(args.students), "--schools", str(args.schools)]
    sizes += ["--matches", str(args.matches), "--meetings", str(args.meetings)]
    seeded = _after(
        "DISTRICT", _run([PYTHON, "benchmarks/district.py", *sizes, "--password", PASSWORD], env)
    )
    log(
        f"seeded the district in {seeded['seconds']} s (run: {seeded['ids']['run_status']}; "
        f"summaries: {seeded['summaries']})"
    )
    seeded["ids"]["partner_id"] = seeded["ids"]["mentor_id"]
    ids, users = json.dumps(seeded["ids"]), json.dumps(seeded["users"])
    prepared = _after("PREPARED", _run([PYTHON, "benchmarks/inapp.py", ids, users, PASSWORD], env))
    return {**seeded, **prepared}


def free_port() -> int:
    """A TCP port nobody listens on now (other benchmarks may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log(message: str) -> None:
    """Progress on stderr (stdout is the table)."""
    print(message, file=sys.stderr, flush=True)


def measure(base: str, prepared: dict[str, Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Idle median and wrk figures of every page (and role) the filter keeps."""
    results = []
    for page in pages.PAGES:
        path = prepared["paths"].get(page.name)
        keep = page is pages.ANCHOR or not args.pages or any(w in page.name for w in args.pages)
        if path is None or not keep:
            log(f"skipped: {page.name}" + ("" if keep else " (--pages)"))
            continue
        for role in pages.roles_of(page, not args.no_admin):
            email = prepared["users"].get(role, "")
            cookie = login_cookie(base, email, PASSWORD) if role != "anonymous" else ""
            row = {"page": page.name, "role": role, "staff": page.staff, "path": path}
            row["sql"] = prepared["sql"].get(page.name, "")
            results.append(_measure_one(base, row, cookie, args))
    # The anchor again: how much the machine's load drifted while the pages were measured.
    again = {"page": "login page, again at the end", "role": "anonymous", "staff": False}
    results.append(_measure_one(base, {**again, "path": "/login", "sql": 0}, "", args))
    return results


def _measure_one(base: str, row: dict[str, Any], cookie: str, args: argparse.Namespace) -> Any:
    # The idle ratio's anchor: the login page asked alternately with the page.
    url = base + row["path"]
    row["idle"], row["anchor_idle"] = idle_medians(url, cookie, base + "/login", args.idle_requests)
    if row["role"] == "anonymous":  # the login page itself: both series are the anchor
        row["idle"] = row["anchor_idle"] = (row["idle"] + row["anchor_idle"]) / 2
    row.update(wrk(base + row["path"], cookie, args))
    log(f"{row['page']:34} {row['role']:12} idle {row['idle']:7.1f} ms  p95 {row['p95']:7.1f} ms")
    return row


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see --help)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    add = parser.add_argument
    add("--students", type=int, default=20000, help="students in the district (all schools)")
    add("--schools", type=int, default=10, help="schools in the district")
    add("--matches", type=int, default=15000, help="matches over the year")
    add("--meetings", type=int, default=120000, help="meetings over the year")
    add("--workers", type=int, default=3, help="gunicorn workers")
    add("--duration", type=int, default=5, help="seconds of wrk per page")
    add("--connections", type=int, default=8, help="wrk connections")
    add("--threads", type=int, default=2, help="wrk threads")
    add("--idle-requests", type=int, default=25, help="sequential requests for the idle median")
    add("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    add("--pages", nargs="*", default=[], help="only pages whose name contains one of these")
    add("--no-admin", action="store_true", help="counselor pages as the counselor only")
    add("--output", help="also write the table to this file (and the figures to its .json)")
    add("--database-url", help="an EMPTY PostgreSQL database to use instead of a throwaway one")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Seed, serve, measure, print the table."""
    args = parse(argv)
    if shutil.which("wrk") is None:
        sys.exit(WRK_MISSING)
    from portal import create_app

    for endpoint, why in pages.unmeasured(
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    ).items():
        log(f"not measured: {endpoint}: {why}")
    args.port = args.port or free_port()
    with postgres(args.database_url) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "MENTORBRIDGE_ENV": "production",
            "PUBLIC_URL": f"http://127.0.0.1:{args.port}",
            "TRUSTED_HOSTS": "127.0.0.1,localhost",
        }
        started = time.perf_counter()
        prepared = prepare(env, args)
        with gunicorn(env, args.workers, args.port) as base:
            results = measure(base, prepared, args)
    log(f"done in {time.perf_counter() - started:.0f} s")
    table = markdown(results, args, machine())
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n")
        Path(args.output).with_suffix(".json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
