"""Language choice without JavaScript: ?lang= sets a cookie; Dutch is the default."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_babel import gettext as _

from participatie.extensions import babel

SOFT_HYPHEN = "\u00ad"
LONG_WORD = re.compile(r"[^\W\d_]{11,}")
DICTIONARIES = {"nl": "nl_NL", "en": "en_GB"}


def hyphenate(text: object, lang: str | None = None) -> str:
    """Put soft hyphens at the hyphenation points of long words (11 letters or more).

    Browsers without hyphenation dictionaries (Chromium on Linux) then break "fysiotherapeut" as
    "fysio-therapeut" instead of anywhere; the words still read, search and copy as one word.
    """
    import pyphen  # imported here: only rendering needs it

    value = str(text or "")
    language = lang or str(get_locale() or "nl")
    cache = current_app.extensions.setdefault("hyphenators", {})
    if language not in cache:
        cache[language] = pyphen.Pyphen(lang=DICTIONARIES.get(language, "nl_NL"), left=3, right=3)
    inserter = cache[language]
    return LONG_WORD.sub(lambda m: inserter.inserted(m.group(0), hyphen=SOFT_HYPHEN), value)

COOKIE = "taal"


def select_locale() -> str:
    """Choose the language from the link the visitor followed, then their cookie."""
    languages: list[str] = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if candidate in languages:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_choice(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"] and chosen != request.cookies.get(COOKIE):
        response.set_cookie(
            COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def format_when(value: dt.datetime | None, fmt: str = "medium") -> str:
    """Format a UTC datetime in Europe/Amsterdam for the chosen locale.

    "medium" is "29 nov 2026, 14:05" and "long" reads as people say it: "29 november 2026 om
    14:05" (no seconds, no time zone); "date" gives the day only; "exact" adds the seconds
    (the audit log).
    """
    if value is None:
        return ""
    if fmt == "date":
        return format_date(value, "d MMMM y")
    if fmt == "long":
        return _("%(date)s at %(time)s", date=format_date(value, "d MMMM y"),
                 time=format_time(value, "HH:mm"))
    if fmt == "medium":
        return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"
    return format_datetime(value, "medium" if fmt == "exact" else fmt)


def format_quarter(code: str | None) -> str:
    """Return a quarter code ("2026-Q4") as its months: "okt–dec 2026", "Oct–Dec 2026"."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", code or "")
    if not match:
        return code or ""
    year, quarter = int(match[1]), int(match[2])
    first, last = (format_date(dt.date(year, month, 1), "LLL")
                   for month in (3 * quarter - 2, 3 * quarter))
    return f"{first}–{last} {year}"


def switch_url(other: str) -> str:
    """Return this page's address in another language, keeping what its query says (?code=)."""
    rule = request.url_rule
    if request.method != "GET" and (rule is None or "GET" not in (rule.methods or ())):
        return url_for("public.home", lang=other)  # an error after a POST: no page to GET
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*kept, ('lang', other)])}"


def init_app(app: Flask) -> None:
    """Wire Flask-Babel to the catalogs in translations/ and expose helpers to templates."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["quarter"] = format_quarter
    app.jinja_env.filters["hyphenate"] = hyphenate

    @app.context_processor
    def _language() -> dict[str, object]:
        lang = str(get_locale() or "nl")
        g.lang = lang
        return {"lang": lang, "other_languages": [x for x in app.config["LANGUAGES"] if x != lang],
                "switch_url": switch_url}
