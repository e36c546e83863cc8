"""The research export request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..form_choices import ChoiceField, select_choices


class ExportForm(FlaskForm):
    periode = StringField(
        _l("Period (optional)"),
        description=_l(
            "A year (2026), a quarter (2026-Q1), a month (2026-03) or dates (2026-01-01..2026-02-15)."
        ),
        validators=[Optional()],
    )
    gebied = ChoiceField(_l("Area (optional)"), validators=[Optional()])
    thema = ChoiceField(_l("Theme (optional)"), validators=[Optional()])
    formaten = SelectMultipleField(
        _l("Formats"),
        choices=select_choices(
            [
                ("csv", "CSV"),
                ("jsonl", "JSONL"),
                ("qdpx", "REFI-QDA (.qdpx: ATLAS.ti, NVivo, MAXQDA, QualCoder)"),
            ]
        ),
        default=["csv", "qdpx"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Please choose at least one format."))],
    )
    k = IntegerField(
        _l("Smallest group size (k)"),
        default=5,
        description=_l(
            "Every combination of area, age group and period holds at least this many stories."
        ),
        validators=[
            NumberRange(min=5, max=100, message=_l("Please choose a number from 5 to 100."))
        ],
    )


class RetryForm(FlaskForm):
    """Run a failed export again (a button; the form only carries the CSRF token)."""
