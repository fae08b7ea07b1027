"""Residents' e-mails in Chromium: the consent box by keyboard, the confirmation, the stop link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participatie import db, residentmail
from participatie.models import Contact
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    axe_violations,
    next_page,
    to_contact_step,
    vnu_errors,
)

pytestmark = pytest.mark.browser
TEXT = ("De huisarts in Haven is al drie weken telefonisch niet bereikbaar. "
        "Ik weet niet waar ik heen moet.")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browser_residentmail_consent_confirmation_and_stop(live_server, new_page, size):
    html: dict[str, str] = {}
    page = new_page(**size)

    def visit(name: str) -> None:
        assert axe_violations(page) == [], name
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), name
        html[name] = page.content()

    page.goto(live_server.url + "/formulier/knelpunt")
    to_contact_step(page, TEXT)
    box = page.get_by_label("Stuur mij de code en bericht als er iets verandert")
    expect(box).to_be_hidden()  # only with "yes, you may contact me"
    page.get_by_label("Ja, u mag contact met mij opnemen").check()
    expect(box).to_be_visible()
    box.focus()
    page.keyboard.press("Space")  # a keyboard user ticks it
    expect(box).to_be_checked()
    next_page(page)  # no e-mail address: the error says why
    expect(page.locator(".error-summary")).to_contain_text(
        "Wilt u e-mails van ons? Vul dan uw e-mailadres in.")
    visit("contact-error")
    page.get_by_label("E-mailadres").fill("dochter@example.org")
    next_page(page)
    expect(page.locator("dl.summary")).to_contain_text(
        "stuur mij de code en bericht als er iets verandert")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("main")).to_contain_text("We sturen de code ook naar uw e-mailadres")
    visit("confirmation")

    with live_server.app.app_context(), live_server.app.test_request_context():
        contact = db.session().scalar(select(Contact))
        url = "/berichten-stoppen/" + residentmail.unsubscribe_token(contact)
    page.goto(live_server.url + url)
    visit("stop")
    page.get_by_role("button", name="Ja, stop met de e-mails").click()
    expect(page.get_by_role("status")).to_contain_text("We sturen u geen e-mails meer")
    visit("stopped")
    with live_server.app.app_context():
        assert db.session().scalar(select(Contact.updates)) is False
    if size == PHONE:
        assert vnu_errors(html) == {}
