"""Researchers download anonymised, k-anonymous story corpora; every export is audit-logged."""

from __future__ import annotations

import io

from flask import Blueprint, Response, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import clock
from ..auth import EXPORTERS, current_scope, current_staff_user, login_required
from ..extensions import db
from ..form_choices import select_choices
from ..services import council_reports, research_export
from ..services.themes import theme_names
from .forms import ExportForm

bp = Blueprint("research", __name__, url_prefix="/onderzoek", template_folder="templates")


def _form() -> ExportForm:
    form = ExportForm()
    form.gebied.choices = select_choices(
        [("", _("All areas"))] + council_reports.area_options(db.session, current_scope(EXPORTERS))
    )
    form.thema.choices = select_choices(
        [("", _("All themes"))] + sorted(theme_names(str(get_locale() or "nl")).items())
    )
    return form


@bp.route("/export", methods=["GET", "POST"])
@login_required(*EXPORTERS)
def export():
    form = _form()
    if form.validate_on_submit():
        export_filter = research_export.ExportFilter(
            period=(form.periode.data or "").strip() or None,
            area_code=form.gebied.data or None,
            theme=form.thema.data or None,
        )
        classifier = current_app.extensions["weefsel_classifier"].get()
        buffer = io.BytesIO()
        user = current_staff_user()
        try:
            research_export.export_research_archive(
                db.session,
                export_filter,
                form.formaten.data,
                buffer,
                actor=user.email,
                staff_user=user,
                k=form.k.data,
                model_version=classifier.version if classifier else "",
                scope=current_scope(EXPORTERS),
            )
        except research_export.ExportRefused:
            form.periode.errors.append(
                _("We cannot read this period. Use for example 2026, 2026-Q1 or 2026-03.")
            )
        else:
            filename = f"weefsel-onderzoek-{clock.today():%Y%m%d}.zip"
            return Response(
                buffer.getvalue(),
                mimetype="application/zip",
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
    # The log names every exporter and filter, so only admins of everything read it.
    show_log = current_scope(("admin",)).everything
    return render_template(
        "research/export.html",
        form=form,
        log=research_export.recent_exports(db.session) if show_log else [],
        show_log=show_log,
    ), 422 if form.errors else 200
