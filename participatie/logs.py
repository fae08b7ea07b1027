"""Logging that never carries personal data: no bodies, no query strings, no form values."""

from __future__ import annotations

import logging

from flask import Flask, request


class _NoQueryFilter(logging.Filter):
    """Drop query strings from werkzeug's access lines, where codes or e-mails could appear."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                a.split("?", 1)[0] if isinstance(a, str) and "HTTP/" in a else a
                for a in record.args
            )
        return True


def init_app(app: Flask) -> None:
    """Configure the app logger and log each error with its path only."""
    app.logger.setLevel(logging.INFO)
    logging.getLogger("werkzeug").addFilter(_NoQueryFilter())

    @app.after_request
    def _log_server_errors(response):  # type: ignore[no-untyped-def]
        if response.status_code >= 500:
            app.logger.error("%s %s -> %s", request.method, request.path, response.status_code)
        return response
