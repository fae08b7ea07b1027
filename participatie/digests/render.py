"""Turn a digest into an e-mail: subject, plain text, HTML, and the unsubscribe headers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale, format_date, gettext, lazy_gettext, ngettext
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.routing import BuildError

from participatie import mail, vocabulary
from participatie.digests.content import Digest
from participatie.digests.periods import LOCAL

_l = lazy_gettext
# the workspace's msgids, so both speak of a status with the same words
STATUS_LABELS = {
    "received": _l("Received"), "in_progress": _l("Being looked at"),
    "with_kernteam": _l("With the kernteam"), "on_agenda": _l("On the RESV agenda"),
    "resolved": _l("Solved"), "closed": _l("Closed"),
}
# workspace pages: (endpoint, its id argument, the path should the endpoint be missing)
WORKSPACE_LINKS = {
    "home": ("workspace.overview", None, "/werkruimte/"),
    "signal": ("workspace.report", "signal_id", "/werkruimte/meldingen/{}"),
    "theme": ("workspace.theme", "theme_id", "/werkruimte/themas/{}"),
    "unclaimed": ("workspace.reports", None, "/werkruimte/meldingen?eigenaar=niemand"),
}
LINK_ARGS = {"unclaimed": {"eigenaar": "niemand"}}
_SALT = "digest-unsubscribe"


RenderedDigest = mail.Rendered  # a digest ready to send


def unsubscribe_token(user_id: int) -> str:
    """Sign a user id for the unsubscribe link; it does not expire, old e-mails keep working."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).dumps({"u": user_id})


def read_unsubscribe_token(token: str) -> int | None:
    """Return the user id in a valid token, or None when it was changed or is not ours."""
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).loads(token)
    except BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) and isinstance(data.get("u"), int) else None


def workspace_link(kind: str, id: int | None = None) -> str:
    """Return an absolute link into the workspace, based on PARTICIPATIE_PUBLIC_BASE_URL."""
    endpoint, argument, fallback = WORKSPACE_LINKS[kind]
    values = {argument: id} if argument else {}
    values.update(LINK_ARGS.get(kind, {}))
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + fallback.format(id)


def render(digest: Digest) -> RenderedDigest:
    """Render a digest in the subscriber's language (Dutch unless they chose English)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    language = digest.subscription.language if digest.subscription.language == "en" else "nl"
    # a request context on the public address makes url_for(_external=True) point there,
    # also from the CLI; it reuses the current app context, so the same database session
    with current_app.test_request_context("/", base_url=base), force_locale(language):
        unsubscribe = url_for("subscriptions.unsubscribe",
                              token=unsubscribe_token(digest.user.id), _external=True)
        context = _context(digest, language, unsubscribe)
        # the template keeps its logic readable; one blank line between blocks is enough
        text = re.sub(r"\n{3,}", "\n\n", render_template("email/digest.txt", **context))
        html = render_template("email/digest.html", **context)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return RenderedDigest(digest.user.email, context["subject"], text, html, headers)


def _context(digest: Digest, language: str, unsubscribe: str) -> dict[str, Any]:
    period = period_label(digest)
    if digest.report_count:
        counted = ngettext("%(num)d new report", "%(num)d new reports", digest.report_count)
    else:
        counted = gettext("no new reports")
    scope = "" if digest.whole_region else ", ".join(w.name for w in digest.wijken)
    subject = gettext("Digest %(period)s: %(counted)s", period=period, counted=counted)
    return {
        "digest": digest, "language": language, "period_label": period,
        "dates": date_range(digest.since, digest.period.end), "scope": scope,
        "subject": f"{subject} ({scope})" if scope and len(digest.wijken) <= 2 else subject,
        "statuses": STATUS_LABELS, "link": workspace_link, "unsubscribe_url": unsubscribe,
        "settings_url": _settings_url(), "severity_label": vocabulary.severity_label,
        "day": lambda date: format_date(date, "long"),
        "how_often": vocabulary.frequency_label,
        "frequency_label": gettext("every week") if digest.period.frequency == "weekly"
        else gettext("every month"),
    }


def _settings_url() -> str:
    try:
        return url_for("subscriptions.settings", _external=True)
    except BuildError:
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/werkruimte/samenvatting"


def period_label(digest: Digest) -> str:
    """Name the period as people say it: 'week 47' or 'november 2026'."""
    start = digest.period.start.astimezone(LOCAL).date()
    if digest.period.frequency == "weekly":
        return gettext("week %(number)d", number=start.isocalendar()[1])
    return format_date(start, "LLLL yyyy")


def date_range(start: dt.datetime, end: dt.datetime) -> str:
    """Show the covered days, e.g. '16 november 2026 to 22 november 2026'."""
    first = start.astimezone(LOCAL).date()
    last = (end - dt.timedelta(seconds=1)).astimezone(LOCAL).date()
    return gettext("%(first)s to %(last)s", first=format_date(first, "long"),
                   last=format_date(last, "long"))
