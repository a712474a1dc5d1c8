"""``flask worker`` whose matcher takes a minute to solve: the integration test kills it mid-run.

Run as ``python -m tests.tasks.slow_worker`` with the portal's environment (``FLASK_APP``,
``portal`` by default, names the app).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from flask.cli import main

from portal.programmes import matcher

SOLVE_SECONDS = 60


def _slow_solve(snapshot: Any, _real: Any = matcher.solve_snapshot) -> Any:
    time.sleep(SOLVE_SECONDS)
    return _real(snapshot)


if __name__ == "__main__":
    matcher.solve_snapshot = _slow_solve
    os.environ.setdefault("FLASK_APP", "portal")
    sys.argv = ["flask", "worker", "--workers", "1"]
    main()
