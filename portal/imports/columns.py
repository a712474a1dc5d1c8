"""The fields of a class list and the header spellings of common student-system exports."""

from __future__ import annotations

import re

# Field -> (label, header spellings, normalised: lower case, letters and digits only).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "student_number": (
        "Student number",
        (
            "studentnumber",
            "studentid",
            "studentno",
            "pupilnumber",
            "pupilid",
            "idnumber",
            "id",
            "localid",
            "stateid",
            "sisid",
            "upn",
            "number",
        ),
    ),
    "first_name": (
        "First name",
        (
            "firstname",
            "givenname",
            "forename",
            "forenames",
            "first",
            "legalfirstname",
            "preferredfirstname",
            "studentfirstname",
        ),
    ),
    "last_name": (
        "Last name",
        ("lastname", "surname", "familyname", "last", "legallastname", "studentlastname"),
    ),
    "grade": ("Grade", ("grade", "gradelevel", "year", "yeargroup", "class", "gr")),
    "date_of_birth": (
        "Date of birth",
        ("dateofbirth", "dob", "birthdate", "birthday", "born", "birthdt"),
    ),
    "email": (
        "Email",
        ("email", "emailaddress", "studentemail", "studentemailaddress", "mail", "schoolemail"),
    ),
    "guardian_name": (
        "Guardian name",
        (
            "guardianname",
            "parentname",
            "guardian",
            "parent",
            "parentguardianname",
            "contactname",
            "primarycontact",
            "parentguardian",
        ),
    ),
    "guardian_email": (
        "Guardian email",
        (
            "guardianemail",
            "parentemail",
            "parentemailaddress",
            "guardianemailaddress",
            "parentguardianemail",
            "contactemail",
            "primarycontactemail",
        ),
    ),
    "guardian_language": (
        "Preferred language",
        (
            "preferredlanguage",
            "language",
            "homelanguage",
            "guardianlanguage",
            "parentlanguage",
            "languagepreference",
            "correspondencelanguage",
        ),
    ),
}
REQUIRED = ("first_name", "last_name", "grade", "date_of_birth")


def normalise(header: str) -> str:
    """A header reduced to lower-case letters and digits ("Student ID" -> "studentid")."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header for every header recognised (the first spelling found wins)."""
    found: dict[str, str] = {}
    by_name = {normalise(header): header for header in reversed(headers) if header}
    for field, (_label, spellings) in FIELDS.items():
        for spelling in spellings:
            if spelling in by_name and by_name[spelling] not in found.values():
                found[field] = by_name[spelling]
                break
    return found


def missing(mapping: dict[str, str], headers: list[str]) -> list[str]:
    """The required fields ``mapping`` does not give (or gives a header the file lacks)."""
    needed = [f for f in REQUIRED if mapping.get(f) not in headers]
    if mapping.get("student_number") not in headers and mapping.get("email") not in headers:
        needed.append("student_number")
    return needed


def label(field: str) -> str:
    """The field's label, as column names in messages."""
    return FIELDS[field][0]
