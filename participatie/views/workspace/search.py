"""Search by words and meaning with filters, and "Meer zoals dit" on every report page."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import Select

from participatie import db, themes
from participatie.accounts import can_see_theme, login_required, visible_signals, visible_wijken
from participatie.models import Signal, User
from participatie.signals import WITHDRAWN
from participatie.views.workspace.common import bp, user_and_region
from participatie.views.workspace.filters import filtered_signals, read_filters

SEVERITIES = ("3", "4", "5")  # "at least": serious, very serious, dangerous to health
RESULTS = 20
SIMILAR = 5


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
    results: list[themes.Found] = []
    if query:
        allowed = _ids(filtered_signals(user, filters).where(
            Signal.severity >= int(severity)) if severity else filtered_signals(user, filters))
        results = [found for found in themes.search(session, region, query, k=RESULTS,
                                                    signal_ids_allowed=allowed)
                   if found.signal.id in allowed]
    theme_choices = [t for t in themes.active_themes(session, region) if can_see_theme(user, t)]
    return render_template("workspace/search.html", query=query, results=results,
                           filters=filters, severity=severity, severities=SEVERITIES,
                           wijken=visible_wijken(session, user), theme_choices=theme_choices)


def _ids(query: Select[tuple[Signal]]) -> set[int]:
    return set(db.session().scalars(query.with_only_columns(Signal.id)))


def more_like_this(user: User, signal: Signal) -> list[themes.Found]:
    """Return the reports nearest to this one that the user may see (none for a withdrawn one)."""
    if not signal.text or signal.status == WITHDRAWN:
        return []
    _user, region = user_and_region()
    allowed = _ids(visible_signals(user).where(Signal.status != WITHDRAWN))
    return [found for found in themes.similar(db.session(), region, signal, k=SIMILAR,
                                              signal_ids_allowed=allowed)
            if found.signal.id in allowed]


@bp.app_template_global("more_like_this")
def _more_like_this(signal: Signal) -> list[themes.Found]:
    """Give report.html the "Meer zoals dit" list (the signed-in user's rights apply)."""
    user, _region = user_and_region()
    return more_like_this(user, signal)
