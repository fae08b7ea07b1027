"""The review workspace in headless Chromium: a reviewer's flow, keyboard use, axe, vnu, reflow."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from participatie import accounts, db
from participatie.models import ThemeMembership, User
from tests.browser.checks import DESKTOP, axe_violations, vnu_errors
from tests.factories.workspace import build_world

pytestmark = pytest.mark.browser
PASSWORD = "een wachtwoord voor de test"
REPLY = "Het kernteam van Waterwijk bespreekt dit in juni met de huisartsen."


@pytest.fixture
def site(live_server):
    """The live site with the workspace test world and passwords for the ASD member."""
    with live_server.app.app_context():
        session = db.session()
        world = build_world(session)
        for role in ("asd", "kernteam"):
            user = session.get(User, world.users[role])
            user.password_hash = accounts.hash_password(PASSWORD)
        member = session.query(ThemeMembership).filter_by(signal_id=world.signals["own2"]).one()
        member.needs_review, member.source = True, "assigned"
        session.commit()
    return live_server, world


def _log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/werkruimte/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_workspace_flow_login_theme_merge_reply_status_page(site, new_page):
    server, world = site
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    page.goto(server.url + "/werkruimte/inloggen")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".error-summary")).to_contain_text("Vul uw e-mailadres in.")
    pages["login-error"] = page.content()
    assert axe_violations(page) == []
    _log_in(page, server.url, "asd@test.nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's in Almere")
    pages["overview"] = page.content()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Huisarts bereikbaarheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huisarts bereikbaarheid")
    pages["theme"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Dit thema samenvoegen met").select_option(label="Wachttijden zorg")
    page.get_by_role("button", name="Samenvoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachttijden zorg")
    expect(page.get_by_role("status")).to_contain_text("samengevoegd")
    expect(page.locator("ol.members")).to_contain_text("De huisarts is nooit bereikbaar.")

    page.get_by_role("link", name=f"Melding {world.signals['own']}", exact=True).click()
    pages["report"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Status", exact=True).select_option("with_kernteam")
    page.get_by_label("Antwoord aan de melder (niet verplicht)").fill(REPLY)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("De status is opgeslagen.")

    public = new_page()
    public.goto(f"{server.url}/status/{world.codes['own']}")
    expect(public.locator(".reply")).to_contain_text(REPLY)
    expect(public.get_by_role("heading", level=2).first).to_contain_text("zorgteam van de wijk")

    for name, path in [("reports", "/werkruimte/meldingen"), ("queue", "/werkruimte/te-beoordelen"),
                       ("search", "/werkruimte/zoeken?q=huisarts"),
                       ("print", f"/werkruimte/themas/{world.themes['spare']}/verslag")]:
        page.goto(server.url + path)
        pages[name] = page.content()
        assert axe_violations(page) == [], name
    assert vnu_errors(pages) == {}


def test_workspace_flow_keyboard_only_queue_and_reflow(site, new_page):
    server, world = site
    page = new_page(width=320, height=640)
    _log_in(page, server.url, "kernteam@test.nl")
    page.goto(server.url + "/werkruimte/te-beoordelen")
    expect(page.get_by_role("button", name="Bevestig: Wachttijden zorg")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    page.keyboard.press("Enter")  # one keystroke confirms the suggestion
    expect(page.get_by_role("status")).to_contain_text("Opgeslagen")
    expect(page.locator("main")).to_contain_text("U heeft tot nu toe 1 melding geplaatst.")
    page.goto(server.url + "/werkruimte/themas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(server.url + f"/werkruimte/meldingen/{world.signals['other_wijk']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("U mag deze pagina niet zien")


def test_workspace_flow_admin_pages_and_invitation(site, new_page):
    server, world = site
    with server.app.app_context():
        session = db.session()
        admin = session.get(User, world.users["beheerder"])
        admin.password_hash = accounts.hash_password(PASSWORD)
        session.commit()
        with server.app.test_request_context():
            token = accounts.invitation_token(session.get(User, world.users["meelezer"]))
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    _log_in(page, server.url, "beheerder@test.nl")
    page.goto(server.url + "/werkruimte/gebruikers")
    page.get_by_role("button", name="Uitnodiging sturen").click()
    expect(page.locator(".error-summary li")).to_have_count(2)
    page.get_by_role("link", name="Kies een rol.").click()
    expect(page.locator("#role")).to_be_in_viewport()
    pages["users-error"] = page.content()
    assert axe_violations(page) == []
    page.goto(server.url + "/werkruimte/logboek")
    pages["audit"] = page.content()
    assert axe_violations(page) == []
    page.goto(server.url + "/werkruimte/wijken")
    page.get_by_role("button", name="Wijk toevoegen").click()
    expect(page.locator(".error-summary li")).to_have_count(2)
    pages["wijken-error"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Naam van de wijk").fill("Hoekwijk")
    page.get_by_label("Stadsdeel").fill("Almere Buiten")
    page.get_by_role("button", name="Wijk toevoegen").click()
    expect(page.get_by_role("row", name="Hoekwijk")).to_have_count(1)
    page.set_viewport_size({"width": 320, "height": 800})
    pages["wijken"] = page.content()
    assert axe_violations(page) == []
    invited = new_page()
    invited.goto(f"{server.url}/werkruimte/uitnodiging/{token}")
    invited.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    expect(invited.locator(".error-summary")).to_contain_text("minstens 12 tekens")
    pages["invitation-error"] = invited.content()
    assert axe_violations(invited) == []
    assert vnu_errors(pages) == {}
