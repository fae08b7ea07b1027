"""The confirmation page in Chromium: the language switch shows both codes again, in English."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import PHONE, axe_violations, next_page, to_contact_step

pytestmark = pytest.mark.browser

TEXT = "De huisarts neemt al weken de telefoon niet op en belt niet terug."


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_browser_audit_residents_confirmation_switch_keeps_the_codes(live_server, new_page,
                                                                     javascript):
    page = new_page(**PHONE, javascript=javascript)
    page.goto(live_server.url + "/formulier/knelpunt")
    to_contact_step(page, TEXT)
    page.get_by_label("Nee, neem geen contact met mij op").check()
    next_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").click()
    codes = page.locator(".panel .code [aria-hidden]").all_inner_texts()
    assert len(codes) == 2
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you. Your report has been sent.")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".panel .code [aria-hidden]").all_inner_texts() == codes
    if javascript:
        assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bedankt. Uw melding is verstuurd.")
    assert page.locator(".panel .code [aria-hidden]").all_inner_texts() == codes
