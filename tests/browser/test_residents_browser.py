"""Residents on a 320 px phone with text at 200%: nothing cut off, words break where they may."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import PHONE, axe_violations

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
    page.get_by_role("button", name="Volgende", exact=True).click()
    _check(page, "clientenraad-1-error", found)
    page.goto(live_server.url + "/formulier/knelpunt")
    page.get_by_label("In welke wijk gaat het mis?").select_option("waterwijk")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Wat gaat er mis?").fill(
        "De fysiotherapeut in de Waterwijk heeft een wachtlijst van drie maanden.")
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Fysiotherapeut of oefentherapeut", exact=True).check()
    page.get_by_label("Weet ik niet", exact=True).check()
    page.get_by_role("button", name="Volgende", exact=True).click()
    _check(page, "knelpunt-ernst", found)
    page.get_by_label("Vaak", exact=True).check()
    page.get_by_label("5 Gevaarlijk voor de gezondheid").check()
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Inwoner", exact=True).check()
    page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_label("Nee, neem geen contact met mij op").check()
    page.get_by_role("button", name="Volgende", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")
    expect(page.locator("dl.summary")).to_contain_text("Waterwijk")
    _check(page, "knelpunt-check", found)
    for path in ("/privacy", "/toegankelijkheid", "/hulp"):
        page.goto(live_server.url + path)
        _check(page, path, found)
    assert found == {}, found


def test_residents_back_link_keeps_answers_and_wijk_link_chooses_the_wijk(live_server, new_page):
    page = new_page(**PHONE, javascript=False)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Stripheldenbuurt").click()
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
