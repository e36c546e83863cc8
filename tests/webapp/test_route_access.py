"""Every registered route, for every role in three scopes and anonymously, gets exactly what
the table below says.

ADDING A ROUTE? Add its endpoint to ROUTES, or this test fails on purpose:
- `Route(PUBLIC)` for pages anyone may open, `Route(TOKEN, values=...)` for pages opened with a
  secret link (an unknown token must be a 404);
- `Route(ANY_ACCOUNT)` for pages every logged-in account may open; `Route(LOGIN_STEP)` for a
  later step of logging in (without a login in progress it sends you to the login page);
- `Route(MANAGERS)` (or REVIEWERS, REPORT_READERS, EXPORTERS, ACCOUNT_MANAGERS, or a tuple of
  roles) for role pages; add `scoped=True` when the URL names one object (story, initiative,
  account, share link): the table then expects a 404 for accounts whose scope does not cover
  it. `values` builds the URL parameters from the World's objects; `data` is what a POST sends
  (chosen to be harmless and repeatable).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas, make_initiative, make_second_gemeente, make_story
from webapp.auth import ACCOUNT_MANAGERS, EXPORTERS, MANAGERS, REPORT_READERS, REVIEWERS
from webapp.extensions import db
from webapp.models import ROLES, ActivityReport, Area, BackgroundJob, ReportShareLink, utcnow
from webapp.services import export_jobs, initiative_links
from webapp.services.areas import area_by_code
from webapp.services.research_export import ExportFilter
from webapp.services.secret_tokens import hash_token
from webapp.services.staff_accounts import Grant, invite

PUBLIC = "public"
TOKEN = "token"
ANY_ACCOUNT = "any account"
LOGIN_STEP = "login step"  # a later step of logging in: without a pending login, back to step 1


@dataclass
class World:
    """The objects routes are called with; all of them lie in Testdam's stadsdeel Noord."""

    app: object
    story_id: int
    initiative_id: int
    initiative_token: str
    share_token: str
    wijk_id: int

    def new_share_link(self) -> int:
        link = ReportShareLink(
            token_hash=hash_token(secrets.token_urlsafe(24)),
            period="2026-Q1",
            area_code="testdam/noord",
        )
        db.session.add(link)
        db.session.commit()
        return link.id

    def new_account(self) -> int:
        user, _token = invite(
            db.session, f"{secrets.token_hex(6)}@example.org", "", [Grant("reviewer", self.wijk_id)]
        )
        return user.id

    def new_failed_job(self) -> str:
        """A council PDF nobody asked for by name, about the World's wijk: managers whose
        scope holds that wijk see it (services/job_visibility)."""
        area_code = db.session.get(Area, self.wijk_id).code
        job = BackgroundJob(
            id=secrets.token_hex(8),
            kind="reports.pdf",
            params={"parameters": {"period": "2026", "area_code": area_code}},
        )
        job.state = "failed"
        db.session.add(job)
        db.session.commit()
        return job.id

    def new_export_job(self, state: str = "done") -> str:
        """A research export requested by another researcher (only they and admins of
        everything may see it); a finished one has its archive on disk."""
        owner = make_account(f"{secrets.token_hex(6)}@example.org", "researcher")
        request = export_jobs.ExportRequest(ExportFilter(), ["csv"], 5, owner.id, utcnow())
        job = BackgroundJob(
            id=secrets.token_hex(8),
            kind=export_jobs.KIND,
            params=request.as_params(),
            created_by_id=owner.id,
        )
        job.state, job.result, job.finished_at = state, {"stories": 0, "suppressed": 0}, utcnow()
        db.session.add(job)
        db.session.commit()
        path = export_jobs.archive_path(self.app.config, job.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty ZIP
        return job.id

    def new_invite_token(self) -> str:
        _user, token = invite(
            db.session, f"{secrets.token_hex(6)}@example.org", "", [Grant("reviewer", self.wijk_id)]
        )
        return token


@dataclass(frozen=True)
class Route:
    access: str | tuple[str, ...]
    scoped: bool = False
    values: Callable[[World], dict] = lambda world: {}
    data: dict = field(default_factory=dict)
    # One person's own object (a research export): 404 for everyone but its owner and the
    # administrators of everything.
    owner_or_admin: bool = False


ROUTES: dict[str, Route] = {
    "site.home": Route(PUBLIC),
    "site.privacy": Route(PUBLIC),
    "site.accessibility": Route(PUBLIC),
    "resident.wijk_search": Route(PUBLIC, data={"q": "1055"}),
    "initiative.csv_template": Route(TOKEN, values=lambda w: {"token": w.initiative_token}),
    "staff.set_statuses": Route(MANAGERS, data={"status": "approved"}),
    "staff.undo_statuses": Route(MANAGERS),
    "staff.original_text": Route(MANAGERS, scoped=True, values=lambda w: {"story_id": w.story_id}),
    "staff.audit_log": Route(("admin",)),
    "staff.audit_log_csv": Route(("admin",)),
    "staff.jobs_overview": Route(MANAGERS),
    "staff.retry_job": Route(
        MANAGERS, scoped=True, values=lambda w: {"job_id": w.new_failed_job()}
    ),
    "staff.signification_gap": Route(MANAGERS),
    "review.story_outcome": Route(
        REVIEWERS, scoped=True, values=lambda w: {"story_id": w.story_id}, data={"outcome": "geen"}
    ),
    "site.switch_language": Route(PUBLIC, values=lambda w: {"code": "nl"}),
    "static": Route(PUBLIC, values=lambda w: {"filename": "weefsel.css"}),
    "resident.tell_story": Route(PUBLIC),
    "resident.thanks": Route(PUBLIC),
    "resident.withdraw_story": Route(PUBLIC),
    "initiative.monthly_form": Route(TOKEN, values=lambda w: {"token": w.initiative_token}),
    "initiative.overview": Route(TOKEN, values=lambda w: {"token": w.initiative_token}),
    "council.shared": Route(TOKEN, values=lambda w: {"token": w.share_token}),
    "council.shared_file": Route(TOKEN, values=lambda w: {"token": w.share_token, "kind": "json"}),
    "council.report_stylesheet": Route(PUBLIC),
    "accounts.set_password": Route(TOKEN, values=lambda w: {"token": w.new_invite_token()}),
    "staff.login": Route(PUBLIC),
    "staff.logout": Route(PUBLIC),
    "staff.dashboard": Route(ANY_ACCOUNT),
    "accounts.change_password": Route(ANY_ACCOUNT),
    "accounts.totp_setup": Route(ANY_ACCOUNT),
    "staff.login_code": Route(LOGIN_STEP),
    "staff.stories": Route(MANAGERS),
    "staff.set_status": Route(
        MANAGERS, scoped=True, values=lambda w: {"story_id": w.story_id}, data={"status": "pending"}
    ),
    "staff.initiatives_list": Route(MANAGERS),
    "staff.initiative_new": Route(MANAGERS),
    "staff.initiative_detail": Route(
        MANAGERS, scoped=True, values=lambda w: {"initiative_id": w.initiative_id}
    ),
    "staff.initiative_link": Route(
        MANAGERS, scoped=True, values=lambda w: {"initiative_id": w.initiative_id}
    ),
    "staff.initiative_month_lock": Route(
        MANAGERS,
        scoped=True,
        values=lambda w: {"initiative_id": w.initiative_id, "maand": "2026-01"},
        data={"action": "lock"},
    ),
    "staff.activity_import": Route(MANAGERS),
    "staff.activity_template": Route(MANAGERS),
    "review.queue": Route(REVIEWERS),
    "review.classify_waiting": Route(REVIEWERS),
    "review.story": Route(REVIEWERS, scoped=True, values=lambda w: {"story_id": w.story_id}),
    "review.agreement": Route(REVIEWERS),
    "council.reports": Route(REPORT_READERS),
    "council.report_file": Route(REPORT_READERS, values=lambda w: {"kind": "json"}),
    "council.share": Route(MANAGERS),
    "council.share_links": Route(MANAGERS),
    "council.revoke_share_link": Route(
        MANAGERS, scoped=True, values=lambda w: {"link_id": w.new_share_link()}
    ),
    "research.export": Route(EXPORTERS),
    "research.export_status": Route(
        EXPORTERS, owner_or_admin=True, values=lambda w: {"job_id": w.new_export_job()}
    ),
    "research.export_download": Route(
        EXPORTERS, owner_or_admin=True, values=lambda w: {"job_id": w.new_export_job()}
    ),
    "research.export_retry": Route(
        EXPORTERS, owner_or_admin=True, values=lambda w: {"job_id": w.new_export_job("failed")}
    ),
    "accounts.account_list": Route(ACCOUNT_MANAGERS),
    "accounts.account_invite": Route(ACCOUNT_MANAGERS),
    "accounts.account_detail": Route(
        ACCOUNT_MANAGERS, scoped=True, values=lambda w: {"user_id": w.new_account()}
    ),
    "accounts.account_deactivate": Route(
        ACCOUNT_MANAGERS, scoped=True, values=lambda w: {"user_id": w.new_account()}
    ),
    "accounts.account_reset_link": Route(
        ACCOUNT_MANAGERS, scoped=True, values=lambda w: {"user_id": w.new_account()}
    ),
}

# Every role is tried everywhere, in a scope that covers the World's objects and one that does not.
SCOPES = (None, "testdam/noord", "proefstad")
COVERING = {None: True, "testdam/noord": True, "proefstad": False}


@dataclass(frozen=True)
class Actor:
    role: str | None  # None: anonymous
    scope: str | None = None

    @property
    def label(self) -> str:
        return "anonymous" if self.role is None else f"{self.role}@{self.scope or 'all'}"


def expected(route: Route, actor: Actor) -> str:
    """'ok', 'login' (redirect to the login page), 'forbidden' (403) or 'hidden' (404)."""
    if route.access in (PUBLIC, TOKEN):
        return "ok"
    if route.access == LOGIN_STEP:
        return "login"
    if actor.role is None:
        return "login"
    if route.access == ANY_ACCOUNT:
        return "ok"
    if actor.role not in route.access:
        return "forbidden"
    if route.scoped and not COVERING[actor.scope]:
        return "hidden"
    if route.owner_or_admin and not (actor.role == "admin" and actor.scope is None):
        return "hidden"
    return "ok"


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/beheer/inloggen" in location:
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "hidden"
    assert response.status_code < 500, response.status_code
    return "ok"


@pytest.fixture
def world(app) -> World:
    areas = {**make_areas(), **make_second_gemeente()}
    wijk = areas["testdam/noord/vogelbuurt"]
    story = make_story(area=wijk, classified_version="test-1")
    initiative = make_initiative(area=wijk)
    db.session.add(
        ActivityReport(
            initiative_id=initiative.id,
            month=dt.date(2026, 1, 1),
            values={
                "activiteiten": 4,
                "bezoeken": 50,
                "unieke_deelnemers": 20,
                "nieuwe_deelnemers": 3,
                "vrijwilligers": 4,
                "vrijwilligersuren": 30,
            },
            definition_id="maandregistratie",
        )
    )
    db.session.commit()
    share_token = secrets.token_urlsafe(24)
    db.session.add(
        ReportShareLink(
            token_hash=hash_token(share_token), period="2026-Q1", area_code="testdam/noord"
        )
    )
    db.session.commit()
    token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    return World(app, story.id, initiative.id, token, share_token, wijk.id)


def _url(app, endpoint: str, values: dict) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)


