"""Issue #10's acceptance test: personal data planted in stories never leaves by any surface.

Stories carrying every kind of personal data, under every combination of consents, go through
every surface a staff member, councillor, share-link reader or researcher sees by default:
staff lists and theme review, the council report page, PDF and JSON, the share page and its
files, and the research export in every format. None may contain any planted item.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.webapp.factories import make_areas, make_story
from webapp.extensions import db
from webapp.models import ReportShareLink, ThemeAssignment
from webapp.services.staff_accounts import create_staff_user

PASSWORD = "correct horse battery staple"
# (what a resident might write, the part that must not come out)
PLANTED = [
    ("Mijn naam is Fatima el Amrani.", "el Amrani"),
    ("Je kunt Jan Vermeulen altijd bellen.", "Vermeulen"),
    ("Ik woon op de Kerkstraat 12 in de buurt.", "Kerkstraat 12"),
    ("Mijn postcode is 1012 AB.", "1012 AB"),
    ("Bel me op 0612345678 als er iets is.", "0612345678"),
    ("Of bel 06-71920384 na zes uur.", "71920384"),
    ("Mijn vaste nummer is (020) 123 45 67.", "123 45 67"),
    ("Mail me: fatima.elamrani@example.org", "fatima.elamrani@example.org"),
    ("Mijn rekening is NL91ABNA0417164300 voor de bijdrage.", "NL91ABNA0417164300"),
]
BODY = (
    "Sinds ik bij de huiskamer kom voel ik me veel minder alleen en eenzaam, "
    "en de schulden zijn eindelijk onder controle. "
)


# Pushes the contact details past the ~40 words a report quotes, so the story stays quotable
# (reports.quotes leaves out excerpts with contact details) while its excerpt holds a name.
FILLER = "Ik kom er elke week en drink koffie met de anderen. " * 2


def _plant(text_index: int) -> str:
    (first, _), *rest = PLANTED
    others = " ".join(sentence for sentence, _ in rest)
    return BODY + first + " " + FILLER + others + f" Verhaal {text_index}."


def _assert_clean(label: str, content: str) -> None:
    for _sentence, secret in PLANTED:
        assert secret not in content, f"{label} leaks {secret!r}"


@pytest.fixture
def planted(app):
    areas = make_areas()
    wijk = areas["testdam/noord/vogelbuurt"]
    stories = []
    consents = itertools.product((True, False), (True, False), (True, False, None))
    for index, (quote, research, health) in enumerate(list(consents) * 3):
        story = make_story(
            text=_plant(index),
            area_id=wijk.id,
            submitted_month=dt.date(2026, 2, 1),
            status="approved",
            consent_quote=quote,
            consent_research=research,
            consent_health=health,
        )
        for theme in ("eenzaamheid", "armoede", "gezondheid"):
            db.session.add(
                ThemeAssignment(
                    story_id=story.id,
                    theme=theme,
                    score=0.95,
                    assigned=theme != "gezondheid",
                    source="model",
                    model_version="test",
                )
            )
        stories.append(story)
    db.session.commit()
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    create_staff_user(
        db.session,
        "onderzoek@example.org",
        "Onderzoek",
        PASSWORD,
        role="researcher",
    )
    return stories


def _login(client, email):
    client.post("/beheer/inloggen", data={"email": email, "password": PASSWORD})


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_no_default_surface_shows_planted_personal_data(client, planted):
    _login(client, "co@example.org")
    pages = ["/beheer/verhalen", "/beheer/themas/", f"/beheer/themas/verhaal/{planted[0].id}"]
    pages += [f"/beheer/verhalen?pagina={n}" for n in (2, 3)]
    for path in pages:
        _assert_clean(path, client.get(path).get_data(as_text=True))

    query = "periode=2026-Q1&gebied=testdam"
    report_page = client.get(f"/raad/?{query}")
    assert report_page.status_code == 200
    html = report_page.get_data(as_text=True)
    assert "minder alleen" in html, "the report should quote the consented stories"
    assert "[naam 1]" in html, "the quoted excerpt holds a name, printed as a readable tag"
    assert "PERSOON" not in html
    _assert_clean("report page", html)
    _assert_clean("report json", client.get(f"/raad/rapport.json?{query}").get_data(as_text=True))
    _assert_clean("report pdf", _pdf_text(client.get(f"/raad/rapport.pdf?{query}").get_data()))

    client.post(f"/raad/delen?{query}")
    link_page = client.get("/raad/deellinks").get_data(as_text=True)
    token = re.search(r"/raad/gedeeld/([A-Za-z0-9_\-]+)", link_page)
    assert token and db.session.scalar(select(ReportShareLink.id)) is not None
    client.post("/beheer/uitloggen")
    shared = f"/raad/gedeeld/{token.group(1)}"
    _assert_clean("share page", client.get(shared).get_data(as_text=True))
    _assert_clean("share json", client.get(f"{shared}/rapport.json").get_data(as_text=True))
    _assert_clean("share pdf", _pdf_text(client.get(f"{shared}/rapport.pdf").get_data()))


def test_no_research_export_file_contains_planted_personal_data(client, planted):
    _login(client, "onderzoek@example.org")
    queued = client.post("/onderzoek/export", data={"formaten": ["csv", "jsonl", "qdpx"], "k": "5"})
    assert queued.status_code == 303  # the export job ran; its page offers the archive
    response = client.get(queued.headers["Location"] + "/download")
    response.get_data()
    response.close()  # the archive is streamed from its file
    assert response.status_code == 200 and response.mimetype == "application/zip"
    exported_any = False
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".qdpx"):
                with zipfile.ZipFile(io.BytesIO(data)) as project:
                    for inner in project.namelist():
                        _assert_clean(
                            f"{name}/{inner}", project.read(inner).decode("utf-8", "replace")
                        )
                continue
            text = data.decode("utf-8-sig", "replace")
            exported_any = exported_any or "minder alleen" in text
            _assert_clean(name, text)
    assert exported_any, "stories with research consent should be exported (de-identified)"
