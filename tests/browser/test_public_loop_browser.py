"""The public loop pages in headless Chromium: axe (JS on and off), vnu, size, no third parties."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from participatie import db
from participatie.accounts import create_user
from participatie.accounts.demo import DEMO_ACCOUNTS
from participatie.demo import load_demo_dossier, load_demo_publications
from participatie.models import Region
from tests.browser.checks import PHONE, axe_violations, vnu_errors
from tests.factories.workspace import add_report, add_theme

pytestmark = pytest.mark.browser
TODAY = dt.date.today()
PAGES = [("/regio", "regio"), ("/regio?lang=en", "regio-en"), ("/wijk/waterwijk", "waterwijk"),
         ("/wijk/haven", "haven"), ("/wijk/waterwijk?lang=en", "waterwijk-en"),
         ("/open-data/", "open-data"), ("/?lang=nl", "home")]


@pytest.fixture
def site(live_server):
    """The live site with the demo's published themes, agreements and survey."""
    with live_server.app.app_context():
        session = db.session()
        region = session.query(Region).filter_by(slug="almere").one()
        wijken = {w.slug: w for w in region.wijken}
        for email, name, role, slugs in DEMO_ACCOUNTS:
            create_user(session, region.id, email, name, role, [wijken[s] for s in slugs])
        reports = [add_report(session, region, "waterwijk",
                              f"De huisarts neemt de telefoon niet op ({i}).", days_ago=9 * i)
                   for i in range(9)]
        add_theme(session, region, "th-huisarts", "Huisarts: bellen lukt niet", reports)
        other = [add_report(session, region, "haven", "De apotheek is vaak dicht.", days_ago=i)
                 for i in range(6)]
        add_theme(session, region, "th-apotheek", "Apotheek vaak dicht", other)
        load_demo_dossier(session, region, today=TODAY)
        assert load_demo_publications(session, region, today=TODAY) == 2
        session.commit()
    return live_server


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_public_loop_pages_pass_axe_vnu_size_and_stay_local(site, new_page, javascript,
                                                             tmp_path):
    page = new_page(**PHONE, block_scripts=not javascript)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    found, html = {}, {}
    for path, name in PAGES:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200, path
        assert len(response.body()) <= 40_000, (path, len(response.body()))
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        html[name] = page.content()
    shots = Path(os.environ.get("PARTICIPATIE_SCREENSHOT_DIR", tmp_path))
    page.goto(site.url + "/wijk/waterwijk")
    suffix = "" if javascript else "-nojs"
    page.screenshot(path=str(shots / f"wijk-waterwijk-390x844{suffix}.png"))
    page.screenshot(path=str(shots / f"wijk-waterwijk-390-full{suffix}.png"), full_page=True)
    # "Ik heb dit ook": a forgotten wijk is named, then the voice is counted once
    section = page.locator("section.theme").first
    section.get_by_label("Uw wijk").select_option("")
    section.get_by_role("button", name="Ik heb dit ook").click()
    expect(page.locator("p.error-message")).to_contain_text("Kies uw wijk.")
    html["voice-error"] = page.content()
    if axe_violations(page):
        found["voice-error"] = axe_violations(page)
    page.locator("section.theme").first.get_by_label("Uw wijk").select_option("waterwijk")
    page.locator("section.theme").first.get_by_role("button", name="Ik heb dit ook").click()
    expect(page.get_by_role("status")).to_contain_text("We hebben uw stem geteld.")
    html["voice-done"] = page.content()
    assert found == {}, found
    assert [u for u in requests if not u.startswith(site.url)] == []
    if javascript:
        errors = vnu_errors(html)
        assert errors == {}, errors


def test_publishing_and_survey_pages_in_the_workspace(site, new_page):
    from participatie import accounts
    from participatie.models import Theme, User

    with site.app.app_context():
        session = db.session()
        asd = session.query(User).filter_by(role="asd").first()
        asd.password_hash = accounts.hash_password("een wachtwoord voor de test")
        email = asd.email
        theme_id = session.query(Theme).filter_by(label="Apotheek vaak dicht").one().id
        session.commit()
        from participatie.jobs import group_survey_answers

        assert group_survey_answers(asd.region_id)["answers"]   # the demo's open answers
    page = new_page(width=1280, height=800)
    page.goto(site.url + "/werkruimte/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("een wachtwoord voor de test")
    page.get_by_role("button", name="Inloggen").click()
    html, found = {}, {}
    page.goto(site.url + f"/werkruimte/themas/{theme_id}")
    page.get_by_label("Openbare status").fill("Op de agenda van de RESV op 12 januari")
    page.get_by_role("button", name="Openbare pagina opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("openbare pagina")
    html["theme"] = page.content()
    found["theme"] = axe_violations(page)
    page.get_by_role("link", name="Uitkomsten van peilingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitkomsten van peilingen")
    groups = page.locator("section.survey-groups table tbody tr")
    expect(page.get_by_role("heading", name="Open antwoorden in groepen")).to_be_visible()
    assert groups.count() >= 3   # at least two groups and "Niet in een groep"
    html["surveys"] = page.content()
    found["surveys"] = axe_violations(page)
    page.get_by_label("Wijk", exact=True).select_option("waterwijk")
    page.get_by_role("button", name="Toon", exact=True).click()
    expect(page.get_by_role("heading", name="Open antwoorden in groepen")).to_be_visible()
    html["surveys-wijk"] = page.content()
    found["surveys-wijk"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}
    assert vnu_errors(html) == {}
    page.goto(site.url + "/open-data/haven.atom")
    assert "Op de agenda van de RESV op 12 januari" in page.content()
