"""The public forms in headless Chromium: phone size, JavaScript on and off, axe and vnu."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import DESKTOP, PHONE, axe_violations, next_page, vnu_errors

pytestmark = pytest.mark.browser

TEXT = ("Mijn vader wacht al drie weken op een afspraak bij de huisarts. "
        "De telefoon wordt niet opgenomen en de assistente belt niet terug.")
CODE = re.compile(r"^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$")


def fill_knelpunt(page: Page, visit=lambda name: None) -> str:
    """Fill in the knelpunt form with one round-trip of errors; return the reference code."""
    visit("knelpunt-1-wijk")
    next_page(page)
    expect(page.locator(".error-summary")).to_contain_text("Kies een wijk.")
    visit("knelpunt-1-wijk-error")
    page.get_by_role("link", name="Kies een wijk.").click()
    expect(page.locator("#wijk")).to_be_focused()
    page.get_by_label("In welke wijk gaat het mis?").select_option("haven")
    next_page(page)
    visit("knelpunt-2-wat")
    page.get_by_label("Wat gaat er mis?").fill("Te kort")
    next_page(page)
    expect(page.locator(".error-summary li")).to_have_count(1)
    expect(page.get_by_label("Wat gaat er mis?")).to_have_value("Te kort")
    visit("knelpunt-2-wat-error")
    page.get_by_label("Wat gaat er mis?").fill(TEXT)
    next_page(page)
    next_page(page)
    expect(page.locator(".error-summary")).to_contain_text("Kies de zorg waar het over gaat")
    visit("knelpunt-3-zorg-error")
    page.get_by_label("Huisarts", exact=True).check()
    next_page(page)
    expect(page.locator(".urgent")).to_contain_text("Is iemand in levensgevaar? Bel direct 112.")
    visit("knelpunt-4-ernst")
    page.get_by_label("Vaak", exact=True).check()
    page.get_by_label("4 Heel erg").check()
    next_page(page)
    visit("knelpunt-5-over-u")
    page.get_by_label("Mantelzorger (ik zorg voor iemand)").check()
    next_page(page)
    expect(page.get_by_label("E-mailadres")).to_be_hidden()
    page.get_by_label("Ja, u mag contact met mij opnemen").check()
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    page.get_by_label("E-mailadres").fill("geen-adres")
    next_page(page)
    visit("knelpunt-6-contact-error")
    page.get_by_label("E-mailadres").fill("dochter@example.org")
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")
    expect(page.locator("dl.summary")).to_contain_text("dochter@example.org")
    visit("knelpunt-check")
    page.get_by_role("button", name="Wijzigen Hoe vaak gebeurt dit?").click()
    page.get_by_label("Altijd", exact=True).check()
    page.get_by_role("button", name="Opslaan en antwoorden controleren").click()
    expect(page.locator("dl.summary")).to_contain_text("Altijd")
    page.get_by_role("button", name="Versturen").click()
    code = page.locator(".panel .code [aria-hidden]").first.inner_text()
    assert CODE.match(code)
    visit("knelpunt-confirmation")
    return code


def follow_and_withdraw(page: Page, code: str, visit=lambda name: None) -> None:
    """Open the status page from the confirmation, then withdraw the report."""
    withdraw_code = page.locator(".panel .code [aria-hidden]").nth(1).inner_text()
    page.get_by_role("link", name="Naar de statuspagina").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.locator(".signal h2")).to_have_text("Ontvangen")
    visit("status")
    with page.expect_navigation():
        page.get_by_role("link", name="Mijn melding intrekken").click()
    visit("withdraw")
    page.get_by_role("button", name="Ja, trek mijn melding in").click()
    expect(page.locator(".error-summary")).to_contain_text("Vul de code om in te trekken in")
    visit("withdraw-error")
    page.get_by_label("Code om in te trekken").fill(withdraw_code)
    page.get_by_role("button", name="Ja, trek mijn melding in").click()
    expect(page.locator(".notice")).to_contain_text("Uw melding is ingetrokken")
    expect(page.locator(".signal h2")).to_have_text("Ingetrokken")
    visit("status-withdrawn")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_browser_knelpunt_on_a_phone(live_server, new_page, javascript):
    page = new_page(**PHONE, javascript=javascript)
    page.goto(live_server.url + "/formulier/knelpunt")
    code = fill_knelpunt(page)
    follow_and_withdraw(page, code)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_browser_clientenraad_on_a_phone(live_server, new_page, javascript):
    page = new_page(**PHONE, javascript=javascript)
    page.goto(live_server.url + "/formulier/clientenraad")
    page.get_by_label("Naam van de cliëntenraad of organisatie").fill("Cliëntenraad De Schelp")
    page.get_by_label("Met hoeveel cliënten of leden heeft u gesproken?").fill("25")
    next_page(page)
    page.locator("details.wijken > summary").first.click()
    page.get_by_label("Haven", exact=True).check()
    page.get_by_label("Wat gaat er mis?").fill("Cliënten wachten lang op fysiotherapie.")
    page.locator("#knelpunten-0-zorg").check()
    page.get_by_role("button", name="Nog een knelpunt toevoegen").click()
    expect(page.locator(".item.done")).to_contain_text("Cliënten wachten lang op fysiotherapie.")
    expect(page.locator("#knelpunten-1")).to_be_focused()
    page.locator("#knelpunten-1-beschrijving").fill("Onduidelijk waar je 's nachts terecht kunt.")
    next_page(page)
    expect(page.locator(".error-summary")).to_contain_text("Kies minstens één wijk.")
    page.get_by_role("button", name="knelpunt 2 weghalen").click()
    expect(page.locator(".repeat h2")).to_have_text("1 van maximaal 10")
    next_page(page)
    page.get_by_label("Nee, neem geen contact met mij op").check()
    next_page(page)
    expect(page.locator("dl.summary")).to_contain_text("fysiotherapie")
    page.get_by_role("button", name="Versturen").click()
    assert CODE.match(page.locator(".panel .code [aria-hidden]").first.inner_text())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_browser_survey_conditional_and_counter(live_server, new_page, javascript):
    page = new_page(**PHONE, javascript=javascript)
    page.goto(live_server.url + "/formulier/peiling-huisarts")
    waarom = page.get_by_label("Waarom niet?")
    expect(waarom).to_be_hidden()
    page.get_by_label("2 Moeilijk").first.check()
    page.locator("#afspraak").check()
    page.get_by_label("Telefoon", exact=True).check()
    page.get_by_label("Nee", exact=True).check()
    expect(waarom).to_be_visible()
    waarom.fill("De praktijk neemt geen nieuwe patiënten aan.")
    page.get_by_label("Wat kan beter?").fill("Meer tijd")
    counted = ("U heeft nog 991 tekens over." if javascript
               else "U kunt maximaal 1.000 tekens schrijven.")
    expect(page.locator("#tip-count")).to_have_text(counted)
    next_page(page)
    expect(page.locator("dl.summary")).to_contain_text("geen nieuwe patiënten")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bedankt. Uw antwoorden zijn verstuurd.")


def test_browser_keyboard_only(live_server, new_page):
    page = new_page(**PHONE)
    page.goto(live_server.url + "/formulier/knelpunt")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "wijk":
            break
    page.keyboard.press("Tab")
    page.keyboard.type("1354")
    page.keyboard.press("Enter")  # with no wijk chosen, Enter in the postcode field looks it up
    expect(page.locator("#wijk")).to_have_value("haven")
    page.locator("#wijk_postcode").press("Enter")  # with a wijk chosen, Enter means "next"
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw verhaal")
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.id") != "wat":
        page.keyboard.press("Tab")
    page.keyboard.type("Te kort")
    while page.evaluate("document.activeElement.textContent") != "Volgende":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Wat gaat er mis?")).to_have_value("Te kort")



def test_browser_header_language_switch_keeps_what_was_typed(live_server, new_page):
    page = new_page(**PHONE)
    page.goto(live_server.url + "/formulier/knelpunt")
    page.get_by_label("In welke wijk gaat het mis?").select_option("haven")
    next_page(page)
    page.get_by_label("Wat gaat er mis?").fill("Typed, not yet sent.")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your story")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("What goes wrong?")).to_have_value("Typed, not yet sent.")
    expect(page.locator(".error-summary")).to_have_count(0)
    page.locator("header").get_by_role("button", name="Nederlands").click()
    expect(page.get_by_label("Wat gaat er mis?")).to_have_value("Typed, not yet sent.")


TARGETS = """() => [...document.querySelectorAll(
  'button, select, input[type=text], input[type=email], input[type=tel], textarea, summary,'
  + ' .option > label, nav a, a.button, .cards a, .error-summary a')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.outerHTML.slice(0, 80), w: r.width, h: r.height}; })
  .filter(t => t.w < 44 || t.h < 44)"""


WIDE = """() => document.documentElement.scrollWidth <= 320 ? [] :
  [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321)
  .map(e => e.outerHTML.slice(0, 80)).slice(-3)"""


def _checker(page: Page, size: dict, found: dict, html: dict):
    def visit(name: str) -> None:
        violations = axe_violations(page)
        if violations:
            found[f"{name}@{size['width']}"] = violations
        small = page.evaluate(TARGETS)
        if small:
            found[f"{name}@{size['width']} small targets"] = small
        if size == PHONE:
            html[name] = page.content()
            page.set_viewport_size({"width": 320, "height": 640})
            wide = page.evaluate(WIDE)
            if wide:
                found[f"{name} does not reflow at 320 px"] = wide
            page.set_viewport_size(size)
    return visit


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browser_every_public_page_passes_axe_and_vnu(live_server, new_page, size):
    page = new_page(**size, block_scripts=True)
    found: dict = {}
    html: dict = {}
    visit = _checker(page, size, found, html)
    for path, name in [("/?lang=en", "home-en"), ("/privacy", "privacy-en"),
                       ("/?lang=nl", "home"), ("/status", "lookup"),
                       ("/status?code=xx", "lookup-error"), ("/bestaat-niet", "404"),
                       ("/privacy", "privacy"), ("/toegankelijkheid", "accessibility"),
                       ("/hulp", "help"),
                       ("/formulier/knelpunt?wijk=stripheldenbuurt", "wijk-link"),
                       ("/formulier/peiling-huisarts", "survey")]:
        page.goto(live_server.url + path)
        visit(name)
    next_page(page)
    visit("survey-error")
    page.goto(live_server.url + "/formulier/clientenraad")
    visit("clientenraad-1")
    page.get_by_label("Naam van de cliëntenraad of organisatie").fill("Raad")
    page.get_by_label("Met hoeveel cliënten of leden heeft u gesproken?").fill("veel")
    next_page(page)
    visit("clientenraad-1-error")
    page.get_by_label("Met hoeveel cliënten of leden heeft u gesproken?").fill("8")
    next_page(page)
    page.get_by_role("button", name="Nog een knelpunt toevoegen").click()
    next_page(page)
    visit("clientenraad-2-error")
    page.goto(live_server.url + "/formulier/knelpunt")
    code = fill_knelpunt(page, visit)
    follow_and_withdraw(page, code, visit)
    assert found == {}, found
    if size == PHONE:
        errors = vnu_errors(html)
        assert errors == {}, errors
