"""Closing the loop in public: what we heard and what we do, per wijk and for the region,
"ik heb dit ook", and the open data (CSV, JSON, Atom)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from participatie import db, filling, publication, survey_results
from participatie.exports import to_csv
from participatie.extensions import limiter
from participatie.intake import get_intake
from participatie.models import Region, Theme, ThemePublication, Wijk
from participatie.regions import current_region
from participatie.signals import KnelpuntInput, clean_text, record_submission
from participatie.themes.curation import merged_home
from participatie.views.residentforms import MAX_VOICE_TEXT, VoiceForm, expired, first_error

bp = Blueprint("loop", __name__)

VOICE_COOKIE = "ik_ook"
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FEW = _l("fewer than 5")
COLUMNS = (
    ("theme_id", _l("Number of the theme; stays the same.")),
    ("theme_title", _l("Title of the theme, as published.")),
    ("public_status", _l("What happens with the theme, in words.")),
    ("wijk", _l("Short name of the wijk; empty for the whole region.")),
    ("wijk_name", _l("Name of the wijk, or of the region.")),
    ("period", _l("Quarter, like 2026-Q1 (calendar of the Netherlands).")),
    ("count", _l("Reports and 'I have this too' in that quarter; empty when fewer than 5.")),
    ("suppressed", _l("true when the count is fewer than 5 and therefore not given.")),
)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"few": FEW, "show": survey_results.show}


def _voice_limit() -> str:
    return current_app.config.get("RATELIMIT_VOICES", "20 per hour")


def _region() -> Region:
    region = current_region()
    if region is None:
        abort(404)
    return region


def _wijk(region: Region, slug: str) -> Wijk:
    wijk = next((w for w in region.wijken if w.slug == slug), None)
    if wijk is None:
        abort(404)
    return wijk


def _surveys(region: Region, wijk: Wijk | None) -> list[tuple[Any, Any, Any]]:
    forms = filling.questionnaires()
    out = []
    for pub in publication.published_surveys(db.session(), region):
        form = forms.get(pub.form_id)
        if form is None or form.kind != "survey":
            continue
        result = survey_results.results(db.session(), region, form, pub.period,
                                        wijk.slug if wijk else None)
        out.append((pub, form, result))
    return out


def voice_key() -> str | None:
    """Return the stored key of this browser's voice cookie (None without a valid cookie)."""
    token = request.cookies.get(VOICE_COOKIE, "")
    if not (16 <= len(token) <= 64 and token.isalnum()):
        return None
    return publication.browser_key(current_app.config["SECRET_KEY"], token)


def _page(region: Region, wijk: Wijk | None) -> str:
    session = db.session()
    themes = publication.public_themes(session, region, wijk)
    key = voice_key()
    voiced = (publication.voiced(session, [t.publication.theme_id for t in themes], key)
              if key else set())
    return render_template("public/loop.html", region=region, wijk=wijk, themes=themes,
                           surveys=_surveys(region, wijk), voiced=voiced,
                           added=request.args.get("toegevoegd"), error=None)


@bp.get("/regio")
def region() -> str:
    """Show what we heard and what we do in the whole region."""
    return _page(_region(), None)


@bp.get("/wijk/<slug>")
def wijk(slug: str) -> str:
    """Show what we heard and what we do in one wijk."""
    region = _region()
    return _page(region, _wijk(region, slug))


@bp.post("/ik-heb-dit-ook/<int:theme_id>")
@limiter.limit(_voice_limit)
def voice(theme_id: int) -> Any:
    """Add a resident's voice to a published theme: once per browser, optionally with a text."""
    region = _region()
    session = db.session()
    found = published_or_merged(region, theme_id)
    back = request.form.get("terug", "")  # the page the form was on: the region's or a wijk's
    back_wijk = next((w for w in region.wijken if w.slug == back), None)
    if found is None:
        known = theme_id < 2**31 and session.get(Theme, theme_id)
        if not known or known.region_id != region.id:
            abort(404)
        return _voice_gone(region, back_wijk)
    form = VoiceForm(region)
    target = (url_for("loop.wijk", slug=back_wijk.slug) if back_wijk else url_for("loop.region"))
    if not form.validate():
        return _voice_again(region, back_wijk, found.theme_id, first_error(form), form.text.data)
    added, token = cast_voice(region, found, form.chosen(), form.text.data)
    session.commit()
    return voice_response(f"{target}?toegevoegd={1 if added else 0}#thema-{found.theme_id}", token)


def published_or_merged(region: Region, theme_id: int) -> ThemePublication | None:
    """Return the theme's publication, or that of the theme it was merged into meanwhile."""
    session = db.session()
    if theme_id >= 2**31:
        return None
    found = publication.published_theme(session, region, theme_id)
    theme = session.get(Theme, theme_id) if found is None else None
    if theme is not None and theme.region_id == region.id and theme.merged_into_id is not None:
        found = publication.published_theme(session, region, merged_home(session, theme).id)
    return found


