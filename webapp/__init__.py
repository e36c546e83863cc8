"""Weefsel web application: create_app() builds a configured Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from .converters import BoundedIntConverter
from .extensions import babel, csrf, db, limiter, migrate
from .languages import RESIDENT_LOCALES, language_menu, select_locale, text_direction
from .session_cookie import SessionCookieInterface
from .write_turns import WriteTurns, lock_path_for

SUPPORTED_LOCALES = RESIDENT_LOCALES


def _configure_sqlite(app: Flask) -> None:
    """WAL and a busy timeout let several server threads/processes share one SQLite file."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Safe with WAL (no corruption on power loss) and avoids an fsync per commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows (withdrawn or purged stories) are overwritten, not left in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()


# Responses without any data in them (style sheets, icons); everything else is no-store.
CACHEABLE_ENDPOINTS = frozenset({"static", "council.report_stylesheet"})
# Sent with every response unless the view set its own value.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'",
    ),
)
UPLOAD_ENDPOINTS = frozenset({"staff.activity_import"})
# The story form reads a body far beyond the story limit, so an over-long story (a pasted
# document) comes back with its text and a count instead of a bare "too large" page.
STORY_ENDPOINTS = frozenset({"resident.tell_story"})


def allow_large_uploads() -> None:
    """Requests stay under 64 KB; stories may be larger to be shown back; staff spreadsheet
    uploads larger still."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = settings.MAX_UPLOAD_BYTES
    elif request.endpoint in STORY_ENDPOINTS:
        request.max_content_length = settings.MAX_STORY_REQUEST_BYTES


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by `config`."""
    merged = settings.settings_from_environment()
    merged.update(config or {})
    instance_path = Path(merged.pop("INSTANCE_PATH"))
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=False)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.MAX_REQUEST_BYTES,
        # A server database may drop connections (a restart): test each one before use. A
        # SQLite file has no connection to lose, and the ping was a tenth of a story POST.
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": not str(merged.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")
        },
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=str(settings.TRANSLATIONS_PATH),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update(merged)
    app.session_interface = SessionCookieInterface()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key_from_instance(instance_path)
    if not app.config.get("WITHDRAWAL_CODE_KEY"):
        app.config["WITHDRAWAL_CODE_KEY"] = settings.secret_key_from_instance(
            instance_path, "withdrawal_code_key"
        )
    for name, folder in (("EXPORT_DIR", "exports"), ("REPORT_FILE_DIR", "report_files")):
        if not app.config.get(name):
            app.config[name] = str(instance_path / folder)
    ratelimit = str(app.config.get("RATELIMIT") or "off")
    app.config["RATELIMIT_ENABLED"] = ratelimit.lower() != "off"

    # Before any route is added: every <int:...> refuses ids no database column can hold.
    app.url_map.converters["int"] = BoundedIntConverter
    app.jinja_env.add_extension("jinja2.ext.do")
    # Registered before CSRFProtect so the larger limit applies when it reads the form.
    app.before_request(allow_large_uploads)
    if app.config.get("PROXY_HOPS"):
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"]
        )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.MIGRATIONS_PATH))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    _configure_sqlite(app)
    app.extensions["weefsel_write_turns"] = WriteTurns(
        lock_path_for(app.config["SQLALCHEMY_DATABASE_URI"])
    )

    from . import cli, errors, site, templating
    from .accounts.views import bp as accounts_bp
    from .council.views import bp as council_bp
    from .initiative.views import bp as initiative_bp
    from .research.views import bp as research_bp
    from .resident.views import bp as resident_bp
    from .review.views import bp as review_bp
    from .services.job_visibility import visible_failed_job_count
    from .services.outcomes import OutcomeModelHolder
    from .services.story_choices import (
        StoryChoiceCache,
        invalidate_for_current_app,
        watch_for_changes,
    )
    from .services.themes import ClassifierHolder
    from .staff.views import bp as staff_bp
    from .task_queue import JobQueue

    app.register_blueprint(site.bp)
    app.register_blueprint(resident_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(initiative_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(council_bp)
    app.register_blueprint(research_bp)
    app.register_blueprint(accounts_bp)
    app.extensions["weefsel_classifier"] = ClassifierHolder(app.config.get("MODEL_DIR"))
    app.extensions["weefsel_outcome_model"] = OutcomeModelHolder(
        app.config.get("OUTCOME_MODEL_DIR")
    )
    app.extensions["weefsel_queue"] = JobQueue(app)
    # The staff start page counts the failed jobs its viewer may see through this
    # (services/staff_dashboard, services/job_visibility).
    app.extensions["weefsel_failed_jobs_counter"] = visible_failed_job_count
    app.extensions["weefsel_story_choices"] = StoryChoiceCache(instance_path)
    watch_for_changes(invalidate_for_current_app)
    templating.register_template_helpers(app)
    errors.register_error_handlers(app)
    cli.register_commands(app)

    @app.context_processor
    def _template_globals():
        locale = select_locale()
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "language_menu": language_menu,
        }

    @app.after_request
    def _security_headers(response):
        # One pass over the headers the view set (Headers.setdefault scans them per call).
        present = {key.lower() for key, _ in response.headers}
        for key, value in SECURITY_HEADERS:
            if key.lower() not in present:
                response.headers.add(key, value)
        # Nothing but the static files may be kept by a browser or proxy: staff, council,
        # research and share pages and every download carry personal or unpublished data.
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure and "strict-transport-security" not in present:
            response.headers.add("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    return app
