"""Profile forms (students, mentors in steps, organisations) and the project form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.signup.fields import area, languages, modality, number, phone, slots, tags, text
from portal.signup.forms import OrganisationDetailsForm


class GradeBandForm(FlaskForm):
    """Grades a mentor or a project takes: from ``grade_min`` to ``grade_max``."""

    grade_min = number("From grade", 6, 12)
    grade_max = number("To grade", 6, 12)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        low, high = self.grade_min.data, self.grade_max.data
        if valid and low > high:
            self.grade_max.errors.append("The last grade must not be below the first.")
            return False
        return valid


class StudentProfileForm(FlaskForm):
    """What a student likes, wants, and when and how they can meet."""

    interests = tags("Interests", "interest")
    goals = tags("Goals: fields you would like to learn about", "field", required=False)
    availability = slots()
    modality = modality()
    languages = languages()
    area = area()
    about = text("About me (optional)", 1000, required=False, area=True)
    phone = phone()


class MentorWorkForm(FlaskForm):
    """Mentor profile, step 1: work and a short bio."""

    job_title = text("Job title", 120)
    employer = text("Employer (optional)", 120, required=False)
    bio = text("A few words about you", 2000, area=True)
    phone = phone()


class MentorInterestsForm(FlaskForm):
    """Mentor profile, step 2: expertise and interests."""

    expertise = tags("Expertise: fields you work in", "field")
    interests = tags("Interests (optional)", "interest", required=False)


class MentorAvailabilityForm(GradeBandForm):
    """Mentor profile, step 3: when, how, where and whom they mentor."""

    availability = slots()
    modality = modality()
    languages = languages()
    area = area()
    capacity = number("How many students can you mentor?", 1, 5)


class MentorCheckForm(FlaskForm):
    """Mentor profile, step 4: consent to a background check (required to mentor minors)."""

    background_check_consent = BooleanField(
        "I consent to a background check by the school",
        validators=[DataRequired("You need to consent to a background check to mentor students.")],
    )


# The mentor's profile steps, in order: (slug, title, form).
MENTOR_STEPS: tuple[tuple[str, str, type[FlaskForm]], ...] = (
    ("work", "Your work", MentorWorkForm),
    ("interests", "Expertise and interests", MentorInterestsForm),
    ("availability", "Availability and students", MentorAvailabilityForm),
    ("check", "Background check", MentorCheckForm),
)


class OrganisationProfileForm(OrganisationDetailsForm):
    """An organisation edits what it told at sign-up."""


class ProjectForm(GradeBandForm):
    """A community project an organisation posts."""

    title = text("Project title", 160)
    description = text("What students will do", 4000, area=True)
    skills = tags("Skills students practise", "skill")
    capacity = number("How many students can join?", 1, 50)
    availability = slots("When does the project meet?")
    modality = modality()
    languages = languages()
    area = area()
    supervising_adults = text("Supervising adults (names and roles)", 1000, area=True)
    supervisor_checked = BooleanField("The supervising adults have passed a background check")


def values_of(form: FlaskForm) -> dict[str, Any]:
    """The form's data without the CSRF token, for a service."""
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