def gone_text() -> str:
    """Return the text a resident sent with a voice for a subject no longer published."""
    return clean_text(request.form.get("text", ""))[:MAX_VOICE_TEXT]


def _voice_gone(region: Region, back_wijk: Wijk | None) -> tuple[str, int]:
    """The subject was taken off the public pages meanwhile: nothing was counted; say so and
    give back what was typed."""
    themes = publication.public_themes(db.session(), region, back_wijk)
    return render_template("public/loop.html", region=region, wijk=back_wijk, themes=themes,
                           surveys=_surveys(region, back_wijk), voiced=set(), added=None,
                           error=None, gone=gone_text()), 410


def _voice_again(region: Region, back_wijk: Wijk | None, theme_id: int, message: str,
                 typed: str) -> tuple[str, int]:
    """Show the page the voice came from again, with the message and what was typed."""
    themes = publication.public_themes(db.session(), region, back_wijk)
    return render_template("public/loop.html", region=region, wijk=back_wijk, themes=themes,
                           surveys=_surveys(region, back_wijk), voiced=set(), added=None,
                           error=(theme_id, message), typed=typed), 400


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError) -> Any:
    """An expired session: the voice was not counted; show the form again, text kept."""
    region = current_region()
    theme_id = (request.view_args or {}).get("theme_id")
    if request.endpoint != "loop.voice" or region is None or theme_id is None:
        return render_template("errors/error.html", code=error.code), error.code
    back_wijk = next((w for w in region.wijken if w.slug == request.form.get("terug")), None)
    return _voice_again(region, back_wijk, theme_id,
                        expired(),
                        clean_text(request.form.get("text", ""))[:MAX_VOICE_TEXT])


def cast_voice(region: Region, found: ThemePublication, chosen: Wijk,
               text: str) -> tuple[bool, str]:
    """Count this browser's voice for a published theme once; return (added, cookie token).

    A text is a report like any other: redacted at intake, reviewed in the workspace.
    """
    session = db.session()
    token = request.cookies.get(VOICE_COOKIE, "")
    if not (16 <= len(token) <= 64 and token.isalnum()):
        token = secrets.token_hex(16)
    key = publication.browser_key(current_app.config["SECRET_KEY"], token)
    submission = None
    if text and not publication.has_voice(session, found.theme_id, key):
        submission = record_submission(
            session, get_intake(), region, form_id="ik-heb-dit-ook", form_version=1,
            answers={"theme": found.theme_id}, knelpunten=[KnelpuntInput(text, [chosen.slug])],
            language=str(get_locale() or "nl"),
            retention_days=current_app.config.get("CONTACT_RETENTION_DAYS", 180))
    return publication.add_voice(session, found, chosen, key, submission), token


def voice_response(target: str, token: str) -> Response:
    """Redirect after a voice, keeping the browser's voice cookie for two years."""
    response = redirect(target, code=303)
    response.set_cookie(VOICE_COOKIE, token, max_age=3600 * 24 * 365 * 2, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


# --- open data -------------------------------------------------------------------------------


@bp.get("/open-data/")
def open_data() -> str:
    """Explain the open data: files, columns, licence."""
    region = _region()
    return render_template("public/open_data.html", region=region, columns=COLUMNS,
                           licence=LICENCE, licence_url=LICENCE_URL)


@bp.get("/open-data/themas.csv")
def open_data_csv() -> Response:
    """Return the published counts per theme, wijk and quarter as CSV."""
    rows = publication.open_data_rows(db.session(), _region())
    names = [c for c, _doc in COLUMNS]
    body = to_csv(names, ([("" if r[c] is None else str(r[c]).lower() if isinstance(r[c], bool)
                            else r[c]) for c in names] for r in rows))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": 'inline; filename="themas.csv"',
                             "Access-Control-Allow-Origin": "*"})


@bp.get("/open-data/themas.json")
def open_data_json() -> Response:
    """Return the published counts per theme, wijk and quarter as JSON, with the licence."""
    region = _region()
    body = {"region": region.slug, "licence": LICENCE, "licence_url": LICENCE_URL,
            "documentation": url_for("loop.open_data", _external=True),
            "columns": {c: str(doc) for c, doc in COLUMNS},
            "rows": publication.open_data_rows(db.session(), region)}
    return Response(json.dumps(body, ensure_ascii=False, indent=1),
                    mimetype="application/json", headers={"Access-Control-Allow-Origin": "*"})


@bp.get("/open-data/<slug>.atom")
def feed(slug: str) -> Response:
    """Return an Atom feed of newly published themes and status changes (a wijk or 'regio')."""
    region = _region()
    wijk = None if slug == "regio" else _wijk(region, slug)
    entries = publication.updates(db.session(), region, wijk)
    body = render_template("public/feed.xml", region=region, wijk=wijk, entries=entries,
                           slug=slug)
    return Response(body, mimetype="application/atom+xml")

