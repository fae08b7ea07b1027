"""The workspace blueprint and what its views share: the user, the region, privacy headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort
from flask_babel import format_date

from participatie import db
from participatie.accounts import can_curate, can_edit, current_user
from participatie.models import Region, User
from participatie.views import auth
from participatie.views.workspace import labels

T = TypeVar("T")

bp = Blueprint("workspace", __name__, url_prefix="/werkruimte")
bp.register_blueprint(auth.bp)



@bp.context_processor
def _workspace_context() -> dict[str, object]:
    user = current_user()
    return {"user": user, "may_edit": bool(user and can_edit(user)),
            "may_curate": bool(user and can_curate(user)), "month_name": _month_name,
            "role_label": lambda code: labels.ROLE.get(code, code),
            "status_label": lambda code: labels.SIGNAL_STATUS.get(code, code),
            "theme_status_label": lambda code: labels.THEME_STATUS.get(code, code),
            "action_label": lambda code: labels.ACTION.get(code, code)}


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
    row = db.session().get(model, object_id)
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
