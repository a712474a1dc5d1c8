"""Counts per school and state, kept in the transaction that changes the rows (issue #16).

The counselor dashboard reads these figures (:func:`of`) instead of counting a district's
rows on every request. Each figure is named ``group:state``, e.g. ``students:awaiting:minor``
or ``partners:mentor:pending``. They are kept here, once, for every writer: a flush that adds
or deletes a watched row, or changes one of its watched columns, marks that school's group;
just before the commit the group is recounted from that school's rows (under a lock on the
school row, so two transactions never both write a count that misses the other's row). An ORM
bulk ``update``/``delete``/``insert`` of a watched model marks the group for every school.
Recounting a school's group (one indexed ``GROUP BY``) rather than adding +1/-1 keeps each
figure exact even when a writer changed a column without loading its old value.

:func:`recount` rebuilds every figure from the rows (``flask figures recount``: after a bulk
load that bypassed the ORM, or for repair); ``flask figures check`` compares. Counts that
depend on today's date (checks expiring within 30 days, quiet matches) are not kept: they are
read through indexes, the expiring checks from each partner's ``best_check_expires_on``.
The same hooks keep the columns of :mod:`portal.kept_columns`: a partner's best check expiry
when the account's checks change, a match's ``first_met_on`` when its meetings change, and
its ``school_id`` when it is added or its student moves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any, cast

from sqlalchemy import (
    Select,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import InstanceState, ORMExecuteState, Session, UOWTransaction, scoped_session

from portal import kept_columns
from portal.extensions import db
from portal.models import (
    BackgroundCheck,
    CheckIn,
    Concern,
    Match,
    MentorProfile,
    Organisation,
    School,
    SchoolFigure,
    StudentProfile,
)

MARKS = "figures.marks"  # session.info: {group: set of school ids, or None for every school}
STUDENTS_OF_MATCHES = "figures.match_students"  # session.info: student ids of changed matches
CHECKED_USERS = "figures.checked_users"  # session.info: users whose checks changed (None: all)
MET_MATCHES = "figures.met_matches"  # session.info: matches whose meetings changed (None: all)
MOVED_STUDENTS = "figures.moved_students"  # session.info: students whose school changed
Scope = set[int] | None
Rows = Select[*tuple[Any, ...]]  # (school_id, *state, count)


@dataclass(frozen=True)
class Group:
    """A family of figures: the rows it counts and the columns that move a row's state."""

    name: str
    models: tuple[type[Any], ...]
    columns: tuple[str, ...]
    counter: Callable[[Scope], Rows]  # rows of (school_id, *state, count)


def _students(scope: Scope) -> Rows:
    query = select(
        StudentProfile.school_id,
        StudentProfile.consent_status,
        StudentProfile.is_minor,
        func.count(),
    ).where(StudentProfile.erased_at.is_(None))
    if scope is not None:
        query = query.where(StudentProfile.school_id.in_(scope))
    return query.group_by(
        StudentProfile.school_id, StudentProfile.consent_status, StudentProfile.is_minor
    )


def _partners(scope: Scope) -> Rows:
    parts = []
    for kind, model in (("mentor", MentorProfile), ("organisation", Organisation)):
        query = select(model.school_id, literal(kind), model.verification, func.count())
        if scope is not None:
            query = query.where(model.school_id.in_(scope))
        parts.append(query.group_by(model.school_id, model.verification))
    return select(union_all(*parts).subquery())


def _concerns(scope: Scope) -> Rows:
    query = select(Concern.school_id, Concern.status, func.count())
    if scope is not None:
        query = query.where(Concern.school_id.in_(scope))
    return query.group_by(Concern.school_id, Concern.status)


def _matches(scope: Scope) -> Rows:
    """Matches by status, counted for their student's school."""
    query = select(StudentProfile.school_id, Match.status, func.count()).join(
        StudentProfile, StudentProfile.id == Match.student_id
    )
    if scope is not None:
        query = query.where(StudentProfile.school_id.in_(scope))
    return query.group_by(StudentProfile.school_id, Match.status)


