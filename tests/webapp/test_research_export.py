"""Research exports hold only consented, anonymised stories, k-anonymously, and are audit-logged."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from reports.research import read_qdpx, validate_qdpx
from tests.webapp.factories import make_areas, make_story
from webapp.extensions import db
from webapp.models import ExportAuditEntry
from webapp.services.research_export import ExportFilter, ExportRefused, export_research_archive
from webapp.services.staff_accounts import create_staff_user
from webapp.services.stories import hash_withdrawal_code, withdraw_story

PASSWORD = "correct horse battery"


@pytest.fixture
def corpus(app):
    """Twelve consented stories in one wijk and month, two without research consent."""
    areas = make_areas()
    wijk = areas["testdam/noord/vogelbuurt"]
    consented = []
    for i in range(12):
        consented.append(
            make_story(
                text=f"Verhaal {i}: ik sprak Jan de Vries op de Kalverstraat 12 en mail jan{i}@example.org.",
                area_id=wijk.id,
                submitted_month=dt.date(2026, 2, 1),
                age_band="65-79",
                status="approved",
                consent_research=True,
                withdrawal_code_hash=f"{i:064d}",
            )
        )
    for i in range(2):
        make_story(
            text=f"Geheim verhaal zonder toestemming {i}.",
            area_id=wijk.id,
            status="approved",
            consent_research=False,
        )
    return consented


def archive_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_contains_only_consented_anonymised_stories_and_valid_qdpx(app, corpus):
    buffer = io.BytesIO()
    sheet = export_research_archive(
        db.session, ExportFilter(), ["csv", "jsonl", "qdpx"], buffer, actor="tester"
    )
    members = archive_members(buffer.getvalue())
    assert {"stories.csv", "stories.jsonl", "stories.qdpx", "README.md", "datasheet.json"} <= set(
        members
    )
    everything = b"".join(members.values()).decode("utf-8", "replace")
    assert "Geheim verhaal" not in everything
    assert (
        "Jan de Vries" not in everything
        and "Kalverstraat 12" not in everything
        and "@example.org" not in everything
    )
    lines = [json.loads(line) for line in members["stories.jsonl"].decode().splitlines()]
    assert len(lines) == 12
    validate_qdpx(io.BytesIO(members["stories.qdpx"]))
    project = read_qdpx(io.BytesIO(members["stories.qdpx"]))
    assert len(project.sources) == 12
    assert "k" in members["README.md"].decode() and sheet


def test_withdrawn_story_is_not_exported(app, corpus):
    make_story(
        text="Ik trek dit verhaal in, het is van mij.",
        consent_research=True,
        status="approved",
        withdrawal_code_hash=hash_withdrawal_code("ABCD-EFGH-JKMN", "test-key"),
    )
    assert withdraw_story(db.session, "ABCD-EFGH-JKMN", "test-key")
    buffer = io.BytesIO()
    export_research_archive(db.session, ExportFilter(), ["jsonl"], buffer, actor="tester")
    assert (
        "Ik trek dit verhaal in" not in archive_members(buffer.getvalue())["stories.jsonl"].decode()
    )


def test_small_groups_are_generalised_or_suppressed(app, corpus):
    areas = {a.code: a for a in corpus[0].area.ancestors()} | {corpus[0].area.code: corpus[0].area}
    lonely = make_story(
        text="Een uniek verhaal uit een andere wijk en maand.",
        area_id=corpus[0].area_id,
        submitted_month=dt.date(2025, 7, 1),
        age_band="18-29",
        status="approved",
        consent_research=True,
    )
    assert lonely and areas
    buffer = io.BytesIO()
    export_research_archive(db.session, ExportFilter(), ["jsonl"], buffer, actor="tester", k=5)
    records = [
        json.loads(line)
        for line in archive_members(buffer.getvalue())["stories.jsonl"].decode().splitlines()
    ]
    combos: dict[tuple, int] = {}
    for record in records:
        key = (record.get("area"), record.get("age_band"), record.get("period"))
        combos[key] = combos.get(key, 0) + 1
    assert all(count >= 5 for count in combos.values()), combos


def test_every_export_is_audit_logged_and_k_below_5_refused(app, corpus):
    export_research_archive(
        db.session,
        ExportFilter(period="2026"),
        ["csv"],
        io.BytesIO(),
        actor="onderzoeker@example.org",
    )
    entry = db.session.scalar(select(ExportAuditEntry))
    assert (
        entry.actor == "onderzoeker@example.org"
        and entry.filter == {"period": "2026"}
        and entry.story_count == 12
    )
    with pytest.raises(ExportRefused):
        export_research_archive(db.session, ExportFilter(), ["csv"], io.BytesIO(), actor="x", k=2)


def test_export_page_needs_export_permission(client, app, corpus):
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    client.post("/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD})
    assert client.get("/onderzoek/export").status_code == 403
    researcher = app.test_client()
    create_staff_user(db.session, "r@example.org", "R", PASSWORD, role="researcher")
    researcher.post("/beheer/inloggen", data={"email": "r@example.org", "password": PASSWORD})
    response = researcher.post("/onderzoek/export", data={"formaten": ["csv", "qdpx"], "k": "5"})
    assert response.status_code == 303  # to the export's own page; the job made the archive
    download = researcher.get(response.headers["Location"] + "/download")
    download.close()  # the archive is streamed from its file
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert db.session.scalar(select(func.count()).select_from(ExportAuditEntry)) == 1


def test_export_command(app, corpus, tmp_path):
    target = tmp_path / "export.zip"
    result = app.test_cli_runner().invoke(
        args=["export", "--out", str(target), "--actor", "cli-test", "--format", "qdpx"]
    )
    assert result.exit_code == 0, result.output
    assert "stories.qdpx" in archive_members(target.read_bytes())
