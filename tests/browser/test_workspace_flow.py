"""The review workspace in headless Chromium: a reviewer's flow, keyboard use, axe, vnu, reflow."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from participatie import accounts, db, publication
from participatie.models import Signal, Theme, ThemeMembership, User
from participatie.signals import set_status
from tests.browser.checks import DESKTOP, PASSWORD, PHONE, axe_violations, vnu_errors

pytestmark = pytest.mark.browser
REPLY = "Het kernteam van Waterwijk bespreekt dit in juni met de huisartsen."


@pytest.fixture
def site(world_site):
    """The live workspace with one report waiting in the queue."""
    server, world = world_site
    with server.app.app_context():
        session = db.session()
        member = session.query(ThemeMembership).filter_by(signal_id=world.signals["own2"]).one()
        member.needs_review, member.source = True, "assigned"
        session.commit()
    return server, world


def test_workspace_flow_login_theme_merge_reply_status_page(site, new_page, log_in):
    server, world = site
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    page.goto(server.url + "/werkruimte/inloggen")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".error-summary")).to_contain_text("Vul uw e-mailadres in.")
    pages["login-error"] = page.content()
    assert axe_violations(page) == []
    log_in(page, "asd@test.nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's in Almere")
    pages["overview"] = page.content()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Huisarts bereikbaarheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huisarts bereikbaarheid")
    pages["theme"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Dit thema samenvoegen met").select_option(label="Wachttijden zorg")
    page.get_by_role("button", name="Samenvoegen…").click()
    # the merge asks first and says what will happen
    expect(page.get_by_role("heading", level=1)).to_contain_text("samenvoegen met")
    expect(page.locator("main")).to_contain_text("1 melding gaat van")
    pages["merge-confirm"] = page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, voeg de thema’s samen").click()
    expect(page.get_by_role("status")).to_contain_text("samengevoegd")
    # the merged theme's label is recomputed from its new members (issue 15)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _label(server, world.themes["spare"]))
    expect(page.locator("ol.members")).to_contain_text("De huisarts is nooit bereikbaar.")
    expect(page.locator("#history ~ ol.history")).to_contain_text("Samengevoegd")
    pages["theme-history"] = page.content()
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.get_by_role("link", name=f"Melding {world.signals['own']}", exact=True).click()
    pages["report"] = page.content()
    assert axe_violations(page) == []
    page.get_by_label("Status", exact=True).select_option("with_kernteam")
    page.get_by_label("Antwoord aan de melder (niet verplicht)").fill(REPLY)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("De status is opgeslagen.")
    # a new theme without a name: the message is in the page, the choice is kept
    page.get_by_label("Plaats deze melding in").select_option("new")
    page.get_by_role("button", name="Plaatsen", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Geef het nieuwe thema een naam.")
    expect(page.get_by_label("Plaats deze melding in")).to_have_value("new")
    pages["report-place-error"] = page.content()
    assert axe_violations(page) == []

    public = new_page()
    public.goto(f"{server.url}/status/{world.codes['own']}")
    expect(public.locator(".reply")).to_contain_text(REPLY)
    expect(public.get_by_role("heading", level=2).first).to_contain_text("zorgteam van de wijk")

    for name, path in [("reports", "/werkruimte/meldingen"),
                       ("reports-filtered", "/werkruimte/meldingen?eigenaar=niemand&ernst=3"
                                            "&sorteer=ernst"),
                       ("overview-numbers", "/werkruimte/themas"),
                       ("queue", "/werkruimte/te-beoordelen"),
                       ("search", "/werkruimte/zoeken?q=huisarts"),
                       ("print", f"/werkruimte/themas/{world.themes['spare']}/verslag")]:
        page.goto(server.url + path)
        pages[name] = page.content()
        assert axe_violations(page) == [], name
    assert vnu_errors(pages) == {}


def test_workspace_flow_keyboard_only_queue_and_reflow(site, new_page, log_in):
    server, world = site
    page = new_page(width=320, height=640)
    log_in(page, "kernteam@test.nl")
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


def _label(server, theme_id: int) -> str:  # noqa: ANN001
    """Return a theme's label as stored now."""
    with server.app.app_context():
        return db.session().get(Theme, theme_id).label


