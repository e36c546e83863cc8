"""Research exports and large report PDFs run as background jobs: status, progress, download
rights, scope, retention, failure and retry, and the same archive when a job runs again."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import zipfile

from sqlalchemy import func, select

from nlp.classify import MODELS_DIR
from nlp.governance import version_in_force
from tests.webapp.accounts import PASSWORD, log_in_as, make_account
from tests.webapp.factories import make_areas, make_second_gemeente, make_story
from tests.webapp.fresh_process import libraries_loaded_by_fresh_process
from tests.webapp.test_research_export import corpus  # noqa: F401 - fixture
from webapp import clock, job_kinds
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    BackgroundJob,
    ExportAuditEntry,
    ReportShareLink,
    ThemeAssignment,
    utcnow,
)
from webapp.services import export_jobs, jobs, report_jobs
from webapp.services.report_cache import clear_report_cache
from webapp.services.research_export import (
    ExportFilter,
    build_research_archive,
    export_research_archive,
)
from webapp.services.secret_tokens import hash_token

EXPORT_FORM = {"formaten": ["jsonl", "csv"], "k": "5"}


def request_export(client, data=None) -> str:
    response = client.post("/onderzoek/export", data=data or EXPORT_FORM)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def download(client, url: str):
    """GET an archive and close the response (it streams the file from disk)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def jsonl_records(archive: bytes) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(archive)) as members:
        return [json.loads(line) for line in members.read("stories.jsonl").decode().splitlines()]


def only_job() -> BackgroundJob:
    db.session.expire_all()
    return db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == export_jobs.KIND))


def test_the_export_form_queues_a_job_whose_page_offers_the_archive(app, client, corpus):  # noqa: F811
    make_account("r@example.org", "researcher")
    log_in_as(client, "r@example.org")

    status_url = request_export(client)

    job = only_job()
    assert job.state == "done" and job.progress_total == job.progress_done > 0
    assert job.result["stories"] == 12
    page = client.get(status_url).get_data(as_text=True)
    assert "De export is klaar" in page and "12 verhalen" in page and "/download" in page
    assert 'http-equiv="refresh"' not in page  # nothing to wait for any more
    # Nothing left Weefsel yet: the export log records downloads.
    assert db.session.scalar(select(func.count()).select_from(ExportAuditEntry)) == 0
    download_response = download(client, f"{status_url}/download")
    assert download_response.status_code == 200
    assert download_response.mimetype == "application/zip"
    records = jsonl_records(download_response.get_data())
    assert len(records) == 12
    assert not any("Jan de Vries" in r["text"] or "@example.org" in r["text"] for r in records)
    entry = db.session.scalar(select(ExportAuditEntry))
    assert entry.actor == "r@example.org" and entry.story_count == 12
    assert entry.formats == "jsonl,csv"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.research"))
    assert len(list(events)) == 1


def test_a_running_export_shows_its_progress_and_reloads_itself(app, client):
    user = make_account("r@example.org", "researcher")
    log_in_as(client, "r@example.org")
    request = export_jobs.ExportRequest(ExportFilter(), ["csv"], 5, user.id, utcnow())
    job = jobs.create_job(db.session, export_jobs.KIND, request.as_params(), user.id)
    job.state, job.progress_done, job.progress_total = "running", 30, 120
    db.session.commit()

    page = client.get(f"/onderzoek/export/{job.id}").get_data(as_text=True)

    assert "De export wordt gemaakt" in page
    assert '<progress id="export-progress" max="100" value="25">' in page
    assert 'http-equiv="refresh"' in page and "Nu opnieuw laden" in page
    assert client.get(f"/onderzoek/export/{job.id}/download").status_code == 404


def test_another_researcher_gets_a_404_and_an_administrator_may_see_it(app, corpus):  # noqa: F811
    make_account("r@example.org", "researcher")
    make_account("other@example.org", "researcher")
    make_account("admin@example.org", "admin")
    owner, other, admin = app.test_client(), app.test_client(), app.test_client()
    log_in_as(owner, "r@example.org")
    log_in_as(other, "other@example.org")
    log_in_as(admin, "admin@example.org")
    status_url = request_export(owner)

    assert other.get(status_url).status_code == 404
    assert other.get(f"{status_url}/download").status_code == 404
    assert other.post(f"{status_url}/opnieuw").status_code == 404
    assert "r@example.org" not in other.get("/onderzoek/export").get_data(as_text=True)
    assert download(admin, f"{status_url}/download").status_code == 200
    assert db.session.scalar(select(ExportAuditEntry.actor)) == "admin@example.org"


