"""Load benchmark of the portal's main pages on PostgreSQL behind gunicorn (not a test).

Steps: start a throwaway PostgreSQL (scripts/pg-throwaway.sh), ``flask db upgrade``,
``flask seed-demo --students N``, ``VACUUM (ANALYZE)`` (as autovacuum would soon after a
bulk load), give one student, mentor, organisation, counselor and admin a known benchmark
password, start gunicorn with several workers, log each role in (with its CSRF token), then
run ``wrk`` against each main page and print requests/s, p50/p95/p99 latency and error
counts. Everything is stopped at the end.

    .venv/bin/python benchmarks/load.py --students 20000 --workers 4 --duration 15

The load generator shares the machine's cores with the server and the database: compare
pages with each other (ratios), not with figures from other machines.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
USER_AGENT = "mentorbridge-load-benchmark"
PASSWORD = "benchmark password 2025"  # noqa: S105 - throwaway database only
LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors,
    summary.errors.status))
end
"""
# What the benchmark logs in as and requests: (page, role, endpoint candidates).
PAGES = [
    ("login page", "anonymous", ["auth.login"]),
    ("student home", "student", ["signup.student_home"]),
    ("mentor home", "mentor", ["signup.mentor_home"]),
    ("counselor dashboard", "counselor", ["counselor.dashboard"]),
    ("students list", "counselor", ["counselor.students", "counselor.student_list"]),
    ("run review", "counselor", ["programmes.review_run", "programmes.review"]),
    ("relationships", "counselor", ["relationships.index"]),
    ("concerns", "counselor", ["safeguarding.concern_list"]),
    ("audit trail", "admin", ["safeguarding.audit_trail"]),
]
# Run inside the app: pick one user per role, set the benchmark password, resolve page URLs.
PREPARE = """
import json, sys
from flask import url_for
from portal import create_app
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import MatchRun, Role, User
pages = json.loads(sys.argv[1])
app = create_app()
out = {"users": {}, "urls": {}}
with app.app_context():
    for role in Role:
        user = db.session.scalars(db.select(User).where(User.role == role, User.active)
                                  .order_by(User.id)).first()
        if user is not None:
            user.password_hash = hash_password(sys.argv[2])
            out["users"][str(role)] = user.email
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Measure the steady state autovacuum reaches within minutes of a bulk load (planner
        # statistics, visibility map for index-only scans), not the first minute after it.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    run = db.session.scalars(db.select(MatchRun).order_by(MatchRun.id.desc())).first()
    with app.test_request_context():
        for name, _role, endpoints in pages:
            for endpoint in endpoints:
                if endpoint in app.view_functions:
                    args = {a: run.id for a in ("run_id",) if run is not None}
                    rule = next(app.url_map.iter_rules(endpoint))
                    args = {k: v for k, v in args.items() if k in rule.arguments}
                    if rule.arguments <= set(args):
                        out["urls"][name] = url_for(endpoint, **args)
                        break
print("PREPARED " + json.dumps(out))
"""


def _run(args: list[str], env: dict[str, str], **kwargs: object) -> str:
    result = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs
    )  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args[:4])}…\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return str(result.stdout)


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster (or the given URL), stopped afterwards."""
    if url:
        yield url
        return
    out = _run(["bash", "scripts/pg-throwaway.sh", "start"], dict(os.environ))
    values = dict(line.split("=", 1) for line in out.split())
    try:
        yield values["PG_URL"]
    finally:
        subprocess.run(
            ["bash", "scripts/pg-throwaway.sh", "stop", values["PGTMP"]], cwd=ROOT, check=False
        )


@contextmanager
def gunicorn(env: dict[str, str], workers: int, port: int) -> Iterator[str]:
    """The portal under gunicorn; yields its base URL once /healthz answers."""
    log = Path(tempfile.mkdtemp(prefix="mentorbridge-gunicorn-")) / "error.log"
    with log.open("w") as stderr:
        process = _start_gunicorn(env, workers, port, stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(url: str, log: Path) -> None:
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback server
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not start; see {log}")


def _start_gunicorn(env: dict[str, str], workers: int, port: int, stderr: Any) -> Any:
    return subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
            "portal:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def login_cookie(base: str, email: str) -> str:
    """Log in through the real form (CSRF token included) and return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'"X-CSRFToken": "([^"]+)"', page)
    data = urllib.parse.urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    )
    opener.open(base + "/login", data.encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _check_page(url: str, cookie: str) -> None:
    """The page answers 200 itself (not a redirect to the login page) before we load it."""
    headers = {"User-Agent": USER_AGENT, "Cookie": cookie}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    with urllib.request.urlopen(request) as response:  # noqa: S310
        if response.status != 200 or response.url != url:
            sys.exit(f"{url} answered {response.status} at {response.url}: not logged in?")


def wrk(url: str, cookie: str, args: argparse.Namespace) -> dict[str, float]:
    """One wrk run; returns requests/s, latency percentiles (ms) and error counts."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    command = [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{args.duration}s",
        "-s",
        script.name,
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if not found:
        sys.exit(f"wrk gave no result:\n{out}")
    n, duration, p50, p95, p99, errors, status = (int(x) for x in found.groups())
    return {
        "rps": n / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "requests": n,
        "errors": errors,
        "non_2xx_3xx": status,
    }


def prepare(env: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """Migrate, seed, set benchmark passwords and resolve the pages' URLs."""
    flask = [str(VENV / "flask"), "--app", "portal"]
    _run([*flask, "db", "upgrade"], env)
    if not args.skip_seed:
        started = time.perf_counter()
        _run([*flask, "seed-demo", "--students", str(args.students)], env, timeout=3600)
        print(f"seeded {args.students} students in {time.perf_counter() - started:.0f} s")
    out = _run([str(VENV / "python"), "-c", PREPARE, json.dumps(PAGES), PASSWORD], env)
    return dict(json.loads(out.split("PREPARED ", 1)[1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--students", type=int, default=20000, help="students to seed")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--database-url", help="use this database instead of a throwaway one")
    parser.add_argument("--skip-seed", action="store_true", help="the database is seeded")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    with postgres(args.database_url) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "MENTORBRIDGE_ENV": "production",
        }
        prepared = prepare(env, args)
        with gunicorn(env, args.workers, args.port) as base:
            report(base, prepared, args)


def report(base: str, prepared: dict[str, dict[str, str]], args: argparse.Namespace) -> None:
    """Benchmark each page that exists and print one line per page."""
    print(
        f"{'page':22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'requests':>9} {'errors':>6} {'non-2xx':>7}"
    )
    for name, role, _endpoints in PAGES:
        path = prepared["urls"].get(name)
        email = prepared["users"].get(role, "")
        if path is None or (role != "anonymous" and not email):
            print(f"{name:22} (not available in this build)")
            continue
        cookie = login_cookie(base, email) if role != "anonymous" else ""
        _check_page(base + path, cookie)
        r = wrk(base + path, cookie, args)
        print(
            f"{name:22} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
            f"{r['requests']:9d} {r['errors']:6d} {r['non_2xx_3xx']:7d}"
        )


if __name__ == "__main__":
    main()