def _calls(app, route_endpoint: str):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == route_endpoint)
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_in_the_table(app):
    registered = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert registered - set(ROUTES) == set(), "classify these new routes in ROUTES"
    assert set(ROUTES) - registered == set(), "these routes no longer exist; remove them"


def test_every_route_gives_each_role_and_scope_exactly_what_it_should(app, world):
    actors = [Actor(None)] + [Actor(role, scope) for role in ROLES for scope in SCOPES]
    # Logging out ends the session, so it comes last for every actor.
    order = sorted(ROUTES, key=lambda endpoint: endpoint == "staff.logout")
    mismatches = []
    for index, actor in enumerate(actors):
        client = app.test_client()
        if actor.role is not None:
            area = area_by_code(db.session, actor.scope) if actor.scope else None
            make_account(f"{actor.role}-{index}@example.org", actor.role, area)
            log_in_as(client, f"{actor.role}-{index}@example.org")
        for endpoint in order:
            route = ROUTES[endpoint]
            # Public pages behave alike for everyone: try them anonymously and once logged in.
            if route.access in (PUBLIC, TOKEN, LOGIN_STEP) and index > 1:
                continue
            for method in _calls(app, endpoint):
                url = _url(app, endpoint, route.values(world))
                response = client.open(url, method=method, data=route.data)
                response.close()
                got, want = outcome(response), expected(route, actor)
                if got != want:
                    mismatches.append(f"{actor.label} {method} {url}: {got}, expected {want}")
    assert mismatches == [], "\n".join(mismatches)


def test_secret_link_routes_refuse_unknown_tokens(client, world):
    for endpoint, route in ROUTES.items():
        if route.access != TOKEN:
            continue
        values = {**route.values(world), "token": secrets.token_urlsafe(24)}
        assert client.get(_url(world.app, endpoint, values)).status_code == 404, endpoint
