"""The "te beoordelen" queue (one keystroke confirms a suggestion) and search."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from participatie import db, themes
from participatie.accounts import (
    can_edit,
    can_see_theme,
    login_required,
    visible_signals,
    wijk_scope,
)
from participatie.models import Signal, ThemeMembership
from participatie.views.workspace.common import bp, user_and_region
from participatie.views.workspace.reports import visible_signal_or_403


@bp.get("/te-beoordelen")
@login_required
def queue() -> str:
    """Show the oldest report the model could not place, with its suggestion."""
    user, region = user_and_region()
    session = db.session()
    waiting = themes.review_queue(session, region, wijk_scope(user))
    placed = session.scalar(select(func.count(ThemeMembership.id)).where(
        ThemeMembership.decided_by_id == user.id)) or 0
    return render_template(
        "workspace/queue.html", signal=waiting[0] if waiting else None, remaining=len(waiting),
        placed=placed,
        theme_choices=themes.choosable_themes(session, user) if can_edit(user) else [])


@bp.post("/te-beoordelen/<int:signal_id>")
@login_required
def queue_decide(signal_id: int) -> Response:
    """Confirm the suggestion, or place the report in another or a new theme."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_edit(user):
        abort(403)
    session = db.session()
    membership = signal.membership
    if request.form.get("action") == "confirm" and membership and membership.theme_id:
        if not can_see_theme(user, membership.theme):
            abort(403)
        themes.decide(session, signal, membership.theme, user, source="confirmed")
    else:
        try:
            target = themes.target_theme(session, user, request.form.get("theme", ""),
                                         request.form.get("label", ""))
        except themes.UnclearChoice:
            flash(_("Choose a theme, or give the new theme a name."), "error")
            return redirect(url_for("workspace.queue"))
        themes.decide(session, signal, target, user, source="moved")
    session.commit()
    flash(_("Saved. Here is the next report."), "ok")
    return redirect(url_for("workspace.queue"))


@bp.get("/zoeken")
@login_required
def search() -> str:
    """Search the user's reports by meaning and by words."""
    user, region = user_and_region()
    session = db.session()
    query = request.args.get("q", "").strip()[:500]
    results: list[tuple[Signal, float]] = []
    if query:
        allowed = set(session.scalars(visible_signals(user).with_only_columns(Signal.id)))
        results = themes.search(session, region, query, k=20, signal_ids_allowed=allowed)
        results = [(s, score) for s, score in results if s.id in allowed]
    return render_template("workspace/search.html", query=query, results=results)
