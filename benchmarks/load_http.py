"""The load benchmark's plumbing: a throwaway PostgreSQL, gunicorn, logging in, timing.

``idle_median`` times sequential requests from one client; ``wrk`` runs the load generator
with a Lua ``done`` hook that prints the latency percentiles and error counts.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import statistics
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

from benchmarks import pages

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "mentorbridge-load-benchmark"
LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors,
    summary.errors.status))
end
"""


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster (or the given URL), stopped afterwards."""
    if url:
        yield url
        return
    started = subprocess.run(
        ["bash", "scripts/pg-throwaway.sh", "start"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    values = dict(line.split("=", 1) for line in started.stdout.split())
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
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "portal:create_app()",
    ]
    with log.open("w") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(url: str, log: Path) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback server
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not start; see {log}")


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the real form (CSRF token included) and return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    token = pages.csrf_token(opener.open(base + "/login").read().decode())
    data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    opener.open(base + "/login", data.encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _get(url: str, cookie: str) -> float:
    """One request; its milliseconds. Exits unless the page itself answers 200."""
    headers = {"User-Agent": USER_AGENT, "Cookie": cookie}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:  # noqa: S310
        response.read()
        if response.status != 200 or response.url != url:
            sys.exit(f"{url} answered {response.status} at {response.url}: not logged in?")
    return (time.perf_counter() - started) * 1000


def idle_medians(url: str, cookie: str, anchor: str, requests: int) -> tuple[float, float]:
    """The median milliseconds of ``requests`` sequential requests of the page and of the
    anchor, asked alternately (so both meet the same moments of a shared machine's load),
    after a warm-up of three each; a page slower than 20 s in all stops early (five at least).
    """
    started = time.perf_counter()
    for _ in range(3):
        _get(url, cookie)
        _get(anchor, "")
    page: list[float] = []
    login: list[float] = []
    while len(page) < requests:
        login.append(_get(anchor, ""))
        page.append(_get(url, cookie))
        if len(page) >= 5 and time.perf_counter() - started > 20.0:
            break
    return statistics.median(page), statistics.median(login)


def wrk(url: str, cookie: str, args: argparse.Namespace) -> dict[str, Any]:
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
        "--timeout",
        "10s",
        "-s",
        script.name,
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    found = next((line for line in out.splitlines() if line.startswith("RESULT ")), None)
    if found is None:
        sys.exit(f"wrk gave no result:\n{out}")
    n, duration, p50, p95, p99, errors, status = (int(x) for x in found.split()[1:])
    return {
        "rps": n / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "requests": n,
        "errors": errors + status,
    }
