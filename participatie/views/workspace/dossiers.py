"""Knelpunt dossiers: the list, the dossier page with its forms, the report (print, PDF), CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from participatie import db, dossiers, pdf, sroi, survey_results, themes
from participatie.accounts import can_see_theme, login_required, visible_wijken
from participatie.exports import to_csv
from participatie.filling import questionnaires
from participatie.models import Dossier, DossierAction, utcnow
from participatie.views.dossierforms import (
    ActionForm,
    DossierForm,
    EvidenceForm,
    InputForm,
    NewDossierForm,
    OutcomeForm,
    number,
    parse_date,
)
from participatie.views.workforms import DoneForm
from participatie.views.workforms import errors as form_errors
from participatie.views.workspace.agenda import pdf_response
from participatie.views.workspace.common import bp, csv_download, user_and_region
from participatie.yamlfile import DefinitionError


def proxy_book() -> tuple[sroi.ProxyBook, str | None]:
    """Read the region's financial proxies; a broken file gives its problem instead."""
    path = current_app.config.get("SROI_PROXIES_FILE") or sroi.PROXIES_FILE
    try:
        return sroi.load_proxies(path), None
    except DefinitionError as error:
        return sroi.ProxyBook(), str(error)


def _visible_or_403(dossier_id: int) -> Dossier:
    user, _region = user_and_region()
    found = db.session().get(Dossier, dossier_id)
    if found is None:
        abort(404)
    if not dossiers.may_see(user, found):
        abort(403)
    return found


def _editable_or_403(dossier_id: int) -> Dossier:
    found = _visible_or_403(dossier_id)
    user, _region = user_and_region()
    if not dossiers.may_edit(user, found):
        abort(403)
    return found


def _surveys() -> list[tuple[str, str]]:
    lang = str(get_locale() or "nl")
    return [(q.id, q.title.get(lang)) for q in questionnaires().values() if q.kind == "survey"]


def _quarters() -> list[str]:
    today = utcnow().date()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _step in range(12):
        found.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found


def _measurement(dossier: Dossier) -> dict[str, Any]:
    session = db.session()
    form = questionnaires().get(dossier.survey_form_id or "")
    measured: dict[str, Any] = {"form": form, "before": None, "after": None,
                                "before_reports": dossiers.report_counts(
                                    session, dossier, dossier.before_period),
                                "after_reports": dossiers.report_counts(
                                    session, dossier, dossier.after_period)}
    if form is not None and form.kind == "survey":
        region = dossier.wijk.region
        for key, period in (("before", dossier.before_period), ("after", dossier.after_period)):
            if period:
                measured[key] = survey_results.results(session, region, form, period,
                                                       dossier.wijk.slug)
    return measured


def _context(dossier: Dossier, errors: dict[str, str] | None = None, sent: str | None = None,
             ) -> dict[str, Any]:
    """Return the page's context; after a mistake, `sent` names the form that was sent.

    That form is filled with what was typed (request.form), the others as they were.
    """
    user, region = user_and_region()
    book, book_problem = proxy_book()
    calc = dossiers.calculate(dossier, book.discount_rate)
    reports, severity, wijken = dossiers.theme_numbers(dossier, user)
    shown, hidden = dossiers.visible_themes(dossier, user)
    return {
        "dossier": dossier, "may_edit_dossier": dossiers.may_edit(user, dossier), "calc": calc,
        "counted_themes": shown, "hidden_themes": hidden,
        "sent": sent, "typed": request.form if sent else {},
        "book": book, "book_problem": book_problem, "errors": errors or {},
        "numbers": {"reports": reports, "severity": severity, "wijken": wijken},
        "measurement": _measurement(dossier), "show": survey_results.show,
        "themes": [t for t in themes.active_themes(db.session(), region) if can_see_theme(user, t)],
        "surveys": _surveys(), "quarters": _quarters(), "now": utcnow(),
        "impact_map": dossiers.impact_map(dossier, book.discount_rate),
    }


