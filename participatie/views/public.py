"""Public pages: the home page, health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from participatie import db
from participatie.regions import current_region, wijken_by_stadsdeel

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    """Show what the site is for and the wijken it serves."""
    region = current_region()
    groups = wijken_by_stadsdeel(region) if region else []
    return render_template("public/home.html", region=region, groups=groups)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
