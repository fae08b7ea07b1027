"""Friendly error pages in the visitor's language; details go to the log, not the page."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from participatie import db


def init_app(app: Flask) -> None:
    """Render 4xx and 5xx errors with the site's own template."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        return render_template("errors/error.html", code=error.code), error.code

    @app.errorhandler(SQLAlchemyError)
    def _database_error(error: SQLAlchemyError):  # type: ignore[no-untyped-def]
        db.discard_failed()
        app.logger.error("database error: %s", type(error).__name__)
        return render_template("errors/error.html", code=503), 503