@bp.get("/dossiers", endpoint="dossiers")
@login_required
def dossiers_list() -> str:
    """List the knelpunt dossiers the user may see; start a new one for a wijk."""
    return _list_page({}, {})


def _list_page(form: Any, errors: dict[str, str]) -> str:
    user, _region = user_and_region()
    session = db.session()
    startable = [w for w in visible_wijken(session, user) if dossiers.may_start(user, w)]
    found = dossiers.visible(session, user)
    return render_template("workspace/dossiers.html", dossiers=found, wijken=startable,
                           shown_themes={d.id: dossiers.visible_themes(d, user)[0]
                                         for d in found},
                           errors=errors, form=form)


@bp.post("/dossiers")
@login_required
def dossier_add() -> BaseResponse | tuple[str, int]:
    """Start a dossier for a wijk."""
    user, region = user_and_region()
    session = db.session()
    form = NewDossierForm()
    wijk = dossiers.wijk_of_region(session, region, form.wijk.data or "")
    if wijk is None or not dossiers.may_start(user, wijk):
        abort(403)
    if not form.validate():
        return _list_page(request.form, form_errors(form)), 400
    created = dossiers.create(session, user, wijk, form.title.data, "", [])
    session.commit()
    flash(_("The dossier is started. Describe the problem and link the themes."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=created.id))


