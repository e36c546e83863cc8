"""Initiatives log a month through their personal link: one screen, prefilled from last month."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from surveys import FieldType, validate_response

from ..extensions import db
from ..services import activity, activity_chart, initiative_links
from ..templating import format_month
from .forms import CsrfOnlyForm

bp = Blueprint("initiative", __name__, url_prefix="/doorgeven", template_folder="templates")


def activity_definition():
    """Loaded once per app from the configured file (settings flow in, no global state)."""
    definition = current_app.extensions.get("weefsel_activity_definition")
    if definition is None:
        definition = activity.load_activity_definition(
            current_app.config.get("ACTIVITY_DEFINITION")
        )
        current_app.extensions["weefsel_activity_definition"] = definition
    return definition


def _initiative_or_404(token: str):
    initiative = initiative_links.initiative_for_token(db.session, token)
    if initiative is None:
        abort(404)
    return initiative


def _chosen_month(months: list[dt.date]) -> dt.date:
    raw = request.values.get("maand", "")
    for month in months:
        if raw == month.strftime("%Y-%m"):
            return month
    return months[0]


def _raw_values(definition) -> dict:
    raw = {}
    for item in definition.input_fields:
        raw[item.name] = (
            request.form.getlist(item.name)
            if item.type is FieldType.SELECT_MULTIPLE
            else request.form.get(item.name, "")
        )
    return raw


def activity_history(initiative) -> dict:
    """What the history macro shows: newest month first, a chart (data: URI) and its fields."""
    definition = activity_definition()
    lang = str(get_locale() or "nl")
    reports = activity.history(db.session, initiative)
    svg = activity_chart.history_chart_svg(
        reports,
        definition,
        lang,
        lambda month: format_date(month, "MMM yyyy"),
        _("The last 12 months"),
    )
    return {
        "definition": definition,
        "lang": lang,
        "reports": list(reversed(reports)),
        "chart": activity_chart.svg_data_uri(svg) if svg else None,
        "chart_names": ", ".join(
            f.label_for(lang) for f in activity_chart.chart_fields(definition)
        ),
        "month_label": format_month,
    }


@bp.route("/<token>", methods=["GET", "POST"])
def monthly_form(token: str):
    initiative = _initiative_or_404(token)
    definition = activity_definition()
    lang = str(get_locale() or "nl")
    months = activity.reportable_months(dt.date.today())
    month = _chosen_month(months)
    report = activity.report_for(db.session, initiative, month)
    previous = activity.previous_report(db.session, initiative, month)
    form = CsrfOnlyForm()
    errors: dict = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(
                _("The form had expired. Your figures are still here: please send them again."),
                "error",
            )
            values = _raw_values(definition)
            status = 400
        elif report is not None and report.locked:
            abort(409)
        else:
            result = validate_response(definition, _raw_values(definition))
            if result.ok:
                activity.save_monthly_report(
                    db.session, initiative, month, result.values, definition
                )
                flash(
                    _(
                        "Thank you! Your figures for %(month)s have been saved.",
                        month=format_month(month),
                    )
                )
                return redirect(url_for("initiative.overview", token=token), code=303)
            values = _raw_values(definition)
            errors = {
                name: [m.render(_, lang) for m in messages]
                for name, messages in result.errors.items()
            }
            status = 422
    else:
        source = report or previous
        values = activity.as_form_values(source.values if source else {})
        status = 200
    return render_template(
        "initiative/monthly_form.html",
        initiative=initiative,
        definition=definition,
        lang=lang,
        form=form,
        month=month,
        months=months,
        month_label=format_month,
        values=values,
        errors=errors,
        report=report,
        previous=previous,
        previous_values=activity.as_form_values(previous.values) if previous else {},
        prefilled_from_previous=request.method == "GET" and report is None and previous is not None,
        token=token,
    ), status


@bp.get("/<token>/overzicht")
def overview(token: str):
    initiative = _initiative_or_404(token)
    return render_template(
        "initiative/overview.html",
        initiative=initiative,
        token=token,
        **activity_history(initiative),
    )
