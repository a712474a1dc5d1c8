"""Forms of the admin area: schools, counselors, tags."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.services import find_user
from portal.extensions import db
from portal.forms.fields import email_field, text
from portal.i18n import lazy_text as _l
from portal.models import Tag
from portal.vocabulary import AREAS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SchoolForm(FlaskForm):
    """A school's name and area (the join code is generated, never typed)."""

    name = text(_l("Name"), 200)
    area = SelectField(_l("Area"), choices=[("", _l("Not set")), *AREAS.items()])


class SchoolsForm(FlaskForm):
    """The schools a counselor is bound to (choices are set by the view)."""

    schools = CheckboxesField(
        _l("Schools"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one school."))],
    )


class InviteForm(SchoolsForm):
    """Invite a counselor by email."""

    email = email_field(_l("Email"), message=None, clean=False)
    name = text(_l("Name"), 120)

    def validate_email(self, field: EmailField) -> None:
        if field.data and find_user(field.data) is not None:
            raise ValidationError(_l("An account already uses this email address."))


class TagForm(FlaskForm):
    """A new vocabulary entry."""

    kind = SelectField(
        _l("Kind"),
        choices=[(kind, kind.capitalize()) for kind in Tag.KINDS],
        validators=[InputRequired()],
    )
    slug = text(
        _l("Slug"),
        48,
        clean=False,  # the pattern allows a-z, 0-9 and dashes only
        validators=[
            Regexp(SLUG_PATTERN, message=_l("Use lowercase letters a–z, digits and single dashes."))
        ],
    )
    label = text(_l("Label"), 80)

    def validate_slug(self, field: StringField) -> None:
        exists = db.session.scalar(
            db.select(Tag.id).where(Tag.kind == self.kind.data, Tag.slug == field.data)
        )
        if exists is not None:
            raise ValidationError(_l("This kind already has a tag with this slug."))


class TagLabelForm(FlaskForm):
    """A new label for an existing tag (the slug never changes: profiles store it)."""

    label = text(_l("Label"), 80)


class ConfirmForm(FlaskForm):
    """A button that changes state carries nothing but the CSRF token."""
