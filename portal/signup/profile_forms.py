"""Profile forms (students, mentors in steps, organisations) and the project form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.i18n import lazy_text as _l
from portal.signup.fields import area, languages, modality, number, phone, slots, tags, text
from portal.signup.forms import OrganisationDetailsForm


class GradeBandForm(FlaskForm):
    """Grades a mentor or a project takes: from ``grade_min`` to ``grade_max``."""

    grade_min = number(_l("From grade"), 6, 12)
    grade_max = number(_l("To grade"), 6, 12)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        low, high = self.grade_min.data, self.grade_max.data
        if valid and low > high:
            self.grade_max.errors.append(_l("The last grade must not be below the first."))
            return False
        return valid


class StudentProfileForm(FlaskForm):
    """What a student likes, wants, and when and how they can meet."""

    interests = tags(_l("Interests"), "interest")
    goals = tags(_l("Goals: fields you would like to learn about"), "field", required=False)
    availability = slots()
    modality = modality()
    languages = languages()
    area = area()
    about = text(_l("About me (optional)"), 1000, required=False, area=True)
    phone = phone()


class MentorWorkForm(FlaskForm):
    """Mentor profile, step 1: work and a short bio."""

    job_title = text(_l("Job title"), 120)
    employer = text(_l("Employer (optional)"), 120, required=False)
    bio = text(_l("A few words about you"), 2000, area=True)
    phone = phone()


class MentorInterestsForm(FlaskForm):
    """Mentor profile, step 2: expertise and interests."""

    expertise = tags(_l("Expertise: fields you work in"), "field")
    interests = tags(_l("Interests (optional)"), "interest", required=False)


class MentorAvailabilityForm(GradeBandForm):
    """Mentor profile, step 3: when, how, where and whom they mentor."""

    availability = slots()
    modality = modality()
    languages = languages()
    area = area()
    capacity = number(_l("How many students can you mentor?"), 1, 5)


class MentorCheckForm(FlaskForm):
    """Mentor profile, step 4: consent to a background check (required to mentor minors)."""

    background_check_consent = BooleanField(
        _l("I consent to a background check by the school"),
        validators=[
            DataRequired(_l("You need to consent to a background check to mentor students."))
        ],
    )


# The mentor's profile steps, in order: (slug, title, form).
MENTOR_STEPS: tuple[tuple[str, str, type[FlaskForm]], ...] = (
    ("work", _l("Your work"), MentorWorkForm),
    ("interests", _l("Expertise and interests"), MentorInterestsForm),
    ("availability", _l("Availability and students"), MentorAvailabilityForm),
    ("check", _l("Background check"), MentorCheckForm),
)


class OrganisationProfileForm(OrganisationDetailsForm):
    """An organisation edits what it told at sign-up."""


class ProjectForm(GradeBandForm):
    """A community project an organisation posts."""

    title = text(_l("Project title"), 160)
    description = text(_l("What students will do"), 4000, area=True)
    skills = tags(_l("Skills students practise"), "skill")
    capacity = number(_l("How many students can join?"), 1, 50)
    availability = slots(_l("When does the project meet?"))
    modality = modality()
    languages = languages()
    area = area()
    supervising_adults = text(_l("Supervising adults (names and roles)"), 1000, area=True)
    supervisor_checked = BooleanField(_l("The supervising adults have passed a background check"))


def values_of(form: FlaskForm) -> dict[str, Any]:
    """The form's data without the CSRF token, for a service."""
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
