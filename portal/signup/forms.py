"""Sign-up forms of students, mentors and organisations (the account and its first facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import (
    Field,
    Form,
    PasswordField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    StopValidation,
    ValidationError,
)

from portal.extensions import db
from portal.forms.fields import email_field, text
from portal.forms.validators import password_rules
from portal.i18n import LANGUAGES, current_language
from portal.i18n import lazy_text as _l
from portal.models import School, minor_on
from portal.signup import fields
from portal.signup.fields import area, number, offered, options, phone, pick, web_address
from portal.signup.profiles import OrganisationValues
from portal.signup.services import Account, NewMentor, NewOrganisation, NewStudent

KIND_CHOICES = options([("nonprofit", _l("Nonprofit")), ("business", _l("Business"))])


class AccountForm(FlaskForm):
    """Email and password, asked of everyone who signs up."""

    email = email_field(_l("Email"))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), password_rules],
        description="12 characters or more.",
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )

    # The fields whose values, joined by a space, name the new account (each form says whose).
    NAME_FIELDS: tuple[str, ...] = ()

    def display_name(self) -> str:
        """The name the new account goes by."""
        return " ".join(str(self[name].data) for name in self.NAME_FIELDS)

    def account(self) -> Account:
        """The account part of the sign-up, as the ``register_*`` services take it."""
        return Account(self.email.data, self.password.data, self.display_name(), current_language())


def school_choices() -> list[SelectChoice]:
    """Every school, for a select (one query)."""
    rows = db.session.execute(db.select(School.id, School.name).order_by(School.name)).all()
    return options(
        [("", _l("Choose your school")), *((school_id, name) for school_id, name in rows)]
    )


def _known_school(form: Form, field: Field) -> None:
    if str(field.data) not in offered(field):
        raise StopValidation(_l("Choose a school from the list."))


class SchoolField(SelectField):
    """The school a partner volunteers with (its choices are loaded when the form is made)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(
            label,
            coerce=fields.to_id,
            choices=school_choices(),
            validators=[_known_school],
            validate_choice=False,
            **kwargs,
        )


def _school_by_code(code: str) -> School | None:
    school: School | None = db.session.scalar(
        db.select(School).where(func.lower(School.join_code) == code.lower())
    )
    return school


class StudentSignupForm(AccountForm):
    """A student joins their school with its join code."""

    NAME_FIELDS = ("first_name", "last_name")

    join_code = text(_l("School join code"), 32)
    first_name = text(_l("First name"), 80)
    last_name = text(_l("Last name"), 80)
    grade = number(_l("Grade"), 6, 12)
    date_of_birth = fields.date_of_birth()
    guardian_name = text(_l("Parent or guardian's name"), 120, required=False)
    guardian_email = email_field(_l("Parent or guardian's email"), required=False)

    guardian_language = SelectField(
        _l("Language for emails to your parent or guardian"),
        choices=list(LANGUAGES.items()),
        default=current_language,
    )

    school: School | None = None

    def validate_join_code(self, field: Field) -> None:
        self.school = _school_by_code(field.data or "")
        if self.school is None:
            raise ValidationError(_l("We do not know this join code: check it with your school."))

    def details(self, school: School) -> NewStudent:
        """The student's first facts at ``school`` (the join code's), as ``register_student``
        takes them; a guardian only for a minor."""
        minor = self.is_minor()
        return NewStudent(
            school_id=school.id,
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            grade=self.grade.data,
            date_of_birth=self.date_of_birth.data,
            guardian_name=self.guardian_name.data if minor else "",
            guardian_email=(self.guardian_email.data or "").lower() if minor else "",
            guardian_language=self.guardian_language.data or current_language(),
        )

    def is_minor(self) -> bool:
        """Under 18 today by the (validated) date of birth; there is no self-declared adult."""
        born = self.date_of_birth.data
        return born is None or bool(self.date_of_birth.errors) or minor_on(born, dt.date.today())

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if self.date_of_birth.data and not self.date_of_birth.errors and self.is_minor():
            return self._check_guardian() and valid
        return valid

    def _check_guardian(self) -> bool:
        ok = True
        for field in (self.guardian_name, self.guardian_email):
            if not field.data and not field.errors:
                field.errors.append(_l("Students under 18 need a parent or guardian's details."))
                ok = False
        same = (self.guardian_email.data or "").lower() == (self.email.data or "").lower()
        if same and self.guardian_email.data:
            self.guardian_email.errors.append(
                _l("Give your parent or guardian's own email address.")
            )
            ok = False
        return ok


class MentorSignupForm(AccountForm):
    """A local professional volunteers with one school."""

    NAME_FIELDS = ("first_name", "last_name")

    first_name = text(_l("First name"), 80)
    last_name = text(_l("Last name"), 80)
    school = SchoolField(_l("School you volunteer with"))

    def details(self) -> NewMentor:
        """The mentor's first facts, as ``register_mentor`` takes them."""
        return NewMentor(self.school.data, self.first_name.data, self.last_name.data)


class OrganisationDetailsForm(FlaskForm):
    """What an organisation tells about itself (sign-up and profile)."""

    name = text(_l("Organisation name"), 160)
    kind = pick(
        _l("Kind of organisation"), KIND_CHOICES, _l("Choose nonprofit or business."), radio=True
    )
    description = text(_l("What your organisation does"), 4000, area=True)
    website = text(_l("Website (optional)"), 200, required=False, validators=[web_address])
    phone = phone()
    area = area()

    def values(self) -> OrganisationValues:
        """What the organisation tells, as the sign-up and ``update_organisation`` take it."""
        return OrganisationValues(
            name=self.name.data,
            kind=self.kind.data,
            description=self.description.data,
            website=self.website.data or "",
            phone=self.phone.data or "",
            area=self.area.data,
        )


class OrganisationSignupForm(OrganisationDetailsForm, AccountForm):
    """A nonprofit or business signs up with a contact person."""

    NAME_FIELDS = ("contact_name",)

    contact_name = text(_l("Your name (the contact person)"), 120)
    school = SchoolField(_l("School you work with"))

    def details(self) -> NewOrganisation:
        """The organisation's first facts, as ``register_organisation`` takes them."""
        return NewOrganisation(school_id=self.school.data, values=self.values())
