"""Flask's signed session cookie, with its signing serializer built once per app.

Flask builds a new serializer (key derivation set-up included) on every request that opens or
saves a session; every story POST opens one for its CSRF check. The cookie's format, key,
salt and fallback keys are Flask's own, so existing sessions stay valid.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class SessionCookieInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = app.extensions.get("weefsel_session_serializer")
        if cached is not None and cached[0] == key:
            return cached[1]
        serializer = super().get_signing_serializer(app)
        app.extensions["weefsel_session_serializer"] = (key, serializer)
        return serializer
