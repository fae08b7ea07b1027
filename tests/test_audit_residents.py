"""Audit of the resident pages: an expired session loses nothing, a voice keeps its language,
the "ik heb dit ook" error is summed up at the top of the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie import db, drafts
from participatie.models import Draft, Satisfaction, Signal, StatusChange, Submission, utcnow
from participatie.signals import set_status
from tests.factories.workspace import World, build_world, log_in_as

EXPIRED = "Deze pagina stond te lang open. Verstuur hem nog een keer."
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def world(app: Flask) -> World:
    """The workspace test world, with CSRF off while the test sets it up."""
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        return build_world(db.session())


def _publish_own_theme(client: FlaskClient, world: World) -> int:
    log_in_as(client, world.users["asd"])
    client.post(f"/werkruimte/themas/{world.themes['own']}/publiceren", data={
        "title": "Huisarts slecht bereikbaar", "summary": "Samenvatting.", "public_status": ""})
    with client.session_transaction() as flask_session:
        flask_session.clear()
    return world.themes["own"]


def _finish(app: Flask, world: World) -> str:
    with app.app_context():
        session = db.session()
        change = set_status(session, session.get(Signal, world.signals["own"]), "resolved",
                            "We hebben de praktijk gebeld.", world.users["kernteam"])
        change.created_at = utcnow() - dt.timedelta(days=1)
        session.commit()
    return world.codes["own"]


def _voice_submissions(app: Flask) -> list[Submission]:
    with app.app_context():
        return list(db.session().scalars(
            select(Submission).where(Submission.form_id == "ik-heb-dit-ook")))


# --- the language of an "ik heb dit ook" text ---------------------------------------------

def test_audit_residents_voice_text_is_stored_in_the_language_of_the_page(app, client, world):
    theme_id = _publish_own_theme(client, world)
    client.set_cookie("taal", "en")  # chosen earlier; the form's address has no ?lang=
    response = client.post(f"/ik-heb-dit-ook/{theme_id}",
                           data={"wijk": "haven", "text": "The GP never answers the phone."})
    assert response.status_code == 303
    [stored] = _voice_submissions(app)
    assert stored.language == "en"


def test_audit_residents_voice_language_is_never_taken_from_a_typed_address(app, client, world):
    theme_id = _publish_own_theme(client, world)
    code = world.codes["own"]
    junk = "x" * 40  # longer than the column (8); PostgreSQL refused it with an error page
    for url in (f"/ik-heb-dit-ook/{theme_id}?lang={junk}",
                f"/status/{code}/ik-heb-dit-ook/0?lang={junk}"):
        client.delete_cookie("ik_ook")  # another browser each time
        assert client.post(url, data={"wijk": "haven", "text": "Ook bij mij."}).status_code \
            == 303
    languages = [s.language for s in _voice_submissions(app)]
    assert languages == ["nl", "nl"]


# --- the error of "ik heb dit ook" on the public page -----------------------------------

def test_audit_residents_loop_voice_error_is_summed_up_and_linked_to_the_field(client, world):
    theme_id = _publish_own_theme(client, world)
    response = client.post(f"/ik-heb-dit-ook/{theme_id}",
                           data={"wijk": "", "text": "Ook bij mij", "terug": "waterwijk"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Fout:" in body and 'class="error-summary"' in body
    assert f'<a href="#wijk-{theme_id}">Kies uw wijk.</a>' in body
    assert f'<p class="error-message" id="wijk-{theme_id}-error">' in body
    assert ">Ook bij mij</textarea>" in body


# --- an expired session (the CSRF token is gone) loses nothing ---------------------------

def test_audit_residents_expired_session_keeps_the_satisfaction_answer(app, client, world):
    code = _finish(app, world)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/status/{code}/tevreden/0", data={
        "satisfied": "no", "satisfied_text": "Niemand belde terug, ik wacht nog steeds."})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#satisfied-text-0">{EXPIRED}</a>' in body
    assert ">Niemand belde terug, ik wacht nog steeds.</textarea>" in body
    assert 'name="satisfied" value="no" checked' in body
    assert TOKEN.search(body)  # a fresh token: pressing the button again works
    with app.app_context():
        assert db.session().scalar(select(func.count(Satisfaction.id))) == 0


def test_audit_residents_expired_session_keeps_the_reason_to_reopen(app, client, world):
    code = _finish(app, world)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/status/{code}/heropenen/0",
                           data={"reason": "De huisarts is nog steeds niet bereikbaar."})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and f'<a href="#reason-0">{EXPIRED}</a>' in body
    assert ">De huisarts is nog steeds niet bereikbaar.</textarea>" in body
    token = TOKEN.search(body).group(1)
    again = client.post(f"/status/{code}/heropenen/0", data={
        "csrf_token": token, "reason": "De huisarts is nog steeds niet bereikbaar."})
    assert again.status_code == 303 and "gedaan=heropend" in again.headers["Location"]
    with app.app_context():
        reasons = db.session().scalars(select(StatusChange.reopen_reason).where(
            StatusChange.reopen_reason.is_not(None))).all()
        assert reasons == ["De huisarts is nog steeds niet bereikbaar."]


def test_audit_residents_expired_session_keeps_the_voice_on_both_pages(app, client, world):
    theme_id = _publish_own_theme(client, world)
    app.config["WTF_CSRF_ENABLED"] = True
    code = world.codes["own"]
    status = client.post(f"/status/{code}/ik-heb-dit-ook/0",
                         data={"wijk": "haven", "text": "Bij mijn moeder ook."})
    body = status.get_data(as_text=True)
    assert status.status_code == 400 and f'<a href="#voice-text-0">{EXPIRED}</a>' in body
    assert ">Bij mijn moeder ook.</textarea>" in body
    assert '<option value="haven" selected>' in body
    public = client.post(f"/ik-heb-dit-ook/{theme_id}",
                         data={"wijk": "haven", "text": "Bij mijn buurman ook.",
                               "terug": "waterwijk"})
    body = public.get_data(as_text=True)
    assert public.status_code == 400 and f'<a href="#wijk-{theme_id}">{EXPIRED}</a>' in body
    assert ">Bij mijn buurman ook.</textarea>" in body
    assert _voice_submissions(app) == []


def test_audit_residents_expired_session_keeps_the_withdraw_code(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    code = world.codes["own"]
    response = client.post(f"/status/{code}/intrekken",
                           data={"confirm": "yes", "withdraw_code": "K7FM-3RXA-PQ4T"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and f'<a href="#withdraw-code">{EXPIRED}</a>' in body
    assert 'value="K7FM-3RXA-PQ4T"' in body
    with app.app_context():
        assert db.session().scalar(select(Submission.withdrawn_at).where(
            Submission.reference == code)) is None


def test_audit_residents_expired_session_keeps_the_draft_code_and_the_draft(app, client):
    with app.app_context():
        saved, _expires = drafts.save(db.session(), app.config["SECRET_KEY"], "knelpunt",
                                      "wijk", {"wijk": "haven"})
        db.session().commit()
    typed = saved.lower().replace("-", " ")  # as a resident types it from paper
    response = client.post("/verder", data={"code": typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and EXPIRED in body
    assert f'value="{typed}"' in body
    with app.app_context():
        assert db.session().scalar(select(func.count(Draft.id))) == 1  # not used up
    again = client.post("/verder", data={"code": typed,
                                         "csrf_token": TOKEN.search(body).group(1)})
    assert again.status_code == 200
    assert re.search(r'value="haven"[^>]* (checked|selected)', again.get_data(as_text=True))
