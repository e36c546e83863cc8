"""A resident on a normal day: the limit is stated up front, nothing is cut or lost when a story
is too long or sent too often, a resend is stored once, and the code can be kept."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import func, select

from tests.webapp.test_story_form import CODE_PATTERN, STORY
from webapp.extensions import db
from webapp.models import Story, UsedSubmissionToken

TOKEN = re.compile(
    r'name="inzending" type="hidden" value="([^"]+)"|'
    r'id="inzending" name="inzending" type="hidden" value="([^"]+)"'
)


def story_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Story))


def form_token(page: str) -> str:
    match = re.search(r'name="inzending"[^>]*value="([^"]+)"', page)
    assert match, "the story form carries a one-time submission token"
    return match.group(1)


def send(client, token: str, text: str = STORY, **headers):
    data = {"story": text, "wijk": "", "initiative": "", "age_band": "", "inzending": token}
    return client.post("/verhaal", data=data, headers=headers)


def test_the_limit_is_stated_up_front_and_the_browser_cannot_cut_the_text(client):
    page = client.get("/verhaal").get_data(as_text=True)

    assert "Minimaal 20 en maximaal 5.000 tekens." in page
    assert "maxlength" not in page
    assert 'data-max-length="5000"' in page and "char-counter.js" in page


def test_a_resend_of_the_same_form_is_stored_once_and_shows_the_same_code(client):
    token = form_token(client.get("/verhaal").get_data(as_text=True))

    first = send(client, token)
    first_code = CODE_PATTERN.search(client.get(first.headers["Location"]).get_data(as_text=True))
    again = send(client, token)
    page = client.get(again.headers["Location"]).get_data(as_text=True)

    assert first.status_code == again.status_code == 303
    assert story_count() == 1
    assert "U heeft dit formulier twee keer gestuurd" in page
    assert CODE_PATTERN.search(page).group(1) == first_code.group(1)
    assert db.session.scalar(select(UsedSubmissionToken.story_id)) is not None


def test_the_code_is_shown_once_and_a_story_post_leaves_the_session_alone(client):
    token = form_token(client.get("/verhaal").get_data(as_text=True))

    sent = send(client, token)
    first = client.get(sent.headers["Location"])
    again = client.get(sent.headers["Location"]).get_data(as_text=True)

    assert CODE_PATTERN.search(first.get_data(as_text=True))
    assert CODE_PATTERN.search(again) is None  # a refresh of the thank-you page hides it
    assert "Uw verhaal is ontvangen" in again
    # The code rides in its own HttpOnly cookie for the story pages; the POST does not re-sign
    # the session cookie (that was a sixth of the request's CPU).
    cookies = sent.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("weefsel_verzonden=")
    assert "HttpOnly" in cookies[0] and "Path=/verhaal" in cookies[0]


def test_a_made_up_code_cookie_shows_nothing(client):
    client.set_cookie("weefsel_verzonden", "x.<b>ABCD-EFGH-JKMN</b>.n", path="/verhaal")

    page = client.get("/verhaal/bedankt").get_data(as_text=True)

    assert "ABCD-EFGH-JKMN" not in page and CODE_PATTERN.search(page) is None


def test_two_different_forms_are_two_stories_and_a_form_without_token_still_works(client):
    send(client, form_token(client.get("/verhaal").get_data(as_text=True)))
    send(client, form_token(client.get("/verhaal").get_data(as_text=True)))
    send(client, "")

    assert story_count() == 3


def test_withdrawing_a_story_removes_its_submission_token(client):
    token = form_token(client.get("/verhaal").get_data(as_text=True))
    thanks = client.get(send(client, token).headers["Location"]).get_data(as_text=True)

    client.post("/verhaal/intrekken", data={"code": CODE_PATTERN.search(thanks).group(1)})

    assert story_count() == 0
    assert db.session.scalar(select(UsedSubmissionToken.story_id)) is None


def test_a_rate_limited_story_comes_back_with_its_text_and_a_next_step(make_app):
    app = make_app(RATELIMIT="1/minute")
    client = app.test_client()
    with app.app_context():
        first = send(client, "t1", **{"X-Forwarded-For": "203.0.113.9"})
        second = send(client, "t2", text=STORY + " Nog een.")
        page = second.get_data(as_text=True)
        stored = story_count()

    assert first.status_code == 303
    assert second.status_code == 429
    assert "Uw tekst staat er nog: wacht een minuut" in page
    assert "Nog een.</textarea>" in page
    assert stored == 1


def test_a_pasted_document_far_over_the_limit_is_shown_back_not_refused_as_too_large(client):
    document = "Een heel lang stuk tekst uit een document. " * 2000  # 85,999 once trimmed

    response = send(client, "t", text=document)
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Maak het 80.999 tekens korter." in page
    assert page.count("Een heel lang stuk tekst uit een document.") > 1000
    assert story_count() == 0


def test_the_code_page_offers_copy_print_a_text_file_and_mail_to_myself(client):
    token = form_token(client.get("/verhaal").get_data(as_text=True))
    page = client.get(send(client, token).headers["Location"]).get_data(as_text=True)
    code = CODE_PATTERN.search(page).group(1)

    assert "Kopieer de code" in page and "Print deze pagina" in page
    download = re.search(
        r'download="weefsel-intrekcode.txt" href="data:text/plain;[^,]*,([^"]+)"', page
    )
    assert code in unquote(download.group(1))
    mail = re.search(r'href="mailto:\?subject=[^&]+&amp;body=([^"]+)"', page)
    assert code in unquote(mail.group(1))
    assert "wij zien en bewaren uw adres niet" in page
