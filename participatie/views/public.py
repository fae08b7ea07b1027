"""Public pages: the home page, following a report by its code, withdrawing it, health check."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from participatie import aftercare, db, filling, publication
from participatie.extensions import limiter
from participatie.models import Region, Submission
from participatie.regions import current_region, wijken_by_stadsdeel
from participatie.signals import (
    ALPHABET,
    WITHDRAW_LENGTH,
    find_submission,
    normalise_reference,
    withdraw,
    withdraw_code_matches,
)
from participatie.views import loop
from participatie.views.residentforms import expired, too_many

bp = Blueprint("public", __name__)


def _lookup_limit() -> str:
    # codes are hard to guess (23^8), a per-client limit keeps it that way
    return current_app.config.get("RATELIMIT_LOOKUPS", "60 per minute")


@bp.get("/")
def home() -> str:
    """Show what the site is for, the forms, the code look-up and the wijken it serves."""
    region = current_region()
    groups = wijken_by_stadsdeel(region) if region else []
    return render_template("public/home.html", region=region, groups=groups,
                           forms=filling.questionnaires())


def _code_problem(typed: str) -> str | None:
    """Say what is wrong with a typed code, in words a resident understands."""
    code = normalise_reference(typed)
    if not typed.strip():
        return _("Enter the code you got after sending your report.")
    if len(code) == WITHDRAW_LENGTH and all(c in ALPHABET for c in code):
        return _("This is the code to withdraw your report. To see what happened to it, enter "
                 "the other code: 8 letters and digits, like K7FM-3RXA.")
    if len(code) != 9 or any(c not in ALPHABET for c in code.replace("-", "")):
        return _("A code has 8 letters and digits, like K7FM-3RXA. Check the code and try again.")
    return None


@bp.get("/status")
@bp.get("/status/")
@limiter.limit(_lookup_limit)
def lookup() -> Any:
    """Find a report by the code typed in the look-up form."""
    typed = request.args.get("code", "")
    if "code" not in request.args:
        return render_template("public/lookup.html", typed="", error=None)
    problem = _code_problem(typed)
    if problem is None and find_submission(db.session(), typed) is None:
        problem = _("We cannot find a report with code %(code)s. Check the code and try again.",
                    code=normalise_reference(typed))
    if problem:
        return render_template("public/lookup.html", typed=typed, error=problem), 400
    return redirect(url_for("public.status", code=normalise_reference(typed)), code=303)


def _submission(code: str) -> Submission:
    found = find_submission(db.session(), code)
    if found is None:
        abort(404)
    return found


@bp.get("/status/<code>")
@limiter.limit(_lookup_limit)
def status(code: str) -> Any:
    """Show what happened to a report: every status change and public reply."""
    if not normalise_reference(code):  # only dashes or spaces: ask for the code
        return redirect(url_for("public.lookup"), code=303)
    if normalise_reference(code) != code:
        return redirect(url_for("public.status", code=normalise_reference(code)), code=301)
    return status_page(_submission(code))


def status_page(submission: Submission, problem: dict[str, Any] | None = None,
                status: int = 200) -> tuple[str, int]:
    """Render a report's status page; problem holds the errors and answers of a form on it."""
    form = filling.questionnaires().get(submission.form_id)
    region = db.session().get(Region, submission.region_id)
    published = {p.theme_id: p for p in publication.published(db.session(), region)}
    key = loop.voice_key()
    voiced = publication.voiced(db.session(), list(published), key) if key else set()
    return render_template("public/status.html", submission=submission, form=form,
                           withdrawn=(request.args.get("ingetrokken") == "1"
                                      and submission.withdrawn_at is not None),
                           published_themes=published, region=region, voiced=voiced,
                           done=_done_notice(submission, request.args.get("gedaan", ""), voiced),
                           problem=problem, aftercare=aftercare), status


def _done_notice(submission: Submission, done: str, voiced: set[int]) -> str:
    """Return which notice to show after a form on the status page sent the resident back.

    The query string names it, and what is stored must bear it out: a link passed around cannot
    make the page say that a report was reopened, answered or voiced for when it was not.
    """
    signals = submission.signals
    happened = {
        "beantwoord": any(s.satisfaction is not None for s in signals),
        "heropend": any(aftercare.was_reopened(s) for s in signals),
        "stem": bool(voiced),
    }
    happened["al-beantwoord"], happened["al-gestemd"] = happened["beantwoord"], happened["stem"]
    return done if happened.get(done) else ""


