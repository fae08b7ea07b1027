"""Reports: the list with filters, the detail page, status changes and public replies."""

from __future__ import annotations

import smtplib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from participatie import audit, db, mail, signals, themes
from participatie.accounts import can_edit, can_see_signal, login_required, visible_wijken
from participatie.models import Discipline, Signal, Theme
from participatie.queries.filters import filtered_signals, read_filters
from participatie.views.workforms import ReportStatusForm, errors
from participatie.views.workspace.common import bp, user_and_region, visible_or_403

PAGE_SIZE = 50


@bp.get("/meldingen")
@login_required
def reports() -> str:
    """List the reports the user may see, newest first, with filters."""
    user, region = user_and_region()
    session = db.session()
    filters = read_filters(session, user, request.args)
    query = filtered_signals(user, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, request.args.get("pagina", 1, type=int) or 1)
    rows = session.scalars(query.order_by(Signal.created_at.desc(), Signal.id.desc())
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("workspace/reports.html", reports=rows, filters=filters, total=total,
                           page=page, pages=max(1, -(-total // PAGE_SIZE)),
                           theme_names=_theme_names(region.id), statuses=signals.SIGNAL_STATUSES,
                           filters_wijken=visible_wijken(session, user))


def _theme_names(region_id: int) -> dict[int, str]:
    rows = db.session().execute(select(Theme.id, Theme.label).where(Theme.region_id == region_id))
    return {theme_id: label for theme_id, label in rows}


def visible_signal_or_403(signal_id: int) -> Signal:
    """Return a report the user may see; 404 when unknown, 403 when not theirs to see."""
    return visible_or_403(Signal, signal_id, can_see_signal)


@bp.get("/meldingen/<int:signal_id>")
@login_required
def report(signal_id: int) -> str:
    """Show one report (redacted text only), its history, and what the user may do with it."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    choices = themes.choosable_themes(db.session(), user) if can_edit(user) else []
    has_email = bool(signal.submission.contact and signal.submission.contact.email)
    return render_template("workspace/report.html", signal=signal, theme_choices=choices,
                           has_email=has_email, statuses=signals.SIGNAL_STATUSES, errors={},
                           discipline_names=_discipline_names())


def _discipline_names() -> dict[str, str]:
    lang = str(get_locale() or "nl")
    return {d.code: d.name_en if lang == "en" else d.name_nl
            for d in db.session().scalars(select(Discipline))}


@bp.post("/meldingen/<int:signal_id>/status")
@login_required
def report_status(signal_id: int) -> str | Response | tuple[str, int]:
    """Change a report's status and (optionally) reply; e-mail the reporter when asked."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_edit(user) or signal.status == signals.WITHDRAWN:
        abort(403)
    form = ReportStatusForm()
    if not form.validate():
        session = db.session()
        return render_template(
            "workspace/report.html", signal=signal, errors=errors(form),
            statuses=signals.SIGNAL_STATUSES, theme_choices=themes.choosable_themes(session, user),
            has_email=bool(signal.submission.contact and signal.submission.contact.email),
            discipline_names=_discipline_names()), 400
    session = db.session()
    status, reply = form.status.data, form.reply.data or ""
    signals.set_status(session, signal, status, reply or None, user.id)
    audit.record(session, user, "reply" if reply else "status", "signal", signal.id, status=status)
    flash(_("The status is saved."), "ok")
    if reply and form.email.data:
        _email_reporter(signal, reply)
    session.commit()
    return redirect(url_for("workspace.report", signal_id=signal.id))


def _email_reporter(signal: Signal, reply: str) -> None:
    """Send the public reply to the reporter who left an e-mail address with consent.

    The reply is flushed (not yet committed) when this runs; the caller commits once after.
    """
    contact = signal.submission.contact
    if contact is None or not contact.email:
        flash(_("This reporter did not leave an e-mail address."), "error")
        return
    user, _region = user_and_region()
    with force_locale(signal.submission.language or "nl"):
        subject = _("Reply to your report %(code)s", code=signal.submission.reference)
        code = signal.submission.reference
        status_url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/status/{code}"
        context = {"signal": signal, "reply": reply, "code": code, "status_url": status_url}
        text = render_template("email/reply.txt", **context)
        html = render_template("email/reply.html", **context)
    try:
        mail.send(mail.build_message(contact.email, subject, text, html))
    except (OSError, smtplib.SMTPException):
        flash(_("The e-mail could not be sent. The reply is saved and shown on the status page."),
              "error")
        return
    audit.record(db.session(), user, "reply_email", "signal", signal.id)
    flash(_("The reply was sent to the reporter by e-mail."), "ok")


@bp.post("/meldingen/<int:signal_id>/thema")
@login_required
def report_theme(signal_id: int) -> Response:
    """Place a report in another theme (or a new one); the assignment model learns from it."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_edit(user) or signal.status == signals.WITHDRAWN:
        abort(403)
    session = db.session()
    try:
        target = themes.target_theme(session, user, request.form.get("theme", ""),
                                     request.form.get("label", ""))
    except themes.UnclearChoice:
        flash(_("Choose a theme, or give the new theme a name."), "error")
        return redirect(url_for("workspace.report", signal_id=signal.id))
    themes.decide(session, signal, target, user, source="moved")
    session.commit()
    flash(_("The report is placed."), "ok")
    return redirect(_back(request.form.get("back", ""))
                    or url_for("workspace.report", signal_id=signal.id))


def _back(target: str) -> str | None:
    # only our own workspace pages, on one line (no open redirect, no header injection)
    if (target.startswith("/werkruimte/") and target.isprintable()
            and not target.startswith("//")):
        return target
    return None
