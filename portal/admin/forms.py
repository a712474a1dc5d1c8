"""Forms of the admin area: schools, counselors, tags."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.services import find_user
from portal.extensions import db
from portal.forms.validators import clean_text, strip_filter
from portal.i18n import lazy_text as _l
from portal.models import Tag
from portal.vocabulary import AREAS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _name_field(label: str, max_length: int) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(), Length(max=max_length), clean_text],
        filters=[strip_filter],
    )


class SchoolForm(FlaskForm):
    """A school's name and area (the join code is generated, never typed)."""

    name = _name_field(_l("Name"), 200)
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

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[strip_filter],
    )
    name = _name_field(_l("Name"), 120)

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
    slug = StringField(
        _l("Slug"),
        validators=[
            DataRequired(),
            Length(max=48),
            Regexp(
                SLUG_PATTERN, message=_l("Use lowercase letters a–z, digits and single dashes.")
            ),
        ],
        filters=[strip_filter],
    )
    label = _name_field(_l("Label"), 80)

    def validate_slug(self, field: StringField) -> None:
        exists = db.session.scalar(
            db.select(Tag.id).where(Tag.kind == self.kind.data, Tag.slug == field.data)
        )
        if exists is not None:
            raise ValidationError(_l("This kind already has a tag with this slug."))


class TagLabelForm(FlaskForm):
    """A new label for an existing tag (the slug never changes: profiles store it)."""

    label = _name_field(_l("Label"), 80)


class ConfirmForm(FlaskForm):
    """A button that changes state carries nothing but the CSRF token."""
