"""Forms of the import pages: the upload, the column mapping, a student by hand, invitations."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from portal.forms.validators import strip_filter
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
    emails = TextAreaField(
        "Email addresses (one a line, or separated by commas)",
        validators=[Optional(), Length(max=50_000)],
    )
    file = FileField("Or upload a list (.csv, .txt or .xlsx)")


class StudentForm(FlaskForm):
    """A student added by hand: the columns of a class list."""

    school = SelectField("School", coerce=int, validate_choice=True)
    student_number = StringField("Student number", filters=[strip_filter])
    first_name = StringField("First name", filters=[strip_filter])
    last_name = StringField("Last name", filters=[strip_filter])
    grade = StringField("Grade (6 to 12)", filters=[strip_filter])
    date_of_birth = DateField("Date of birth", validators=[Optional()])
    email = EmailField("Student's email (optional)", filters=[strip_filter])
    guardian_name = StringField("Parent or guardian's name", filters=[strip_filter])
    guardian_email = EmailField("Parent or guardian's email", filters=[strip_filter])
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
