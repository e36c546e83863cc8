"""`weefsel outcome train | evaluate` and `weefsel model compare | promote | rollback`: training
candidates and governing which model is in force; thin wrappers over nlp/."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext


def _models_dir():  # the outcome models' directory
    from nlp.outcome.model import OUTCOME_MODELS_DIR

    return current_app.config.get("OUTCOME_MODEL_DIR") or OUTCOME_MODELS_DIR


def _print_outcome_metrics(name: str, metrics: dict) -> None:
    click.echo(f"\n{name}: {metrics['n_examples']} texts")
    click.echo(f"  {'outcome':<10}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}")
    for outcome, row in metrics["per_outcome"].items():
        click.echo(
            f"  {outcome:<10}{row['precision']:>10.3f}{row['recall']:>10.3f}"
            f"{row['f1']:>10.3f}{row['support']:>10}"
        )
    click.echo(f"  macro-F1 {metrics['macro_f1']:.3f}   accuracy {metrics['accuracy']:.3f}")


def _staff_examples() -> list[dict]:
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .services.outcomes import human_outcome_examples

    try:
        return human_outcome_examples(db.session)
    except SQLAlchemyError as error:
        click.echo(f"note: no staff readings ({error.__class__.__name__})", err=True)
        return []


@click.group("outcome")
def outcome() -> None:
    """The outcome model: what changed for the people in a story."""


@outcome.command("train")
@click.option("--version", default=None, help="model version name (default: date + fingerprint)")
@with_appcontext
def train(version: str | None) -> None:
    """Train a candidate on the corpus plus staff readings; the model in force stays."""
    from nlp.outcome import train_outcome_model

    extra = _staff_examples()
    click.echo(f"training on the corpus plus {len(extra)} staff-checked stories …", err=True)
    model_dir = train_outcome_model(extra_examples=extra, models_dir=_models_dir(), version=version)
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    click.echo(f"candidate {card['version']} written to {model_dir}")
    for name, result in card["evaluation"].items():
        _print_outcome_metrics(f"{name} (candidate)", result["model"])
    click.echo(f"\nnext: weefsel model compare {card['version']} --kind outcome; then promote")


@outcome.command("evaluate")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--model", "model_path", type=click.Path(exists=True), default=None)
@click.option("--out", "output", type=click.Path(dir_okay=False), default=None)
def evaluate(data: str | None, model_path: str | None, output: str | None) -> None:
    """Per-outcome precision/recall/F1 and macro-F1 (default: the fixed evaluation sets)."""
    from nlp.jsonl import JsonlLineError
    from nlp.outcome import OutcomeModel, OutcomeModelNotFoundError, evaluate_outcomes
    from nlp.outcome.corpus import read_outcome_examples
    from nlp.outcome.evaluate import KeywordOutcomeBaseline
    from nlp.outcome.governance import fixed_evaluation_sets

    try:
        model = OutcomeModel.load(model_path or _models_dir())
        sets = {data: read_outcome_examples(data)} if data else fixed_evaluation_sets()
    except (OutcomeModelNotFoundError, JsonlLineError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"model {model.version}")
    results = {}
    for name, examples in sets.items():
        results[name] = {
            "model": evaluate_outcomes(model, examples),
            "keyword_baseline": evaluate_outcomes(KeywordOutcomeBaseline(), examples),
        }
        _print_outcome_metrics(name, results[name]["model"])
        click.echo(
            f"  keyword baseline macro-F1 {results[name]['keyword_baseline']['macro_f1']:.3f}"
        )
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            json.dump({"model": model.version, "results": results}, handle, indent=2)


def _comparison_table(comparison: dict) -> None:
    click.echo(f"{'set':<14}{'texts':>7}{'in force':>12}{'candidate':>12}")
    for name, row in comparison["sets"].items():
        old = f"{row['current']:.3f}" if row["current"] is not None else "-"
        click.echo(f"{name:<14}{row['n']:>7}{old:>12}{row['candidate']:>12.3f}")
    verdict = "not worse: may be promoted" if comparison["not_worse"] else "WORSE: keep the old one"
    click.echo(f"{comparison['current'] or '(none)'} -> {comparison['candidate']}: {verdict}")


def _kind(name: str):
    from nlp.governance import outcome_model_kind, theme_model_kind

    if name == "outcome":
        return outcome_model_kind(current_app.config.get("OUTCOME_MODEL_DIR"))
    return theme_model_kind(current_app.config.get("MODEL_DIR"))


KIND_OPTION = click.option(
    "--kind",
    type=click.Choice(["themes", "outcome"]),
    default="themes",
    show_default=True,
    help="which model",
)


@click.group("model")
def model() -> None:
    """Govern the models: compare a candidate, promote it, roll back."""


@model.command("compare")
@click.argument("version")
@KIND_OPTION
def compare(version: str, kind: str) -> None:
    """Macro-F1 of the model in force and candidate VERSION on the fixed evaluation sets."""
    from nlp.governance import compare_models, model_in_force

    governed = _kind(kind)
    try:
        candidate = governed.load(governed.models_dir / version)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    comparison = compare_models(
        governed, model_in_force(governed), candidate, governed.evaluation_sets()
    )
    _comparison_table(comparison)


@model.command("promote")
@click.argument("version")
@KIND_OPTION
@click.option("--force", is_flag=True, help="promote even when worse (recorded in card and log)")
@click.option("--actor", default="", help="who promotes (recorded)")
def promote(version: str, kind: str, force: bool, actor: str) -> None:
    """Make VERSION the model in force, only when it is not worse (or --force)."""
    from nlp.governance import PromotionRefused
    from nlp.governance import promote as promote_model

    try:
        comparison = promote_model(_kind(kind), version, force=force, actor=actor)
    except (PromotionRefused, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from None
    _comparison_table(comparison)
    click.echo(f"{version} is now the {kind} model in force")


@model.command("rollback")
@KIND_OPTION
@click.option("--actor", default="", help="who rolls back (recorded)")
def rollback(kind: str, actor: str) -> None:
    """Put back the model that was in force before the last promotion."""
    from nlp.governance import PromotionRefused
    from nlp.governance import rollback as rollback_model

    try:
        version = rollback_model(_kind(kind), actor=actor)
    except (PromotionRefused, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{version} is the {kind} model in force again")
