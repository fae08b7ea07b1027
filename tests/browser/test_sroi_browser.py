"""The RESV agenda and knelpunt dossier in headless Chromium: a flow, axe and vnu on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from participatie import db, dossiers, sroi
from participatie.models import Dossier, User
from tests.browser.checks import DESKTOP, axe_violations, vnu_errors

pytestmark = pytest.mark.browser


@pytest.fixture
def site(world_site):
    """The live workspace with a Waterwijk dossier with an SROI analysis."""
    live_server, world = world_site
    with live_server.app.app_context():
        session = db.session()
        asd = session.get(User, world.users["asd"])
        found = session.get(Dossier, world.dossiers["own"])
        dossiers.add_input(session, asd, found, sroi.Input("kernteam", "uren", 40, 50, 1000))
        dossiers.add_outcome(session, asd, found, sroi.Outcome(
            "inwoners", "minder vaak bellen", "telefoontjes", 100, 33, "Kostenhandleiding", 3,
            0.2, 0.25, 0.0, 0.1))
        dossiers.add_evidence(session, asd, found, found.created_at.date(), "Verslag",
                              "https://example.org/verslag")
        session.commit()
    return live_server, world


def test_agenda_and_dossier_pages_pass_axe_and_vnu(site, new_page, log_in):
    server, world = site
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    log_in(page, "asd@test.nl")

    page.get_by_role("link", name="RESV-overleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RESV-overleggen")
    page.get_by_label("Datum van het overleg").fill("2026-12-17")
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.locator(".error-summary")).to_contain_text("Kies minstens één thema.")
    pages["meetings-error"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Huisarts bereikbaarheid").check()
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("status")).to_contain_text("Het overleg is gepland.")
    page.get_by_label("Vraag aan de tafel").fill("Kan iedereen binnen een dag worden teruggebeld?")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_label("Wat is afgesproken").fill("Terugbeluur in elke praktijk")
    page.get_by_label("Wie het doet").fill("Huisartsen")
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De afspraak is opgeslagen.")
    pages["meeting"] = page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="De agenda (afdrukken)").click()
    expect(page.locator("article")).to_contain_text("Kan iedereen binnen een dag")
    pages["agenda"] = page.content()
    assert axe_violations(page) == []

    page.goto(f"{server.url}/werkruimte/themas/{world.themes['own']}")
    expect(page.locator("#afspraken + table")).to_contain_text("Terugbeluur in elke praktijk")

    with page.expect_navigation():
        page.get_by_role("link", name="Dossiers").click()
    pages["dossiers"] = page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Dossier Waterwijk").click()
    expect(page.locator("body")).to_contain_text("SROI-ratio")
    pages["dossier"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Aantal (mensen of keren)").fill("veel")
    page.get_by_role("button", name="Effect toevoegen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    pages["dossier-error"] = page.content()
    assert axe_violations(page) == []
    page.goto(f"{server.url}/werkruimte/dossiers/{world.dossiers['own']}/verslag")
    pages["dossier-report"] = page.content()
    assert axe_violations(page) == []
    assert vnu_errors(pages) == {}
