"""Staff check the themes the model assigned: a queue by uncertainty, evidence, one-click answers."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..auth import REVIEWERS, current_scope, current_staff_user, login_required
from ..extensions import db
from ..job_kinds import RECLASSIFY
from ..models import Story
from ..services import outcomes as outcome_service
from ..services import review_evidence
from ..services import themes as theme_service
from ..services.story_text import deidentified_text
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
        model_available=classifier_holder().available(),
        action_form=ActionForm(),
    )


@bp.post("/classificeren")
@login_required(*REVIEWERS)
def classify_waiting():
    if not ActionForm().validate_on_submit():
        abort(400)
    current_app.extensions["weefsel_queue"].enqueue(
        db.session, RECLASSIFY, {"only_outdated": True}, created_by_id=current_staff_user().id
    )
    flash(_("Classifying has started in the background; see Background jobs for its progress."))
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
    themes = theme_service.themes_in_force()
    # Evidence is marked in the de-identified text: staff never see the original by default.
    # It was computed by the job that classified the story: no model is loaded here.
    shown_text = deidentified_text(story.text)
    explanations = review_evidence.theme_explanations(
        model_assignments, [theme.key for theme in themes], shown_text
    )
    my_labels = {
        a.theme
        for a in story.theme_assignments
        if a.source == "human" and a.staff_user_id == user.id and a.assigned
    }
    return render_template(
        "review/story.html",
        story=story,
        themes=themes,
        names=theme_service.theme_names(lang),
        model_assignments=model_assignments,
        percentages={
            key: review_evidence.score_against_threshold(a.score, a.threshold, lang)
            for key, a in model_assignments.items()
            if a.score is not None
        },
        explanations=explanations,
        evidence_computed=all(info["computed"] for info in explanations.values()),
        # Rows of the model in force get their evidence from a background job (new stories,
        # when the form is quiet); older rows only when the stories are classified again.
        evidence_follows=bool(model_assignments)
        and {a.model_version for a in model_assignments.values()}
        == {current_app.extensions["weefsel_classifier"].version_in_force()},
        my_labels=my_labels,
        reviewed=any(
            a.source == "human" and a.staff_user_id == user.id for a in story.theme_assignments
        ),
        action_form=ActionForm(),
        outcome=_outcome_view(story),
    )


@bp.post("/verhaal/<int:story_id>/uitkomst")
@login_required(*REVIEWERS)
def story_outcome(story_id: int):
    """Save a staff member's reading of what changed in the story (overrides the model)."""
    story = db.session.get(Story, story_id)
    if story is None or not current_scope(REVIEWERS).contains_story(story):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outcome_service.record_outcome_review(
            db.session, story, current_staff_user(), request.form.get("outcome", "")
        )
    except ValueError:
        flash(_("Choose one of the four answers."), "error")
        return redirect(url_for("review.story", story_id=story.id), code=303)
    flash(_("Thank you, your reading of what changed in story %(id)s has been saved.", id=story.id))
    return redirect(url_for("review.story", story_id=story.id), code=303)


def _outcome_view(story: Story) -> dict:
    """What the review screen shows about the story's outcome: the model's reading with its
    probability and cues, and the reading that counts now."""
    model_row = outcome_service.model_outcome(story)
    # Cues are marked in the de-identified text, like the themes' evidence, and were stored by
    # the job that read the outcome.
    shown_text = deidentified_text(story.text)
    evidence = (
        review_evidence.unpack_evidence(model_row.evidence, shown_text) if model_row else None
    )
    counted = outcome_service.effective_outcomes(db.session, [story.id]).get(story.id, {})
    return {
        "model": model_row,
        "score": (model_row.scores or {}).get(model_row.outcome) if model_row else None,
        "computed": model_row is None or evidence is not None,
        "segments": review_evidence.highlight_segments(shown_text, evidence or []),
        "cues": [e for e in evidence or [] if e["kind"] == "cue"],
        "counted": outcome_service.outcome_of(counted),
        "by_staff": any(a.source == "human" for a in story.outcome_assignments),
        "names": outcome_names(),
    }


def outcome_names() -> dict[str, str]:
    """The four outcomes in the reader's language, in the order they are offered."""
    return {
        "beter": _("Better"),
        "slechter": _("Worse"),
        "gemengd": _("Mixed: better and worse"),
        "geen": _("No change described"),
    }


@bp.get("/overeenstemming")
@login_required(*REVIEWERS)
def agreement():
    lang = str(get_locale() or "nl")
    return render_template(
        "review/agreement.html",
        rows=theme_service.agreement_per_theme(db.session, current_scope(REVIEWERS)),
        names=theme_service.theme_names(lang),
    )
