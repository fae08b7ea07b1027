"""participatie: residents tell their care region what goes wrong in care close to home."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from participatie.config import ConfigError, load_config

__all__ = ["ConfigError", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, logging, database, extensions, blueprints, commands."""
    app = Flask(__name__, instance_path=os.environ.get("PARTICIPATIE_INSTANCE_PATH"))
    load_config(app, config)
    if app.config["PROXY_HOPS"]:
        # trust X-Forwarded-For/-Proto from exactly that many proxies: the client address
        # the rate limits count is then the resident's, not the proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from participatie import db, errors, i18n, jobs, logs, regions, security
    from participatie.extensions import SessionInterface, csrf, limiter
    from participatie.views import aftercare, forms, loop, public, subscriptions, workspace

    logs.init_app(app)
    security.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    regions.init_app(app)
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    limiter.init_app(app)
    errors.init_app(app)
    jobs.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(subscriptions.bp)
    app.register_blueprint(forms.bp)
    app.register_blueprint(loop.bp)
    app.register_blueprint(aftercare.bp)
    app.register_blueprint(workspace.bp)

    from participatie.cli import register_commands

    register_commands(app)
    return app
