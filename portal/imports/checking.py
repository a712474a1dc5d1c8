"""Every row of a class list checked with the sign-up rules, and sorted into a plan.

A row is a :class:`StudentRow` when every value is good, else one :class:`RowError` per bad
value. Students match by student number, else by email; a matched student whose values are
the same is unchanged, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from portal.forms.validators import hidden_characters
from portal.imports import queries
from portal.imports.columns import label
from portal.imports.reading import Table
from portal.models import StudentProfile, minor_on
from portal.signup.fields import GRADE_AGE_MAX, GRADE_AGE_MIN, birth_dates_for

GRADES = range(6, 13)
LANGUAGES = {"en": "en", "english": "en", "es": "es", "spanish": "es", "espanol": "es"}
LIMITS = {"student_number": 32, "first_name": 80, "last_name": 80, "guardian_name": 120}
# The values an import sets; an existing student with all of them equal is unchanged.
COMPARED = (
    "first_name",
    "last_name",
    "grade",
    "date_of_birth",
    "guardian_name",
    "guardian_email",
    "guardian_language",
)
BadFn = Callable[[str, str], None]


@dataclass(frozen=True)
class RowError:
    """What is wrong with one value: row number (as in the spreadsheet), column, message."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class StudentRow:
    """One good row, its values typed."""

    row: int
    student_number: str | None
    first_name: str
    last_name: str
    grade: int
    date_of_birth: dt.date
    email: str
    guardian_name: str
    guardian_email: str
    guardian_language: str

    def values(self) -> dict[str, object]:
        """The student's values an import sets."""
        return {name: getattr(self, name) for name in COMPARED}


@dataclass
class Plan:
    """What an import would do: students to add, to update (with their ids), left as is."""

    added: list[StudentRow] = field(default_factory=list)
    updated: list[tuple[int, StudentRow]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Added, updated and unchanged counts."""
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": self.unchanged}


def check(school_id: int, table: Table, mapping: dict[str, str], today: dt.date) -> Plan:
    """Check every row of ``table`` (columns by ``mapping``) against the school's students."""
    index = {header: i for i, header in reversed(list(enumerate(table.headers)))}
    columns = {name: index[header] for name, header in mapping.items() if header in index}
    plan = Plan()
    good: list[StudentRow] = []
    for number, cells in table.rows:
        raw = {name: cells[i] for name, i in columns.items()}
        row, errors = _check_row(number, raw, today)
        plan.errors.extend(errors)
        if row is not None:
            good.append(row)
    plan.errors.extend(_duplicates(good))
    existing = queries.students_for_import(school_id, good)
    taken = queries.emails_taken([row.email for row in good if row.email])
    for row in good:
        _sort(plan, row, existing, taken)
    plan.errors.sort(key=lambda error: error.row)
    return plan


def _sort(plan: Plan, row: StudentRow, existing: queries.Existing, taken: dict[str, int]) -> None:
    student = existing.match(row.student_number, row.email)
    owner = taken.get(row.email) if row.email else None
    if owner is not None and (student is None or student.user_id != owner):
        plan.errors.append(RowError(row.row, "Email", "This email belongs to another account."))
    elif student is None:
        plan.added.append(row)
    elif _differs(student, row):
        plan.updated.append((student.id, row))
    else:
        plan.unchanged += 1


def _differs(student: StudentProfile, row: StudentRow) -> bool:
    if row.student_number and student.student_number != row.student_number:
        return True
    if row.email and student.user_id is None:
        return True  # the import gives the student an account
    return any(getattr(student, name) != value for name, value in row.values().items())


def _check_row(
    number: int, raw: dict[str, str], today: dt.date
) -> tuple[StudentRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(name: str, message: str) -> None:
        errors.append(RowError(number, label(name), message))

    text = {
        name: _text(name, raw.get(name, ""), bad)
        for name in ("student_number", "first_name", "last_name", "guardian_name")
    }
    for name in ("first_name", "last_name"):
        if not text[name]:
            bad(name, "Missing.")
    grade = _grade(raw.get("grade", ""), bad)
    born = _born(raw.get("date_of_birth", ""), grade, today, bad)
    email = _email("email", raw.get("email", ""), bad)
    guardian_email = _email("guardian_email", raw.get("guardian_email", ""), bad)
    language = LANGUAGES.get(_plain(raw.get("guardian_language", "")) or "en")
    if language is None:
        bad("guardian_language", "Use en (English) or es (Spanish).")
    if not text["student_number"] and not email and not raw.get("email", "").strip():
        bad("student_number", "Give a student number or an email.")
    if born is not None and minor_on(born, today):
        if not text["guardian_name"]:
            bad("guardian_name", "A student under 18 needs a parent or guardian.")
        if not guardian_email and not raw.get("guardian_email", "").strip():
            bad("guardian_email", "A student under 18 needs a parent or guardian's email.")
    if errors or grade is None or born is None or language is None:
        return None, errors
    row = StudentRow(
        number,
        text["student_number"] or None,
        text["first_name"],
        text["last_name"],
        grade,
        born,
        email,
        text["guardian_name"],
        guardian_email,
        language,
    )
    return row, []


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _text(name: str, value: str, bad: BadFn) -> str:
    value = unicodedata.normalize("NFC", value.strip())
    if value.startswith(("=", "+", "@")) or (value.startswith("-") and len(value) > 1):
        bad(name, "Looks like a spreadsheet formula; type the value instead.")
    elif hidden_characters(value):
        bad(name, "Contains invisible or control characters.")
    elif len(value) > LIMITS[name]:
        bad(name, f"Longer than {LIMITS[name]} characters.")
    else:
        return value
    return ""


def _grade(value: str, bad: BadFn) -> int | None:
    digits = value.strip().lower().removeprefix("grade").strip()
    if digits.isdigit() and int(digits) in GRADES:
        return int(digits)
    bad("grade", f"Unknown grade '{value.strip()[:20]}': use a number from 6 to 12.")
    return None


def _born(value: str, grade: int | None, today: dt.date, bad: BadFn) -> dt.date | None:
    try:
        born = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        bad("date_of_birth", "Enter the date as YYYY-MM-DD, for example 2010-05-31.")
        return None
    if grade is None:
        return born
    earliest, latest = birth_dates_for(grade, today)
    if not earliest <= born <= latest:
        ages = f"age {grade + GRADE_AGE_MIN} to {grade + GRADE_AGE_MAX}"
        bad("date_of_birth", f"Does not fit grade {grade} ({ages}).")
        return None
    return born


def _email(name: str, value: str, bad: BadFn) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        bad(name, "Not an email address.")
        return ""
    return str(checked.normalized).lower()


def _duplicates(rows: list[StudentRow]) -> list[RowError]:
    errors: list[RowError] = []
    for name, column in (("student_number", "Student number"), ("email", "Email")):
        first_seen: dict[str, int] = {}
        for row in rows:
            value = getattr(row, name)
            if not value:
                continue
            if value in first_seen:
                errors.append(RowError(row.row, column, f"Same as row {first_seen[value]}."))
            else:
                first_seen[value] = row.row
    return errors
