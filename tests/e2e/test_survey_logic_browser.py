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


def test_skip_logic_choice_filter_and_constraint_message_update_while_typing(
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
