"""Logging that never carries personal data: no bodies, no query strings, no form values."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, request

# paths whose last part is a secret: a reference code, an invitation or unsubscribe token
SECRET_PATHS = re.compile(
    r"(/status/|/werkruimte/uitnodiging/|/afmelden/|/berichten-stoppen/)[^/?#\s]+")
MASK = "***"


def mask_path(line: str) -> str:
    """Drop the query string and replace codes and tokens in a path or request line."""
    head, sep, rest = line.partition("?")
    if sep:  # keep ' HTTP/1.1' of a request line, drop the query itself
        proto = rest.rsplit(" ", 1)[1] if " HTTP/" in rest else ""
        line = f"{head} {proto}" if proto else head
    return SECRET_PATHS.sub(lambda m: m.group(1) + MASK, line)


def _mask(value: Any) -> Any:
    if isinstance(value, str) and (value.startswith("/") or "HTTP/" in value):
        return mask_path(value)
    return value


class MaskSecretsFilter(logging.Filter):
    """Mask codes, tokens and query strings in access lines (werkzeug's and gunicorn's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_mask(a) for a in args)
        elif isinstance(args, dict):  # gunicorn's atoms: r request line, U path, q query
            atoms = args  # gunicorn's SafeAtoms (a dict): change it in place
            for key in ("r", "U", "{raw_uri}e", "{path_info}e", "{request_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = mask_path(atoms[key])
            for key in ("q", "f", "{query_string}e", "{http_referer}i"):
                if key in atoms:
                    atoms[key] = MASK if atoms[key] not in ("", "-") else atoms[key]
        if isinstance(record.msg, str) and not args:
            record.msg = SECRET_PATHS.sub(lambda m: m.group(1) + MASK, record.msg)
        return True


def init_app(app: Flask) -> None:
    """Configure the app logger and log each error with its path only (secrets masked)."""
    app.logger.setLevel(logging.INFO)
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecretsFilter) for f in logger.filters):
            logger.addFilter(MaskSecretsFilter())

    @app.after_request
    def _log_server_errors(response):  # type: ignore[no-untyped-def]
        if response.status_code >= 500:
            app.logger.error("%s %s -> %s", request.method, mask_path(request.path),
                             response.status_code)
        return response