@bp.route("/status/<code>/intrekken", methods=["GET", "POST"])
@limiter.limit(_lookup_limit)
def withdraw_report(code: str) -> Any:
    """Ask for confirmation, then delete the text and contact details of a report."""
    return _withdraw_page(code)


def _withdraw_page(code: str, refused: str | None = None) -> Any:
    """Render the withdraw page, or withdraw; `refused` says why a POST was not carried out."""
    submission = _submission(normalise_reference(code))
    if submission.withdrawn_at is not None:
        return redirect(url_for("public.status", code=submission.reference))
    needs_code = submission.withdraw_hash is not None
    typed = request.form.get("withdraw_code", "")[:100]
    error = refused if request.method == "POST" else None
    if request.method == "POST" and request.form.get("confirm") == "yes" and refused is None:
        if withdraw_code_matches(submission, typed):
            withdraw(db.session(), submission)
            db.session().commit()
            return redirect(url_for("public.status", code=submission.reference, ingetrokken=1),
                            code=303)
        error = (_("Enter the code to withdraw. You got it after sending, below your report's "
                   "code.") if not typed.strip() else
                 _("This code to withdraw is not right. Check it and try again."))
    html = render_template("public/withdraw.html", submission=submission, needs_code=needs_code,
                           typed=typed, error=error,
                           form=filling.questionnaires().get(submission.form_id))
    return (html, 400) if error else html


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError) -> Any:
    """An expired session: nothing was withdrawn; ask again with the typed code kept."""
    code = (request.view_args or {}).get("code")
    if request.endpoint != "public.withdraw_report" or code is None:
        return render_template("errors/error.html", code=error.code), error.code
    return _withdraw_page(code, refused=expired())


@bp.errorhandler(429)
def _too_many(error: HTTPException) -> Any:
    """Too many codes tried: the look-up and withdraw pages come back with the typed code kept."""
    code = (request.view_args or {}).get("code")
    if request.endpoint == "public.lookup":
        return render_template("public/lookup.html", typed=request.args.get("code", "")[:100],
                               error=too_many()), 429
    if (request.endpoint == "public.withdraw_report" and request.method == "POST" and code
            and find_submission(db.session(), normalise_reference(code)) is not None):
        html = _withdraw_page(code, refused=too_many())
        return (html[0] if isinstance(html, tuple) else html), 429
    return render_template("errors/error.html", code=error.code), error.code


@bp.get("/privacy")
def privacy() -> str:
    """Say what is stored, for how long, who sees it and how to have it deleted."""
    return render_template("public/privacy.html", forms=filling.questionnaires())


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    """Show the accessibility statement (following the Dutch model statement)."""
    return render_template("public/accessibility.html")


@bp.get("/hulp")
def help_page() -> str:
    """Say whom to call for help with the forms, and what to do when it is urgent."""
    return render_template("public/help.html")


def _static(name: str, mimetype: str) -> Response:
    response = send_from_directory(current_app.static_folder or "", name, mimetype=mimetype,
                                   max_age=7 * 24 * 3600)
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the site's icon where browsers look for it."""
    return _static("favicon.ico", "image/vnd.microsoft.icon")


@bp.get("/apple-touch-icon.png")
def apple_touch_icon() -> Response:
    """Serve the icon a phone shows on its home screen."""
    return _static("apple-touch-icon.png", "image/png")


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Describe the site as a web app, so it can sit on a phone's home screen."""
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=name), "sizes": size, "type": "image/png",
        "purpose": purpose}
    body = {
        "name": _("Participatie: care in your neighbourhood"),
        "short_name": _("Participatie"),
        "description": _("Tell your region what goes wrong in care close to home, and follow "
                         "what happens with it."),
        "lang": str(get_locale() or "nl"),
        "start_url": url_for("public.home"),
        "scope": url_for("public.home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#00557f",
        "icons": [icon("icon-192.png", "192x192"), icon("icon-512.png", "512x512"),
                  icon("icon-maskable-512.png", "512x512", "maskable")],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
