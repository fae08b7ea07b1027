"""Search by words and meaning with filters, and "Meer zoals dit" on every report page."""

from __future__ import annotations

from flask import render_template, request

from participatie import db, themes
from participatie.accounts import login_required, visible_wijken
from participatie.models import Signal
from participatie.queries.filters import read_filters
from participatie.queries.search import (
    SEVERITIES,
    more_like_this,
    search_reports,
    theme_choices,
)
from participatie.views.workspace.common import bp, user_and_region


@bp.get("/zoeken")
@login_required
def search() -> str:
    """Search the user's reports by words and meaning, within the chosen filters."""
    user, region = user_and_region()
    session = db.session()
    query = request.args.get("q", "").strip()[:500]
    filters = read_filters(session, user, request.args)
    severity = request.args.get("ernst", "")
    severity = severity if severity in SEVERITIES else ""
    results = search_reports(session, user, region, query, filters, severity) if query else []
    return render_template("workspace/search.html", query=query, results=results,
                           filters=filters, severity=severity,
                           wijken=visible_wijken(session, user),
                           theme_choices=theme_choices(session, user))


@bp.app_template_global("more_like_this")
def _more_like_this(signal: Signal) -> list[themes.Found]:
    """Give report.html the "Meer zoals dit" list (the signed-in user's rights apply)."""
    user, _region = user_and_region()
    return more_like_this(db.session(), user, signal)