GROUPS = {
    group.name: group
    for group in (
        Group(
            "students",
            (StudentProfile,),
            ("consent_status", "is_minor", "erased_at", "school_id"),
            _students,
        ),
        Group("partners", (MentorProfile, Organisation), ("verification", "school_id"), _partners),
        Group("concerns", (Concern,), ("status", "school_id"), _concerns),
        Group("matches", (Match,), ("status", "student_id"), _matches),
    )
}
WATCHED = {model: group for group in GROUPS.values() for model in group.models}


def _state_word(value: Any) -> str:
    if isinstance(value, bool):
        return "minor" if value else "adult"
    return str(value)


def counted(groups: Iterable[str], scope: Scope) -> dict[tuple[int, str], int]:
    """The figures of these groups and schools (None: all) counted from the rows now."""
    found: dict[tuple[int, str], int] = {}
    for name in groups:
        for school_id, *state, count in db.session.execute(GROUPS[name].counter(scope)):
            key = ":".join([name, *map(_state_word, state)])
            found[(school_id, key)] = found.get((school_id, key), 0) + int(count)
    return found


def kept() -> dict[tuple[int, str], int]:
    """Every figure as kept (zero figures are not stored)."""
    rows = db.session.execute(select(SchoolFigure.school_id, SchoolFigure.name, SchoolFigure.value))
    return {(school_id, name): value for school_id, name, value in rows if value}


def of(scope: Scope) -> Counter[str]:
    """The figures of these schools (None: every school), summed by name; one query."""
    query = select(SchoolFigure.name, func.sum(SchoolFigure.value)).group_by(SchoolFigure.name)
    if scope is not None:
        query = query.where(SchoolFigure.school_id.in_(scope))
    return Counter({name: int(value or 0) for name, value in db.session.execute(query)})


def total(figures: Mapping[str, int], prefix: str) -> int:
    """The sum of the figures whose name starts with ``prefix`` (``students:awaiting:``)."""
    return sum(value for name, value in figures.items() if name.startswith(prefix))


def recount() -> int:
    """Rebuild every figure of every school, every partner's best check expiry and every
    match's first confirmed meeting from the rows; commit. Returns how many figures."""
    kept_columns.refresh_expiries(db.session, None)
    kept_columns.refresh_first_met(db.session, None)
    kept_columns.refresh_match_schools(db.session, None)
    _refresh(db.session, dict.fromkeys(GROUPS))
    db.session.commit()
    return len(kept())


def _refresh(session: Session | scoped_session[Any], marks: Mapping[str, Scope]) -> None:
    """Recount the marked groups of the marked schools and store them (no commit)."""
    if not marks:
        return
    schools = set().union(*(s for s in marks.values() if s is not None))
    everyone = any(s is None for s in marks.values())
    lock = select(School.id).order_by(School.id).with_for_update(key_share=True)
    # FOR NO KEY UPDATE on PostgreSQL (SQLite has one writer): a concurrent recount of the
    # same school waits here, then counts with this transaction's rows committed.
    session.execute(lock if everyone else lock.where(School.id.in_(schools)))
    for name, scope in marks.items():
        old = delete(SchoolFigure).where(SchoolFigure.name.startswith(f"{name}:"))
        session.execute(old if scope is None else old.where(SchoolFigure.school_id.in_(scope)))
        rows = [
            {"school_id": school_id, "name": key, "value": value}
            for (school_id, key), value in counted([name], scope).items()
        ]
        if rows:
            session.execute(insert(SchoolFigure), rows)


def _mark(session: Session, group: str, schools: Iterable[int | None]) -> None:
    marks: dict[str, Scope] = session.info.setdefault(MARKS, {})
    wanted = set(schools)
    if None in wanted or (group in marks and marks[group] is None):
        marks[group] = None
    else:
        marks[group] = (marks.get(group) or set()) | {s for s in wanted if s is not None}


