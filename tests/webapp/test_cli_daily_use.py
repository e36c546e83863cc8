"""The command line on a normal day: Dutch by default, English on request, errors that name the
valid choices, one behaviour for bad JSONL lines, and only real counts."""

from __future__ import annotations

import json

import pytest

from tests.webapp.factories import make_areas
from tests.webapp.test_research_export import corpus  # noqa: F401 - fixture
from webapp.cli_nlp import classify
from webapp.cli_outputs import anonymise, report

GOOD = {"id": "a", "text": "Niemand belt me ooit, de zondagen zijn het ergst."}


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_help_is_dutch_by_default_and_english_with_weefsel_lang(make_app, monkeypatch):
    monkeypatch.delenv("WEEFSEL_LANG", raising=False)
    dutch = make_app().test_cli_runner().invoke(classify, ["--help"])
    monkeypatch.setenv("WEEFSEL_LANG", "en")
    english = make_app().test_cli_runner().invoke(classify, ["--help"])

    assert "Bepaal thema's voor verhalen" in dutch.output
    assert "sla foute regels over" in dutch.output
    assert "Classify stories from a JSONL file" in english.output
    assert "leave out bad lines" in english.output


@pytest.mark.parametrize("command", [classify, anonymise])
def test_bad_lines_stop_the_command_name_each_line_and_write_nothing(app, tmp_path, command):
    source = write_lines(
        tmp_path / "in.jsonl", [json.dumps(GOOD), "{kapot", json.dumps({"id": 3}), "[1]"]
    )
    target = tmp_path / "out.jsonl"

    result = app.test_cli_runner().invoke(command, ["--in", str(source), "--out", str(target)])

    assert result.exit_code != 0
    assert "regel 2: geen geldige JSON" in result.output
    assert 'regel 3: "text" ontbreekt' in result.output
    assert "regel 4: hier hoort een JSON-object" in result.output
    assert "Er is niets geschreven: 3 foute regel(s)" in result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source], "no temporary file is left behind"


@pytest.mark.parametrize("command", [classify, anonymise])
def test_skip_bad_writes_the_good_lines_and_reports_the_bad_ones(app, tmp_path, command):
    source = write_lines(tmp_path / "in.jsonl", ["{kapot", json.dumps(GOOD), "", json.dumps(GOOD)])
    target = tmp_path / "out.jsonl"

    result = app.test_cli_runner().invoke(
        command, ["--in", str(source), "--out", str(target), "--skip-bad"]
    )

    assert result.exit_code == 0, result.output
    assert "regel 1: geen geldige JSON" in result.output
    assert "1 foute regel(s) overgeslagen" in result.output
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a", "a"]
    assert "2 " in result.output  # the real number written


def test_output_fields_of_both_commands_are_unchanged(app, tmp_path):
    source = write_lines(tmp_path / "in.jsonl", [json.dumps(GOOD)])
    runner = app.test_cli_runner()
    runner.invoke(classify, ["--in", str(source), "--out", str(tmp_path / "c.jsonl")])
    runner.invoke(anonymise, ["--in", str(source), "--out", str(tmp_path / "a.jsonl")])

    classified = json.loads((tmp_path / "c.jsonl").read_text(encoding="utf-8"))
    anonymised = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    assert set(classified) == {"id", "labels", "scores", "language", "outcome", "outcome_scores"}
    assert set(anonymised) == {"id", "text", "spans"}


def test_a_missing_input_file_is_a_clear_message(app, tmp_path):
    result = app.test_cli_runner().invoke(
        classify, ["--in", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o.jsonl")]
    )

    assert result.exit_code != 0 and "bestaat niet" in result.output


def test_unknown_area_lists_valid_codes_and_a_close_match(app, tmp_path):
    make_areas()

    result = app.test_cli_runner().invoke(
        report,
        ["--period", "2026", "--area", "testdm/noord", "--out", str(tmp_path / "r.pdf")],
    )

    assert result.exit_code != 0
    assert "Onbekend gebied 'testdm/noord'" in result.output
    assert "Bedoelt u: testdam/noord" in result.output
    assert "testdam, testdam/noord, testdam/zuid" in result.output


def test_export_prints_the_real_number_of_stories(app, corpus, tmp_path):  # noqa: F811
    result = app.test_cli_runner().invoke(
        args=["export", "--out", str(tmp_path / "e.zip"), "--actor", "t", "--format", "jsonl"]
    )

    assert result.exit_code == 0, result.output
    assert "?" not in result.output
    assert ": 12 verhalen, 0 weggelaten" in result.output


def test_an_unreadable_period_names_the_forms_that_work(app, tmp_path):
    make_areas()

    result = app.test_cli_runner().invoke(
        report, ["--period", "Q1", "--area", "testdam", "--out", str(tmp_path / "r.pdf")]
    )

    assert result.exit_code != 0
    assert "De periode 'Q1' is niet te lezen: gebruik een jaar (2026)" in result.output


def test_an_unknown_export_format_lists_the_valid_ones(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["export", "--out", str(tmp_path / "e.zip"), "--actor", "t", "--format", "csv,pdf"]
    )

    assert result.exit_code != 0
    assert "Onbekend formaat 'pdf'; kies een of meer van: csv, jsonl, qdpx." in result.output
    assert not (tmp_path / "e.zip").exists()
