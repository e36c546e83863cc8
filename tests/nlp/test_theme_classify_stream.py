"""The JSONL classification contract and the explanations for the review screen."""

import io
import json

import pytest

from nlp.classify import ThemeClassifier, classify_jsonl
from nlp.jsonl import JsonlLineError


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.load()


def _lines(*items) -> io.StringIO:
    return io.StringIO("".join(json.dumps(item) + "\n" for item in items))


def test_output_keeps_order_and_ids_across_batches(classifier: ThemeClassifier):
    texts = [
        "Niemand belt me ooit.",
        "De deurwaarder was er weer.",
        "Mijn knie doet pijn.",
        "Leuk!",
    ]
    items = [{"id": f"s-{i}", "text": texts[i % 4]} for i in range(11)]
    output = io.StringIO()
    written = classify_jsonl(_lines(*items), output, classifier, batch_size=3)
    records = [json.loads(line) for line in output.getvalue().splitlines()]
    assert written == 11
    assert [r["id"] for r in records] == [item["id"] for item in items]
    assert records[0]["labels"] == ["eenzaamheid"] and records[1]["labels"] == ["armoede"]
    assert records[2]["labels"] == ["gezondheid"] and records[3]["labels"] == []
    assert set(records[0]) == {"id", "labels", "scores", "language"}
    assert records[0]["language"] == "nl"


def test_same_text_gets_same_result_in_any_batch(classifier: ThemeClassifier):
    items = [{"id": i, "text": "Sinds ik hier kom voel ik me niet meer alleen."} for i in range(5)]
    output = io.StringIO()
    classify_jsonl(_lines(*items), output, classifier, batch_size=2)
    records = [json.loads(line) for line in output.getvalue().splitlines()]
    assert all(r["scores"] == records[0]["scores"] for r in records)


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ("this is not json", "not valid JSON"),
        ('{"id": "x"}', 'missing "text"'),
        ('{"id": "x", "text": 42}', '"text" must be a string'),
        ('["a list"]', "expected a JSON object"),
    ],
    ids=["not_json", "missing_text", "text_not_string", "not_an_object"],
)
def test_bad_line_raises_error_naming_line_number(classifier: ThemeClassifier, bad_line, message):
    good = json.dumps({"id": "ok", "text": "Hallo buurt"})
    source = io.StringIO(f"{good}\n\n{good}\n{bad_line}\n{good}\n")
    output = io.StringIO()
    with pytest.raises(JsonlLineError) as error:
        classify_jsonl(source, output, classifier, batch_size=10)
    assert error.value.line_no == 4
    assert "line 4" in str(error.value) and message in str(error.value)
    assert len(output.getvalue().splitlines()) == 2  # the lines before the bad one are written


def test_no_progress_bar_when_stderr_is_not_a_terminal(classifier, capsys):
    classify_jsonl(_lines({"id": 1, "text": "Hallo"}), io.StringIO(), classifier)
    assert capsys.readouterr().err == ""


def test_explain_gives_offsets_that_point_into_the_text(classifier: ThemeClassifier):
    text = "Het gaat goed met de tuin. Maar sinds mijn man overleden is belt niemand me meer."
    evidence = classifier.explain(text, "eenzaamheid")
    assert evidence
    for item in evidence:
        assert text[item["start"] : item["end"]] == item["text"]
    sentences = [item for item in evidence if item["kind"] == "sentence"]
    assert sentences[0]["text"].startswith("Maar sinds mijn man")
    phrases = {item["text"].lower() for item in evidence if item["kind"] in ("cue", "ngram")}
    assert "niemand" in phrases


def test_explain_marks_figurative_use(classifier: ThemeClassifier):
    evidence = classifier.explain("We zijn alleen op dinsdag open.", "eenzaamheid")
    assert any(item["detail"].startswith("figurative") for item in evidence)


def test_explain_unknown_theme_is_an_error(classifier: ThemeClassifier):
    with pytest.raises(KeyError):
        classifier.explain("tekst", "wonen")


def test_explain_ranks_phrases_of_the_themes_sentence_first(classifier: ThemeClassifier):
    text = "Sinds ik hier kom voel ik me niet meer alleen. De huur is te hoog, er is niets over."
    phrases = [e for e in classifier.explain(text, "eenzaamheid") if e["kind"] != "sentence"]
    loneliness_sentence_end = text.index(".") + 1
    assert phrases[0]["start"] < loneliness_sentence_end
    assert {"ik", "me"}.isdisjoint(p["text"].lower() for p in phrases if p["kind"] == "ngram")
