"""Flask extension objects, created unbound and initialised in create_app."""

import functools

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them later, also on SQLite (batch mode).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def limit_posts(limit_value, on_breach=None):
    """Flask-Limiter's `limit` for a view's POSTs only, not even consulted for other requests or
    when rate limiting is off (RATELIMIT_ENABLED, per app): its wrapper evaluates every limit on
    every request, a GET or a disabled limiter included, which was a tenth of the story form's
    CPU per request."""

    def decorate(view):
        limited = limiter.limit(limit_value, methods=["POST"], on_breach=on_breach)(view)

        @functools.wraps(view)
        def dispatch(*args, **kwargs):
            if request.method == "POST" and current_app.config.get("RATELIMIT_ENABLED", True):
                return limited(*args, **kwargs)
            return view(*args, **kwargs)

        return dispatch

    return decorate
