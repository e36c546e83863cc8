"""`weefsel train | evaluate | classify | reclassify | anonymise`: thin wrappers over nlp/."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


def _open_input(path: str):
    return sys.stdin if path == "-" else open(path, encoding="utf-8", newline="")  # noqa: SIM115


def _open_output(path: str):
    return sys.stdout if path == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115


def _human_examples() -> list[dict]:
    """Staff-checked labels from the database; none when there is no database yet."""
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .services.themes import human_labelled_examples

    try:
        return human_labelled_examples(db.session)
    except SQLAlchemyError as error:
        click.echo(
            f"note: no staff labels read from the database ({error.__class__.__name__})", err=True
        )
        return []


def _print_metrics(name: str, metrics: dict) -> None:
    click.echo(f"\n{name}: {metrics.get('n_examples', '?')} texts")
    click.echo(f"  {'theme':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}")
    for theme, row in metrics["per_theme"].items():
        click.echo(
            f"  {theme:<14}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10}"
        )
    click.echo(f"  micro-F1 {metrics['micro_f1']:.3f}   macro-F1 {metrics['macro_f1']:.3f}")


@click.command("train")
@click.option(
    "--version", default=None, help="model version name (default: date + data fingerprint)"
)
@with_appcontext
def train(version: str | None) -> None:
    """Fit the theme model on the corpus plus all staff-checked labels; write model + model card."""
    import json

    from nlp.train import train_theme_model

    extra = _human_examples()
    click.echo(f"training on the corpus plus {len(extra)} staff-checked stories …", err=True)
    model_dir = train_theme_model(
        extra_examples=extra, models_dir=current_app.config.get("MODEL_DIR"), version=version
    )
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    click.echo(f"model {card['version']} written to {model_dir}")
    for name, result in card.get("evaluation", {}).items():
        _print_metrics(f"{name} (model)", result["model"])
        _print_metrics(f"{name} (keyword baseline)", result["keyword_baseline"])
    current_app.extensions["weefsel_classifier"].reset()


@click.command("evaluate")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="labelled JSONL {text, labels}",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True),
    default=None,
    help="model directory (default: current)",
)
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="write the metrics as JSON",
)
def evaluate(data: str | None, model_path: str | None, output: str | None) -> None:
    """Per-theme precision/recall/F1 and micro/macro F1 (test split and independent set by default)."""
    from nlp.classify import ModelNotFoundError, ThemeClassifier
    from nlp.evaluate import evaluate_model
    from nlp.jsonl import JsonlLineError

    try:
        model = ThemeClassifier.load(model_path or current_app.config.get("MODEL_DIR"))
        results = evaluate_model(model, data=data, output=output)
    except (ModelNotFoundError, JsonlLineError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"model {model.version}")
    for name, metrics in results.items():
        _print_metrics(name, metrics)


@click.command("classify")
@click.option(
    "--in", "input_path", required=True, help="JSONL with {id, text} per line ('-' = stdin)"
)
@click.option(
    "--out",
    "output_path",
    required=True,
    help="JSONL with {id, labels, scores, language} ('-' = stdout)",
)
@click.option("--model", "model_path", type=click.Path(exists=True), default=None)
@click.option("--batch-size", default=512, show_default=True)
def classify(input_path: str, output_path: str, model_path: str | None, batch_size: int) -> None:
    """Classify stories from a JSONL file, streaming, in the same order."""
    from nlp.classify import ModelNotFoundError, ThemeClassifier, classify_jsonl
    from nlp.jsonl import JsonlLineError

    try:
        model = ThemeClassifier.load(model_path or current_app.config.get("MODEL_DIR"))
    except ModelNotFoundError as error:
        raise click.ClickException(str(error)) from None
    with _open_input(input_path) as source, _open_output(output_path) as target:
        try:
            count = classify_jsonl(source, target, model, batch_size=batch_size)
        except JsonlLineError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{count} stories classified with model {model.version}", err=True)


@click.command("reclassify")
@click.option(
    "--only-outdated", is_flag=True, help="only stories not classified by the current model"
)
@click.option(
    "--as-jobs",
    is_flag=True,
    help="queue background jobs (one per slice of stories) for `weefsel worker`s to share",
)
@click.option("--slice", "slice_size", default=5000, show_default=True, type=int)
@with_appcontext
def reclassify(only_outdated: bool, as_jobs: bool, slice_size: int) -> None:
    """(Re)assign themes to the stories in the database with the current model."""
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
        click.echo(f"{len(slices)} reclassify jobs queued (slices of {slice_size} story ids)")
        return

    classifier = current_app.extensions["weefsel_classifier"].get()
    if classifier is None:
        raise click.ClickException("no theme model: run `weefsel train` first")
    count = reclassify_stories(db.session, classifier, only_outdated=only_outdated)
    click.echo(f"{count} stories classified with model {classifier.version}")


NLP_COMMANDS = (train, evaluate, classify, reclassify)
