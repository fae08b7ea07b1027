"""Digest pages in Chromium: settings by keyboard, previews, unsubscribe, axe, vnu, reflow."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from participatie import accounts, db
from participatie.digests import periods, unsubscribe_token
from participatie.models import Region, Subscription, Wijk, utcnow
from participatie.signals import ContactInput, Intake, KnelpuntInput, record_submission
from tests.browser.checks import DESKTOP, axe_violations, vnu_errors

pytestmark = pytest.mark.browser
PASSWORD = "een wachtwoord voor de test"
PLAIN = Intake(redact=lambda text: text)  # the test text holds no personal data


@pytest.fixture
def site(live_server):
    """A beheerder with a password, a kernteam member, and a report in last week."""
    with live_server.app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        waterwijk = session.scalar(select(Wijk).where(Wijk.slug == "waterwijk"))
        admin = accounts.create_user(session, region.id, "beheer@test.nl", "Beheerder", "beheerder",
                                     password=PASSWORD)
        member = accounts.create_user(session, region.id, "kt@test.nl", "Kernteamlid",
                                      "kernteam", [waterwijk])
        session.add(Subscription(user_id=member.id, frequency="weekly", wijk_slugs=[]))
        when = periods.last_completed("weekly", utcnow()).start + dt.timedelta(days=1)
        record_submission(session, PLAIN, region, form_id="knelpunt", form_version=1, answers={},
                          knelpunten=[KnelpuntInput("De praktijk is telefonisch slecht bereikbaar.",
                                                    ["waterwijk"])],
                          contact=ContactInput(email="melder@example.org"), created_at=when)
        with live_server.app.test_request_context():
            token = unsubscribe_token(member.id)
        ids = {"admin": admin.id, "member": member.id}
        session.commit()
    return live_server, ids, token


def _no_sideways_scroll(page: Page) -> bool:
    # wide tables may scroll inside their own box; the page itself must not (WCAG 1.4.10)
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_digests_pages_keyboard_axe_vnu_and_reflow(site, new_page):
    server, ids, token = site
    pages: dict[str, str] = {}
    page = new_page(width=320, height=800)
    page.goto(server.url + "/werkruimte/inloggen")
    page.get_by_label("E-mailadres").fill("beheer@test.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.goto(server.url + "/werkruimte/samenvatting")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samenvatting per e-mail")
    assert axe_violations(page) == [] and _no_sideways_scroll(page)
    pages["settings"] = page.content()
    # keyboard only: into the first radio group, one step down to monthly, on to Save
    page.get_by_label("Elke week, op maandag").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Elke maand, op de eerste dag")).to_be_checked()
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw instellingen zijn opgeslagen.")).to_be_visible()
    target = page.get_by_label("Elke maand, op de eerste dag").bounding_box()
    label = page.locator("label[for=frequency-monthly]").bounding_box()
    assert target and label and target["width"] >= 24 and label["height"] >= 44

    page.goto(server.url + "/werkruimte/samenvatting/abonnees")
    assert axe_violations(page) == [] and _no_sideways_scroll(page)
    pages["subscribers"] = page.content()
    page.get_by_role("link", name="Voorbeeld voor Kernteamlid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Volgende samenvatting voor Kernteamlid")
    expect(page.locator(".digest-text")).to_contain_text("telefonisch slecht bereikbaar")
    assert "melder@example.org" not in page.content()
    assert axe_violations(page) == [] and _no_sideways_scroll(page)
    pages["preview"] = page.content()
    with page.expect_navigation():  # content() would otherwise read the page being left
        page.get_by_role("link", name="Bekijk de e-mail zoals het mailprogramma hem toont").click()
    pages["email"] = page.content()
    # the e-mail is served under a sandbox policy without scripts, as a mail program shows it;
    # axe needs scripts, so it checks the same HTML in a blank page of its own
    email = new_page(**DESKTOP)
    email.set_content(pages["email"])
    assert axe_violations(email) == [] and _no_sideways_scroll(email)

    public = new_page(**DESKTOP)  # a fresh context: nobody logged in
    public.goto(f"{server.url}/afmelden/{token}")
    assert axe_violations(public) == []
    pages["unsubscribe"] = public.content()
    public.get_by_role("button", name="Ja, stop met de e-mails").click()
    expect(public.get_by_role("status")).to_contain_text("U krijgt de samenvatting niet meer")
    assert axe_violations(public) == []
    pages["unsubscribed"] = public.content()
    with server.app.app_context():
        frequency = db.session().scalar(select(Subscription.frequency).where(
            Subscription.user_id == ids["member"]))
    assert frequency == "off"
    assert vnu_errors(pages) == {}
