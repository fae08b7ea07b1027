"""Reports: the list with filters, the detail page, status changes and public replies."""

from __future__ import annotations

import smtplib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from participatie import (
    aftercare,
    audit,
    db,
    followup,
    mail,
    residentmail,
    signals,
    themes,
    vocabulary,
)
from participatie.accounts import (
    can_act_on,
    can_edit,
    can_see_signal,
    can_start_theme,
    login_required,
    visible_wijken,
)
from participatie.models import Contact, Discipline, Signal, StatusChange, Theme, User
from participatie.queries.filters import filtered_signals, read_filters
from participatie.security import local_target
from participatie.views.workforms import (
    ContactForm,
    DuplicateForm,
    NoteForm,
    OwnerForm,
    PlaceForm,
    ReportStatusForm,
    errors,
)
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
    page = min(max(1, request.args.get("pagina", 1, type=int) or 1), 100_000)
    sort = "ernst" if request.args.get("sorteer") == "ernst" else ""
    order = ((Signal.severity.is_(None), Signal.severity.desc()) if sort else ()) + (
        Signal.created_at.desc(), Signal.id.desc())
    rows = session.scalars(query.order_by(*order)
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    ids = [s.id for s in rows if s.status in vocabulary.OPEN_STATUSES]
    reopened = set(session.scalars(select(StatusChange.signal_id).where(
        StatusChange.signal_id.in_(ids), StatusChange.reopen_reason.is_not(None))))
    satisfied = aftercare.counts(session, query.with_only_columns(Signal.id).order_by(None))
    return render_template("workspace/reports.html", reports=rows, filters=filters, total=total,
                           reopened=reopened, satisfied=satisfied,
                           page=page, pages=max(1, -(-total // PAGE_SIZE)), sort=sort,
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
def report(signal_id: int) -> tuple[str, int]:
    """Show one report (redacted text only), its history, and what the user may do with it."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    return _render_report(signal, user)


def _render_report(signal: Signal, user: User, errors: dict[str, str] | None = None,
                   contact: Contact | None = None, contact_open: bool = False,
                   status: int = 200, **forms: object) -> tuple[str, int]:
    """Render a report's page; contact details only when just opened on purpose.

    `forms` holds a form that was sent with a mistake, to show what was typed.
    """
    session = db.session()
    acts = can_act_on(user, signal)
    theme_choices = themes.choosable_themes(session, user) if can_edit(user) else []
    membership = signal.membership
    blank = {
        "status_form": ReportStatusForm(formdata=None, data={"status": signal.status}),
        "place_form": PlaceForm(formdata=None, data={
            "theme": str(membership.theme_id) if membership and membership.theme_id else ""}),
        "contact_form": ContactForm(formdata=None),
        "note_form": NoteForm(formdata=None),
    }
    blank.update(forms)
    return render_template(
        "workspace/report.html", signal=signal, errors=errors or {},
        status_options=[(code, vocabulary.status_label(code)) for code in signals.SIGNAL_STATUSES],
        place_options=place_options(user, theme_choices), **blank,
        reason_options=[(code, vocabulary.reason_label(code))
                        for code in vocabulary.CONTACT_REASONS],
        theme_choices=theme_choices,
        has_email=followup.has_contact(signal) and bool(signal.submission.contact.email),
        statuses=signals.SIGNAL_STATUSES, discipline_names=_discipline_names(),
        may_act=acts, has_contact=acts and followup.has_contact(signal), contact=contact,
        contact_open=contact_open, reasons=vocabulary.CONTACT_REASONS,
        consulted=consulted(signal),
        reason_label=vocabulary.reason_label,
        colleagues=followup.colleagues(session, signal) if acts else [],
        duplicates=followup.near_duplicates(session, user, signal)
        if signal.status != signals.WITHDRAWN else []), status


def consulted(signal: Signal) -> int | None:
    """Return how many people a cliëntenraad consulted for a report (None when not asked)."""
    value = (signal.submission.answers or {}).get("geraadpleegd")
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()
                                  and len(value) <= 18):
        return int(value)
    return None


@bp.post("/meldingen/<int:signal_id>/contactgegevens")
@login_required
def report_contact(signal_id: int) -> tuple[str, int]:
    """Show the reporter's contact details once, for a reason written to the audit log."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_act_on(user, signal):
        abort(403)
    form = ContactForm()
    if not form.validate():
        return _render_report(signal, user, errors(form), contact_open=True, status=400,
                              contact_form=form)
    session = db.session()
    contact = followup.reveal_contact(session, user, signal, form.reason.data)
    session.commit()
    return _render_report(signal, user, contact=contact, contact_open=True)


@bp.post("/meldingen/<int:signal_id>/eigenaar")
@login_required
def report_owner(signal_id: int) -> Response:
    """Pick a report up ("me"), give it to a colleague (their id) or let go of it ("none")."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_act_on(user, signal):
        abort(403)
    form = OwnerForm()
    if signal.status == signals.WITHDRAWN:
        return _withdrawn_meanwhile(signal)
    session = db.session()
    choice = form.owner.data or ""
    if choice == "me":
        owner: User | None = user
    elif choice == "none":
        owner = None
    elif choice.isascii() and choice.isdigit() and len(choice) <= 18:
        owner = session.get(User, int(choice))
        if owner is None:
            abort(403)
    else:
        abort(400)
    followup.set_owner(session, user, signal, owner)
    session.commit()
    flash(_("You picked up this report.") if owner is user else
          _("Nobody has this report now.") if owner is None else
          _("The report is given to %(name)s.", name=owner.name), "ok")
    return redirect(local_target(form.back.data, "/werkruimte/")
                    or url_for("workspace.report", signal_id=signal.id))


@bp.post("/meldingen/<int:signal_id>/dubbel")
@login_required
def report_duplicate(signal_id: int) -> Response:
    """Link a report as a duplicate of another one ("none": not a duplicate)."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_act_on(user, signal):
        abort(403)
    if signal.status == signals.WITHDRAWN:
        return _withdrawn_meanwhile(signal)
    session = db.session()
    try:
        chosen = DuplicateForm().original_id()
    except ValueError:
        abort(400)
    original = session.get(Signal, chosen) if chosen is not None else None
    if chosen is not None and (original is None or original.id == signal.id):
        abort(400)
    if original is not None and original.status == signals.WITHDRAWN:
        # a page from before the withdrawal: this report would then count nowhere
        flash(_("That report was withdrawn meanwhile, so this one is not linked to it."),
              "error")
        return redirect(url_for("workspace.report", signal_id=signal.id) + "#duplicates")
    followup.link_duplicate(session, user, signal, original)
    session.commit()
    flash(_("The report is linked as a duplicate; it counts once.") if original else
          _("The report is no longer marked as a duplicate."), "ok")
    return redirect(url_for("workspace.report", signal_id=signal.id) + "#duplicates")


@bp.post("/meldingen/<int:signal_id>/notitie")
@login_required
def report_note(signal_id: int) -> str | Response | tuple[str, int]:
    """Add an internal note to a report."""
    signal = visible_signal_or_403(signal_id)
    user, _region = user_and_region()
    if not can_act_on(user, signal):
        abort(403)
    form = NoteForm()
    if not form.validate():
        return _render_report(signal, user, errors(form, {"text": "note"}), status=400,
                              note_form=form)
    session = db.session()
    followup.add_note(session, user, signal, form.text.data)
    session.commit()
    flash(_("The note is saved."), "ok")
    return redirect(url_for("workspace.report", signal_id=signal.id) + "#notes")


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
    if not can_edit(user):
        abort(403)
    form = ReportStatusForm()
    if signal.status == signals.WITHDRAWN:
        # a page from before the resident withdrew: nothing to change, nobody to reply to;
        # show the reply that was typed so it is not lost without a word
        reply = form.reply.data or ""
        flash(_("The reporter withdrew this report meanwhile. Nothing was changed and your "
                "reply was not sent. You can copy it below.") if reply else
              _("The reporter withdrew this report meanwhile. Nothing was changed."), "error")
        return _render_report(signal, user, status=409, unsent_reply=reply)
    if not form.validate():
        return _render_report(signal, user, errors(form), status=400, status_form=form)
    session = db.session()
    status, reply = form.status.data, form.reply.data or ""
    signals.set_status(session, signal, status, reply or None, user.id)
    audit.record(session, user, "reply" if reply else "status", "signal", signal.id, status=status)
    flash(_("The status is saved."), "ok")
    if residentmail.wants_updates(signal.submission.contact):
        # the reporter asked for news: set_status put the e-mail in the outbox, sent after commit
        flash(_("The reporter asked for e-mails: they get one about this change."), "ok")
    elif reply and form.email.data:
        _email_reporter(signal, reply)
    session.commit()
    return redirect(url_for("workspace.report", signal_id=signal.id))


def _email_reporter(signal: Signal, reply: str) -> None:
    """Send the public reply to the reporter who left an e-mail address with consent.

    The reply is flushed (not yet committed) when this runs; the caller commits once after.
    """
    contact = signal.submission.contact
    if contact is None or not contact.email or not followup.has_contact(signal):
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
    if not can_edit(user):
        abort(403)
    if signal.status == signals.WITHDRAWN:
        # a page from before the resident withdrew: an empty report belongs in no theme
        flash(withdrawn_not_placed(), "error")
        return redirect(url_for("workspace.report", signal_id=signal.id))
    session = db.session()
    form = PlaceForm()
    if not form.validate():
        return _render_report(signal, user, errors(form), status=400, place_form=form)
    try:
        target = themes.target_theme(session, user, form.theme.data, form.label.data or "")
    except themes.UnclearChoice:  # a theme that is gone (merged meanwhile) or never was
        flash(_("Choose a theme, or give the new theme a name."), "error")
        return redirect(url_for("workspace.report", signal_id=signal.id))
    themes.decide(session, signal, target, user, source="moved")
    session.commit()
    flash(_("The report is placed."), "ok")
    return redirect(local_target(form.back.data, "/werkruimte/")
                    or url_for("workspace.report", signal_id=signal.id))


def _withdrawn_meanwhile(signal: Signal) -> Response:
    """A page from before the resident withdrew: nobody picks up or links an empty report."""
    flash(_("The reporter withdrew this report meanwhile. Nothing was changed."), "error")
    return redirect(url_for("workspace.report", signal_id=signal.id))


def withdrawn_not_placed() -> str:
    """Say that a report was withdrawn since its page was opened, so it was not placed."""
    return _("The reporter withdrew this report meanwhile. It was not placed in a theme.")


def place_options(user: User, theme_choices: list[Theme]) -> list[tuple[str, str]]:
    """Return the choices of the place-in-a-theme select: themes, a new one, none."""
    options = [(str(t.id), t.label) for t in theme_choices]
    if can_start_theme(user):
        options.append(("new", _("A new theme (give it a name below)")))
    return [*options, ("none", _("No theme"))]