def _tab_to(page: Page, name: str, limit: int = 120) -> None:
    """Press Tab until the element with this accessible name (or label) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el) return "";
            const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
            return (el.getAttribute("aria-label") || label || el.innerText || "").trim();
        }""")
        if found == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_workspace_flow_keyboard_only_claim_call_back_reply(site, new_page, log_in):
    server, world = site
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    log_in(page, "kernteam@test.nl")
    page.goto(server.url + f"/werkruimte/meldingen/{world.signals['own']}")
    expect(page.locator("main")).not_to_contain_text("melder@example.org")
    _tab_to(page, "Ik pak dit op")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("U hebt deze melding opgepakt.")
    expect(page.locator("main")).to_contain_text("Test kernteam")
    _tab_to(page, "Om de melder terug te bellen of te mailen")
    page.keyboard.press("Space")
    _tab_to(page, "Toon contactgegevens")
    page.keyboard.press("Enter")
    expect(page.locator(".contact-details")).to_contain_text("melder@example.org")
    pages["contact-open"] = page.content()
    assert axe_violations(page) == []
    _tab_to(page, "Antwoord aan de melder (niet verplicht)")
    page.keyboard.type("We hebben u gebeld. Het kernteam pakt dit op.")
    _tab_to(page, "Opslaan")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("De status is opgeslagen.")
    pages["report-claimed"] = page.content()
    assert axe_violations(page) == []
    _tab_to(page, "Nieuwe notitie")
    page.keyboard.type("Teruggebeld, zij belt zelf ook de praktijk.")
    _tab_to(page, "Notitie bewaren")
    page.keyboard.press("Enter")
    expect(page.locator("ol.notes")).to_contain_text("Teruggebeld")
    page.goto(server.url + f"/werkruimte/meldingen/{world.signals['own']}")
    page.get_by_role("button", name="Toon contactgegevens").click()
    expect(page.locator(".error-summary")).to_contain_text("Kies waarom")
    pages["contact-error"] = page.content()
    assert axe_violations(page) == []
    assert vnu_errors(pages) == {}
    with server.app.app_context():
        from sqlalchemy import select

        from participatie.models import AuditEvent
        events = db.session().scalars(select(AuditEvent.action)).all()
        assert {"claim", "contact_view", "reply", "note"} <= set(events)


def test_workspace_flow_admin_pages_and_invitation(site, new_page, log_in):
    server, world = site
    with server.app.app_context():
        session = db.session()
        with server.app.test_request_context():
            token = accounts.invitation_token(session.get(User, world.users["meelezer"]))
    page = new_page(**DESKTOP)
    pages: dict[str, str] = {}
    log_in(page, "beheerder@test.nl")
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