def test_an_export_holds_only_the_researchers_scope(app, client):
    areas = {**make_areas(), **make_second_gemeente()}
    for i in range(6):
        for code in ("testdam/noord/vogelbuurt", "proefstad/west/havenkwartier"):
            make_story(
                text=f"Verhaal {i} uit {code}.",
                area=areas[code],
                status="approved",
                consent_research=True,
                age_band="30-44",
            )
    make_account("r@example.org", "researcher", areas["proefstad"])
    log_in_as(client, "r@example.org")

    status_url = request_export(client)

    records = jsonl_records(download(client, f"{status_url}/download").get_data())
    assert len(records) == 6
    assert all("proefstad" in r["text"] for r in records)


def test_running_the_job_again_writes_the_same_archive(app, client, corpus):  # noqa: F811
    make_account("r@example.org", "researcher")
    log_in_as(client, "r@example.org")
    request_export(client, {"formaten": ["csv", "jsonl", "qdpx"], "k": "5"})
    job = only_job()
    path = export_jobs.archive_path(app.config, job.id)
    first = path.read_bytes()
    path.unlink()

    # As after a worker died mid-job: the stalled run is queued and run again.
    job.state = "queued"
    db.session.commit()
    app.extensions["weefsel_queue"].enqueue_again(job.id, job.kind)

    assert only_job().state == "done" and only_job().attempts == 2
    assert path.read_bytes() == first


def test_the_nightly_purge_removes_archives_past_their_retention(app, client, corpus):  # noqa: F811
    make_account("r@example.org", "researcher")
    log_in_as(client, "r@example.org")
    status_url = request_export(client)
    old = only_job()
    recent_url = request_export(client)
    recent = db.session.scalar(
        select(BackgroundJob).where(
            BackgroundJob.kind == export_jobs.KIND, BackgroundJob.id != old.id
        )
    )
    old.finished_at = utcnow() - dt.timedelta(days=app.config["EXPORT_FILE_DAYS"] + 1)
    db.session.commit()

    run = jobs.JOB_KINDS[job_kinds.PURGE].run
    result = run(jobs.JobContext(db.session, app.config, app.extensions))

    assert result["export_files"] == 1
    assert not export_jobs.archive_path(app.config, old.id).exists()
    assert export_jobs.archive_path(app.config, recent.id).exists()
    assert client.get(f"{status_url}/download").status_code == 404
    assert "De export is verwijderd" in client.get(status_url).get_data(as_text=True)
    assert download(client, f"{recent_url}/download").status_code == 200


def test_a_failed_export_says_so_in_dutch_and_can_be_tried_again(make_app, tmp_path, corpus):  # noqa: F811
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the export folder should be")
    app = make_app(EXPORT_DIR=str(blocked))
    with app.app_context():
        make_account("r@example.org", "researcher")
        client = app.test_client()
        log_in_as(client, "r@example.org")
        status_url = request_export(client)

        job = only_job()
        assert job.state == "failed" and job.attempts == 1
        page = client.get(status_url).get_data(as_text=True)
        assert "De export is mislukt" in page and "Probeer het opnieuw" in page
        assert client.get(f"{status_url}/download").status_code == 404

        blocked.unlink()  # the administrator fixed the folder
        response = client.post(f"{status_url}/opnieuw")

        assert response.status_code == 303
        job = only_job()
        assert job.state == "done" and job.attempts == 2
        assert len(jsonl_records(download(client, f"{status_url}/download").get_data())) == 12


