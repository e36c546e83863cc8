"""Initiatives log a month through their personal link: one screen, prefilled from last month."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from surveys import FieldType, validate_response

from .. import clock
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


class LinkGone(Exception):
    """The personal link does not (or no longer) work; ``lookup`` says why."""

    def __init__(self, lookup: initiative_links.LinkLookup) -> None:
        super().__init__(lookup.state)
        self.lookup = lookup


@bp.errorhandler(LinkGone)
def link_gone(error: LinkGone):
    """A page that says what happened to the link and whom to ask, instead of a bare 404."""
    lookup = error.lookup
    status = 404 if lookup.state == "unknown" else 410
    return render_template(
        "initiative/link_gone.html",
        lookup=lookup,
        contact=current_app.config.get("CONTACT", ""),
        since=format_date(lookup.since, "d MMMM yyyy") if lookup.since else None,
    ), status


def _initiative_or_404(token: str):
    lookup = initiative_links.look_up_link(db.session, token)
    if lookup.state != "ok":
        raise LinkGone(lookup)
    return lookup.initiative


def _chosen_month(months: list[dt.date]) -> dt.date:
    """The month asked for, else the last complete one: the current month only on purpose."""
    raw = request.values.get("maand", "")
    for month in months:
        if raw == month.strftime("%Y-%m"):
            return month
    return months[1]


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
        lambda month: format_date(month, "LLL yyyy"),  # stand-alone month, as format_month
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
    today = clock.today()
    months = activity.reportable_months(today)
    month = _chosen_month(months)
    report = activity.report_for(db.session, initiative, month)
    previous = activity.previous_report(db.session, initiative, month)
    form = CsrfOnlyForm()
    errors: dict = {}
    notice = None
    suggested = request.method == "GET" and report is None and previous is not None
    if request.method == "POST":
        suggested = request.form.get("voorstel") == "1"
        values = _raw_values(definition)
        if not form.validate_on_submit():
            flash(
                _("The form had expired. Your figures are still here: please send them again."),
                "error",
            )
            status = 400
        elif report is not None and report.locked:
            abort(409)
        else:
            result = validate_response(definition, _raw_values(definition))
            notice = _unconfirmed(result, suggested, previous, definition) if result.ok else None
            if result.ok and notice is None:
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
            errors = {
                name: [m.render(_, lang) for m in messages]
                for name, messages in result.errors.items()
            }
            status = 422
    else:
        source = report or previous
        values = activity.as_form_values(source.values if source else {}, definition, lang)
        status = 200
    return render_template(
        "initiative/monthly_form.html",
        initiative=initiative,
        definition=definition,
        lang=lang,
        form=form,
        month=month,
        months=months,
        current_month=months[0],
        month_label=format_month,
        values=values,
        errors=errors,
        notice=notice,
        report=report,
        previous=previous,
        previous_values=activity.as_form_values(previous.values, definition, lang)
        if previous
        else {},
        prefilled_from_previous=suggested,
        has_note=bool(activity.free_text_fields(definition)),
        token=token,
    ), status


def _unconfirmed(result, suggested: bool, previous, definition) -> str | None:
    """Why a valid month still needs a tick: "suggestion" (last month's figures were filled in
    and not confirmed) or "same" (every figure equals last month's); None when it can be saved."""
    if suggested and not request.form.get("bevestigd"):
        return "suggestion"
    same = activity.same_as_previous(
        result.values, previous.values if previous else None, definition
    )
    if same and not request.form.get("zelfde_bevestigd"):
        return "same"
    return None


@bp.get("/<token>/sjabloon.csv")
def csv_template(token: str):
    """A CSV to fill in months at once, with this initiative's code already in it."""
    initiative = _initiative_or_404(token)
    month = activity.last_complete_month(clock.today())
    return Response(
        activity.csv_template(activity_definition(), initiative.slug, month),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=maandcijfers-{initiative.slug}.csv"},
    )


@bp.get("/<token>/overzicht")
def overview(token: str):
    initiative = _initiative_or_404(token)
    return render_template(
        "initiative/overview.html",
        initiative=initiative,
        token=token,
        **activity_history(initiative),
    )
