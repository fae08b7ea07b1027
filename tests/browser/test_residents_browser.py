"""Residents on a 320 px phone with text at 200%: nothing cut off, words break where they may."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import PHONE, axe_violations, next_page

pytestmark = pytest.mark.browser

# Headings, labels, check-page keys, wijk names and a few long words anywhere: where a word wraps
# to a new line, the character before the break must be a soft hyphen (or a hyphen or slash);
# else the word was cut at a random letter. (Running text relies on `hyphens: auto`, which this
# Chromium cannot show: it has no hyphenation dictionaries.)
BROKEN_WORDS = """() => {
  const found = [];
  const named = /waterwijk|fysiotherap|organisatie/i;
  const strict = 'h1, h2, label, legend, dt, .cards a, ul.wijken a';
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.visually-hidden, [hidden], .hp, option, script') ||
        !parent.offsetParent) continue;
    const everyWord = parent.closest(strict) !== null;
    for (const match of node.data.matchAll(/\\S{4,}/g)) {
      if (!everyWord && !named.test(match[0].replace(/\\u00ad/g, ''))) continue;
      let previousTop = null;
      for (let i = match.index; i < match.index + match[0].length; i++) {
        if (node.data[i] === '\\u00ad') continue;
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.height) continue;
        if (previousTop !== null && rect.bottom > previousTop + 2) {
          const before = node.data.slice(match.index, i);
          if (!/[\\u00ad\\-\\/]$/.test(before)) found.push(match[0].replace(/\\u00ad/g, '|'));
        }
        previousTop = rect.bottom;  // a range across a break spans both lines
      }
    }
  }
  return found;
}"""

CUT_OFF = """() => [...document.querySelectorAll('main h1, main h2, main h3, main label, '
  + 'main legend, main dt, main dd, main a, main button, main p, main li')]
  .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden')
               && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.outerHTML.slice(0, 80))"""


def _big_text_phone(new_page, width: int = 320) -> Page:
    """A phone 320 px wide with the browser's text size at 200% (default font 32 px)."""
    page = new_page(width=width, height=640)
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.goto("about:blank")
    return page


def _check(page: Page, name: str, found: dict) -> None:
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"  # 1.125 x 32
    if page.evaluate("document.documentElement.scrollWidth") > 320:
        found[f"{name}: wider than 320 px"] = page.evaluate("document.documentElement.scrollWidth")
    for label, script in (("cut off", CUT_OFF), ("word broken mid-word", BROKEN_WORDS)):
        problems = page.evaluate(script)
        if problems:
            found[f"{name}: {label}"] = problems


def test_residents_320px_and_200_percent_text(live_server, new_page):
    page = _big_text_phone(new_page)
    found: dict = {}
    page.goto(live_server.url + "/")
    _check(page, "home", found)
    page.goto(live_server.url + "/formulier/clientenraad")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw organisatie")
    _check(page, "clientenraad-1", found)
    next_page(page)
    _check(page, "clientenraad-1-error", found)
    page.goto(live_server.url + "/formulier/knelpunt")
    page.get_by_label("In welke wijk gaat het mis?").select_option("waterwijk")
    next_page(page)
    page.get_by_label("Wat gaat er mis?").fill(
        "De fysiotherapeut in de Waterwijk heeft een wachtlijst van drie maanden.")
    next_page(page)
    page.get_by_label("Fysiotherapeut of oefentherapeut", exact=True).check()
    page.get_by_label("Weet ik niet", exact=True).check()
    next_page(page)
    _check(page, "knelpunt-ernst", found)
    page.get_by_label("Vaak", exact=True).check()
    page.get_by_label("5 Gevaarlijk voor de gezondheid").check()
    next_page(page)
    page.get_by_label("Inwoner", exact=True).check()
    next_page(page)
    page.get_by_label("Nee, neem geen contact met mij op").check()
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")
    expect(page.locator("dl.summary")).to_contain_text("Waterwijk")
    _check(page, "knelpunt-check", found)
    for path in ("/privacy", "/toegankelijkheid", "/hulp"):
        page.goto(live_server.url + path)
        _check(page, path, found)
    assert found == {}, found


