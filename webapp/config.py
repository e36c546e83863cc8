"""Settings read once from the environment, with safe defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
TRANSLATIONS_PATH = PROJECT_ROOT / "translations"
MIGRATIONS_PATH = PROJECT_ROOT / "migrations"

MAX_REQUEST_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_STORY_REQUEST_BYTES = 1024 * 1024  # a story form with up to ~250,000 characters is read
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key_from_instance(instance_path: Path, name: str = "secret_key") -> str:
    """Read a secret key kept in the instance folder, creating it on first start."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / name
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _words(value: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in value.replace(";", ",").split(",") if word.strip())


# Retention periods (how long each kind of data is kept), with the defaults the privacy
# statement names; each can be changed with WEEFSEL_RETENTION_<NAME>.
RETENTION_DEFAULTS = {
    "STORY_MONTHS": 24,  # stories without research consent, counted from the month sent
    "RESEARCH_STORY_MONTHS": 60,  # stories with research consent
    "REJECTED_STORY_DAYS": 30,  # stories staff did not accept, counted from the decision
    "WITHDRAWAL_TRACE_MONTHS": 12,  # the audit row saying a story was withdrawn
    "AUDIT_MONTHS": 24,  # every other audit row
    "SHARE_LINK_DAYS": 30,  # revoked or expired share links, counted from revocation/expiry
    "INACTIVE_ACCOUNT_MONTHS": 12,  # staff accounts nobody logged in to
}


def privacy_settings(env) -> dict:
    """Who is responsible for the data, the legal bases, and the retention periods."""
    settings = {
        # The municipality (or organisation) responsible for the data, and how to reach it.
        "PRIVACY_CONTROLLER": env.get("WEEFSEL_PRIVACY_CONTROLLER", "").strip(),
        "PRIVACY_CONTACT": env.get("WEEFSEL_PRIVACY_CONTACT", "").strip(),
        # Where visitors report an accessibility problem (else the privacy contact).
        "ACCESSIBILITY_CONTACT": env.get("WEEFSEL_ACCESSIBILITY_CONTACT", "").strip(),
        # Its data protection officer (functionaris gegevensbescherming).
        "PRIVACY_DPO": env.get("WEEFSEL_PRIVACY_DPO", "").strip(),
        # "consent": residents are asked for explicit consent before telling about health
        # (AVG art. 9(2)(a)); any other text names the legal basis the municipality relies on.
        "HEALTH_DATA_BASIS": env.get("WEEFSEL_HEALTH_DATA_BASIS", "consent").strip() or "consent",
    }
    for name, default in RETENTION_DEFAULTS.items():
        raw = env.get(f"WEEFSEL_RETENTION_{name}", "")
        try:
            value = int(raw) if raw.strip() else default
        except ValueError:
            raise ValueError(
                f"WEEFSEL_RETENTION_{name} must be a whole number, not {raw!r}"
            ) from None
        if value < 0:
            raise ValueError(f"WEEFSEL_RETENTION_{name} must not be negative")
        settings[f"RETENTION_{name}"] = value
    return settings


def settings_from_environment(environ: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from WEEFSEL_* environment variables."""
    env = os.environ if environ is None else environ
    instance_path = Path(env.get("WEEFSEL_INSTANCE_PATH", DEFAULT_INSTANCE_PATH))
    database_url = (
        env.get("WEEFSEL_DATABASE_URL") or f"sqlite:///{instance_path / 'weefsel.sqlite'}"
    )
    return {
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SECRET_KEY": env.get("WEEFSEL_SECRET_KEY") or None,
        # Keys the withdrawal-code hashes; separate from SECRET_KEY so rotating that one
        # (sessions, links) does not make residents' codes useless.
        "WITHDRAWAL_CODE_KEY": env.get("WEEFSEL_WITHDRAWAL_CODE_KEY") or None,
        "RATELIMIT": env.get("WEEFSEL_RATELIMIT", "10/minute"),
        "MODEL_DIR": env.get("WEEFSEL_MODEL_DIR") or None,
        "OUTCOME_MODEL_DIR": env.get("WEEFSEL_OUTCOME_MODEL_DIR") or None,
        # Session cookies travel over https only, unless a local demo on plain http says "0".
        "SESSION_COOKIE_SECURE": env.get("WEEFSEL_SECURE_COOKIES", "1") != "0",
        # Links handed to people (initiative, share, invitation and reset links) start with this.
        "BASE_URL": env.get("WEEFSEL_BASE_URL") or DEFAULT_BASE_URL,
        # Roles that may read original story text must log in with a TOTP code as well.
        "REQUIRE_TOTP": env.get("WEEFSEL_REQUIRE_TOTP", "0") == "1",
        # Roles that may ask to see a story's original (not de-identified) text, in their scope.
        "ORIGINAL_TEXT_ROLES": _words(env.get("WEEFSEL_ORIGINAL_TEXT_ROLES", "admin,coordinator")),
        **privacy_settings(env),
        # Behind a reverse proxy: how many proxies set X-Forwarded-For (rate limits per resident).
        "PROXY_HOPS": int(env.get("WEEFSEL_PROXY_HOPS", "0") or 0),
        # Days a new report share link works (staff can revoke it sooner).
        "SHARE_LINK_DAYS": int(env.get("WEEFSEL_SHARE_LINK_DAYS", "90") or 90),
        # Whom initiatives ask for a new personal link (name, e-mail or phone), shown on the
        # page of a replaced or switched-off link.
        "CONTACT": env.get("WEEFSEL_CONTACT", "").strip(),
        # Background jobs: Redis when set, else a SQLite queue file in the instance folder.
        "REDIS_URL": env.get("WEEFSEL_REDIS_URL") or None,
        "JOBS_STALE_SECONDS": int(env.get("WEEFSEL_JOBS_STALE_SECONDS", "60") or 60),
        # Research export archives and report PDFs made by jobs (default: in the instance
        # folder; every web and job worker must see the same folder).
        "EXPORT_DIR": env.get("WEEFSEL_EXPORT_DIR") or None,
        "REPORT_FILE_DIR": env.get("WEEFSEL_REPORT_FILE_DIR") or None,
        # Days a finished research export waits for its download before the purge removes it.
        "EXPORT_FILE_DAYS": int(env.get("WEEFSEL_EXPORT_FILE_DAYS", "7") or 7),
        # A report PDF reading more stories than this is made by a background job (see
        # services/report_jobs.py and docs/scaling.md for the measurement behind 20,000).
        "REPORT_PDF_JOB_STORIES": int(env.get("WEEFSEL_REPORT_PDF_JOB_STORIES", "20000") or 20000),
    }
