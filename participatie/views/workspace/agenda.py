"""The RESV agenda: plan a meeting, the agenda document (print and PDF), record agreements."""

from __future__ import annotations

import datetime as dt
import decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from participatie import agenda, db, pdf, themes
from participatie.accounts import login_required
from participatie.exports import small_cell, small_cells
from participatie.models import AgendaItem, Agreement, ResvMeeting, Theme, utcnow
from participatie.views.dossierforms import (
    AgendaItemForm,
    AgreementForm,
    MeetingForm,
    parse_date,
)
from participatie.views.workforms import DoneForm
from participatie.views.workforms import errors as form_errors
from participatie.views.workspace.common import bp, user_and_region

# enough digits to round any float (at most about 1.8e308) to two decimals
DECIMAL_DIGITS = 400


def _reader() -> None:
    user, _region = user_and_region()
    if not agenda.may_read_agenda(user):
        abort(403)


def _planner():  # type: ignore[no-untyped-def]
    user, region = user_and_region()
    if not agenda.may_plan(user):
        abort(403)
    return user, region


def _meeting_or_404(meeting_id: int) -> ResvMeeting:
    _user, region = user_and_region()
    meeting = db.session().get(ResvMeeting, meeting_id)
    if meeting is None:
        abort(404)
    if meeting.region_id != region.id:
        abort(403)
    return meeting


def _candidates() -> list[Theme]:
    _user, region = user_and_region()
    return themes.active_themes(db.session(), region)


@bp.get("/resv")
@login_required
def meetings() -> str:
    """List the RESV meetings; the ASD and beheerder plan a new one here."""
    _reader()
    user, region = user_and_region()
    return render_template("workspace/meetings.html",
                           meetings=agenda.meetings(db.session(), region),
                           candidates=_candidates(), may_plan=agenda.may_plan(user), errors={},
                           form={}, chosen=[])


@bp.post("/resv")
@login_required
def meeting_add() -> BaseResponse | tuple[str, int]:
    """Plan a meeting with the chosen themes."""
    user, region = _planner()
    form = MeetingForm()
    errors = form_errors(form) if not form.validate() else {}
    if not errors:
        try:
            meeting = agenda.create_meeting(
                db.session(), user, region, dt.date.fromisoformat(form.held_on.data),
                form.title.data or "", form.chosen())
        except agenda.AgendaError:
            errors["themes"] = _("Choose at least one theme.")
        else:
            db.session().commit()
            flash(_("The meeting is planned. Add the question for each theme."), "ok")
            return redirect(url_for("workspace.meeting", meeting_id=meeting.id))
    db.session().rollback()
    return render_template("workspace/meetings.html",
                           meetings=agenda.meetings(db.session(), region),
                           candidates=_candidates(), may_plan=True, errors=errors,
                           form=request.form, chosen=form.chosen()), 400


def _document_context(meeting: ResvMeeting) -> dict[str, object]:
    today = utcnow().date()
    items = [(item, agenda.theme_facts(item.theme, today)) for item in meeting.items]
    agreements: dict[int, list[Agreement]] = {}
    for found in db.session().query(Agreement).filter_by(meeting_id=meeting.id).order_by(
            Agreement.id):
        agreements.setdefault(found.theme_id, []).append(found)
    return {"meeting": meeting, "items": items, "agreements": agreements, "suppress": small_cell,
            "parts": small_cells, "now": utcnow()}


@bp.get("/resv/<int:meeting_id>")
@login_required
def meeting(meeting_id: int) -> str:
    """Show a meeting: per theme the question and what was done, and the agreements made."""
    _reader()
    user, _region = user_and_region()
    found = _meeting_or_404(meeting_id)
    return render_template("workspace/meeting.html", may_plan=agenda.may_plan(user), errors={},
                           sent=None, typed={}, **_document_context(found))


def _meeting_invalid(found: ResvMeeting, errors: dict[str, str], sent: str) -> tuple[str, int]:
    """Show the meeting again with the messages; the form `sent` keeps what was typed."""
    db.session().rollback()
    return render_template("workspace/meeting.html", may_plan=True, errors=errors, sent=sent,
                           typed=request.form, **_document_context(found)), 400


@bp.get("/resv/<int:meeting_id>/agenda")
@login_required
def meeting_agenda(meeting_id: int) -> str:
    """Show the agenda document, ready to print on A4."""
    _reader()
    return render_template("workspace/agenda_doc.html",
                           **_document_context(_meeting_or_404(meeting_id)))


