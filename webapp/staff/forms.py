"""Staff forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Please fill in your e-mail address."))],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please fill in your password."))]
    )
    next = HiddenField()


class ActionForm(FlaskForm):
    """A bare form for one-click POST actions: only the CSRF token."""
