"""axe-core finds no WCAG 2.1 A/AA or best-practice violations on any screen: public pages and
forms in all five resident languages, staff screens in Dutch and English.

One browser per test; every page of a group is checked in a loop and all violations are
reported together, so one run shows everything that needs fixing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.public_pages import PUBLIC_PAGES
from tests.webapp.factories import make_areas, make_initiative, make_story
from webapp.extensions import db
from webapp.models import ThemeAssignment, utcnow
from webapp.services import activity, council_reports, initiative_links, share_links
from webapp.services.staff_accounts import create_staff_user

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RESIDENT_LANGUAGES = ("nl", "en", "tr", "ar", "pl")
STAFF_LANGUAGES = ("nl", "en")
SEND_STORY = "form[action$='/verhaal'] button[type=submit]:not([name])"
STORY = "Sinds ik naar de aanschuiftafel ga, eet ik niet meer elke avond alleen. Dat doet me goed."
ARABIC_STORY = "منذ أن بدأت أذهب إلى مقهى اللغة لم أعد أشعر بالوحدة."
THEMES = ("eenzaamheid", "eenzaamheid", "armoede", "gezondheid")
REPORT_SECTIONS = ("summary", "themes", "subareas", "activity", "cost", "initiatives", "quotes")
EMAIL = "coordinator@weefsel.test"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def violations_on(page, axe) -> list[dict]:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return axe.run(page, options=options).response["violations"]


def describe(problems: dict[str, list[dict]]) -> str:
    """Violations per page, one node per line, readable in a terminal."""
    lines = []
    for where, violations in problems.items():
        lines.append(f"\n== {where}")
        for violation in violations:
            lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"    at {', '.join(map(str, node['target']))}: {summary[:300]}")
            if len(violation["nodes"]) > 5:
                lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


class Checker:
    """Runs axe on the current page and remembers violations under a readable name."""

    def __init__(self, page, axe, base_url: str):
        self.page, self.axe, self.base_url, self.problems = page, axe, base_url, {}

    def goto(self, path: str):
        return self.page.goto(f"{self.base_url}{path}")

    def check(self, name: str) -> None:
        lang = self.page.locator("html").get_attribute("lang")
        found = violations_on(self.page, self.axe)
        width, viewport = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > viewport:
            found.append(
                {
                    "id": "reflow",
                    "impact": "serious",
                    "help": f"the page is {width}px wide in a {viewport}px phone screen (WCAG 1.4.10)",
                    "nodes": [],
                }
            )
        if found:
            self.problems[f"{name} [{lang}] {self.page.url}"] = found

    def switch_language(self, code: str) -> None:
        self.goto(f"/taal/{code}?next=/")
        assert self.page.locator("html").get_attribute("lang") == code

    def assert_clean(self) -> None:
        if self.problems:
            pytest.fail("axe-core found violations:" + describe(self.problems), pytrace=False)


def test_resident_and_initiative_pages_have_no_axe_violations(live_server, browser_page, axe):
    base_url, app = live_server
    this_month = dt.date.today().replace(day=1)
    with app.app_context():
        areas = make_areas()
        initiative = make_initiative("Buurthuiskamer De Linde", area=areas["testdam/noord"])
        token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
        definition = activity.load_activity_definition()
        month = this_month
        for visits in (120, 95, 140):
            month = (month - dt.timedelta(days=1)).replace(day=1)
            values = {"activiteiten": 8, "bezoeken": visits, "unieke_deelnemers": 40}
            activity.save_monthly_report(db.session, initiative, month, values, definition)

    page = browser_page
    checker = Checker(page, axe, base_url)
    for lang in RESIDENT_LANGUAGES:
        checker.switch_language(lang)
        for name, path in PUBLIC_PAGES:
            checker.goto(path)
            checker.check(name)

        checker.goto("/verhaal")
        page.locator("#wijk_search").fill("vogel")
        page.locator("button[name=find_wijk]").click()
        page.locator("#wijk-search-result p").wait_for()
        checker.check("story form with wijk search result")
        page.locator("#story").fill("te kort")
        page.locator(SEND_STORY).click()
        page.locator("#error-summary").wait_for()
        checker.check("story form with errors")
        page.locator("#story").fill(STORY)
        page.locator("#consent_quote").check()
        page.locator(SEND_STORY).click()
        page.wait_for_url("**/verhaal/bedankt")
        code = page.locator("#withdrawal-code").inner_text().strip()
        checker.check("thank-you page")

        checker.goto("/verhaal/intrekken")
        page.locator("#code").fill("ABCD-EFGH-JKLM")
        page.locator("main form button[type=submit]").click()
        page.locator("#error-summary").wait_for()
        checker.check("withdraw form with wrong code")
        page.locator("#code").fill(code)
        page.locator("main form button[type=submit]").click()
        page.locator("main form").wait_for(state="detached")
        checker.check("story withdrawn")

        checker.goto("/verhaal")
        page.locator("#story").fill(STORY)
        page.evaluate("document.getElementById('website').value = 'https://spam.example'")
        page.locator(SEND_STORY).click()
        page.locator("main form").wait_for(state="detached")
        checker.check("story rejected as automatic")

        response = checker.goto("/bestaat-niet")
        assert response.status == 404
        checker.check("404 page")

        checker.goto(f"/doorgeven/{token}")
        checker.check("monthly form")
        page.locator("#bezoeken").fill("veel")
        page.locator("main form[method=post] button[type=submit]").click()
        page.locator("#error-summary").wait_for()
        checker.check("monthly form with errors")

        checker.goto(f"/doorgeven/{token}/overzicht")
        checker.check("monthly overview")

        response = checker.goto("/doorgeven/een-oude-link")
        assert response.status == 404
        checker.check("page of a link that does not work")
    checker.assert_clean()


def make_council_report_data(areas: dict) -> tuple:
    """Enough stories, themes and activity that every section of the council report appears."""
    wijken = [areas["testdam/noord/vogelbuurt"], areas["testdam/zuid/rivierenwijk"]]
    definition = activity.load_activity_definition()
    initiatives = [
        make_initiative(name, area=wijk, subsidy_eur_per_year=12_000)
        for name, wijk in (
            ("Taalcafé Zuid", wijken[1]),
            ("Huiskamer Noord", wijken[0]),
            ("Aanschuiftafel", wijken[0]),
        )
    ]
    for initiative in initiatives:
        for number in range(1, 7):
            values = {"activiteiten": 4 + number, "bezoeken": 60 + 10 * number}
            values |= {"unieke_deelnemers": 25, "vrijwilligers": 5, "vrijwilligersuren": 30}
            month = dt.date(2026, number, 1)
            activity.save_monthly_report(db.session, initiative, month, values, definition)
    for number in range(40):
        theme = THEMES[number % len(THEMES)]
        story = make_story(
            text=f"Sinds ik bij het taalcafé kom, ben ik minder alleen. Verhaal {number}.",
            area_id=wijken[number % 2].id,
            initiative_id=initiatives[number % 3].id,
            submitted_month=dt.date(2026, 1 + number % 6, 1),
            status="approved",
            consent_quote=True,
        )
        for key in dict.fromkeys(THEMES):  # one model row per theme (a unique index says so)
            db.session.add(
                ThemeAssignment(
                    story_id=story.id,
                    theme=key,
                    score=0.9 if key == theme else 0.1,
                    assigned=key == theme,
                    source="model",
                    model_version="test",
                )
            )
    db.session.commit()
    return initiatives[0], story


def test_staff_council_and_research_pages_have_no_axe_violations(live_server, browser_page, axe):
    base_url, app = live_server
    with app.app_context():
        areas = make_areas()
        initiative, story = make_council_report_data(areas)
        make_story(text=ARABIC_STORY, language="ar", area_id=areas["testdam/zuid"].id)
        coordinator = create_staff_user(db.session, EMAIL, "Beheerder", PASSWORD, role="admin")
        reviewer = create_staff_user(
            db.session, "controle@example.org", "Controleur", PASSWORD, role="reviewer"
        )
        reviewer_id = reviewer.id
        _link, share_token = share_links.create_share_link(
            db.session,
            council_reports.ReportParameters("2026", "testdam"),
            coordinator,
            secret_key=app.config["SECRET_KEY"],
            now=utcnow(),
        )
        initiative_id, story_id = initiative.id, story.id

    page = browser_page
    checker = Checker(page, axe, base_url)
    staff_pages = [
        ("staff overview", "/beheer/"),
        ("stories", "/beheer/verhalen"),
        ("initiatives", "/beheer/initiatieven"),
        ("initiative detail", f"/beheer/initiatieven/{initiative_id}"),
        ("theme review queue", "/beheer/themas/"),
        ("council report", "/raad/?periode=2026&gebied=testdam"),
        ("research export", "/onderzoek/export"),
        ("new initiative", "/beheer/initiatieven/nieuw"),
        ("activity import", "/beheer/initiatieven/import"),
        ("theme check of one story", f"/beheer/themas/verhaal/{story_id}"),
        ("agreement between staff", "/beheer/themas/overeenstemming"),
        ("share links", "/raad/deellinks"),
        ("accounts", "/beheer/accounts"),
        ("invite an account", "/beheer/accounts/uitnodigen"),
        ("one account", f"/beheer/accounts/{reviewer_id}"),
        ("change password", "/beheer/wachtwoord"),
        ("second login step", "/beheer/tweestaps"),
    ]
    for lang in STAFF_LANGUAGES:
        checker.switch_language(lang)
        checker.goto(f"/raad/gedeeld/{share_token}")
        checker.check("shared report")
        checker.goto("/beheer/inloggen")
        checker.check("staff login")
        page.locator("main form button[type=submit]").click()
        page.locator("#error-summary").wait_for()
        checker.check("staff login with errors")
        page.locator("#email").fill(EMAIL)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/beheer/")
        for name, path in staff_pages:
            response = checker.goto(path)
            assert response.ok, f"{path} answered {response.status}"
            checker.check(name)
            if name == "council report":
                sections = page.locator(".weefsel-report section").evaluate_all(
                    "sections => sections.map(s => s.id.replace('report-', ''))"
                )
                assert set(REPORT_SECTIONS) <= set(sections), sections
        checker.goto("/onderzoek/export")
        for box in page.locator("#formaten input[type=checkbox]").all():
            box.uncheck()
        page.locator("main form button[type=submit]").click()
        page.locator("#error-summary").wait_for()
        checker.check("research export with errors")
        page.goto(f"{base_url}/beheer/verhalen")
        assert page.get_by_text(ARABIC_STORY).get_attribute("lang") == "ar"
        page.locator(".site-nav form button[type=submit]").click()
        page.wait_for_load_state()
    checker.assert_clean()


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {id: el.id || el.className || el.tagName, visible: style.outlineStyle !== "none"
          && parseFloat(style.outlineWidth) >= 2};
}"""


def test_story_form_works_with_the_keyboard_and_focuses_the_error_summary(
    live_server, browser_page
):
    base_url, _app = live_server
    page = browser_page
    page.goto(f"{base_url}/verhaal")
    fields = ["story", "wijk_search", "wijk", "initiative", "age_band"]
    fields += ["consent_quote", "consent_research"]
    order = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["visible"], f"no visible focus on {focused['id']}"
        order.append(focused["id"])
        if focused["id"] == "button":
            break
    assert order[0] == "skip-link"
    assert [name for name in order if name in fields] == fields
    assert order[-1] == "button", f"the send button is not reached by Tab: {order}"

    page.keyboard.press("Enter")  # sends the empty form
    # error-summary.js runs deferred: wait for it to move focus rather than racing it.
    page.wait_for_function("document.activeElement.id === 'error-summary'", timeout=5000)
    assert page.evaluate(FOCUSED)["visible"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#story"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "story"