@bp.get("/resv/<int:meeting_id>/agenda.pdf")
@login_required
def meeting_agenda_pdf(meeting_id: int) -> Response:
    """Download the agenda document as a PDF made on the server."""
    _reader()
    found = _meeting_or_404(meeting_id)
    html = render_template("workspace/pdf.html", partial="workspace/_agenda_doc.html",
                           css=pdf.print_css(), title=_("RESV agenda"),
                           **_document_context(found))
    return pdf_response(pdf.render(html), f"resv-agenda-{found.held_on.isoformat()}.pdf")


def pdf_response(body: bytes, name: str) -> Response:
    """Return PDF bytes as a download."""
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/resv/<int:meeting_id>/punten/<int:item_id>")
@login_required
def agenda_item(meeting_id: int, item_id: int) -> BaseResponse | tuple[str, int]:
    """Save the proposed question and what the kernteam already did for one theme."""
    user, _region = _planner()
    found = _meeting_or_404(meeting_id)
    item = db.session().get(AgendaItem, item_id)
    if item is None or item.meeting_id != found.id:
        abort(404)
    form = AgendaItemForm()
    if not form.validate():
        return _meeting_invalid(found, form_errors(form, {
            "question": f"question-{item.id}", "kernteam_done": f"done-{item.id}"}),
            f"item-{item.id}")
    agenda.update_item(db.session(), user, item, form.question.data or "",
                       form.kernteam_done.data or "")
    db.session().commit()
    flash(_("Saved."), "ok")
    return redirect(url_for("workspace.meeting", meeting_id=found.id) + f"#punt-{item.id}")


@bp.post("/resv/<int:meeting_id>/afspraken")
@login_required
def agreement_add(meeting_id: int) -> BaseResponse | tuple[str, int]:
    """Record an agreement about one of the meeting's themes."""
    user, _region = _planner()
    found = _meeting_or_404(meeting_id)
    form = AgreementForm()
    if form.validate():
        try:
            agenda.add_agreement(db.session(), user, found, form.theme_id(), form.what.data,
                                 form.who.data, parse_date(form.due_on.data))
        except agenda.AgendaError:
            abort(400)
        db.session().commit()
        flash(_("The agreement is saved. It is shown on the theme page."), "ok")
        return redirect(url_for("workspace.meeting", meeting_id=found.id))
    return _meeting_invalid(found, form_errors(form, form.ids()),
                            f"agreement-{form.theme_id()}")


@bp.post("/afspraken/<int:agreement_id>/klaar")
@login_required
def agreement_done(agreement_id: int) -> BaseResponse:
    """Mark an agreement as done (or not done)."""
    user, region = _planner()
    found = db.session().get(Agreement, agreement_id)
    if found is None:
        abort(404)
    if found.meeting.region_id != region.id:
        abort(403)
    form = DoneForm()
    agenda.set_agreement_done(db.session(), user, found, form.is_done())
    db.session().commit()
    flash(_("Saved."), "ok")
    return redirect(form.next.data if form.next.data == url_for(
        "workspace.theme", theme_id=found.theme_id) else url_for(
        "workspace.meeting", meeting_id=found.meeting_id))


@bp.app_template_filter("decimal")
def decimal_filter(value: float, pattern: str = "#,##0.##") -> str:
    """Format a number for the chosen language (1.234,5 in Dutch), e.g. pattern "0.00".

    Never raises on a stored figure: Babel rounds in the current decimal context, whose 28
    digits a huge number (an old SROI input of 1e27 hours) exceeds, so it rounds with room
    for any float; what still cannot be formatted is shown as Python writes it.
    """
    with decimal.localcontext() as context:
        context.prec = DECIMAL_DIGITS
        try:
            return format_decimal(value, format=pattern)
        except (decimal.DecimalException, ArithmeticError, TypeError, ValueError):
            return str(value)


@bp.app_template_filter("day")
def day_filter(value: dt.date | None) -> str:
    """Format a date for the chosen language, e.g. 15 oktober 2026."""
    return format_date(value, "d MMMM yyyy") if value else ""


@bp.app_template_global()
def theme_agreements(theme: Theme) -> list[Agreement]:
    """Return the agreements about a theme for its page (newest meeting first)."""
    return agenda.agreements_for_theme(db.session(), theme)
