"""Login, password reset and password change forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.forms.fields import email_field
from portal.forms.validators import password_rules
from portal.i18n import LANGUAGES
from portal.i18n import lazy_text as _l


class LoginForm(FlaskForm):
    email = email_field(_l("Email"), check=False, clean=False)  # only looked up
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = email_field(_l("Email"), message=None, clean=False)


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), password_rules])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


class LanguageForm(FlaskForm):
    """The language of the pages and emails a person sees."""

    language = SelectField(
        _l("Language"), choices=[("", _l("The language of my browser")), *LANGUAGES.items()]
    )
