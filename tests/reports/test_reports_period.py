"""Period.parse reads the period texts councillors and the CLI use, and rejects the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.data import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-03", "month", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-01-01..2026-02-15", "custom", dt.date(2026, 1, 1), dt.date(2026, 2, 15)),
        (" 2026-01-01 .. 2026-01-01 ", "custom", dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    ],
)
def test_parse_reads_months_quarters_years_and_ranges(text, kind, start, end):
    period = Period.parse(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize(
    "text",
    ["", "2026-13", "2026-Q5", "26", "maart 2026", "2026-02-30..2026-03-01", "2026-01-01..", None],
)
def test_parse_rejects_other_text_with_a_message_saying_what_is_accepted(text):
    with pytest.raises(PeriodError, match="2026-Q1|calendar date"):
        Period.parse(text)


def test_parse_rejects_a_range_that_ends_before_it_starts():
    with pytest.raises(PeriodError, match="before it starts"):
        Period.parse("2026-03-01..2026-02-01")


def test_months_and_years_of_a_period():
    assert Period.parse("2026-Q1").months() == ["2026-01", "2026-02", "2026-03"]
    assert Period.parse("2025-12-15..2026-01-10").months() == ["2025-12", "2026-01"]
    assert Period.parse("2026-Q1").years == 0.25
    assert Period.parse("2026").years == 1
    assert Period.parse("2026-01-01..2026-01-10").days == 10
