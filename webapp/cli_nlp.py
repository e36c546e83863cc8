"""`weefsel train | evaluate | classify | reclassify | anonymise`: thin wrappers over nlp/."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .cli_i18n import N_, cli_gettext
from .cli_jsonl import SKIP_BAD_HELP, describe_bad_line, run_jsonl_command


def no_model_message(error: Exception) -> str:
    _ = cli_gettext()
    return _("There is no theme model yet: run `weefsel train` first (%(detail)s).") % {
        "detail": error
    }


def _human_examples() -> list[dict]:
    """Staff-checked labels from the database; none when there is no database yet."""
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .services.themes import human_labelled_examples

    try:
        return human_labelled_examples(db.session)
    except SQLAlchemyError as error:
        _ = cli_gettext()
        click.echo(
            _("Note: no staff-checked labels read from the database (%(error)s).")
            % {"error": error.__class__.__name__},
            err=True,
        )
        return []


def _print_metrics(name: str, metrics: dict) -> None:
    _ = cli_gettext()
    click.echo(
        "\n" + _("%(name)s: %(count)s texts") % {"name": name, "count": metrics["n_examples"]}
    )
    headings = [_("theme"), _("precision"), _("recall"), "F1", _("support")]
    click.echo(f"  {headings[0]:<14}" + "".join(f"{heading:>10}" for heading in headings[1:]))
    for theme, row in metrics["per_theme"].items():
        click.echo(
            f"  {theme:<14}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10}"
        )
    click.echo(f"  micro-F1 {metrics['micro_f1']:.3f}   macro-F1 {metrics['macro_f1']:.3f}")


@click.command(
    "train",
    help=N_(
        "Fit the theme model on the corpus plus all staff-checked labels; write model + model card."
    ),
)
@click.option(
    "--version", default=None, help=N_("model version name (default: date + data fingerprint)")
)
@with_appcontext
def train(version: str | None) -> None:
    """Fit a candidate theme model on the corpus plus staff-checked labels, with its model card;
    the model in force stays until `weefsel model promote`."""
    import json

    from nlp.classify import MODELS_DIR
    from nlp.governance import version_in_force
    from nlp.train import train_theme_model

    _ = cli_gettext()
    extra = _human_examples()
    click.echo(
        _("Training on the corpus plus %(count)s staff-checked stories …") % {"count": len(extra)},
        err=True,
    )
    models_dir = current_app.config.get("MODEL_DIR") or MODELS_DIR
    first = version_in_force(models_dir) is None  # the very first model is put in force at once
    model_dir = train_theme_model(
        extra_examples=extra, models_dir=models_dir, version=version, make_current=first
    )
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    click.echo(
        _("Candidate %(version)s written to %(path)s")
        % {"version": card["version"], "path": model_dir}
    )
    for name, result in card.get("evaluation", {}).items():
        _print_metrics(_("%(name)s (model)") % {"name": name}, result["model"])
        _print_metrics(
            _("%(name)s (keyword baseline)") % {"name": name}, result["keyword_baseline"]
        )
    if first:
        click.echo(
            _("%(version)s is the first theme model and is now in force")
            % {"version": card["version"]}
        )
        current_app.extensions["weefsel_classifier"].reset()
    else:
        click.echo(
            _("Next: weefsel model compare %(version)s; then weefsel model promote")
            % {"version": card["version"]}
        )


@click.command(
    "evaluate",
    help=N_(
        "Per-theme precision/recall/F1 and micro/macro F1 "
        "(test split and independent set by default)."
    ),
)
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help=N_("labelled JSONL {text, labels}"),
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True),
    default=None,
    help=N_("model directory (default: current)"),
)
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("write the metrics as JSON"),
)
def evaluate(data: str | None, model_path: str | None, output: str | None) -> None:
    """Per-theme precision/recall/F1 and micro/macro F1 (test split and independent set by default)."""
    from nlp.classify import ModelNotFoundError, ThemeClassifier
    from nlp.evaluate import evaluate_model
    from nlp.jsonl import JsonlLineError

    _ = cli_gettext()
    try:
        model = ThemeClassifier.load(model_path or current_app.config.get("MODEL_DIR"))
        results = evaluate_model(model, data=data, output=output)
    except JsonlLineError as error:
        raise click.ClickException(describe_bad_line(error, _)) from None
    except ModelNotFoundError as error:
        raise click.ClickException(no_model_message(error)) from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Model %(version)s") % {"version": model.version})
    for name, metrics in results.items():
        _print_metrics(name, metrics)


@click.command(
    "classify", help=N_("Classify stories from a JSONL file, streaming, in the same order.")
)
@click.option(
    "--in", "input_path", required=True, help=N_("JSONL with {id, text} per line ('-' = stdin)")
)
@click.option(
    "--out",
    "output_path",
    required=True,
    help=N_("JSONL with {id, labels, scores, language, outcome, outcome_scores} ('-' = stdout)"),
)
@click.option("--model", "model_path", type=click.Path(exists=True), default=None)
@click.option(
    "--outcome-model",
    "outcome_model_path",
    type=click.Path(exists=True),
    default=None,
    help=N_("outcome model directory (default: the current one in nlp/models/outcome)"),
)
@click.option("--batch-size", default=512, show_default=True)
@click.option("--skip-bad", is_flag=True, help=SKIP_BAD_HELP)
def classify(
    input_path: str,
    output_path: str,
    model_path: str | None,
    outcome_model_path: str | None,
    batch_size: int,
    skip_bad: bool,
) -> None:
    """Classify stories from a JSONL file, streaming, in the same order: themes and outcome."""
    from nlp.classify import ModelNotFoundError, ThemeClassifier, classify_jsonl
    from nlp.outcome import OutcomeModel, OutcomeModelNotFoundError

    _ = cli_gettext()
    try:
        model = ThemeClassifier.load(model_path or current_app.config.get("MODEL_DIR"))
        outcome_model = OutcomeModel.load(
            outcome_model_path or current_app.config.get("OUTCOME_MODEL_DIR")
        )
    except (ModelNotFoundError, OutcomeModelNotFoundError) as error:
        raise click.ClickException(no_model_message(error)) from None
    outcome = run_jsonl_command(
        input_path,
        output_path,
        skip_bad,
        lambda source, target, bad: classify_jsonl(
            source, target, model, batch_size=batch_size, outcome_model=outcome_model, bad=bad
        ),
    )
    click.echo(
        _("%(count)s stories classified with model %(version)s.")
        % {"count": outcome.written, "version": model.version},
        err=True,
    )


@click.command(
    "reclassify",
    help=N_("(Re)assign themes to the stories in the database with the current model."),
)
@click.option(
    "--only-outdated",
    is_flag=True,
    help=N_(
        "only stories not classified by the current model, or classified before their review "
        "evidence was kept"
    ),
)
@click.option(
    "--as-jobs",
    is_flag=True,
    help="queue background jobs (one per slice of stories) for `weefsel worker`s to share",
)
@click.option("--slice", "slice_size", default=5000, show_default=True, type=int)
@with_appcontext
def reclassify(only_outdated: bool, as_jobs: bool, slice_size: int) -> None:
    """(Re)assign themes and outcomes to the stories in the database with the current models."""
    from .extensions import db
    from .services.themes import reclassify as reclassify_stories

    if as_jobs:
        from .job_kinds import RECLASSIFY
        from .services.themes import story_id_slices

        queue = current_app.extensions["weefsel_queue"]
        slices = story_id_slices(db.session, slice_size)
        for first, last in slices:
            params = {"only_outdated": only_outdated, "first_id": first, "last_id": last}
            queue.enqueue(db.session, RECLASSIFY, params)
        _ = cli_gettext()
        click.echo(
            _("%(count)s reclassify jobs queued (slices of %(size)s story ids)")
            % {"count": len(slices), "size": slice_size}
        )
        return

    _ = cli_gettext()
    classifier = current_app.extensions["weefsel_classifier"].get()
    if classifier is None:
        raise click.ClickException(_("There is no theme model yet: run `weefsel train` first."))
    outcome_model = current_app.extensions["weefsel_outcome_model"].get()
    count = reclassify_stories(
        db.session,
        classifier,
        only_outdated=only_outdated,
        outcome_model=outcome_model,
        write_turn=current_app.extensions["weefsel_write_turns"].turn,
    )
    click.echo(
        _("%(count)s stories classified with model %(version)s.")
        % {"count": count, "version": classifier.version}
    )


NLP_COMMANDS = (train, evaluate, classify, reclassify)
