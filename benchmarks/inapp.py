"""The load benchmark's preparation inside the app (``load.py`` runs it after the seed).

``VACUUM (ANALYZE)`` on PostgreSQL (the steady state autovacuum reaches within minutes of a
bulk load), each page's path from the seed's ids, and the SQL statements each page runs
(one warm request, then one counted, through the test client logged in as the page's role).
Prints ``PREPARED {json}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pages  # noqa: E402
from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402


def vacuum() -> None:
    """Planner statistics and the visibility map, as autovacuum would soon give them."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")


def _client(app: Any, email: str, password: str) -> Any:
    client = app.test_client()
    if email:
        token = pages.csrf_token(client.get("/login").get_data(as_text=True))
        form = {"email": email, "password": password, "csrf_token": token}
        client.post("/login", data=form)
    return client


def count_statements(
    app: Any, paths: dict[str, str], users: dict[str, str], password: str
) -> dict[str, Any]:
    """Each page's SQL statements on one warm request as its role (or its HTTP status)."""
    seen: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    clients: dict[str, Any] = {}
    counts: dict[str, Any] = {}
    for page in pages.PAGES:
        if page.name not in paths:
            continue
        if page.role not in clients:
            clients[page.role] = _client(app, users.get(page.role, ""), password)
        clients[page.role].get(paths[page.name])
        seen.clear()
        response = clients[page.role].get(paths[page.name])
        counts[page.name] = (
            len(seen) if response.status_code == 200 else f"HTTP {response.status_code}"
        )
    return counts


def main() -> None:
    """``inapp.py IDS_JSON USERS_JSON PASSWORD``: vacuum, resolve paths, count statements."""
    ids, users, password = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
    app = create_app()
    with app.app_context():
        vacuum()
    paths = pages.resolve(app, ids)
    counts = count_statements(app, paths, users, password)
    print("PREPARED " + json.dumps({"paths": paths, "sql": counts}))


if __name__ == "__main__":
    main()
