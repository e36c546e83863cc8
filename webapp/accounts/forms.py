"""Forms for managing accounts and setting a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..form_choices import ChoiceField
from ..services.passwords import MAX_PASSWORD_LENGTH

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Coordinator"),
    "reviewer": _l("Theme checker"),
    "councillor": _l("Councillor"),
    "researcher": _l("Researcher"),
}


class GrantForm(FlaskForm):
    """One role for one area; `area` "" means every area."""

    role = ChoiceField(_l("Role"), validators=[DataRequired()])
    area = ChoiceField(_l("Area"), coerce=str)


class InviteForm(GrantForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Please fill in an e-mail address.")),
            Length(max=200),
        ],
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A short sentence is easy to remember."),
        validators=[
            DataRequired(message=_l("Please fill in a password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Please fill in your current password."))],
    )
