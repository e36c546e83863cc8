"""Where the model and residents read a story differently: agreement figures and the stories."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_

from reports import Period, PeriodError
from reports.signification import model_resident_agreement
from surveys.messages import pick_text
from surveys.signification import BEFORE_AFTER_LABELS

from ..auth import MANAGERS, current_scope, login_required
from ..extensions import db
from ..models import Story
from ..services import signification_report
from ..services.story_areas import COUNTED_STATUSES
from ..services.themes import theme_names
from .views import bp

MAX_LISTED = 200


@bp.get("/zelfduiding")
@login_required(*MANAGERS)
def signification_gap():
    period_text = request.args.get("periode", "").strip()
    # Only the stories in the account's areas are compared and listed.
    conditions = [Story.status.in_(COUNTED_STATUSES), current_scope(MANAGERS).stories()]
    error = None
    if period_text:
        try:
            period = Period.parse(period_text)
            conditions += [
                Story.submitted_month >= period.start.replace(day=1),
                Story.submitted_month <= period.end,
            ]
        except PeriodError:
            error = _("We cannot read this period. Use for example 2026, 2026-Q1 or 2026-03.")
    data = signification_report.signification_input(
        db.session, and_(*conditions), with_story_ids=True
    )
    lang = str(get_locale() or "nl")
    return render_template(
        "staff/signification_gap.html",
        data=data,
        agreement=model_resident_agreement(data),
        corners={corner.value: corner.name(lang) for corner in data.corners},
        themes=theme_names(lang),
        answers={value: pick_text(label, lang) for value, label in BEFORE_AFTER_LABELS.items()},
        period_text=period_text,
        error=error,
        max_listed=MAX_LISTED,
    ), (422 if error else 200)
