"""Property-based: no parameter of any route, no value in any form field and no bytes given to a
parser make the app fail (5xx) or a parser raise anything but its own error."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import Period, PeriodError
from surveys.table_files import TableFileError, read_tables
from surveys.values import InvalidValue, parse_date, parse_decimal, parse_integer, parse_month
from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas
from tests.webapp.test_route_access import ROUTES
from webapp.converters import BoundedIntConverter
from webapp.services.passwords import password_problem

# Any text a browser can send (no lone surrogates, which no encoder can put on the wire).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.from_regex(r"[0-9]{1,400}", fullmatch=True),
    TEXT,
)
FIELD_NAMES = (
    "story", "wijk", "initiative", "age_band", "consent_quote", "code", "email", "password",
    "name", "contact_email", "subsidy_eur_per_year", "periode", "gebied", "thema", "initiatief",
    "formaten", "k", "role", "area", "current", "repeat", "status", "action", "theme", "next",
    "activiteiten", "bezoeken", "maand", "gemeente", "pagina",
)  # fmt: skip
FORM = st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(TEXT, NUMBERISH), max_size=8)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Logging out (or deactivating) would end the test's own session; they are tested elsewhere.
SKIPPED_WHEN_LOGGED_IN = {"staff.logout", "static"}


@pytest.fixture
def clients(app):
    make_areas()
    make_account("admin@example.org", "admin")
    logged_in = app.test_client()
    log_in_as(logged_in, "admin@example.org")
    return {"anonymous": app.test_client(), "admin": logged_in}


def _path(rule, value_for) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        pattern = next(part for part in path.split("<")[1:] if part.split(">")[0].endswith(name))
        path = path.replace("<" + pattern.split(">")[0] + ">", value_for(name, converter))
    return path


def _value(data, converter) -> str:
    from urllib.parse import quote

    if isinstance(converter, BoundedIntConverter):
        return str(data.draw(st.integers(min_value=0, max_value=10**25)))
    if hasattr(converter, "items"):  # any(pdf, json)
        return data.draw(st.sampled_from(sorted(converter.items)))
    return quote(data.draw(TEXT.filter(bool)), safe="")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_parameter_or_query_makes_a_server_error(app, clients, data):
    # Every route in the access table (so new routes are fuzzed too) gets each example.
    for endpoint in sorted(set(ROUTES) - SKIPPED_WHEN_LOGGED_IN):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        path = _path(rule, lambda name, converter: _value(data, converter))
        query = data.draw(FORM)
        for who, client in clients.items():
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(
                    path,
                    method=method,
                    query_string=query if method == "GET" else None,
                    data=query if method == "POST" else None,
                )
                response.close()
                assert response.status_code < 500, (who, method, path, query)


@SETTINGS
@given(form=FORM, endpoint=st.sampled_from(sorted({
    "resident.tell_story", "resident.withdraw_story", "staff.login", "staff.initiative_new",
    "accounts.account_invite", "accounts.change_password", "research.export", "council.share",
})))  # fmt: skip
def test_no_form_input_makes_a_server_error(app, clients, form, endpoint):
    from flask import url_for

    with app.test_request_context():
        url = url_for(endpoint)
    for who, client in clients.items():
        response = client.post(url, data=form)
        response.close()
        assert response.status_code < 500, (who, url, form, response.status_code)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(TEXT, NUMBERISH))
def test_value_parsers_raise_only_their_own_error(text):
    for parse in (parse_integer, parse_decimal, parse_month, parse_date):
        try:
            parse(text)
        except InvalidValue:
            pass
    try:
        Period.parse(text)
    except PeriodError:
        pass
    assert password_problem(text) is None or isinstance(password_problem(text), str)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_table_reader_raises_only_its_own_error(data, name):
    try:
        read_tables(io.BytesIO(data), name)
    except TableFileError:
        pass
