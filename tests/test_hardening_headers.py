"""Security headers on every page, secrets masked in access logs, no server version."""

from __future__ import annotations

import http.client
import logging
import threading

import pytest
from werkzeug.serving import make_server

from participatie import logs
from tests.factories.workspace import build_world, log_in_as
from tests.formfill import fill_knelpunt, submit

PAGES = ["/", "/status", "/formulier/knelpunt", "/formulier/clientenraad",
         "/formulier/peiling-huisarts", "/werkruimte/inloggen", "/bestaat-niet"]


def _csp(response) -> dict[str, str]:
    parts = [p.strip() for p in response.headers["Content-Security-Policy"].split(";")]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] if " " in p else "" for p in parts}


@pytest.mark.parametrize("path", PAGES)
def test_hardening_strict_headers_on_public_pages(client, path):
    response = client.get(path)
    csp = _csp(response)
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'" and csp["base-uri"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain http
    assert "Server" not in response.headers


def test_hardening_no_store_on_form_status_and_workspace_pages(app, client):
    code = submit(fill_knelpunt(client))
    for path in (f"/status/{code}", f"/status/{code}/intrekken", "/werkruimte/inloggen",
                 "/status"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    # form pages stay in the resident's own browser only, so Back shows them again (no-store
    # would give Back a cache miss and lose what was typed; see tests/browser/test_limits_back)
    for response in (client.get("/formulier/knelpunt"), client.post("/formulier/knelpunt")):
        assert response.headers["Cache-Control"] == "private, no-cache"
    with client.get("/static/site.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_hardening_hsts_only_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hardening_digest_preview_is_a_sandboxed_frame(app, client):
    from participatie import db

    with app.app_context():
        world = build_world(db.session())
    log_in_as(client, world.users["beheerder"])
    page = client.get("/werkruimte/samenvatting/voorbeeld")
    assert page.status_code == 200
    html = client.get(f"/werkruimte/samenvatting/voorbeeld/{world.users['beheerder']}/html")
    csp = _csp(html)
    assert "sandbox" in csp and csp["default-src"] == "'none'"
    assert csp["frame-ancestors"] == "'self'" and "script-src" not in csp
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert html.headers["Cache-Control"] == "no-store"


def _quiet_handler():
    from participatie.security import QuietRequestHandler

    return QuietRequestHandler


def test_hardening_development_server_names_no_version(app):
    server = make_server("127.0.0.1", 0, app, request_handler=_quiet_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        assert response.getheader("Server") == "participatie"
    finally:
        server.shutdown()


def _record(args: object, msg: str = '"%s" %s %s') -> logging.LogRecord:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, msg, None, None)
    record.args = args  # type: ignore[assignment]
    return record


@pytest.mark.parametrize(("line", "masked"), [
    ("GET /status/K7FM-3RXA HTTP/1.1", "GET /status/*** HTTP/1.1"),
    ("POST /status/K7FM-3RXA/intrekken HTTP/1.1", "POST /status/***/intrekken HTTP/1.1"),
    ("GET /werkruimte/uitnodiging/abc.def-ghi HTTP/1.1",
     "GET /werkruimte/uitnodiging/*** HTTP/1.1"),
    ("GET /afmelden/eyJ1IjoxfQ.sig?x=1 HTTP/1.1", "GET /afmelden/*** HTTP/1.1"),
    ("POST /berichten-stoppen/eyJjIjoxfQ.sig HTTP/1.1", "POST /berichten-stoppen/*** HTTP/1.1"),
    ("GET /status?code=K7FM-3RXA HTTP/1.1", "GET /status HTTP/1.1"),
    ("GET /formulier/knelpunt HTTP/1.1", "GET /formulier/knelpunt HTTP/1.1"),
])
def test_hardening_access_logs_mask_codes_and_tokens(line, masked):
    record = _record((line, "200", "-"))
    logs.MaskSecretsFilter().filter(record)
    assert record.getMessage() == f'"{masked}" 200 -'
    assert logs.mask_path(line) == masked


def test_hardening_gunicorn_access_atoms_are_masked():
    from gunicorn.glogging import SafeAtoms

    atoms = SafeAtoms({"r": "GET /status/K7FM-3RXA?lang=en HTTP/1.1",
                       "U": "/werkruimte/uitnodiging/tok", "q": "code=K7FM-3RXA",
                       "f": "https://site/status/K7FM-3RXA", "s": "200"})
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1,
                               '%(r)s %(U)s %(q)s %(f)s %(s)s', None, None)
    record.args = atoms  # type: ignore[assignment]
    logs.MaskSecretsFilter().filter(record)
    message = record.getMessage()
    assert "K7FM" not in message and "tok" not in message
    assert message == "GET /status/*** HTTP/1.1 /werkruimte/uitnodiging/*** *** *** 200"


def test_hardening_filter_is_on_the_access_loggers(app):
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, logs.MaskSecretsFilter) for f in logging.getLogger(name).filters)
