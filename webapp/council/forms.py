"""The report chooser: period, area and optional theme or initiative."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from ..form_choices import ChoiceField


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only reads

    periode = StringField(
        _l("Period"),
        description=_l(
            "A year (2026), a quarter (2026-Q1), a month (2026-03) or dates (2026-01-01..2026-02-15)."
        ),
        validators=[DataRequired(message=_l("Please fill in a period."))],
    )
    gebied = ChoiceField(
        _l("Area"), validators=[DataRequired(message=_l("Please choose an area."))]
    )
    thema = ChoiceField(_l("Theme (optional)"), validators=[Optional()])
    initiatief = ChoiceField(_l("Initiative (optional)"), validators=[Optional()])