def _touched(session: Session, obj: Any, group: Group, column: str) -> set[int | None]:
    """The values of ``column`` (school or student) the change moves the row from and to."""
    state = inspect(obj)
    if obj in session.dirty and not any(
        state.attrs[c].history.has_changes() for c in group.columns
    ):
        return set()
    history = state.attrs[column].history
    # A changed value whose old value was never loaded is unknown: None recounts every school.
    before = set(history.deleted) or ({None} if history.added and obj not in session.new else set())
    return {state.dict.get(column), *before}


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """A new match takes its student's school."""
    for obj in session.new:
        if isinstance(obj, Match) and obj.school_id is None:
            student = obj.student or session.get(StudentProfile, obj.student_id)
            obj.school_id = student.school_id if student is not None else None


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, BackgroundCheck) or (
            isinstance(obj, MentorProfile | Organisation) and obj in session.new
        ):
            _mark_users(session, {cast("InstanceState[Any]", inspect(obj)).dict.get("user_id")})
        if isinstance(obj, CheckIn):
            _mark_ids(session, MET_MATCHES, {inspect(obj).dict.get("match_id")})
        group = WATCHED.get(type(obj))
        if group is None:
            continue
        if group.name == "matches":
            if obj in session.new and obj.school_id is None:  # its student was new too
                _mark_ids(session, MOVED_STUDENTS, {obj.student_id})
            students = _touched(session, obj, group, "student_id")
            if None in students:
                _mark(session, "matches", [None])
            session.info.setdefault(STUDENTS_OF_MATCHES, set()).update(students - {None})
        else:
            schools = _touched(session, obj, group, "school_id")
            _mark(session, group.name, schools)
            if group.name == "students" and inspect(obj).attrs.school_id.history.has_changes():
                _mark(session, "matches", schools)  # a student's matches count for their school
                _mark_ids(session, MOVED_STUDENTS, {obj.id})


def _mark_users(session: Session, users: set[int | None]) -> None:
    _mark_ids(session, CHECKED_USERS, users)


def _mark_ids(session: Session, key: str, ids: set[Any]) -> None:
    """Add ``ids`` to the set under ``key`` (None among them: every row)."""
    marked: set[int] | None = session.info.get(key, set())
    if None in ids or marked is None:
        session.info[key] = None
    else:
        session.info[key] = marked | {i for i in ids if i is not None}


def _on_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    for mapper in state.all_mappers:
        if mapper.class_ is BackgroundCheck:
            _mark_users(state.session, {None})
        if mapper.class_ is CheckIn:
            _mark_ids(state.session, MET_MATCHES, {None})
        if mapper.class_ is Match and state.is_insert:
            _mark_ids(state.session, MOVED_STUDENTS, {None})
        group = WATCHED.get(mapper.class_)
        if group is not None:
            _mark(state.session, group.name, [None])


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    if CHECKED_USERS in session.info:
        kept_columns.refresh_expiries(session, session.info.pop(CHECKED_USERS))
    if MET_MATCHES in session.info:
        kept_columns.refresh_first_met(session, session.info.pop(MET_MATCHES))
    if MOVED_STUDENTS in session.info:
        kept_columns.refresh_match_schools(session, session.info.pop(MOVED_STUDENTS))
    students = session.info.pop(STUDENTS_OF_MATCHES, set())
    if students:
        query = select(StudentProfile.school_id).where(StudentProfile.id.in_(students))
        _mark(session, "matches", set(session.scalars(query.distinct())))
    _refresh(session, session.info.pop(MARKS, {}))


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(MARKS, None)
    session.info.pop(STUDENTS_OF_MATCHES, None)
    session.info.pop(CHECKED_USERS, None)
    session.info.pop(MET_MATCHES, None)
    session.info.pop(MOVED_STUDENTS, None)


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _on_bulk)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_soft_rollback", _forget)
