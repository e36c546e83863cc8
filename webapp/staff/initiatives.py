"""Staff manage initiatives, their personal links, locked months and bulk imports."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from surveys import template_header
from webapp.form_choices import select_choices

from .. import clock
from ..auth import MANAGERS, current_scope, login_required
from ..extensions import db
from ..initiative.views import activity_definition, activity_history
from ..models import Initiative
from ..services import activity, initiative_links, initiatives
from ..site import external_url
from ..templating import format_month
from .forms import ActionForm, ImportForm, InitiativeForm
from .views import bp


def _link_url(initiative: Initiative) -> str | None:
    token = initiative_links.current_link_token(initiative, current_app.config["SECRET_KEY"])
    return external_url("initiative.monthly_form", token=token) if token else None


def _initiative_or_404(initiative_id: int) -> Initiative:
    """The initiative, if it lies in the scope of this account (else the page does not exist)."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not current_scope(MANAGERS).contains_initiative(initiative):
        abort(404)
    return initiative


def _details(form: InitiativeForm) -> initiatives.InitiativeDetails:
    return initiatives.InitiativeDetails(
        name=form.name.data,
        area_id=int(form.wijk.data) if form.wijk.data else None,
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        subsidy_eur_per_year=form.subsidy_eur_per_year.data,
    )


def _initiative_form(obj: Initiative | None = None) -> InitiativeForm:
    form = InitiativeForm(obj=obj)
    scope = current_scope(MANAGERS)
    none = [("", _("(none)"))] if scope.everything else []
    form.wijk.choices = select_choices(none + initiatives.area_options(db.session, scope))
    # A post without the field (WTForms then reads the object, which has no "wijk") keeps
    # the area instead of silently clearing it.
    if obj is not None and "wijk" not in request.form:
        form.wijk.data = str(obj.area_id) if obj.area_id else ""
    return form


@bp.get("/initiatieven")
@login_required(*MANAGERS)
def initiatives_list():
    month = activity.last_complete_month(clock.today())
    statuses = initiatives.initiatives_with_status(db.session, month, current_scope(MANAGERS))
    return render_template(
        "staff/initiatives.html",
        statuses=statuses,
        month=month,
        month_label=format_month,
        link_url=_link_url,
        missing=[s for s in statuses if not s.reported_this_month and s.initiative.active],
        action_form=ActionForm(),
    )


@bp.route("/initiatieven/nieuw", methods=["GET", "POST"])
@login_required(*MANAGERS)
def initiative_new():
    form = _initiative_form()
    if form.validate_on_submit():
        initiative = initiatives.create_initiative(db.session, _details(form))
        initiative_links.issue_link_token(db.session, initiative, current_app.config["SECRET_KEY"])
        flash(
            _(
                "Initiative %(name)s has been created. Send it its personal link below.",
                name=initiative.name,
            )
        )
        return redirect(url_for("staff.initiative_detail", initiative_id=initiative.id), code=303)
    return render_template(
        "staff/initiative_form.html", form=form, initiative=None
    ), 422 if form.errors else 200


@bp.route("/initiatieven/<int:initiative_id>", methods=["GET", "POST"])
@login_required(*MANAGERS)
def initiative_detail(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    form = _initiative_form(initiative)
    if form.validate_on_submit():
        initiatives.update_initiative(db.session, initiative, _details(form))
        flash(_("The details have been saved."))
        return redirect(url_for("staff.initiative_detail", initiative_id=initiative.id), code=303)
    return render_template(
        "staff/initiative_detail.html",
        initiative=initiative,
        form=form,
        link=_link_url(initiative),
        action_form=ActionForm(),
        **activity_history(initiative),
    ), 422 if form.errors else 200


@bp.post("/initiatieven/<int:initiative_id>/link")
@login_required(*MANAGERS)
def initiative_link(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "revoke":
        initiative_links.revoke_link(db.session, initiative)
        flash(_("The link has been revoked. It no longer works."))
    else:
        initiative_links.issue_link_token(db.session, initiative, current_app.config["SECRET_KEY"])
        flash(_("A new link has been made. The old link no longer works."))
    return redirect(url_for("staff.initiative_detail", initiative_id=initiative.id), code=303)


@bp.post("/initiatieven/<int:initiative_id>/maanden/<maand>")
@login_required(*MANAGERS)
def initiative_month_lock(initiative_id: int, maand: str):
    initiative = _initiative_or_404(initiative_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        month = dt.datetime.strptime(maand, "%Y-%m").date()
    except ValueError:
        abort(404)
    locked = request.form.get("action") == "lock"
    if not activity.set_month_locked(db.session, initiative, month, locked):
        abort(404)
    flash(
        _("%(month)s is now locked.", month=format_month(month))
        if locked
        else _("%(month)s can be corrected again.", month=format_month(month))
    )
    return redirect(url_for("staff.initiative_detail", initiative_id=initiative.id), code=303)


@bp.route("/initiatieven/import", methods=["GET", "POST"])
@login_required(*MANAGERS)
def activity_import():
    form = ImportForm()
    outcome = None
    lang = str(get_locale() or "nl")
    if form.validate_on_submit():
        upload = form.table.data
        outcome = activity.import_activity_table(
            db.session,
            upload.stream,
            upload.filename or "upload",
            activity_definition(),
            current_scope(MANAGERS),
        )
        if outcome.ok:
            flash(
                _(
                    "Imported: %(created)s new months, %(updated)s changed, %(unchanged)s unchanged.",
                    created=outcome.created,
                    updated=outcome.updated,
                    unchanged=outcome.unchanged,
                )
            )
            return redirect(url_for("staff.activity_import"), code=303)
    problems = [p.render(_, lang) for p in outcome.problems] if outcome else []
    status = 422 if (form.errors or problems) else 200
    return render_template(
        "staff/activity_import.html",
        form=form,
        problems=problems,
        header=",".join(template_header(activity_definition())),
    ), status


@bp.get("/initiatieven/import/sjabloon.csv")
@login_required(*MANAGERS)
def activity_template():
    """The import template; ``?initiatief=<code>`` adds a row for that initiative."""
    slug = request.args.get("initiatief") or None
    if slug is not None:  # a row only for an initiative this account manages (else no such page)
        initiative = initiatives.initiative_by_slug(db.session, slug)
        if initiative is None or not current_scope(MANAGERS).contains_initiative(initiative):
            abort(404)
    month = activity.last_complete_month(clock.today()) if slug else None
    name = f"maandregistratie-{slug}.csv" if slug else "maandregistratie-sjabloon.csv"
    return Response(
        activity.csv_template(activity_definition(), slug, month),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
