"""Shared, module-built reports so the slower renderers run once per test module."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from reports import build_report, render_html, render_json, render_pdf

from .factories import empty_input, noord_q1

GENERATED_ON = dt.date(2026, 4, 2)


@pytest.fixture(scope="session")
def noord_report():
    return build_report(noord_q1(), "nl", generated_on=GENERATED_ON)


@pytest.fixture(scope="session")
def empty_report():
    return build_report(empty_input(), "nl", generated_on=GENERATED_ON)


@pytest.fixture(scope="session")
def noord_html(noord_report) -> str:
    buffer = io.StringIO()
    render_html(noord_report, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def noord_pdf(noord_report) -> bytes:
    buffer = io.BytesIO()
    render_pdf(noord_report, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def noord_json(noord_report) -> str:
    buffer = io.BytesIO()
    render_json(noord_report, buffer)
    return buffer.getvalue().decode("utf-8")
