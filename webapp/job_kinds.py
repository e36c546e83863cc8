"""The kinds of background job Weefsel runs.

Add one with `@register_job(name, label)` (run on request: `queue.enqueue(session, name, params)`)
or `@register_periodic_job(name, label, crontab(...))` (run on a schedule by the consumer that has
periodic jobs on). A job is `run(context, **params)` with JSON-able params; it must be idempotent,
because a run whose worker died is run again from the start.
"""

from __future__ import annotations

import time

from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy.orm import Session

from .services.jobs import JobContext, JobRefused, register_job, register_periodic_job

CLASSIFY_NEW_STORIES = "themes.classify_new_stories"
ADD_REVIEW_EVIDENCE = "review.add_evidence"
RECLASSIFY = "themes.reclassify"
TRAIN = "themes.train"
SWEEP = "jobs.sweep"
PURGE = "privacy.purge"
RESEARCH_EXPORT = "research.export"  # services.export_jobs.KIND
REPORT_PDF = "reports.pdf"  # services.report_jobs.KIND
REFRESH_REPORT_CELLS = "reports.refresh_cells"

CLASSIFY_BATCH = 200  # stories read by the models at once (written in smaller chunks)
CLASSIFY_PAUSE_WHEN_BUSY = 1.0  # seconds


def _classifier(context: JobContext):
    return context.extensions["weefsel_classifier"].get()


def _write_turn(context: JobContext):
    """Story POSTs and classification writes take turns on SQLite (webapp.write_turns)."""
    return context.extensions["weefsel_write_turns"].turn


def _outcome_model(context: JobContext):
    holder = context.extensions.get("weefsel_outcome_model")
    return holder.get() if holder is not None else None


@register_job(
    CLASSIFY_NEW_STORIES, _l("Themes for new stories"), tracked=False, retries=3, retry_delay=1
)
def classify_new_stories(context: JobContext) -> dict:
    """Give every story without themes its themes; the stories themselves are the to-do list."""
    from .services.themes import classify_waiting_stories

    classifier = _classifier(context)
    if classifier is None:
        return {"classified": 0}
    queue = context.extensions["weefsel_queue"]

    def classify() -> int:
        if queue.form_is_busy():
            # Residents are sending many stories: let them gather for a moment. One model call
            # for many stories costs less per story, and the themes still come within seconds.
            time.sleep(CLASSIFY_PAUSE_WHEN_BUSY)
        return classify_waiting_stories(
            context.session,
            classifier,
            batch_size=CLASSIFY_BATCH,
            outcome_model=_outcome_model(context),
            write_turn=_write_turn(context),
        )

    classified = queue.classifying.run(classify)
    queue.note_new_stories(classified)
    return {"classified": classified}


@register_job(
    ADD_REVIEW_EVIDENCE,
    _l("Evidence for the review screen"),
    tracked=False,
    retries=1,
    retry_delay=5,
)
def add_review_evidence(context: JobContext, at_least_one_batch: bool = False) -> dict:
    """Why the models read new stories as they did, for the review screen. It costs more than
    the classification, so while residents are sending many stories it waits for a quiet moment
    (residents first); the sweep still does one batch a minute (`at_least_one_batch`)."""
    from .services.themes import add_missing_evidence

    queue = context.extensions["weefsel_queue"]
    if queue.form_is_busy() and not at_least_one_batch:
        queue.request_evidence()  # look again in a few seconds
        return {"added": 0}
    classifier = _classifier(context)
    if classifier is None:
        return {"added": 0}
    added = queue.adding_evidence.run(
        lambda: add_missing_evidence(
            context.session,
            classifier,
            _outcome_model(context),
            write_turn=_write_turn(context),
            keep_going=lambda: not queue.form_is_busy(),
        )
    )
    if queue.form_is_busy():
        queue.request_evidence()  # stopped for the form: the rest follows when it is quiet
    return {"added": added}


