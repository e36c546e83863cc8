"""Share links: listed with what they show, copyable again, expiring, counted, audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.webapp import test_council_reports
from tests.webapp.test_council_reports import PASSWORD
from webapp.extensions import db
from webapp.models import AuditEvent, ReportShareLink
from webapp.services.staff_accounts import create_staff_user

city = test_council_reports.city  # the fixture: Testdam with stories and monthly figures


@pytest.fixture
def coordinator(client):
    create_staff_user(
        db.session, "co@example.org", "Coby Coördinator", PASSWORD, role="coordinator"
    )
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    return client


def listed_urls(client) -> list[str]:
    page = client.get("/raad/deellinks").get_data(as_text=True)
    return re.findall(r'value="(http://localhost/raad/gedeeld/[^"]+)"', page)


def test_a_link_is_listed_with_its_report_creator_expiry_and_views(coordinator, app, city):
    coordinator.post("/raad/delen?periode=2026-Q1&gebied=testdam/noord")
    page = coordinator.get("/raad/deellinks").get_data(as_text=True)
    link = db.session.query(ReportShareLink).one()
    assert "testdam/noord" in page and "2026-Q1" in page and "Coby Coördinator" in page
    assert link.expires_at - link.created_at == dt.timedelta(days=90)
    assert link.expires_at.strftime("%d-%m-%Y") in page
    [url] = listed_urls(coordinator)
    assert listed_urls(coordinator) == [url]  # shown again, the same link, at any time
    reader = app.test_client()
    for _ in range(2):
        assert reader.get(url).status_code == 200
    db.session.refresh(link)
    assert link.view_count == 2
    listing = coordinator.get("/raad/deellinks").get_data(as_text=True)
    assert '<dd class="share-link-views">2</dd>' in listing


def test_lifetime_comes_from_the_setting(make_app, city):
    app = make_app(SHARE_LINK_DAYS=7)
    client = app.test_client()
    with app.app_context():
        create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
        client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
        client.post("/raad/delen?periode=2026-Q1&gebied=testdam")
        link = db.session.query(ReportShareLink).one()
        assert link.expires_at - link.created_at == dt.timedelta(days=7)


def test_an_expired_link_says_so_and_shows_nothing(coordinator, app, city):
    coordinator.post("/raad/delen?periode=2026-Q1&gebied=testdam")
    [url] = listed_urls(coordinator)
    link = db.session.query(ReportShareLink).one()
    link.expires_at = dt.datetime(2026, 1, 1)
    db.session.commit()
    response = app.test_client().get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "verlopen op 01-01-2026" in text and "Testdam" not in text
    assert app.test_client().get(url + "/rapport.pdf").status_code == 410
    assert listed_urls(coordinator) == []  # no copy button for a dead link


def test_creating_opening_and_revoking_are_audited_and_never_cached(coordinator, app, city):
    coordinator.post("/raad/delen?periode=2026-Q1&gebied=testdam")
    [url] = listed_urls(coordinator)
    reader = app.test_client()
    page = reader.get(url)
    pdf = reader.get(url + "/rapport.pdf")
    assert pdf.mimetype == "application/pdf"
    for response in (page, pdf, coordinator.get("/raad/?periode=2026-Q1&gebied=testdam")):
        assert response.headers["Cache-Control"] == "no-store"
    link = db.session.query(ReportShareLink).one()
    coordinator.post(f"/raad/deellinks/{link.id}/intrekken")
    events = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
    actions = [(e.action, e.target) for e in events if e.action.startswith("share_link")]
    target = f"share_link:{link.id}"
    assert actions == [
        ("share_link.created", target),
        ("share_link.viewed", target),
        ("share_link.viewed", target),
        ("share_link.revoked", target),
    ]
    assert reader.get(url).status_code == 410


def test_staff_only_reports_cannot_be_shared(coordinator, city):
    response = coordinator.post("/raad/delen?periode=2026-01-01..2026-02-15&gebied=testdam")
    assert response.status_code == 400
    assert db.session.query(ReportShareLink).count() == 0


def footer_of(page: str) -> str:
    return re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)


def test_staff_and_council_pages_have_a_footer_for_professionals_residents_keep_theirs(
    coordinator, app, city
):
    coordinator.post("/raad/delen?periode=2026-Q1&gebied=testdam")
    shared = listed_urls(coordinator)[0].replace("http://localhost", "")
    pages = {
        "staff": coordinator.get("/beheer/verhalen").get_data(as_text=True),
        "council": coordinator.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True),
        "shared report": app.test_client().get(shared).get_data(as_text=True),
    }
    resident = footer_of(app.test_client().get("/verhaal").get_data(as_text=True))

    for name, page in pages.items():
        footer = footer_of(page)
        assert "Uw verhaal helpt" not in footer and "Mijn verhaal intrekken" not in footer, name
        assert "met verhalen van bewoners en cijfers van initiatieven" in footer, name
        assert 'href="/privacy"' in footer and 'href="/toegankelijkheid"' in footer, name
    assert "Uw verhaal helpt" in resident and "Mijn verhaal intrekken" in resident
