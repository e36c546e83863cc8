"""The JSONL contract of anonymise_jsonl and the refusal of unsafe input."""

from __future__ import annotations

import io
import json

import pytest

from nlp.anonymise import (
    MAX_TEXT_CHARS,
    BinaryTextError,
    JsonlLineError,
    TextTooLongError,
    anonymise,
    anonymise_jsonl,
    detect_personal_data,
)


def run(lines: list[str], **kwargs: object) -> list[dict]:
    out = io.StringIO()
    anonymise_jsonl(io.StringIO("".join(lines)), out, progress=False, **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_records_keep_order_and_ids_and_spans_point_into_the_original() -> None:
    texts = {"a": "Ahmed belt 06-12345678.", "b": "Geen namen hier.", "c": "Mail roos@example.nl"}
    records = run([json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()])
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[0]["text"] == "[PERSOON-1] belt [TELEFOON]."
    assert records[1] == {"id": "b", "text": "Geen namen hier.", "spans": []}
    for record in records:
        for span in record["spans"]:
            assert set(span) == {"start", "end", "type"}
    first = records[0]["spans"]
    assert [texts["a"][s["start"] : s["end"]] for s in first] == ["Ahmed", "06-12345678"]


def test_many_lines_stream_in_batches() -> None:
    lines = [json.dumps({"id": n, "text": f"Regel {n} van Sanne."}) + "\n" for n in range(600)]
    records = run(lines, batch_size=64)
    assert [r["id"] for r in records] == list(range(600))


def test_blank_lines_are_skipped_and_bytes_input_is_accepted() -> None:
    data = b'{"id": 1, "text": "Hoi Bram"}\n\n{"id": 2, "text": "Doei"}\r\n'
    out = io.StringIO()
    assert anonymise_jsonl(io.BytesIO(data), out, progress=False) == 2
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [1, 2]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json}\n", "not valid JSON"),
        ('["id", "text"]\n', "JSON object"),
        ('{"id": 3}\n', "missing"),
        ('{"id": 3, "text": 12}\n', "must be a string"),
    ],
)
def test_a_bad_line_raises_an_error_naming_its_line(bad: str, reason: str) -> None:
    good = '{"id": 1, "text": "Hallo"}\n'
    with pytest.raises(JsonlLineError) as error:
        run([good, good, bad])
    assert error.value.line_number == 3
    assert "line 3" in str(error.value) and reason in str(error.value)


def test_huge_and_binary_texts_are_refused_by_name() -> None:
    with pytest.raises(TextTooLongError):
        detect_personal_data("a" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(BinaryTextError):
        detect_personal_data("PK\x03\x04\x00\x00binary")
    with pytest.raises(BinaryTextError):
        detect_personal_data("\x01\x02\x03\x04\x05\x06 ab")
    line = json.dumps({"id": "x", "text": "\x00" * 10}) + "\n"
    with pytest.raises(JsonlLineError, match="line 1.*binary"):
        run([line])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🎉 Hoi Fatima 😀, bel 06-12345678 ☀️",
        "مرحبا Ahmed، بيتي في Kerkstraat 12 שלום",
        "Beste Yvonne,\r\nBel Kees op 06-12345678.\r\nGroet, Anouk\r\n",
    ],
)
def test_emoji_right_to_left_and_windows_line_endings_keep_offsets(text: str) -> None:
    result = anonymise(text)
    for span in result.spans:
        assert text[span.start : span.end] == span.text
    if "Kees" in text:
        assert [s.text for s in result.spans] == ["Yvonne", "Kees", "06-12345678", "Anouk"]
    if "😀" in text:
        assert [s.text for s in result.spans] == ["Fatima", "06-12345678"]


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    run(['{"id": 1, "text": "Hoi"}\n'])
    assert capsys.readouterr().err == ""
