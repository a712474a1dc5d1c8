"""Forms of the import pages: the upload, the column mapping, a student by hand, invitations."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField

from portal.forms.fields import date_field, text, trimmed
from portal.imports.columns import FIELDS, REQUIRED
from portal.signup.fields import options

LANGUAGE_CHOICES = options([("en", "English"), ("es", "Spanish")])


class UploadForm(FlaskForm):
    """A class list to import."""

    school = SelectField("School", coerce=int, validate_choice=True)
    file = FileField("Class list (.csv or .xlsx)", validators=[FileRequired("Choose a file.")])
    invite = BooleanField(
        "Email each new student a link to finish signing up, and each "
        "guardian of a minor a consent request"
    )


class InviteForm(FlaskForm):
    """Emails of local professionals and organisations, pasted or uploaded."""

    school = SelectField("School", coerce=int, validate_choice=True)
    emails = text(
        "Email addresses (one a line, or separated by commas)",
        50_000,
        required=False,
        area=True,
        clean=False,  # split into words, each checked as an address
        strip=False,
    )
    file = FileField("Or upload a list (.csv, .txt or .xlsx)")


class StudentForm(FlaskForm):
    """A student added by hand: the columns of a class list."""

    school = SelectField("School", coerce=int, validate_choice=True)
    student_number = trimmed("Student number")
    first_name = trimmed("First name")
    last_name = trimmed("Last name")
    grade = trimmed("Grade (6 to 12)")
    date_of_birth = date_field("Date of birth", required=False)
    email = trimmed("Student's email (optional)", kind=EmailField)
    guardian_name = trimmed("Parent or guardian's name")
    guardian_email = trimmed("Parent or guardian's email", kind=EmailField)
    guardian_language = SelectField(
        "Guardian's preferred language", choices=LANGUAGE_CHOICES, validate_choice=False
    )

    def row(self) -> dict[str, str]:
        """The form's values as the cells of a class list."""
        cells = {name: str(self[name].data or "") for name in FIELDS}
        if self.date_of_birth.errors:
            cells["date_of_birth"] = "not a date"
        return cells


def mapping_form(headers: list[str], mapping: dict[str, str], data: Any = None) -> FlaskForm:
    """One select per field, offering the file's headers."""
    choices = options([("", "Not in the file"), *((h, h) for h in headers if h)])

    class MappingForm(FlaskForm):
        pass

    for name, (label, _spellings) in FIELDS.items():
        required = " (required)" if name in REQUIRED else ""
        select = SelectField(f"{label}{required}", choices=choices, default=mapping.get(name, ""))
        setattr(MappingForm, name, select)
    return MappingForm(formdata=data)
