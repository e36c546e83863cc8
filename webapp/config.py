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
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key_from_instance(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first start."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


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
        "RATELIMIT": env.get("WEEFSEL_RATELIMIT", "10/minute"),
        "MODEL_DIR": env.get("WEEFSEL_MODEL_DIR") or None,
        # Session cookies travel over https only, unless a local demo on plain http says "0".
        "SESSION_COOKIE_SECURE": env.get("WEEFSEL_SECURE_COOKIES", "1") != "0",
        # Links handed to people (initiative, share, invitation and reset links) start with this.
        "BASE_URL": env.get("WEEFSEL_BASE_URL") or DEFAULT_BASE_URL,
        # Roles that may read original story text must log in with a TOTP code as well.
        "REQUIRE_TOTP": env.get("WEEFSEL_REQUIRE_TOTP", "0") == "1",
        # Behind a reverse proxy: how many proxies set X-Forwarded-For (rate limits per resident).
        "PROXY_HOPS": int(env.get("WEEFSEL_PROXY_HOPS", "0") or 0),
    }