def test_the_export_command_prints_progress_to_stderr_and_keeps_its_summary(app, corpus, tmp_path):  # noqa: F811
    target = tmp_path / "e.zip"
    result = app.test_cli_runner().invoke(
        args=["export", "--out", str(target), "--actor", "t", "--format", "jsonl"]
    )

    assert result.exit_code == 0, result.output
    assert "Export: 100% (24 van 24 stappen)" in result.stderr
    assert result.stdout.strip().splitlines() == [
        f"Export geschreven naar {target}: 12 verhalen, 0 weggelaten voor k-anonimiteit (k=5)."
    ]
    assert len(jsonl_records(target.read_bytes())) == 12


# --- report PDFs ------------------------------------------------------------------------------


def report_stories(areas, count: int = 12) -> None:
    clear_report_cache()  # an earlier test may have rendered the same report in this process
    for i in range(count):
        make_story(
            text=f"Ik voel me minder alleen sinds de koffieochtend, verhaal {i}.",
            area=areas["testdam/noord/vogelbuurt"],
            submitted_month=dt.date(2026, 2, 1),
            status="approved",
            consent_quote=True,
        )


QUERY = "periode=2026-Q1&gebied=testdam/noord"


def pdf_job_params() -> dict:
    """The params the council view gives a PDF job for QUERY in Dutch, today."""
    parameters = {"period": "2026-Q1", "area_code": "testdam/noord"}
    parameters |= {"theme": None, "initiative_slug": None}
    return {"parameters": parameters, "lang": "nl", "today": clock.today().isoformat()}


def test_a_small_report_pdf_is_made_at_once(app, client):
    report_stories(make_areas())
    make_account("raad@example.org", "councillor")
    log_in_as(client, "raad@example.org")

    response = client.get(f"/raad/rapport.pdf?{QUERY}")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0


def test_a_large_report_pdf_is_made_by_a_job_and_kept_for_the_next_request(make_app):
    app = make_app(REPORT_PDF_JOB_STORIES=5)
    with app.app_context():
        report_stories(make_areas())
        make_account("raad@example.org", "councillor")
        client = app.test_client()
        log_in_as(client, "raad@example.org")

        first = client.get(f"/raad/rapport.pdf?{QUERY}")

        assert first.status_code == 200 and first.mimetype == "application/pdf"
        job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == report_jobs.KIND))
        assert job.state == "done" and job.progress_done == job.progress_total == 3
        assert (report_jobs.file_dir(app.config) / f"{job.result['file']}.pdf").exists()
        # Another worker (an empty memory cache) serves the kept file without a new job.
        clear_report_cache()
        second = client.get(f"/raad/rapport.pdf?{QUERY}")
        assert second.get_data() == first.get_data()
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 1


def test_while_the_pdf_job_runs_the_reader_sees_its_progress_then_gets_the_pdf(make_app):
    app = make_app(REPORT_PDF_JOB_STORIES=5)
    with app.app_context():
        report_stories(make_areas())
        make_account("raad@example.org", "councillor")
        client = app.test_client()
        log_in_as(client, "raad@example.org")
        params = pdf_job_params()
        job = jobs.create_job(db.session, report_jobs.KIND, params)
        job.state, job.progress_done, job.progress_total = "running", 1, 3
        db.session.commit()

        waiting = client.get(f"/raad/rapport.pdf?{QUERY}")

        page = waiting.get_data(as_text=True)
        assert waiting.status_code == 202 and "De PDF wordt gemaakt" in page
        assert 'value="33"' in page and f"taak={job.id}" in page
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 1

        # The worker finishes it; the page's reload fetches the PDF.
        result = report_jobs.render_pdf_file(db.session, app.config, params)
        jobs.finish_run(db.session, job.id, result)
        ready = client.get(f"/raad/rapport.pdf?{QUERY}&taak={job.id}")
        assert ready.status_code == 200 and ready.mimetype == "application/pdf"


def test_a_failed_pdf_job_offers_a_retry_that_makes_the_pdf(make_app):
    app = make_app(REPORT_PDF_JOB_STORIES=5)
    with app.app_context():
        report_stories(make_areas())
        make_account("raad@example.org", "councillor")
        client = app.test_client()
        log_in_as(client, "raad@example.org")
        params = pdf_job_params()
        job = jobs.create_job(db.session, report_jobs.KIND, params)
        job.state, job.error = "failed", "OSError: disk full"
        db.session.commit()

        page = client.get(f"/raad/rapport.pdf?{QUERY}&taak={job.id}").get_data(as_text=True)
        assert "De PDF kon niet worden gemaakt" in page and "opnieuw=1" in page

        retried = client.get(f"/raad/rapport.pdf?{QUERY}&taak={job.id}&opnieuw=1")

        assert retried.status_code == 200 and retried.mimetype == "application/pdf"
        db.session.expire_all()
        assert db.session.get(BackgroundJob, job.id).attempts == 1


