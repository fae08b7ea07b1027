"""The "te beoordelen" queue (one keystroke confirms a suggestion)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from participatie import db, signals, themes
from participatie.accounts import (
    can_edit,
    can_see_theme,
    login_required,
)
from participatie.models import Signal, ThemeMembership, User
from participatie.queries import counts
from participatie.views.workforms import PlaceForm, errors
from participatie.views.workspace.common import bp, user_and_region
from participatie.views.workspace.reports import (
    place_options,
    visible_signal_or_403,
    withdrawn_not_placed,
)


@bp.get("/te-beoordelen")
@login_required
def queue() -> str:
    """Show the oldest report the model could not place, with its suggestion."""
    user, _region = user_and_region()
    return _render_queue(user)


def _render_queue(user: User, form: PlaceForm | None = None,
                  problems: dict[str, str] | None = None, current: Signal | None = None) -> str:
    """Render the queue; a form sent with a mistake shows what was chosen and why."""
    session = db.session()
    # the same definition as the overview's "to review" count (participatie.queries.counts)
    waiting = list(session.scalars(counts.review_ids(user)))
    placed = session.scalar(select(func.count(ThemeMembership.id)).where(
        ThemeMembership.decided_by_id == user.id)) or 0
    first = current or (session.get(Signal, waiting[0]) if waiting else None)
    if form is None:
        suggestion = first.membership.theme_id if first and first.membership else None
        form = PlaceForm(formdata=None, data={"theme": str(suggestion) if suggestion else ""})
    choices = themes.choosable_themes(session, user) if can_edit(user) else []
    return render_template(
        "workspace/queue.html", signal=first, remaining=len(waiting),
        placed=placed, theme_choices=choices, place_form=form,
        place_options=place_options(user, choices), errors=problems or {})


@bp.post("/te-beoordelen/<int:signal_id>")
@login_required
def queue_decide(signal_id: int) -> Response | tuple[str, int]:
    """Confirm the suggestion, or place the report in another or a new theme."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_edit(user):
        abort(403)
    if signal.status == signals.WITHDRAWN:
        # a queue page from before the resident withdrew: as on the report's own page
        flash(withdrawn_not_placed(), "error")
        return redirect(url_for("workspace.queue"))
    session = db.session()
    membership = signal.membership
    form = PlaceForm()
    if form.action.data == "confirm" and membership and membership.theme_id:
        if not can_see_theme(user, membership.theme):
            abort(403)
        themes.decide(session, signal, membership.theme, user, source="confirmed")
    else:
        if not form.validate():
            return _render_queue(user, form, errors(form), signal), 400
        try:
            target = themes.target_theme(session, user, form.theme.data, form.label.data or "")
        except themes.UnclearChoice:  # a theme that is gone (merged meanwhile) or never was
            flash(_("Choose a theme, or give the new theme a name."), "error")
            return redirect(url_for("workspace.queue"))
        themes.decide(session, signal, target, user, source="moved")
    session.commit()
    flash(_("Saved. Here is the next report."), "ok")
    return redirect(url_for("workspace.queue"))
