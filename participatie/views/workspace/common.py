"""The workspace blueprint and what its views share: the user, the region, privacy headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Response, abort, render_template
from flask_babel import format_date, get_locale

from participatie import db, filling, vocabulary
from participatie.accounts import (
    Forbidden,
    can_curate,
    can_edit,
    can_start_theme,
    current_user,
)
from participatie.models import Region, User
from participatie.views import auth

T = TypeVar("T")

bp = Blueprint("workspace", __name__, url_prefix="/werkruimte")
bp.register_blueprint(auth.bp)


@bp.errorhandler(Forbidden)
def _forbidden(_error: Forbidden):  # type: ignore[no-untyped-def]
    # services say "not yours to see or do"; the answer on the web is 403
    return render_template("errors/error.html", code=403), 403


@bp.context_processor
def _workspace_context() -> dict[str, object]:
    user = current_user()
    return {"user": user, "may_edit": bool(user and can_edit(user)),
            "may_curate": bool(user and can_curate(user)),
            "may_start_theme": bool(user and can_start_theme(user)), "month_name": _month_name,
            "role_label": vocabulary.role_label, "status_label": vocabulary.status_label,
            "theme_status_label": vocabulary.theme_status_label,
            "action_label": vocabulary.action_label, "object_label": vocabulary.object_label,
            "reporter_label": vocabulary.reporter_label, "form_title": form_title,
            "severity_label": vocabulary.severity_label,
            "frequency_label": vocabulary.frequency_label}


def csv_download(body: str, name: str) -> Response:
    """Answer with a CSV file to save under the given name."""
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def in_language(texts: dict[str, str]) -> str:
    """Return a form text in the user's language, as the page shows it (Dutch when missing)."""
    return texts.get(str(get_locale() or "nl")) or texts.get("nl") or ""


def form_title(form_id: str) -> str:
    """Return a form's title in the current language (its id when the form is gone)."""
    found = filling.questionnaires().get(form_id)
    return in_language(found.title) if found else form_id


def _month_name(day: dt.date) -> str:
    return format_date(day, "MMMM yyyy")


@bp.after_request
def _private(response):  # type: ignore[no-untyped-def]
    # pages with health data must not be kept by shared caches or the back-forward cache
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def visible_or_403(model: type[T], object_id: int, may_see: Callable[[User, T], bool]) -> T:
    """Return a row the user may see; 404 when unknown, 403 when not theirs to see."""
    user, _region = user_and_region()
    row = db.session().get(model, object_id) if 0 < object_id < 2**63 else None
    if row is None:
        abort(404)
    if not may_see(user, row):
        abort(403)
    return row


def user_and_region() -> tuple[User, Region]:
    """Return the logged-in user and their region (callers are behind login_required)."""
    user = current_user()
    if user is None:
        abort(403)
    region = db.session().get(Region, user.region_id)
    assert region is not None
    return user, region