def test_a_share_link_reader_gets_a_large_pdf_too(make_app):
    app = make_app(REPORT_PDF_JOB_STORIES=5)
    with app.app_context():
        report_stories(make_areas())
        token = secrets.token_urlsafe(24)
        link = ReportShareLink(
            token_hash=hash_token(token), period="2026-Q1", area_code="testdam/noord"
        )
        db.session.add(link)
        db.session.commit()
        response = app.test_client().get(f"/raad/gedeeld/{token}/rapport.pdf")

        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert db.session.scalar(select(BackgroundJob.state)) == "done"


def test_theme_scores_kept_on_disk_during_the_export_reach_every_format(app, corpus):  # noqa: F811
    for story, score in zip(corpus, (0.81, 0.625, 0.9), strict=False):
        db.session.add(
            ThemeAssignment(
                story_id=story.id,
                theme="eenzaamheid",
                score=score,
                assigned=True,
                source="model",
                model_version="test-1",
            )
        )
    db.session.commit()
    buffer = io.BytesIO()

    export_research_archive(db.session, ExportFilter(), ["jsonl", "csv"], buffer, actor="t")

    records = jsonl_records(buffer.getvalue())
    scores = sorted(t["score"] for r in records for t in r["themes"] if t["key"] == "eenzaamheid")
    assert scores == [0.625, 0.81, 0.9]
    assert all(t["source"] == "model" for r in records for t in r["themes"])
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as members:
        csv_text = members.read("stories.csv").decode("utf-8-sig")
    assert csv_text.count("eenzaamheid") == 3 + 2  # three stories, plus two column headers


def test_reading_in_small_batches_gives_the_same_archive(app, corpus):  # noqa: F811
    moment = dt.datetime(2026, 4, 1, 12, 0)
    archives = []
    for batch_size in (5, 1000):
        buffer = io.BytesIO()
        build_research_archive(
            db.session,
            ExportFilter(),
            ["csv", "jsonl", "qdpx"],
            buffer,
            exported_by="researcher",
            now=moment,
            batch_size=batch_size,
        )
        archives.append(buffer.getvalue())

    assert archives[0] == archives[1]
    assert len(jsonl_records(archives[0])) == 12


def test_the_export_form_records_the_model_in_force_without_loading_it(app, database_url, tmp_path):
    """A fresh web process queues an export naming the theme model in force (the CURRENT
    pointer) and loads no scikit-learn for it (issue 13: models stay in the job workers)."""

    make_account("r@example.org", "researcher")
    requests = (
        "response = client.post('/onderzoek/export', data={'formaten': ['jsonl'], 'k': '5'})\n"
        "assert response.status_code == 303, response.status_code\n"
    )
    loaded = libraries_loaded_by_fresh_process(
        database_url,
        tmp_path / "fresh",
        "r@example.org",
        PASSWORD,
        requests,
        {"sklearn", "scipy", "matplotlib"},
    )
    assert loaded == set()
    job = only_job()
    assert job.params["model_version"] == version_in_force(MODELS_DIR) != ""


def test_the_status_page_names_the_filter_in_words(app, client):
    make_areas()
    user = make_account("r@example.org", "researcher")
    log_in_as(client, "r@example.org")
    export_filter = ExportFilter(period="2026", area_code="testdam/noord", language="ar")
    request = export_jobs.ExportRequest(export_filter, ["csv"], 5, user.id, utcnow())
    job = jobs.create_job(db.session, export_jobs.KIND, request.as_params(), user.id)

    page = client.get(f"/onderzoek/export/{job.id}").get_data(as_text=True)

    assert "<dd>Periode: 2026, Gebied: Noord (Testdam), Taal: Arabisch</dd>" in page
    assert "area_code" not in page and "period:" not in page
