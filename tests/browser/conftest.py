"""Browser fixtures for every area: Debian's Chromium through Playwright, a live server, axe, vnu.

Use them like this (mark the tests ``@pytest.mark.browser``; the helpers live in checks.py)::

    from tests.browser.checks import axe_violations, vnu_errors

    def test_my_page(live_server, new_page):
        page = new_page(width=390, height=844)           # a fresh context; java_script=False too
        page.goto(live_server.url + "/werkruimte")
        assert axe_violations(page) == []                 # WCAG 2.0-2.2 A/AA tags, axe-core 4.14
        assert vnu_errors({"home": page.content()}) == {}  # batch many pages in one call

``live_server.app`` is the served app (its database is the seeded test database; browser tests
are marked ``commits``, so it is emptied and seeded again after each test).
``live_server.use(app)`` serves another app (e.g. one with extra config) for the rest of the test.

For the workspace: ``world_site`` is the live site with the workspace test world (the ASD,
kernteam and beheerder users have ``PASSWORD``); ``log_in(page, "asd@test.nl")`` logs a page in
through the form.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from participatie import accounts, db
from participatie.intake import get_intake
from tests.browser.checks import AXE, PASSWORD, VNU
from tests.conftest import make_app
from tests.factories.workspace import World, build_world

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# as long as actions may wait (set_default_timeout below): a busy CI machine needs more than 5 s
expect.set_options(timeout=10_000)
LOGS_IN = ("asd", "kernteam", "beheerder")  # the roles the browser tests log in as
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip browser tests, with the reason, where Chromium or the checkers are not installed."""
    missing = [str(p) for p in (Path(CHROMIUM), AXE, VNU) if not p.exists()]
    missing += [] if shutil.which("java") else ["java"]
    if missing:
        skip = pytest.mark.skip(reason=f"missing {', '.join(missing)} (run `make test-deps`)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run, writing nothing to the home folder."""
    workdir = tempfile.mkdtemp(prefix="participatie-chromium-")
    env = {**os.environ, "XDG_CONFIG_HOME": workdir, "XDG_CACHE_HOME": workdir, "HOME": workdir}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              env=env)
        yield chromium
        chromium.close()
    shutil.rmtree(workdir, ignore_errors=True)


class _Server:
    """A werkzeug server in a thread that serves whichever app is current."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)

    def use(self, app: Flask) -> None:
        """Serve app from now on (the fixture switches back after the test)."""
        self.app = app

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def _server(database_url: str) -> Iterator[_Server]:
    app = make_app(database_url)
    with app.app_context():
        get_intake().redact("Warm up")  # load the redactor before the first click waits for it
    server = _Server(app)
    yield server
    server.stop()
    with app.app_context():
        db.engine().dispose()


@dataclass
class LiveServer:
    """The running site for one test: its base url and the app behind it."""

    url: str
    app: Flask
    use: Callable[[Flask], None]


@pytest.fixture
def live_server(_server: _Server) -> Iterator[LiveServer]:
    """The live site on the seeded database (browser tests are marked ``commits``: the database
    is emptied and seeded again after each one)."""
    default = _server.app
    yield LiveServer(url=_server.url, app=default, use=_server.use)
    _server.use(default)
    with default.app_context():
        db.session().close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts: new_page(width=390, height=844, javascript=True)."""
    contexts = []

    def opener(width: int = 390, height: int = 844, javascript: bool = True,
               block_scripts: bool = False) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      java_script_enabled=javascript, locale="nl-NL")
        if block_scripts:
            # axe needs JavaScript; this shows the no-JS rendering with axe still able to run
            context.route("**/*.js", lambda route: route.abort())
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.javascript_enabled = javascript  # type: ignore[attr-defined]  # axe asks
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def world_site(live_server: LiveServer) -> tuple[LiveServer, World]:
    """The live site with the workspace test world; the users in LOGS_IN have PASSWORD."""
    from participatie.models import User

    with live_server.app.app_context():
        session = db.session()
        world = build_world(session)
        for role in LOGS_IN:
            session.get(User, world.users[role]).password_hash = accounts.hash_password(PASSWORD)
        session.commit()
    return live_server, world


@pytest.fixture
def log_in(live_server: LiveServer) -> Callable[[Page, str], None]:
    """Return log_in(page, email): log the page in through the form with PASSWORD."""

    def _log_in(page: Page, email: str) -> None:
        page.goto(live_server.url + "/werkruimte/inloggen")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("button", name="Uitloggen", exact=True)).to_be_visible()

    return _log_in
