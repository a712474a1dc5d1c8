"""What the review page shows of a run: summary, histogram, filtered proposals, unmatched.

Every function runs a fixed number of queries, whatever the size of the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_
from sqlalchemy.orm import aliased, defer, selectinload

from portal.extensions import db
from portal.models import (
    MatchRun,
    MentorProfile,
    Organisation,
    PartnerKind,
    Project,
    Proposal,
    ProposalStatus,
    StudentProfile,
)
from portal.paging import paginate
from portal.programmes import wording

CHART_WIDTH, CHART_HEIGHT, CHART_BASE = 300, 120, 100
UNMATCHED_SHOWN = 50


@dataclass(frozen=True)
class Filters:
    """The review list's filters (empty means any)."""

    status: str = ""
    kind: str = ""
    min_score: float | None = None
    q: str = ""

    def args(self) -> dict[str, Any]:
        """As URL query arguments (for the pager)."""
        values = {"status": self.status, "kind": self.kind, "min_score": self.min_score}
        return {k: v for k, v in {**values, "q": self.q}.items() if v not in ("", None)}


def status_counts(run_id: int) -> dict[str, int]:
    """Proposals per status (one query)."""
    rows = db.session.execute(
        db.select(Proposal.status, func.count())
        .where(Proposal.run_id == run_id)
        .group_by(Proposal.status)
    )
    counts = {str(status): 0 for status in ProposalStatus}
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def side_summaries(run: MatchRun) -> list[dict[str, Any]]:
    """One summary per side of the run: coverage, scores, blocking pairs, histogram bars."""
    sides = []
    for kind, stats in (run.stats or {}).items():
        if not isinstance(stats, dict) or "matched" not in stats:
            continue
        counts = (run.input_counts or {}).get(kind, {})
        sides.append(
            {
                "kind": kind,
                "matched": stats["matched"],
                "students": stats["students"],
                "already": counts.get("already_matched", 0),
                "mean": stats.get("mean_score"),
                "min": stats.get("min_score"),
                "blocking": stats.get("blocking_pairs", 0),
                "bars": histogram_bars(stats.get("histogram", [])),
            }
        )
    return sides


def histogram_bars(counts: list[int]) -> list[dict[str, Any]]:
    """Geometry of the histogram's bars (SVG attributes, no inline style)."""
    if not counts:
        return []
    width = CHART_WIDTH / len(counts)
    top = max(max(counts), 1)
    bars = []
    for i, count in enumerate(counts):
        height = round(CHART_BASE * count / top, 1)
        low, high = i / len(counts), (i + 1) / len(counts)
        bars.append(
            {
                "x": round(i * width + 1, 1),
                "y": round(CHART_BASE - height, 1),
                "width": round(width - 2, 1),
                "height": height,
                "count": count,
                "label": f"{low:.1f}",
                "title": f"{count} proposals scoring {low:.1f}–{high:.1f}",
            }
        )
    return bars


def proposals_page(run: MatchRun, filters: Filters, page: int) -> Pagination:
    """A page of the run's proposals, best first, filtered, partners loaded in bulk."""
    query = proposals_query(run, filters)
    return paginate(query, page)


# A listed proposal: its names only (not whole profiles, nor its explanation's JSON). The
# run is the one listed, already in the session: no query reloads its stored results.
NAMES_ONLY = (
    defer(Proposal.breakdown),
    defer(Proposal.alternatives),
    defer(Proposal.basis),
    selectinload(Proposal.student).load_only(
        StudentProfile.first_name,
        StudentProfile.last_name,
        StudentProfile.grade,
        StudentProfile.school_id,
    ),
    selectinload(Proposal.mentor).load_only(MentorProfile.first_name, MentorProfile.last_name),
    selectinload(Proposal.project)
    .load_only(Project.title)
    .selectinload(Project.organisation)
    .load_only(Organisation.name),
)


def proposals_query(run: MatchRun, filters: Filters) -> Select[Any]:
    """The run's proposals (review page and export), best first, filtered.

    Only students of the programme's school are listed (a proposal follows its student's
    school too, whatever happened to the programme).
    """
    mentor = aliased(MentorProfile)
    project = aliased(Project)
    query: Select[Any] = (
        db.select(Proposal)
        .join(Proposal.student)
        .outerjoin(mentor, Proposal.mentor_id == mentor.id)
        .outerjoin(project, Proposal.project_id == project.id)
        .where(Proposal.run_id == run.id, StudentProfile.school_id == run.programme.school_id)
        .options(*NAMES_ONLY)
        .order_by(Proposal.score.desc(), Proposal.id)
    )
    if filters.status:
        query = query.where(Proposal.status == ProposalStatus(filters.status))
    if filters.kind == PartnerKind.MENTOR:
        query = query.where(Proposal.mentor_id.is_not(None))
    elif filters.kind == PartnerKind.PROJECT:
        query = query.where(Proposal.project_id.is_not(None))
    if filters.min_score is not None:
        query = query.where(Proposal.score >= filters.min_score)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        names = (
            StudentProfile.first_name,
            StudentProfile.last_name,
            mentor.first_name,
            mentor.last_name,
            project.title,
        )
        query = query.where(or_(*(func.lower(column).like(like) for column in names)))
    return query


def unmatched_students(run: MatchRun) -> list[dict[str, Any]]:
    """The run's unmatched students (the first ones of each side), with names and reasons."""
    entries = [
        {**entry, "kind": kind}
        for kind, items in (run.unmatched or {}).items()
        for entry in items[:UNMATCHED_SHOWN]
    ]
    ids = {entry["student_id"] for entry in entries}
    query = db.select(StudentProfile).where(
        StudentProfile.id.in_(ids), StudentProfile.school_id == run.programme.school_id
    )
    students = {s.id: s for s in db.session.scalars(query)}
    return [
        {**e, "student": students[e["student_id"]], "reason": _reason(e, students[e["student_id"]])}
        for e in entries
        if e["student_id"] in students
    ]


def _reason(entry: dict[str, Any], student: StudentProfile) -> str:
    """Why the student has no partner, worded from the entry's code with their name."""
    name = f"{student.first_name} {student.last_name}"
    return wording.unmatched_reason(entry, name, entry["kind"])


def unmatched_total(run: MatchRun) -> int:
    """How many students the run left unmatched, all sides together."""
    return sum(len(items) for items in (run.unmatched or {}).values())
