"""Demo data: areas, initiatives and stories over the last 18 months, loaded idempotently."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import AGE_BANDS, Initiative, StaffUser, Story
from . import activity as activity_service
from . import areas as area_service
from . import initiative_links, signification_demo
from .gemeenten import gemeente_id_of_area
from .staff_accounts import create_staff_user
from .stories import hash_withdrawal_code

DEMO_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_INITIATIVES = DEMO_DIR / "demo_initiatives.json"
DEMO_STORIES = DEMO_DIR / "demo_stories.jsonl"
DEMO_MONTHS = 18


def months_back(today: dt.date, count: int) -> list[dt.date]:
    """The first day of this month and the count-1 months before it, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def load_demo_initiatives(session: Session) -> dict[str, Initiative]:
    specs = json.loads(DEMO_INITIATIVES.read_text(encoding="utf-8"))
    by_slug = {i.slug: i for i in session.scalars(select(Initiative))}
    for spec in specs:
        initiative = by_slug.get(spec["slug"]) or Initiative(slug=spec["slug"])
        area = area_service.area_by_code(session, spec["area"])
        initiative.name = spec["name"]
        initiative.area_id = area.id if area else None
        initiative.gemeente_id = area.gemeente().id if area else None
        initiative.contact_name = spec.get("contact_name")
        initiative.contact_email = spec.get("contact_email")
        initiative.subsidy_eur_per_year = spec.get("subsidy_eur_per_year")
        session.add(initiative)
        by_slug[spec["slug"]] = initiative
    session.commit()
    return by_slug


def load_demo_stories(
    session: Session, initiatives: dict[str, Initiative], today: dt.date, code_key: str
) -> int:
    """Spread the demo stories over the last months; each story is keyed by a demo code."""
    rng = random.Random(20261124)
    months = months_back(today, DEMO_MONTHS)
    # Half the stories fall in the current quarter, so this quarter's report for a stadsdeel has
    # enough stories to show (cells under 5 stories are suppressed); the rest spread back.
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    recent = sum(1 for m in months if m >= quarter_start)
    month_weights = [(len(months) - recent) / recent if m >= quarter_start else 1 for m in months]
    added = 0
    lines = [
        json.loads(line)
        for line in DEMO_STORIES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for number, spec in enumerate(lines, start=1):
        code_hash = hash_withdrawal_code(f"DEMO{number:08d}", code_key)
        if session.scalar(
            select(func.count()).select_from(Story).where(Story.withdrawal_code_hash == code_hash)
        ):
            continue
        initiative = initiatives.get(spec.get("initiative") or "")
        area_id = initiative.area_id if initiative else None
        if area_id is None and spec.get("area"):
            area = area_service.area_by_code(session, spec["area"])
            area_id = area.id if area else None
        session.add(
            Story(
                text=spec["text"],
                language=spec.get("lang", "nl"),
                languages=[spec.get("lang", "nl")],
                channel="form",
                submitted_month=rng.choices(months, weights=month_weights)[0],
                area_id=area_id,
                gemeente_id=gemeente_id_of_area(session, area_id),
                initiative_id=initiative.id if initiative else None,
                age_band=rng.choice((None,) + AGE_BANDS),
                consent_quote=rng.random() < 0.7,
                consent_research=rng.random() < 0.6,
                withdrawal_code_hash=code_hash,
                status=rng.choice(("approved", "approved", "pending")),
            )
        )
        added += 1
    session.commit()
    return added


@dataclass(frozen=True)
class DemoAccount:
    """A demo-only account, printed by `weefsel demo load` and listed in the README."""

    email: str
    name: str
    role: str
    area_code: str | None  # None: every area
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.weefsel.nl", "Demo beheerder", "admin", None, "demo-admin-2026"),
    DemoAccount(
        "beheer@demo.weefsel.nl", "Demo coördinator", "coordinator", None, "demo-beheer-2026"
    ),
    DemoAccount(
        "feijenoord@demo.weefsel.nl",
        "Demo coördinator Feijenoord",
        "coordinator",
        "rotterdam/feijenoord",
        "demo-feijenoord-2026",
    ),
    DemoAccount(
        "controle@demo.weefsel.nl", "Demo controleur", "reviewer", None, "demo-controle-2026"
    ),
    DemoAccount(
        "raad@demo.weefsel.nl",
        "Demo raadslid Rotterdam",
        "councillor",
        "rotterdam",
        "demo-raad-2026",
    ),
    DemoAccount(
        "onderzoek@demo.weefsel.nl", "Demo onderzoeker", "researcher", None, "demo-onderzoek-2026"
    ),
)


class DemoRefused(RuntimeError):
    """The database holds data that is not demo data; loading demo accounts there is unsafe."""


def _demo_story_hashes(count: int, code_key: str) -> set[str]:
    return {hash_withdrawal_code(f"DEMO{number:08d}", code_key) for number in range(1, count + 1)}


