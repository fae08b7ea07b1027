"""Response headers (CSP and friends), bounded ids in URLs and safe local redirect targets."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Response

# ids are INTEGER columns on every database: anything larger cannot exist, so it is a 404
MAX_ID = 2**31 - 1

CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])
# the digest preview is an e-mail (inline styles, no scripts) shown in a sandboxed frame
EMAIL_PREVIEW_CSP = "; ".join([
    "default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "base-uri 'none'",
    "form-action 'none'", "frame-ancestors 'self'", "sandbox",
])
EMAIL_PREVIEW_ENDPOINTS = {"subscriptions.preview_html"}
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb", "interest-cohort", "browsing-topics",
))
HSTS = "max-age=31536000; includeSubDomains"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


class BoundedIntegerConverter(IntegerConverter):
    """Like <int:...>, but refuse numbers no database id can have (no overflow, a 404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: Any) -> int | None:
    """Return value as a database id, or None for anything else ('²', '', 10**30, '-1')."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,10}", value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def local_target(target: Any, prefix: str = "/") -> str | None:
    """Return target when it is a path on this site under prefix; else None (open redirect)."""
    if not isinstance(target, str) or not target.startswith(prefix) or _UNSAFE.search(target):
        return None
    if target.startswith("//") or "://" in target.split("?", 1)[0]:
        return None
    return target


class QuietRequestHandler(WSGIRequestHandler):
    """The development server without its 'Werkzeug/x Python/y' Server header."""

    def version_string(self) -> str:
        """Name no software and no version."""
        return "participatie"


def _refuse_nul() -> None:
    # PostgreSQL cannot store or compare NUL in text: refuse it before any query sees it.
    # The public forms drop such characters from typed text themselves and keep the rest.
    if request.endpoint == "forms.fill":
        return
    values = [request.path, *(x for k, vs in request.args.lists() for x in (k, *vs))]
    if request.method == "POST":
        values += [x for k, vs in request.form.lists() for x in (k, *vs)]
    if any("\x00" in v for v in values):
        abort(400)


def _no_store(endpoint: str | None) -> bool:
    return endpoint is not None and endpoint != "static"


def _add_headers(response: Response) -> Response:
    endpoint = request.endpoint
    headers = response.headers
    if endpoint in EMAIL_PREVIEW_ENDPOINTS:
        headers["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
        headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if _no_store(endpoint):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    headers.pop("Server", None)
    return response


def init_app(app: Flask) -> None:
    """Bound <int:> URL parts and add the security headers to every response."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(_refuse_nul)
    app.after_request(_add_headers)
