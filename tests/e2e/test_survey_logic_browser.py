"""An XLSForm's skip logic, choice filter and constraint work live in the browser (survey-logic.js),
from the same parsed expressions the server checks."""

from __future__ import annotations

import threading

import pytest
from openpyxl import Workbook
from werkzeug.serving import make_server

from tests.e2e.conftest import _free_port
from tests.webapp.factories import make_initiative
from webapp.extensions import db
from webapp.services import initiative_links

pytestmark = pytest.mark.browser

SURVEY = [
    ["type", "name", "label::Nederlands (nl)", "relevant", "required", "constraint",
     "constraint_message::Nederlands (nl)", "choice_filter"],
    ["select_one ja_nee", "kinderen", "Kinderen?", None, "yes"],
    ["integer", "hoeveel", "Hoeveel kinderen?", "${kinderen} = 'ja'", "yes", ". > 0"],
    ["text", "postcode", "Postcode", None, None, "regex(., '^[0-9]{4} ?[A-Z]{2}$')",
     "Schrijf een postcode zoals 1012 AB"],
    ["select_one wijken", "wijk", "Wijk"],
    ["select_one buurten", "buurt", "Buurt", None, None, None, None, "wijk = ${wijk}"],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::Nederlands (nl)", "wijk"],
    ["ja_nee", "ja", "Ja"],
    ["ja_nee", "nee", "Nee"],
    ["wijken", "noord", "Noord"],
    ["wijken", "zuid", "Zuid"],
    ["buurten", "b1", "Buurt Een", "noord"],
    ["buurten", "b2", "Buurt Twee", "zuid"],
]


@pytest.fixture
def logic_server(make_app, tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in {"survey": SURVEY, "choices": CHOICES}.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "logica.xlsx"
    workbook.save(path)
    app = make_app(SERVER_NAME=None, ACTIVITY_DEFINITION=str(path))
    server = make_server("127.0.0.1", _free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_skip_logic_choice_filter_and_constraint_message_update_while_typing_as_on_the_server(
    logic_server, browser_page
):
    base_url, app = logic_server
    with app.app_context():
        initiative = make_initiative("Taalcafé Noord")
        token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    page = browser_page
    page.goto(f"{base_url}/doorgeven/{token}")

    how_many = page.get_by_label("Hoeveel kinderen?")
    assert not how_many.is_visible()
    page.get_by_label("Ja", exact=True).check()
    assert how_many.is_visible()
    page.get_by_label("Nee", exact=True).check()
    assert not how_many.is_visible()

    page.get_by_label("Noord").check()
    assert page.get_by_label("Buurt Een").is_visible()
    assert not page.get_by_label("Buurt Twee").is_visible()

    message = page.get_by_text("Schrijf een postcode zoals 1012 AB")
    page.get_by_label("Postcode").fill("12345")
    assert message.is_visible()
    page.get_by_label("Postcode").fill("1012 AB")
    assert not message.is_visible()

    # One browser start for both checks: the evaluator itself against the server's.
    assert_browser_evaluates_as_the_server(page)


PARITY = [
    ("${a} > 3 and ${b} = 'ja'", {"a": 4.0, "b": "ja"}),
    ("${a} > 3 or not(${b} = 'ja')", {"a": 1.0, "b": "nee"}),
    ("${a} > 3", {"a": ""}),
    ("${a} = ''", {"a": ""}),
    ("${a} != ''", {"a": 0.0}),
    ("${a} = '1'", {"a": 1.0}),
    ("selected(${d}, 'di')", {"d": "ma di"}),
    ("count-selected(${d})", {"d": "ma di wo"}),
    ("string-length(${t})", {"t": "Zoë"}),
    ("regex(${p}, '^[0-9]{4} ?[A-Z]{2}$')", {"p": "1012 AB"}),
    ("${a} div 2", {"a": 5.0}),
    ("${a} mod 3", {"a": 7.0}),
    ("-${a} + 2 * 3", {"a": 1.0}),
    ("if(${a} > 1, 'veel', 'weinig')", {"a": 2.0}),
    ("concat(${a}, '-', ${b})", {"a": 1.5, "b": "x"}),
    ("round(${a}, 1)", {"a": 2.25}),
    ("int(${a}) + floor(${a}) + ceiling(${a})", {"a": -2.5}),
    ("${d} < '2026-03-02'", {"d": "2026-03-01"}),
    ("${d} - '2026-01-01'", {"d": "2026-03-01"}),
    ("date(${n})", {"n": 19000.0}),
    ("coalesce(${a}, 'leeg')", {"a": ""}),
    ("contains(${t}, 'buurt') and starts-with(${t}, 'de')", {"t": "de buurttuin"}),
    ("substr(${t}, 1, 3)", {"t": "buurt"}),
    ("min(${a}, 3, 7) + max(${a}, 3)", {"a": 5.0}),
    ("number('x') = number('x')", {}),
    ("wijk = ${w}", {"w": "noord"}),
]


def assert_browser_evaluates_as_the_server(page) -> None:
    """The page has survey-logic.js; every PARITY expression gives the server's result."""
    import math

    from surveys.logic_eval import Context, evaluate
    from surveys.logic_parser import parse_expression

    for text, values in PARITY:
        tree = parse_expression(text, allow_columns=True)
        columns = {"wijk": "noord"}
        server = evaluate(tree, Context(values, columns=columns))
        browser = page.evaluate(
            "([tree, values, columns]) => window.weefselSurveyLogic.evaluate(tree, values, '', columns)",
            [tree, values, columns],
        )
        if isinstance(server, float) and math.isnan(server):
            assert isinstance(browser, float) and math.isnan(browser), text
        else:
            assert browser == server, (text, browser, server)
