"""Flask extensions, created unbound and initialised in create_app."""

from typing import Any

from flask import Flask, current_app, has_app_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()


class AppLimiter(Limiter):
    """Flask-Limiter with each app's own RATELIMIT_ENABLED.

    Flask-Limiter keeps `enabled` on its one instance, so the app initialised last decided for
    every app in the process: a test app with limits switched them on for the browser tests'
    shared server, whose residents then got "Te vaak geprobeerd" depending on the test order.
    """

    @property  # type: ignore[override]
    def enabled(self) -> bool:
        """Whether the current app limits requests (outside an app: the value last set)."""
        if has_app_context():
            return bool(current_app.config.get("RATELIMIT_ENABLED", self._enabled))
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = bool(value)


limiter = AppLimiter(key_func=get_remote_address, default_limits=[])


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; the public form pages are not marked `Vary: Cookie`.

    Every form page is the answer to a POST. The browser's Back button shows such a page from its
    cache only when the request's cookies still match: after a session expired (new cookie) the
    resident got "ERR_CACHE_MISS" instead of their previous page. The pages are
    `Cache-Control: private, no-cache`, so no shared cache keeps them anyway.
    """

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Save the session, then drop Cookie from Vary on the form pages."""
        super().save_session(app, session, response)
        if request.endpoint == "forms.fill":
            response.vary.discard("Cookie")
            response.headers["Cache-Control"] = "private, no-cache"