def non_demo_data(session: Session, code_key: str = "demo") -> dict[str, int]:
    """How many accounts, initiatives and stories in the database are not demo data."""
    demo_emails = [account.email for account in DEMO_ACCOUNTS]
    demo_slugs = [spec["slug"] for spec in json.loads(DEMO_INITIATIVES.read_text("utf-8"))]
    story_count = sum(1 for line in DEMO_STORIES.read_text("utf-8").splitlines() if line.strip())
    demo_stories = sorted(_demo_story_hashes(story_count, code_key))
    found = {
        "accounts": select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.email.not_in(demo_emails)),
        "initiatives": select(func.count())
        .select_from(Initiative)
        .where(Initiative.slug.not_in(demo_slugs)),
        "stories": select(func.count())
        .select_from(Story)
        .where(
            or_(
                Story.withdrawal_code_hash.is_(None),
                Story.withdrawal_code_hash.not_in(demo_stories),
            )
        ),
    }
    return {name: count for name, query in found.items() if (count := session.scalar(query) or 0)}


def load_demo_accounts(session: Session) -> int:
    added = 0
    for account in DEMO_ACCOUNTS:
        if session.scalar(select(StaffUser).where(StaffUser.email == account.email)) is None:
            area = (
                area_service.area_by_code(session, account.area_code) if account.area_code else None
            )
            create_staff_user(
                session,
                account.email,
                account.name,
                account.password,
                role=account.role,
                area_id=area.id if area else None,
            )
            added += 1
    return added


def demo_month_values(rng: random.Random, size: float, month_index: int) -> dict[str, int]:
    """Plausible monthly figures for an initiative of a given size, growing slowly."""
    growth = 1 + 0.02 * month_index
    activities = max(1, round(rng.gauss(8 * size, 2) * growth))
    unique = max(3, round(rng.gauss(30 * size, 6) * growth))
    visits = max(unique, round(unique * rng.uniform(1.8, 3.2)))
    volunteers = max(1, round(rng.gauss(6 * size, 1.5)))
    return {
        "activiteiten": activities,
        "bezoeken": visits,
        "unieke_deelnemers": unique,
        "nieuwe_deelnemers": min(unique, max(0, round(rng.gauss(4 * size, 2)))),
        "vrijwilligers": volunteers,
        "vrijwilligersuren": round(volunteers * rng.uniform(6, 14)),
        "maaltijden": round(visits * rng.uniform(0.3, 0.8)) if rng.random() < 0.5 else 0,
        "verwijzingen": max(0, round(rng.gauss(1.5 * size, 1))),
    }


def load_demo_activity(
    session: Session, initiatives: dict[str, Initiative], today: dt.date, secret_key: str
) -> int:
    """18 months of figures per initiative, up to the last complete month (figures are for a
    whole month, so the month of ``today`` has none); some have not reported that month yet."""
    definition = activity_service.load_activity_definition()
    months = months_back(activity_service.last_complete_month(today), DEMO_MONTHS)
    added = 0
    for number, initiative in enumerate(sorted(initiatives.values(), key=lambda i: i.slug)):
        if initiative.link_token_hash is None:
            initiative_links.issue_link_token(session, initiative, secret_key)
        rng = random.Random(f"demo-activity-{initiative.slug}")
        size = rng.uniform(0.5, 2.5)
        for index, month in enumerate(months):
            if month == months[-1] and number % 3 == 0:
                continue  # leaves a few initiatives on the staff's "not yet reported" list
            if activity_service.report_for(session, initiative, month) is not None:
                continue
            values = {
                name: value
                for name, value in demo_month_values(rng, size, index).items()
                if name in {f.name for f in definition.value_fields}
            }
            report, _changed = activity_service.save_monthly_report(
                session, initiative, month, values, definition, commit=False
            )
            report.locked = month < months[-3]
            added += 1
    session.commit()
    return added


def demo_initiative_link(session: Session, secret_key: str) -> tuple[str, str] | None:
    """(name, token) of one demo initiative with a working personal link, for a tester to open
    /doorgeven/<token>; None when none has one."""
    for initiative in session.scalars(select(Initiative).order_by(Initiative.slug)):
        token = initiative_links.current_link_token(initiative, secret_key)
        if token is not None:
            return initiative.name, token
    return None


def load_demo_data(
    session: Session,
    today: dt.date,
    secret_key: str = "demo",
    code_key: str = "demo",
    force: bool = False,
) -> dict[str, int]:
    """Everything `weefsel demo load` puts in; running it twice adds nothing new.

    Refuses (DemoRefused) a database with accounts, initiatives or stories that are not demo
    data, unless `force`: demo accounts have published passwords.
    """
    foreign = non_demo_data(session, code_key)
    if foreign and not force:
        raise DemoRefused(", ".join(f"{count} {name}" for name, count in foreign.items()))
    area_count = area_service.load_areas(session)
    load_demo_accounts(session)
    postcode_count = area_service.load_postcodes(session, area_service.POSTCODES_SAMPLE_FILE)
    initiatives = load_demo_initiatives(session)
    stories_added = load_demo_stories(session, initiatives, today, code_key)
    activity_added = load_demo_activity(session, initiatives, today, secret_key)
    answers_added = signification_demo.load_demo_answers(session)
    return {
        "stories with self-signification answers added": answers_added,
        "monthly reports added": activity_added,
        "areas": area_count,
        "postcodes": postcode_count,
        "initiatives": len(initiatives),
        "stories added": stories_added,
        "stories total": session.scalar(select(func.count()).select_from(Story)) or 0,
    }
