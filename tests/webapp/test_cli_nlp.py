"""The researchers' command-line contracts: classify, evaluate and anonymise on JSONL files."""

from __future__ import annotations

import json

import pytest

from webapp.cli_nlp import classify, evaluate
from webapp.cli_outputs import anonymise

STORIES = [
    {"id": "a", "text": "Aan het eind van de maand is er niets over, de deurwaarder belde weer."},
    {"id": 7, "text": "Niemand belt me ooit, de zondagen zijn het ergst."},
    {"id": "c", "text": "Mijn knie doet pijn sinds de val, de fysio helpt gelukkig."},
]


def write_jsonl(path, rows):
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


def test_classify_keeps_order_and_ids_and_writes_scores(app, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, STORIES)
    result = app.test_cli_runner().invoke(classify, ["--in", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["a", 7, "c"]
    assert rows[0]["labels"] == ["armoede"] and rows[1]["labels"] == ["eenzaamheid"]
    assert "gezondheid" in rows[2]["labels"]
    assert (
        set(rows[0]["scores"]) == {"eenzaamheid", "armoede", "gezondheid"}
        and rows[0]["language"] == "nl"
    )


def test_classify_adds_outcome_and_its_scores_to_every_line(app, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [*STORIES, {"id": "d", "text": "Sinds de inloop ben ik niet meer alleen."}])
    result = app.test_cli_runner().invoke(classify, ["--in", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    for row in rows:
        assert list(row) == ["id", "labels", "scores", "language", "outcome", "outcome_scores"]
        assert row["outcome"] in {"beter", "slechter", "gemengd", "geen"}
        assert set(row["outcome_scores"]) == {"beter", "slechter", "gemengd", "geen"}
        assert sum(row["outcome_scores"].values()) == pytest.approx(1.0, abs=1e-3)
    assert rows[-1]["outcome"] == "beter"


def test_outcome_evaluate_reports_macro_f1_over_the_four_outcomes(app, tmp_path):
    from webapp.cli_outcome import outcome

    data, out = tmp_path / "eval.jsonl", tmp_path / "metrics.json"
    write_jsonl(
        data,
        [
            {"text": "Sinds de inloop ben ik niet meer alleen.", "outcome": "beter"},
            {"text": "Het buurthuis is dicht, ik zie niemand meer.", "outcome": "slechter"},
        ],
    )
    result = app.test_cli_runner().invoke(
        outcome, ["evaluate", "--data", str(data), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output
    metrics = json.loads(out.read_text())["results"][str(data)]["model"]
    assert set(metrics["per_outcome"]) == {"beter", "slechter", "gemengd", "geen"}


@pytest.mark.parametrize("command", [classify, anonymise])
def test_a_bad_line_is_named(app, tmp_path, command):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(STORIES[0]) + "\n{not json\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        command, ["--in", str(source), "--out", str(tmp_path / "out.jsonl")]
    )
    assert result.exit_code != 0
    assert "2" in result.output and (
        "line" in result.output.lower() or "regel" in result.output.lower()
    )


def test_anonymise_writes_offsets_into_the_original_text(app, tmp_path):
    text = "Bel Fatima el Amrani op 06-12345678 of mail fatima@example.org."
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, [{"id": 1, "text": text}])
    result = app.test_cli_runner().invoke(anonymise, ["--in", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    row = json.loads(target.read_text())
    found = {(text[s["start"] : s["end"]], s["type"]) for s in row["spans"]}
    assert ("06-12345678", "TELEFOON") in found and ("fatima@example.org", "EMAIL") in found
    assert "Fatima" not in row["text"] and "06-12345678" not in row["text"]


def test_evaluate_reports_per_theme_and_macro_f1(app, tmp_path):
    data = tmp_path / "gold.jsonl"
    write_jsonl(
        data,
        [
            {**row, "labels": labels}
            for row, labels in zip(
                STORIES, (["armoede"], ["eenzaamheid"], ["gezondheid"]), strict=True
            )
        ],
    )
    out = tmp_path / "metrics.json"
    result = app.test_cli_runner().invoke(evaluate, ["--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "eenzaamheid" in result.output
    metrics = json.loads(out.read_text())["gold.jsonl"]
    assert metrics["n_examples"] == 3 and 0 <= metrics["macro_f1"] <= 1
