"""A promoted model (CURRENT rewritten) reaches running workers without a restart."""

from __future__ import annotations

import shutil

from nlp.classify import MODELS_DIR, current_model_dir
from webapp.services.themes import ClassifierHolder


class ManualClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def models_dir_with_two_models(tmp_path):
    """A models folder holding the shipped model twice, as `old` and `new`; CURRENT says old."""
    shipped = current_model_dir(MODELS_DIR)
    models = tmp_path / "models"
    for name in ("old", "new"):
        shutil.copytree(shipped, models / name)
    (models / "CURRENT").write_text("old\n", encoding="utf8")
    return models


def test_a_promoted_model_is_loaded_at_the_next_check(tmp_path):
    models = models_dir_with_two_models(tmp_path)
    clock = ManualClock()
    holder = ClassifierHolder(models, check_every=5.0, clock=clock)
    assert holder.get().path.name == "old"

    (models / "CURRENT").write_text("new\n", encoding="utf8")
    clock.now += 1.0
    assert holder.get().path.name == "old", "CURRENT is read at most every 5 seconds"
    clock.now += 5.0
    promoted = holder.get()
    assert promoted.path.name == "new"
    assert promoted.predict(["Ik voel me zo alleen sinds mijn man er niet meer is."])[0].labels


def test_a_promoted_model_that_cannot_load_keeps_the_old_one(tmp_path):
    models = models_dir_with_two_models(tmp_path)
    clock = ManualClock()
    holder = ClassifierHolder(models, clock=clock)
    assert holder.get().path.name == "old"
    (models / "CURRENT").write_text("missing-version\n", encoding="utf8")
    clock.now += 10.0
    assert holder.get().path.name == "old"


def test_a_model_that_appears_later_is_picked_up(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    clock = ManualClock()
    holder = ClassifierHolder(models, clock=clock)
    assert holder.get() is None
    shutil.copytree(current_model_dir(MODELS_DIR), models / "first")
    (models / "CURRENT").write_text("first\n", encoding="utf8")
    clock.now += 10.0
    assert holder.get().path.name == "first"


def test_the_version_in_force_is_read_without_loading_the_model(tmp_path):
    """The research export form records the model in force from its model card (issue 13: no
    scikit-learn in a web worker for that); it is the version the loaded model reports."""
    shipped = current_model_dir(MODELS_DIR).name
    models = models_dir_with_two_models(tmp_path)
    card = models / "new" / "model_card.json"
    card.write_text(card.read_text(encoding="utf8").replace(shipped, "promoted-later"))
    clock = ManualClock()
    holder = ClassifierHolder(models, clock=clock)
    assert holder.version_in_force() == shipped
    assert holder._classifier is None, "reading the version loads no model"
    assert holder.get().version == shipped
    (models / "CURRENT").write_text("new\n", encoding="utf8")
    clock.now += 10.0  # the pointer is due for a check: the version follows it
    assert holder.version_in_force() == "promoted-later"
    assert ClassifierHolder(models).version_in_force() == "promoted-later"
    assert ClassifierHolder(models / "old").version_in_force() == shipped
    assert ClassifierHolder(models / "old" / "model.joblib").version_in_force() == shipped
    assert ClassifierHolder(tmp_path / "nothing-here").version_in_force() == ""
