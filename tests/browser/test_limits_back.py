"""In Chromium: an expired session or the sending limit keeps the answers, and Back still works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from participatie import db
from tests.browser.checks import next_page, to_contact_step
from tests.conftest import make_app

TEXT = "De huisarts in onze wijk neemt al weken de telefoon niet op."


def _to_check_page(page: Page, base: str) -> None:
    page.goto(base + "/formulier/knelpunt")
    to_contact_step(page, TEXT)
    page.get_by_label("Nee, neem geen contact met mij op").check()
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")


@pytest.mark.browser
def test_limits_expired_session_keeps_answers_and_back_shows_the_previous_page(live_server,
                                                                               new_page):
    page = new_page()
    _to_check_page(page, live_server.url)
    page.context.clear_cookies()  # the session ran out while the resident was reading
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#notice-title")).to_have_text("Uw antwoorden zijn nog niet bewaard")
    expect(page.locator("dl.summary")).to_contain_text(TEXT)
    page.go_back()  # used to be net::ERR_CACHE_MISS ("Confirm Form Resubmission")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")
    page.go_forward()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verstuurd")


@pytest.mark.browser
def test_limits_sending_limit_keeps_answers_and_says_when(live_server, new_page, database_url):
    limited = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_SUBMISSIONS="1 per hour")
    live_server.use(limited)
    page = new_page()
    _to_check_page(page, live_server.url)
    page.get_by_role("button", name="Versturen").click()
    _to_check_page(page, live_server.url)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#notice-title")).to_have_text("Te vaak geprobeerd")
    expect(page.locator(".error-summary p")).to_contain_text("U kunt het over")
    expect(page.locator("dl.summary")).to_contain_text(TEXT)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden")
    with limited.app_context():
        db.engine().dispose()
