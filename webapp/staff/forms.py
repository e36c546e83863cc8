"""Staff forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from surveys.values import InvalidValue, parse_month

from ..form_choices import ChoiceField
from ..forms import DutchDecimalField
from ..services.moderation import StoryFilter


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Please fill in your e-mail address."))],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Please fill in your password."))]
    )
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("Six digits; a new code appears every 30 seconds."),
        validators=[DataRequired(message=_l("Please fill in the code.")), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class ActionForm(FlaskForm):
    """A bare form for one-click POST actions: only the CSRF token."""


class InitiativeForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Please fill in a name.")), Length(max=200)]
    )
    wijk = ChoiceField(_l("Neighbourhood"), coerce=str, validators=[Optional()])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[
            Optional(),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Please fill in a valid e-mail address.")
            ),
            Length(max=200),
        ],
    )
    subsidy_eur_per_year = DutchDecimalField(
        _l("Subsidy per year in euros (optional)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(
                min=0, max=100_000_000, message=_l("Please fill in an amount of 0 or more.")
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )


class ImportForm(FlaskForm):
    table = FileField(
        _l("CSV or Excel file"),
        validators=[
            FileRequired(message=_l("Please choose a file.")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Please choose a .csv or .xlsx file.")),
        ],
    )


def story_filter_from_args(args) -> StoryFilter:
    """The story list's filter from the query string (``q``, ``gebied``, ``thema``, ``status``,
    ``taal``, ``van`` and ``tot`` as YYYY-MM); unreadable parts are left out."""
    return StoryFilter(
        text=(args.get("q") or "")[:200],
        area_code=args.get("gebied") or None,
        theme=args.get("thema") or None,
        status=args.get("status") or None,
        language=args.get("taal") or None,
        month_from=_month(args.get("van")),
        month_to=_month(args.get("tot")),
    )


def _month(text: str | None):
    if not text:
        return None
    try:
        return parse_month(text)
    except InvalidValue:
        return None
