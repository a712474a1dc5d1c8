"""Profile forms (students, mentors in steps, organisations) and the project form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.forms.fields import text
from portal.i18n import lazy_text as _l
from portal.signup.fields import area, languages, modality, number, phone, slots, tags
from portal.signup.forms import OrganisationDetailsForm
from portal.signup.profiles import MentorProfileValues, ProjectValues, StudentProfileValues


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

    def values(self) -> StudentProfileValues:
        """The profile, as ``update_student_profile`` takes it."""
        return StudentProfileValues(
            interests=self.interests.data,
            goals=self.goals.data,
            availability=self.availability.data,
            modality=self.modality.data,
            languages=self.languages.data,
            area=self.area.data,
            about=self.about.data or "",
            phone=self.phone.data or "",
        )


class MentorWorkForm(FlaskForm):
    """Mentor profile, step 1: work and a short bio."""

    job_title = text(_l("Job title"), 120)
    employer = text(_l("Employer (optional)"), 120, required=False)
    bio = text(_l("A few words about you"), 2000, area=True)
    phone = phone()

    def values(self) -> MentorProfileValues:
        """This step's part of the profile, as ``update_mentor_profile`` takes it."""
        return MentorProfileValues(
            job_title=self.job_title.data,
            employer=self.employer.data or "",
            bio=self.bio.data,
            phone=self.phone.data or "",
        )


class MentorInterestsForm(FlaskForm):
    """Mentor profile, step 2: expertise and interests."""

    expertise = tags(_l("Expertise: fields you work in"), "field")
    interests = tags(_l("Interests (optional)"), "interest", required=False)

    def values(self) -> MentorProfileValues:
        """This step's part of the profile, as ``update_mentor_profile`` takes it."""
        return MentorProfileValues(expertise=self.expertise.data, interests=self.interests.data)


class MentorAvailabilityForm(GradeBandForm):
    """Mentor profile, step 3: when, how, where and whom they mentor."""

    availability = slots()
    modality = modality()
    languages = languages()
    area = area()
    capacity = number(_l("How many students can you mentor?"), 1, 5)

    def values(self) -> MentorProfileValues:
        """This step's part of the profile, as ``update_mentor_profile`` takes it."""
        return MentorProfileValues(
            availability=self.availability.data,
            modality=self.modality.data,
            languages=self.languages.data,
            area=self.area.data,
            capacity=self.capacity.data,
            grade_min=self.grade_min.data,
            grade_max=self.grade_max.data,
        )


class MentorCheckForm(FlaskForm):
    """Mentor profile, step 4: consent to a background check (required to mentor minors)."""

    background_check_consent = BooleanField(
        _l("I consent to a background check by the school"),
        validators=[
            DataRequired(_l("You need to consent to a background check to mentor students."))
        ],
    )

    def values(self) -> MentorProfileValues:
        """This step's part of the profile, as ``update_mentor_profile`` takes it."""
        return MentorProfileValues(
            background_check_consent=bool(self.background_check_consent.data)
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

    def values(self) -> ProjectValues:
        """The project, as ``create_project`` and ``update_project`` take it."""
        return ProjectValues(
            title=self.title.data,
            description=self.description.data,
            skills=self.skills.data,
            capacity=self.capacity.data,
            availability=self.availability.data,
            modality=self.modality.data,
            languages=self.languages.data,
            grade_min=self.grade_min.data,
            grade_max=self.grade_max.data,
            area=self.area.data,
            supervising_adults=self.supervising_adults.data,
            supervisor_checked=bool(self.supervisor_checked.data),
        )
