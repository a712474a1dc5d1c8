"""Time the outcome report at district size (not a test): 20,000 students, 15,000 matches,
120,000 meetings and 30,000 goals in one programme, seeded with bulk inserts.

    .venv/bin/python benchmarks/outcomes.py                  # a temporary SQLite file
    .venv/bin/python benchmarks/outcomes.py --database-url postgresql://…   # empty database

Prints the median time of ``portal.reports.outcomes.compute`` over a few runs and the
number of SQL statements one report costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    CheckIn,
    Goal,
    Match,
    MentorProfile,
    Programme,
    School,
    StudentProfile,
    User,
)
from portal.reports import outcomes  # noqa: E402

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def seed(students: int, matches: int, meetings: int) -> int:
    """Bulk-insert the world; return the programme's id."""
    school = School(name="District", join_code="BENCH")
    db.session.add(school)
    db.session.flush()
    programme = Programme(school_id=school.id, name="Year", kind="mentoring",
                          starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 7, 1))  # fmt: skip
    db.session.add(programme)
    db.session.flush()
    mentors = max(matches // 2, 1)
    _bulk(User, [{"email": f"u{i}@x.org", "role": "mentor", "display_name": f"M{i}"}
                 for i in range(mentors)])  # fmt: skip
    _bulk(MentorProfile, [{"user_id": i + 1, "school_id": school.id, "first_name": "M",
                           "last_name": str(i)} for i in range(mentors)])  # fmt: skip
    _bulk(StudentProfile, [{"school_id": school.id, "first_name": "S", "last_name": str(i),
                            "grade": 10, "profile_complete": True, "consent_status": "given"}
                           for i in range(students)])  # fmt: skip
    _bulk(Match, [{"programme_id": programme.id, "student_id": i + 1, "kind": "mentor",
                   "mentor_id": i % mentors + 1, "status": "active" if i % 4 else "ended",
                   "started_at": NOW - dt.timedelta(days=i % 420),
                   "ended_at": None if i % 4 else NOW - dt.timedelta(days=i % 30)}
                  for i in range(matches)])  # fmt: skip
    _bulk(CheckIn, [{"match_id": i % matches + 1, "author_id": 1, "kind": "meeting",
                     "met_on": (NOW - dt.timedelta(days=i % 365)).date(), "minutes": 45,
                     "confirmed_at": NOW if i % 3 else None} for i in range(meetings)])  # fmt: skip
    _bulk(Goal, [{"match_id": i % matches + 1, "text": "A goal",
                  "status": "achieved" if i % 5 == 0 else "in_progress"}
                 for i in range(matches * 2)])  # fmt: skip
    db.session.commit()
    return programme.id


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start : start + 5000])


def measure(programme_id: int, school_id: int, runs: int) -> tuple[float, int]:
    """Median seconds of one report, and its number of SQL statements."""
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    times = []
    for _ in range(runs):
        statements.clear()
        db.session.expire_all()
        start = time.perf_counter()
        outcomes.compute("Year", school_id, programme_id, NOW)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--matches", type=int, default=15000)
    parser.add_argument("--meetings", type=int, default=120000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only-key"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            programme_id = seed(args.students, args.matches, args.meetings)
            if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            school_id = db.session.get(Programme, programme_id).school_id  # type: ignore[union-attr]
            seconds, statements = measure(programme_id, school_id, args.runs)
            print(f"{db.engine.dialect.name}: outcome report in {seconds * 1000:.0f} ms "
                  f"(median of {args.runs}), {statements} SQL statements")  # fmt: skip


if __name__ == "__main__":
    main()
