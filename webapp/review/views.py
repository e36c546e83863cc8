"""Staff check the themes the model assigned: a queue by uncertainty, evidence, one-click answers."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from nlp.themes import load_themes

from ..auth import REVIEWERS, current_scope, current_staff_user, login_required
from ..extensions import db
from ..models import Story
from ..services import themes as theme_service
from ..staff.forms import ActionForm

bp = Blueprint("review", __name__, url_prefix="/beheer/themas", template_folder="templates")


def classifier_holder() -> theme_service.ClassifierHolder:
    return current_app.extensions["weefsel_classifier"]


@bp.get("/")
@login_required(*REVIEWERS)
def queue():
    lang = str(get_locale() or "nl")
    scope = current_scope(REVIEWERS)
    stories = theme_service.review_queue(db.session, current_staff_user(), scope)
    return render_template(
        "review/queue.html",
        stories=stories,
        names=theme_service.theme_names(lang),
        model_themes=theme_service.model_themes,
        unreviewed=theme_service.unreviewed_count(db.session, scope),
        model_available=classifier_holder().get() is not None,
        action_form=ActionForm(),
    )


@bp.post("/classificeren")
@login_required(*REVIEWERS)
def classify_waiting():
    if not ActionForm().validate_on_submit():
        abort(400)
    classifier = classifier_holder().get()
    if classifier is None:
        flash(_("There is no theme model. Ask the administrator to run weefsel train."), "error")
    else:
        count = theme_service.reclassify(db.session, classifier, only_outdated=True)
        flash(_("%(n)s stories have been classified.", n=count))
    return redirect(url_for("review.queue"), code=303)


@bp.route("/verhaal/<int:story_id>", methods=["GET", "POST"])
@login_required(*REVIEWERS)
def story(story_id: int):
    story = db.session.get(Story, story_id)
    if story is None or not current_scope(REVIEWERS).contains_story(story):
        abort(404)
    user = current_staff_user()
    model_assignments = theme_service.model_themes(story)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        chosen = {key for key, a in model_assignments.items() if a.assigned}
        action = request.form.get("action", "")
        if action.startswith("toggle:"):
            chosen ^= {action.split(":", 1)[1]}
        elif action == "save":
            chosen = set(request.form.getlist("theme"))
        elif action != "accept":
            abort(400)
        try:
            theme_service.record_review(db.session, story, user, chosen)
        except ValueError:
            abort(400)
        flash(_("Thank you, your check of story %(id)s has been saved.", id=story.id))
        return redirect(url_for("review.queue"), code=303)
    lang = str(get_locale() or "nl")
    classifier = classifier_holder().get()
    explanations = {}
    for theme in load_themes():
        evidence = classifier.explain(story.text, theme.key) if classifier and story.text else []
        explanations[theme.key] = {
            "segments": theme_service.highlight_segments(story.text, evidence),
            "sentences": theme_service.evidence_sentences(evidence),
            "has_evidence": any(e.get("kind") != "sentence" for e in evidence),
        }
    my_labels = {
        a.theme
        for a in story.theme_assignments
        if a.source == "human" and a.staff_user_id == user.id and a.assigned
    }
    return render_template(
        "review/story.html",
        story=story,
        themes=load_themes(),
        names=theme_service.theme_names(lang),
        model_assignments=model_assignments,
        explanations=explanations,
        my_labels=my_labels,
        reviewed=any(
            a.source == "human" and a.staff_user_id == user.id for a in story.theme_assignments
        ),
        action_form=ActionForm(),
    )


@bp.get("/overeenstemming")
@login_required(*REVIEWERS)
def agreement():
    lang = str(get_locale() or "nl")
    return render_template(
        "review/agreement.html",
        rows=theme_service.agreement_per_theme(db.session),
        names=theme_service.theme_names(lang),
    )