@bp.get("/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int) -> str:
    """Show a dossier: problem, numbers, stakeholders, actions, evidence, measurement, SROI."""
    return render_template("workspace/dossier.html", **_context(_visible_or_403(dossier_id)))


def _invalid(found: Dossier, form: FlaskForm, sent: str) -> tuple[str, int]:
    """Show the page again: the messages by the fields, the sent form with what was typed."""
    db.session().rollback()
    return render_template("workspace/dossier.html",
                           **_context(found, form_errors(form), sent)), 400


@bp.post("/dossiers/<int:dossier_id>")
@login_required
def dossier_edit(dossier_id: int) -> BaseResponse | tuple[str, int]:
    """Save the problem, stakeholders, themes and measurement settings."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    form = DossierForm(set(dict(_surveys())), set(_quarters()))
    if not form.validate():
        return _invalid(found, form, "dossier")
    offered = {t.id for t in themes.active_themes(db.session(), found.wijk.region)
               if can_see_theme(user, t)}
    # a linked theme without a box (the user may not see it) stays linked
    kept = [t.id for t in dossiers.counted_themes(found) if t.id not in offered]
    dossiers.update(db.session(), user, found, title=form.title.data,
                    problem=form.problem.data or "", stakeholders=form.stakeholder_list(),
                    theme_ids=form.chosen_themes(offered, kept),
                    survey_form_id=form.survey.data or None,
                    before_period=form.before_period.data or None,
                    after_period=form.after_period.data or None, discount_rate=form.rate())
    db.session().commit()
    flash(_("The dossier is saved."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id))


@bp.post("/dossiers/<int:dossier_id>/acties")
@login_required
def dossier_action(dossier_id: int) -> BaseResponse | tuple[str, int]:
    """Add an action with its owner and date."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    form = ActionForm()
    if not form.validate():
        return _invalid(found, form, "action")
    dossiers.add_action(db.session(), user, found, form.what.data, form.owner.data,
                        parse_date(form.due.data))
    db.session().commit()
    flash(_("The action is added."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id) + "#acties")


@bp.post("/dossiers/<int:dossier_id>/acties/<int:action_id>/klaar")
@login_required
def dossier_action_done(dossier_id: int, action_id: int) -> BaseResponse:
    """Mark an action as done (or not done)."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    action = db.session().get(DossierAction, action_id)
    if action is None or action.dossier_id != found.id:
        abort(404)
    dossiers.set_action_done(db.session(), user, action, DoneForm().is_done())
    db.session().commit()
    flash(_("Saved."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id) + "#acties")


@bp.post("/dossiers/<int:dossier_id>/bewijs")
@login_required
def dossier_evidence(dossier_id: int) -> BaseResponse | tuple[str, int]:
    """Add a piece of evidence."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    form = EvidenceForm()
    if not form.validate():
        return _invalid(found, form, "evidence")
    dossiers.add_evidence(db.session(), user, found, dt.date.fromisoformat(form.noted_on.data),
                          form.text.data, form.link.data)
    db.session().commit()
    flash(_("The evidence is added."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id) + "#bewijs")


@bp.post("/dossiers/<int:dossier_id>/inputs")
@login_required
def dossier_input(dossier_id: int) -> BaseResponse | tuple[str, int]:
    """Add an SROI input: hours x rate and/or costs."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    form = InputForm()
    if not form.validate():
        return _invalid(found, form, "input")
    dossiers.add_input(db.session(), user, found, sroi.Input(
        form.stakeholder.data, form.description.data, number(form.hours), number(form.rate),
        number(form.costs)))
    db.session().commit()
    flash(_("The input is added."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id) + "#sroi")


@bp.post("/dossiers/<int:dossier_id>/outcomes")
@login_required
def dossier_outcome(dossier_id: int) -> BaseResponse | tuple[str, int]:
    """Add an SROI outcome with its indicator, quantity, proxy, duration and deductions."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    book, _problem = proxy_book()
    form = OutcomeForm(set(book.proxies))
    if not form.validate():
        return _invalid(found, form, "outcome")
    proxy = book.proxies.get(form.proxy.data or "")
    value = proxy.value if proxy else number(form.value)
    source = proxy.source if proxy else form.source.data
    dossiers.add_outcome(db.session(), user, found, sroi.Outcome(
        form.stakeholder.data, form.description.data, form.indicator.data,
        number(form.quantity), value, source, int(form.duration.data), **form.shares()),
        proxy.id if proxy else None)
    db.session().commit()
    flash(_("The outcome is added."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id) + "#sroi")


@bp.post("/dossiers/<int:dossier_id>/verwijderen/<kind>/<int:row_id>")
@login_required
def dossier_remove(dossier_id: int, kind: str, row_id: int) -> BaseResponse:
    """Remove an action, evidence entry, input or outcome."""
    found = _editable_or_403(dossier_id)
    user, _region = user_and_region()
    try:
        dossiers.remove_row(db.session(), user, found, kind, row_id)
    except dossiers.DossierError:
        abort(404)
    db.session().commit()
    flash(_("Removed."), "ok")
    return redirect(url_for("workspace.dossier", dossier_id=found.id))


@bp.get("/dossiers/<int:dossier_id>/verslag")
@login_required
def dossier_report(dossier_id: int) -> str:
    """Show the dossier report for the RESV and the funder, ready to print on A4."""
    return render_template("workspace/dossier_report.html",
                           **_context(_visible_or_403(dossier_id)))


@bp.get("/dossiers/<int:dossier_id>/verslag.pdf")
@login_required
def dossier_report_pdf(dossier_id: int) -> Response:
    """Download the dossier report as a PDF made on the server."""
    found = _visible_or_403(dossier_id)
    html = render_template("workspace/pdf.html", partial="workspace/_dossier_doc.html",
                           css=pdf.print_css(), title=found.title, **_context(found))
    return pdf_response(pdf.render(html), f"dossier-{found.id}.pdf")


@bp.get("/dossiers/<int:dossier_id>/impactkaart.csv")
@login_required
def dossier_impact_csv(dossier_id: int) -> Response:
    """Download the impact map (one row per outcome, with the totals) as CSV."""
    found = _visible_or_403(dossier_id)
    user, _region = user_and_region()
    book, _problem = proxy_book()
    header, rows = dossiers.impact_map(found, book.discount_rate)
    dossiers.record_export(db.session(), user, found, len(rows))
    db.session().commit()
    return csv_download(to_csv(header, rows), f"impactkaart-dossier-{found.id}.csv")