@pytest.mark.slow
def test_workspace_flow_merge_undo_rebuild_themes_are_back(live_server, new_page, log_in):
    # needs the embedder: the demo reports, a real rebuild before and after
    from participatie import themes
    from participatie.models import Theme
    from tests.factories.demo_reports import add_demo_reports

    with live_server.app.app_context():
        session = db.session()
        region = add_demo_reports(session, rebuild=True)
        first, second = themes.active_themes(session, region)[:2]
        ids, labels = (first.id, second.id), (first.label, second.label)
        members = {t.id: {m.signal_id for m in t.members} for t in (first, second)}
        accounts.create_user(session, region.id, "asd@test.nl", "ASD", "asd",
                             password=PASSWORD)
        session.commit()
    page = new_page(**DESKTOP)
    log_in(page, "asd@test.nl")
    page.goto(f"{live_server.url}/werkruimte/themas/{ids[1]}")
    page.get_by_label("Dit thema samenvoegen met").select_option(label=labels[0])
    page.get_by_role("button", name="Samenvoegen…").click()
    page.get_by_role("button", name="Ja, voeg de thema’s samen").click()
    expect(page.get_by_role("status")).to_contain_text("samengevoegd")
    # labels follow the members after a merge and its undo (issue 15): read them as stored
    expect(page.get_by_role("heading", level=1)).to_have_text(_label(live_server, ids[0]))
    page.get_by_role("button", name=re.compile("^Samenvoegen van .* ongedaan maken$")).click()
    expect(page.get_by_role("status")).to_contain_text("Ongedaan gemaakt")
    expect(page.get_by_role("heading", level=1)).to_have_text(_label(live_server, ids[1]))
    runner = live_server.app.test_cli_runner()
    assert runner.invoke(args=["themes", "rebuild"]).exit_code == 0
    page.goto(f"{live_server.url}/werkruimte/themas")
    expect(page.locator("table.themes")).to_contain_text(_label(live_server, ids[0]))
    expect(page.locator("table.themes")).to_contain_text(_label(live_server, ids[1]))
    with live_server.app.app_context():
        session = db.session()
        back = session.get(Theme, ids[1])
        assert back.merged_into_id is None
        assert {m.signal_id for m in back.members} >= members[ids[1]]
        assert not ({m.signal_id for m in session.get(Theme, ids[0]).members} & members[ids[1]])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_workspace_flow_resident_answers_reopens_and_adds_a_voice(site, new_page, log_in,
                                                                  javascript):
    """Issue 16: the status page of a solved report on a phone, then the report page."""
    server, world = site
    with server.app.app_context():
        session = db.session()
        signal = session.get(Signal, world.signals["own"])
        set_status(session, signal, "resolved", REPLY, world.users["kernteam"])
        publication.publish(session, session.get(User, world.users["asd"]),
                            session.get(Theme, world.themes["own"]),
                            title="Huisarts slecht bereikbaar", summary="Samenvatting.",
                            public_status="", quote_ids=[])
        session.commit()
    pages: dict[str, str] = {}
    public = new_page(**PHONE, block_scripts=not javascript)  # axe itself needs JavaScript
    public.goto(f"{server.url}/status/{world.codes['own']}")
    expect(public.locator("legend")).to_have_text(
        "Bent u tevreden over wat er met uw melding is gedaan?")
    pages["status-done"] = public.content()
    assert axe_violations(public) == []
    public.get_by_label("Wilt u er meer over vertellen? (niet verplicht)").fill("Het duurde lang.")
    public.get_by_role("button", name="Stuur mijn antwoord").click()
    expect(public.locator(".error-summary")).to_contain_text("Kies ja of nee.")
    expect(public.get_by_label("Wilt u er meer over vertellen? (niet verplicht)")).to_have_value(
        "Het duurde lang.")
    pages["status-satisfaction-error"] = public.content()
    assert axe_violations(public) == []
    public.get_by_label("Ja", exact=True).check()
    public.get_by_role("button", name="Stuur mijn antwoord").click()
    expect(public.get_by_role("status")).to_contain_text("Bedankt voor uw antwoord.")
    pages["status-answered"] = public.content()
    assert axe_violations(public) == []
    public.get_by_role("button", name="Open mijn melding weer").click()
    expect(public.locator(".error-summary")).to_contain_text("Schrijf op waarom")
    pages["status-reopen-error"] = public.content()
    assert axe_violations(public) == []
    public.get_by_label("Waarom wilt u uw melding weer openen?").fill("De huisarts belt nog niet.")
    public.get_by_role("button", name="Open mijn melding weer").click()
    expect(public.get_by_role("status")).to_contain_text("Uw melding is weer open.")
    expect(public.locator("ol.history")).to_contain_text("Weer geopend door u")
    public.get_by_label("Uw wijk").select_option("")
    public.get_by_role("button", name="Ik heb dit ook").click()
    expect(public.locator(".error-summary")).to_contain_text("Kies uw wijk.")
    pages["status-voice-error"] = public.content()
    assert axe_violations(public) == []
    public.get_by_label("Uw wijk").select_option("waterwijk")
    public.get_by_role("button", name="Ik heb dit ook").click()
    expect(public.get_by_role("status")).to_contain_text("We hebben uw stem geteld.")
    pages["status-reopened"] = public.content()
    assert axe_violations(public) == []
    assert public.evaluate("document.documentElement.scrollWidth") <= 390

    page = new_page(**DESKTOP)
    log_in(page, "kernteam@test.nl")
    page.goto(server.url + "/werkruimte/meldingen?wijk=waterwijk")
    expect(page.locator("table.reports")).to_contain_text("Heropend door de melder")
    page.goto(server.url + f"/werkruimte/meldingen/{world.signals['own']}")
    expect(page.locator("#reopened")).to_contain_text("De huisarts belt nog niet.")
    expect(page.locator("main")).to_contain_text("Ja, tevreden")
    pages["report-reopened"] = page.content()
    assert axe_violations(page) == []
    assert vnu_errors(pages) == {}
