"""The status page's forms after a report is done: satisfied or not, reopen, "ik heb dit ook"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError

from participatie import aftercare, db
from participatie.extensions import limiter
from participatie.intake import get_intake
from participatie.models import Region, Signal, Submission
from participatie.signals import clean_text, find_submission, normalise_reference
from participatie.views import loop
from participatie.views.public import status_page
from participatie.views.residentforms import (
    MAX_VOICE_TEXT,
    ReopenForm,
    SatisfactionForm,
    VoiceForm,
    expired,
    first_error,
)

bp = Blueprint("aftercare", __name__)


def _post_limit() -> str:
    return current_app.config.get("RATELIMIT_LOOKUPS", "60 per minute")


def _voice_limit() -> str:
    return current_app.config.get("RATELIMIT_VOICES", "20 per hour")


def _signal(code: str, position: int) -> tuple[Submission, Signal]:
    submission = find_submission(db.session(), normalise_reference(code))
    if submission is None or submission.withdrawn_at is not None:
        abort(404)
    signal = next((s for s in submission.signals if s.position == position), None)
    if signal is None:
        abort(404)
    return submission, signal


def _back(submission: Submission, signal: Signal, done: str) -> Any:
    return redirect(url_for("public.status", code=submission.reference, gedaan=done)
                    + f"#melding-{signal.position + 1}", code=303)


# per form on the status page: its text field's name, the id of that field, the longest text
_TEXTS = {"aftercare.satisfaction": ("satisfaction", "satisfied_text", "satisfied-text",
                                     aftercare.MAX_TEXT),
          "aftercare.reopen": ("reopen", "reason", "reason", aftercare.MAX_TEXT),
          "aftercare.voice": ("voice", "text", "voice-text", MAX_VOICE_TEXT)}


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError) -> Any:
    """An expired session: nothing was stored; show the status page again with the text kept."""
    args = request.view_args or {}
    found = _TEXTS.get(request.endpoint or "")
    submission = find_submission(db.session(), normalise_reference(str(args.get("code", ""))))
    if found is None or submission is None or submission.withdrawn_at is not None:
        return render_template("errors/error.html", code=error.code), error.code
    name, field, field_id, limit = found
    position = args.get("position")
    problem = {"position": position, "form": name,
               "text": clean_text(request.form.get(field, ""))[:limit],
               "choice": request.form.get("satisfied"), "wijk": request.form.get("wijk"),
               "errors": [(f"{field_id}-{position}",
                           expired())]}
    return status_page(submission, problem, 400)


@bp.post("/status/<code>/tevreden/<int:position>")
@limiter.limit(_post_limit)
def satisfaction(code: str, position: int) -> Any:
    """Store whether the reporter is satisfied with what was done (once per report)."""
    submission, signal = _signal(code, position)
    if not aftercare.is_done(signal):
        return _back(submission, signal, "")
    if signal.satisfaction is not None:
        return _back(submission, signal, "al-beantwoord")
    form = SatisfactionForm()
    if not form.validate():
        problem = {"position": position, "form": "satisfaction", "text": form.satisfied_text.data,
                   "errors": [(f"satisfied-{position}", first_error(form))]}
        return status_page(submission, problem, 400)
    session = db.session()
    try:
        aftercare.answer(session, get_intake(), signal, form.satisfied.data == "yes",
                         form.satisfied_text.data)
        session.commit()
    except IntegrityError:  # a second tap at the same moment: the first answer counts
        session.rollback()
        return _back(submission, signal, "al-beantwoord")
    return _back(submission, signal, "beantwoord")


@bp.post("/status/<code>/heropenen/<int:position>")
@limiter.limit(_post_limit)
def reopen(code: str, position: int) -> Any:
    """Open a solved or closed report again, within 14 days, with the reporter's reason."""
    submission, signal = _signal(code, position)
    if not aftercare.may_reopen(signal):
        # already reopened (a second tap), or too late: the page says which
        return _back(submission, signal, "heropend" if aftercare.was_reopened(signal) else "")
    form = ReopenForm()
    if not form.validate():
        problem = {"position": position, "form": "reopen", "errors": [(
            f"reason-{position}", first_error(form))]}
        return status_page(submission, problem, 400)
    session = db.session()
    changed = aftercare.reopen(session, get_intake(), signal, form.reason.data)
    session.commit()
    return _back(submission, signal, "heropend" if changed or aftercare.was_reopened(signal)
                 else "")


@bp.post("/status/<code>/ik-heb-dit-ook/<int:position>")
@limiter.limit(_voice_limit)
def voice(code: str, position: int) -> Any:
    """Add "ik heb dit ook" to the published theme of a report, from its status page."""
    submission, signal = _signal(code, position)
    session = db.session()
    region = session.get(Region, submission.region_id)
    if region is None:
        abort(404)
    found = (loop.published_or_merged(region, signal.membership.theme_id)
             if signal.membership is not None else None)
    if found is None:  # taken off the public pages meanwhile: nothing counted, text given back
        return status_page(submission, {"position": position, "form": "gone",
                                        "text": loop.gone_text(), "errors": []}, 410)
    form = VoiceForm(region)
    if not form.validate():
        problem = {"position": position, "form": "voice", "text": form.text.data, "errors": [(
            f"wijk-{position}", first_error(form))]}
        return status_page(submission, problem, 400)
    added, token = loop.cast_voice(region, found, form.chosen(), form.text.data)
    session.commit()
    target = (url_for("public.status", code=submission.reference,
                      gedaan="stem" if added else "al-gestemd") + f"#melding-{position + 1}")
    return loop.voice_response(target, token)
