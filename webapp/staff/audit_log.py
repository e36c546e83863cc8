"""The audit log page: who did what, filterable, downloadable as spreadsheet-safe CSV."""

from __future__ import annotations

import io

from flask import Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from .. import clock
from ..auth import AUDIT_READERS, login_required
from ..extensions import db
from ..services import audit
from .views import bp

# The Dutch (or English) label staff read for each audit action.
ACTION_LABELS = {
    "login.success": _l("Logged in"),
    "login.failure": _l("Failed login"),
    "logout": _l("Logged out"),
    "story.original_viewed": _l("Viewed original text"),
    "story.moderated": _l("Changed story status"),
    "story.withdrawn": _l("Story withdrawn by resident"),
    "theme.reviewed": _l("Checked themes"),
    "outcome.reviewed": _l("Checked outcome"),
    "export.research": _l("Research export"),
    "share_link.created": _l("Share link created"),
    "share_link.viewed": _l("Share link opened"),
    "share_link.revoked": _l("Share link revoked"),
    "account.created": _l("Account created"),
    "account.changed": _l("Account changed"),
    "account.deactivated": _l("Account deactivated"),
    "account.password_reset": _l("Password reset"),
    "purge.applied": _l("Data deleted after retention period"),
}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    actie = SelectField(_l("Action"), validators=[Optional()])
    wie = StringField(
        _l("Who (part of the e-mail address)"), validators=[Optional(), Length(max=200)]
    )
    object = StringField(
        _l("Object (for example story:12)"), validators=[Optional(), Length(max=120)]
    )
    van = DateField(_l("From"), validators=[Optional()])
    tot = DateField(_l("Up to and including"), validators=[Optional()])

    def set_choices(self) -> None:
        self.actie.choices = [("", _l("All actions"))] + [
            (key, ACTION_LABELS.get(key, key)) for key in audit.ACTIONS
        ]

    def audit_filter(self) -> audit.AuditFilter:
        return audit.AuditFilter(
            action=self.actie.data or None,
            actor=self.wie.data or None,
            target=self.object.data or None,
            since=self.van.data,
            until=self.tot.data,
        )


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.set_choices()
    return form


@bp.get("/logboek")
@login_required(*AUDIT_READERS)
def audit_log():
    form = _filter_form()
    valid = form.validate() if request.args else True
    audit_filter = form.audit_filter() if valid else audit.AuditFilter()
    return render_template(
        "staff/audit_log.html",
        form=form,
        events=audit.audit_events(db.session, audit_filter),
        total=audit.count_events(db.session, audit_filter),
        labels=ACTION_LABELS,
    ), (200 if valid else 422)


@bp.get("/logboek.csv")
@login_required(*AUDIT_READERS)
def audit_log_csv():
    form = _filter_form()
    audit_filter = form.audit_filter() if form.validate() else audit.AuditFilter()
    buffer = io.BytesIO()
    audit.write_audit_csv(audit.audit_events(db.session, audit_filter, limit=None), buffer)
    filename = f"weefsel-logboek-{clock.today():%Y%m%d}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