@register_job(RECLASSIFY, _l("Classify stories again"))
def reclassify_stories(
    context: JobContext,
    only_outdated: bool = False,
    first_id: int | None = None,
    last_id: int | None = None,
) -> dict:
    """All stories, or the slice first_id..last_id (`weefsel reclassify --as-jobs`)."""
    from .services.themes import reclassify

    classifier = _classifier(context)
    if classifier is None:
        raise JobRefused("no theme model: run `weefsel train` first")
    id_range = (first_id, last_id) if first_id is not None and last_id is not None else None
    count = reclassify(
        context.session,
        classifier,
        only_outdated=only_outdated,
        outcome_model=_outcome_model(context),
        progress=context.progress,
        id_range=id_range,
        write_turn=_write_turn(context),
    )
    return {"classified": count, "model": classifier.version}


@register_job(TRAIN, _l("Train the theme model"), retries=0)
def train_theme_model(context: JobContext, version: str | None = None) -> dict:
    from nlp.train import train_theme_model as train

    from .services.themes import human_labelled_examples

    examples = human_labelled_examples(context.session)
    context.session.rollback()  # no transaction stays open during the long training
    # A candidate only: `weefsel model compare` / `promote` decide whether it goes live.
    model_dir = train(
        extra_examples=examples,
        models_dir=context.config.get("MODEL_DIR"),
        version=version,
        make_current=False,
    )
    return {"model": model_dir.name, "staff_checked_examples": len(examples)}


@register_job(RESEARCH_EXPORT, _l("Research export"), retries=0)
def research_export(context: JobContext, **params) -> dict:
    """A researcher's export archive, written to the export folder (see services/export_jobs)."""
    from .services import export_jobs
    from .services.research_export import ExportRefused

    # Progress is committed on a connection of its own: a commit on the export's session would
    # end its read transaction and with it the server-side cursor on PostgreSQL.
    progress_session = Session(bind=context.session.get_bind())
    beside = JobContext(progress_session, context.config, context.extensions, context.job_id)
    try:
        return export_jobs.run_export(
            context.session,
            context.config,
            context.job_id,
            export_jobs.ExportRequest.from_params(params),
            progress=beside.progress,
        )
    except ExportRefused as error:
        raise JobRefused(str(error)) from None
    finally:
        progress_session.close()


@register_job(REPORT_PDF, _l("Report PDF"), retries=0)
def report_pdf(context: JobContext, **params) -> dict:
    """A council report PDF too large to render in the request (see services/report_jobs)."""
    from .services.report_jobs import render_pdf_file

    return render_pdf_file(
        context.session,
        context.config,
        params,
        progress=lambda done, total: context.progress(done, total, force=True),
    )


@register_job(
    REFRESH_REPORT_CELLS,
    _l("Bring the report figures up to date"),
    tracked=False,
    retries=1,
    retry_delay=10,
)
def refresh_report_cells(context: JobContext) -> dict:
    """Fold the writes since the last refresh into the report cells (services/report_cells);
    until then reports count those wijken and months from the stories, so this is for speed."""
    from .services.report_cells import refresh_report_cells as refresh

    done = refresh(context.session)
    return {"changes": done.changes, "slices": done.slices}


@register_periodic_job(SWEEP, _l("Look for stalled jobs"), crontab(minute="*"), tracked=False)
def sweep(context: JobContext) -> dict:
    """Every minute: queue runs again whose worker died, classify stories a lost message left
    without themes, add review evidence (at least one batch, however busy the form is), and
    queue a refresh of the report cells."""
    from .task_queue import requeue_stalled

    queue = context.extensions["weefsel_queue"]
    requeued = requeue_stalled(queue)
    classified = classify_new_stories(context)
    evidence = add_review_evidence(context, at_least_one_batch=True)
    queue.enqueue_untracked(REFRESH_REPORT_CELLS)
    return {"requeued": requeued, **classified, **evidence}


@register_periodic_job(
    PURGE, _l("Delete data past its retention period"), crontab(hour="3", minute="30")
)
def purge_expired_data(context: JobContext) -> dict:
    """Every night: what `weefsel purge --apply` does, as the privacy statement promises."""
    from . import clock
    from .services.export_jobs import remove_expired_exports
    from .services.report_jobs import remove_old_report_files
    from .services.retention import RetentionPolicy, apply_purge, plan_purge

    plan = plan_purge(context.session, RetentionPolicy.from_config(context.config), clock.today())
    apply_purge(context.session, plan, actor_label="scheduled purge")
    return {
        **plan.counts(),
        "export_files": remove_expired_exports(context.session, context.config),
        "report_files": remove_old_report_files(context.config),
    }
