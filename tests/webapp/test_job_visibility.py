"""Who sees which background job on /beheer/taken, its counts, its retry button and the start
page's count: a person's own jobs are theirs (and admins of everything's); unowned jobs follow
the area they are about; installation-wide ones are for managers of everything."""

from __future__ import annotations

import re

import pytest

from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas
from webapp.extensions import db
from webapp.job_kinds import RECLASSIFY, REPORT_PDF, RESEARCH_EXPORT
from webapp.models import BackgroundJob

ALL_JOBS = {
    "researcher-export",
    "coordinator-reclassify",
    "system-reclassify",
    "pdf-noord",
    "pdf-zuid",
}


def failed_job(job_id: str, kind: str, owner=None, area_code: str | None = None) -> None:
    params = {"parameters": {"period": "2026", "area_code": area_code}} if area_code else {}
    db.session.add(
        BackgroundJob(
            id=job_id,
            kind=kind,
            params=params,
            state="failed",
            error=f"error of {job_id}",
            created_by_id=owner.id if owner is not None else None,
        )
    )
    db.session.commit()


@pytest.fixture
def accounts(app):
    areas = make_areas()
    noord = areas["testdam/noord"]
    people = {
        "admin": make_account("admin@example.org", "admin"),
        "coordinator": make_account("co@example.org", "coordinator"),
        "noord": make_account("noord@example.org", "coordinator", noord),
        "noord-admin": make_account("noord-admin@example.org", "admin", noord),
        "researcher": make_account("onderzoek@example.org", "researcher"),
    }
    failed_job("researcher-export", RESEARCH_EXPORT, owner=people["researcher"])
    failed_job("coordinator-reclassify", RECLASSIFY, owner=people["coordinator"])
    failed_job("system-reclassify", RECLASSIFY)
    failed_job("pdf-noord", REPORT_PDF, area_code="testdam/noord/vogelbuurt")
    failed_job("pdf-zuid", REPORT_PDF, area_code="testdam/zuid")
    return people


def jobs_on_page(client) -> set[str]:
    page = client.get("/beheer/taken").get_data(as_text=True)
    return set(re.findall(r"error of ([a-z-]+)", page))


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("admin@example.org", ALL_JOBS),
        (
            "co@example.org",
            {"coordinator-reclassify", "system-reclassify", "pdf-noord", "pdf-zuid"},
        ),
        ("noord@example.org", {"pdf-noord"}),
        ("noord-admin@example.org", {"pdf-noord"}),
    ],
)
def test_each_manager_sees_their_own_jobs_and_unowned_ones_in_their_scope(
    client, accounts, email, expected
):
    log_in_as(client, email)

    page = client.get("/beheer/taken").get_data(as_text=True)

    assert jobs_on_page(client) == expected
    assert f"0 bezig, 0 in de wachtrij, {len(expected)} mislukt" in page


def test_a_researcher_does_not_open_the_jobs_page(client, accounts):
    log_in_as(client, "onderzoek@example.org")
    assert client.get("/beheer/taken").status_code == 403


@pytest.mark.parametrize("job_id", sorted(ALL_JOBS - {"pdf-noord"}))
def test_a_scoped_coordinator_cannot_retry_a_job_they_do_not_see(client, accounts, job_id):
    log_in_as(client, "noord@example.org")

    response = client.post(f"/beheer/taken/{job_id}/opnieuw")

    db.session.expire_all()
    assert response.status_code == 404
    assert db.session.get(BackgroundJob, job_id).state == "failed"


def test_a_coordinator_of_everything_does_not_see_another_persons_export(client, accounts):
    log_in_as(client, "co@example.org")

    assert client.post("/beheer/taken/researcher-export/opnieuw").status_code == 404
    assert "researcher-export" not in jobs_on_page(client)


def test_the_start_page_counts_only_the_failed_jobs_the_account_sees(app, accounts):
    from webapp.services import job_visibility

    counts = {
        name: job_visibility.visible_failed_job_count(
            db.session, job_visibility.job_viewer(db.session, account)
        )
        for name, account in accounts.items()
    }

    assert counts == {"admin": 5, "coordinator": 4, "noord": 1, "noord-admin": 1, "researcher": 1}