def test_residents_back_link_keeps_answers_and_wijk_link_chooses_the_wijk(live_server, new_page):
    page = new_page(**PHONE, block_scripts=True)  # no-JS rendering; axe still runs
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Stripheldenbuurt", exact=True).click()
    expect(page.get_by_label("In welke wijk gaat het mis?")).to_have_value("stripheldenbuurt")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Wat gaat er mis?").fill("Geen huisarts die nieuwe patiënten aanneemt.")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_role("button", name="Terug", exact=True).click()
    expect(page.get_by_label("Wat gaat er mis?")).to_have_value(
        "Geen huisarts die nieuwe patiënten aanneemt.")
    page.get_by_role("button", name="Terug", exact=True).click()
    expect(page.get_by_label("In welke wijk gaat het mis?")).to_have_value("stripheldenbuurt")
    expect(page.get_by_role("link", name="Terug")).to_have_attribute("href", "/")
    assert page.get_by_role("button", name="Vorige").count() == 0
    assert axe_violations(page) == []


def _shoot(page: Page, name: str) -> None:
    """Save a screenshot when PARTICIPATIE_SCREENSHOTS names a folder (outside the repository)."""
    import os

    folder = os.environ.get("PARTICIPATIE_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_residents_save_and_continue_round_trip(live_server, new_page, javascript):
    from tests.browser.checks import DESKTOP, vnu_errors

    page = new_page(**PHONE, block_scripts=not javascript)  # axe still runs without page JS
    found: dict = {}
    html: dict = {}
    page.goto(live_server.url + "/")
    _shoot(page, "home")
    page.goto(live_server.url + "/formulier/clientenraad")
    page.get_by_label("Naam van de cliëntenraad of organisatie").fill("Cliëntenraad De Schelp")
    page.get_by_label("Met hoeveel cliënten of leden heeft u gesproken?").fill("25")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.locator("#knelpunten-0-beschrijving").fill(
        "Cliënten wachten maanden op de fysiotherapeut.")
    _shoot(page, "save-1-form")
    page.get_by_role("button", name="Bewaren en later verdergaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw antwoorden zijn bewaard")
    code = page.locator(".panel .code [aria-hidden]").inner_text()
    _shoot(page, "save-2-code")
    html["saved"] = page.content()
    found["saved"] = axe_violations(page)
    other = new_page(**PHONE, block_scripts=not javascript)  # later, in another browser
    other.goto(live_server.url + "/verder")
    other.get_by_label("Uw code").fill("AAAA-AAAA-AAAA")
    other.get_by_role("button", name="Verder", exact=True).click()
    expect(other.locator(".error-summary")).to_contain_text("We vinden geen bewaarde antwoorden")
    html["resume-error"] = other.content()
    found["resume-error"] = axe_violations(other)
    other.get_by_label("Uw code").fill(code.lower())
    html["resume"] = other.content()
    _shoot(other, "save-3-resume")
    other.get_by_role("button", name="Verder", exact=True).click()
    expect(other.locator("#knelpunten-0-beschrijving")).to_have_value(
        "Cliënten wachten maanden op de fysiotherapeut.")
    _shoot(other, "save-4-continued")
    other.get_by_role("button", name="Terug", exact=True).click()
    expect(other.get_by_label("Naam van de cliëntenraad of organisatie")).to_have_value(
        "Cliëntenraad De Schelp")
    other.set_viewport_size(DESKTOP)
    other.goto(live_server.url + "/verder")
    found["resume-desktop"] = axe_violations(other)
    assert {k: v for k, v in found.items() if v} == {}
    if javascript:
        errors = vnu_errors(html)
        assert errors == {}, errors


def test_residents_urgent_help_screenshot(live_server, new_page):
    page = new_page(**PHONE)
    page.goto(live_server.url + "/formulier/knelpunt?wijk=haven")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Wat gaat er mis?").fill(
        "Mijn vader krijgt 's nachts geen hulp als hij valt.")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Thuiszorg of wijkverpleging", exact=True).check()
    page.get_by_role("button", name="Volgende", exact=True).click()
    urgent = page.locator(".urgent")
    expect(urgent).to_contain_text("Bel direct 112")
    urgent.scroll_into_view_if_needed()
    _shoot(page, "urgent-help")
    assert axe_violations(page) == []
