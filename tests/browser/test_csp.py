"""The strict Content-Security-Policy holds in Chromium: no violation on any page the a11y tests
visit (public flow with JavaScript on, the workspace, the digest preview in its sandboxed frame)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from participatie import accounts, db
from participatie.models import User
from tests.browser.checks import next_page
from tests.browser.test_public_forms import fill_knelpunt, follow_and_withdraw
from tests.factories.workspace import build_world

pytestmark = pytest.mark.browser
PASSWORD = "een wachtwoord voor de test"
LISTEN = """() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""

# the pages of test_public_forms.test_browser_every_public_page_passes_axe_and_vnu
PUBLIC = [("/?lang=en", "home-en"), ("/?lang=nl", "home"), ("/status", "lookup"),
          ("/status?code=xx", "lookup-error"), ("/bestaat-niet", "404"),
          ("/formulier/peiling-huisarts", "survey")]


class Watch:
    """Collect CSP violations: securitypolicyviolation events and 'Refused to' console errors."""

    def __init__(self, page: Page) -> None:
        self.page, self.found = page, {}  # type: ignore[var-annotated]
        self.console: list[str] = []
        page.add_init_script(f"({LISTEN})()")
        page.on("console", lambda m: self.console.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text else None)

    def visit(self, name: str) -> None:
        """Record what was refused on the page shown now (and in its frames)."""
        events = [e for frame in self.page.frames
                  for e in (frame.evaluate("() => window.__csp || []"))]
        if events or self.console:
            self.found[name] = events + self.console
        self.console = []


def test_csp_no_violations_on_the_public_pages(live_server, new_page):
    page = new_page()
    watch = Watch(page)
    for path, name in PUBLIC:
        page.goto(live_server.url + path)
        watch.visit(name)
    next_page(page)
    watch.visit("survey-error")
    page.goto(live_server.url + "/formulier/clientenraad")
    page.get_by_label("Naam van de cliëntenraad of organisatie").fill("Raad")
    page.get_by_label("Met hoeveel cliënten of leden heeft u gesproken?").fill("8")
    next_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Nog een knelpunt toevoegen").click()
    watch.visit("clientenraad-2")
    page.goto(live_server.url + "/formulier/knelpunt")
    code = fill_knelpunt(page, watch.visit)
    follow_and_withdraw(page, code, watch.visit)
    assert len(watch.found) == 0, watch.found


def test_csp_no_violations_in_the_workspace(live_server, new_page):
    with live_server.app.app_context():
        session = db.session()
        world = build_world(session)
        session.get(User, world.users["beheerder"]).password_hash = \
            accounts.hash_password(PASSWORD)
        session.commit()
    page = new_page(width=1280, height=900)
    watch = Watch(page)
    page.goto(live_server.url + "/werkruimte/inloggen")
    watch.visit("login")
    page.get_by_label("E-mailadres").fill("beheerder@test.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    watch.visit("overview")
    spare, signal = world.themes["spare"], world.signals["own"]
    for path in ["/werkruimte/themas", f"/werkruimte/themas/{spare}",
                 f"/werkruimte/themas/{spare}/verslag", "/werkruimte/meldingen",
                 f"/werkruimte/meldingen/{signal}", "/werkruimte/te-beoordelen",
                 "/werkruimte/zoeken?q=huisarts", "/werkruimte/gebruikers", "/werkruimte/logboek",
                 "/werkruimte/wijken", "/werkruimte/samenvatting",
                 "/werkruimte/samenvatting/abonnees",
                 f"/werkruimte/samenvatting/voorbeeld/{world.users['kernteam']}"]:
        page.goto(live_server.url + path)
        watch.visit(path)
    page.goto(live_server.url
              + f"/werkruimte/samenvatting/voorbeeld/{world.users['kernteam']}/html")
    watch.visit("preview-email")  # the e-mail with its own sandboxed policy
    assert len(watch.found) == 0, watch.found


def test_csp_violations_are_caught(live_server, new_page):
    """The watcher itself works: an inline script on one of our pages is reported."""
    page = new_page()
    watch = Watch(page)
    page.goto(live_server.url + "/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.x = 1'; document.body.appendChild(s); }""")
    page.wait_for_function("window.__csp.length > 0")  # the event comes after the script
    watch.visit("home-with-inline-script")
    assert "home-with-inline-script" in watch.found
