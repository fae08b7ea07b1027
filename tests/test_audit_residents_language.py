"""Audit of the resident pages: the language switch never loses a code or leads to an error."""

from __future__ import annotations

import html
import re

from flask import Flask

from participatie import db
from participatie.models import Signal
from participatie.signals import set_status
from tests.factories.workspace import build_world, log_in_as
from tests.formfill import CODES, fill_knelpunt, submit_page

SWITCH = re.compile(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>')


def _confirmation(client) -> tuple[str, str, str]:
    page = submit_page(fill_knelpunt(client, contact=False))
    reference, withdraw = CODES.findall(page)
    return page, reference, withdraw


def test_audit_residents_confirmation_in_english_still_shows_both_codes(client):
    page, reference, withdraw = _confirmation(client)
    assert 'formaction="/formulier/knelpunt/verstuurd?lang=en"' in page
    english = client.post("/formulier/knelpunt/verstuurd?lang=en", data={
        "reference": reference, "withdraw": withdraw})
    body = english.get_data(as_text=True)
    assert english.status_code == 200 and '<html lang="en">' in body
    assert "Thank you. Your report has been sent." in body
    assert CODES.findall(body) == [reference, withdraw]
    # and back to Dutch, after the phone closed the browser (no session, no CSRF token)
    client.delete_cookie("session")
    dutch = client.post("/formulier/knelpunt/verstuurd?lang=nl", data={
        "reference": reference, "withdraw": withdraw})
    assert dutch.status_code == 200
    assert CODES.findall(dutch.get_data(as_text=True)) == [reference, withdraw]


def test_audit_residents_confirmation_switch_needs_the_right_withdraw_code(client):
    _page, reference, withdraw = _confirmation(client)
    for forged in ({"reference": reference, "withdraw": "K7FM-3RXA-PQ4T"},
                   {"reference": reference, "withdraw": ""},
                   {"reference": "K7FM-3RXA", "withdraw": withdraw}):
        response = client.post("/formulier/knelpunt/verstuurd?lang=en",
                               data=forged)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/formulier/knelpunt")
    # a code of the knelpunt form does not open the confirmation of another form
    other = client.post("/formulier/peiling-huisarts/verstuurd?lang=en", data={
        "reference": reference, "withdraw": withdraw})
    assert other.status_code in (302, 404)


def test_audit_residents_language_link_keeps_the_code_typed_in_the_address(client):
    body = client.get("/verder?code=HM3K-7QXA-PC4T").get_data(as_text=True)
    link = html.unescape(SWITCH.search(body).group(1))
    assert link == "/verder?code=HM3K-7QXA-PC4T&lang=en"
    english = client.get(link).get_data(as_text=True)
    assert 'value="HM3K-7QXA-PC4T"' in english and '<html lang="en">' in english
    client.delete_cookie("taal")  # back to Dutch
    looked_up = client.get("/status?code=k7fm+3rxa").get_data(as_text=True)
    assert html.unescape(SWITCH.search(looked_up).group(1)) == "/status?code=k7fm+3rxa&lang=en"


def test_audit_residents_language_link_after_a_form_error_opens_a_page(app: Flask, client):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        world = build_world(db.session())
        session = db.session()
        set_status(session, session.get(Signal, world.signals["own"]), "resolved", "Klaar.",
                   world.users["kernteam"])
        session.commit()
    code = world.codes["own"]
    log_in_as(client, world.users["asd"])
    theme_id = world.themes["own"]
    client.post(f"/werkruimte/themas/{theme_id}/publiceren", data={
        "title": "Huisarts slecht bereikbaar", "summary": "Samenvatting.", "public_status": ""})
    with client.session_transaction() as flask_session:
        flask_session.clear()
    # pages shown after a form on them was sent back (POST): the switch opens a page, no 405
    for url, data, target in (
            (f"/status/{code}/heropenen/0", {"reason": " "}, f"/status/{code}?lang=en"),
            (f"/status/{code}/tevreden/0", {}, f"/status/{code}?lang=en"),
            (f"/ik-heb-dit-ook/{theme_id}", {"wijk": "", "terug": "waterwijk"},
             "/wijk/waterwijk?lang=en"),
            (f"/ik-heb-dit-ook/{theme_id}", {"wijk": ""}, "/regio?lang=en")):
        client.delete_cookie("taal")  # the page before was in English
        failed = client.post(url, data=data)
        assert failed.status_code == 400, url
        link = html.unescape(SWITCH.search(failed.get_data(as_text=True)).group(1))
        assert link == target
        assert client.get(link).status_code == 200


def test_audit_residents_language_link_on_an_error_after_a_post_opens_the_home_page(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    missing = client.post("/ik-heb-dit-ook/999999", data={"wijk": "haven"})
    assert missing.status_code == 404
    link = html.unescape(SWITCH.search(missing.get_data(as_text=True)).group(1))
    assert link == "/?lang=en"
    assert client.get(link).status_code == 200
