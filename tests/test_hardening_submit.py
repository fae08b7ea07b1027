"""Sending twice stores one report; codes shown once; withdrawing needs its own code and
removes the text everywhere; contacts are purged by the current retention setting."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, select

from participatie.models import Contact, Region, Signal, StatusChange, Submission, Theme, utcnow
from participatie.signals import (
    ALPHABET,
    Intake,
    KnelpuntInput,
    purge_expired_contacts,
    record_submission,
    set_status,
    withdraw,
)
from tests.formfill import CODES, fill_knelpunt, submit_codes


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Submission.id)))


def test_hardening_sending_twice_stores_one_report_with_one_code(client, session):
    filler = fill_knelpunt(client)
    check = filler.controls()
    check["action"] = "submit"
    first = client.post("/formulier/knelpunt", data=check)
    assert first.status_code == 303
    code_page = client.get(first.headers["Location"]).text
    again = client.post("/formulier/knelpunt", data=check)  # double tap, or Back and send again
    assert again.status_code == 303
    again_page = client.get(again.headers["Location"]).text
    assert CODES.findall(code_page) == CODES.findall(again_page)
    assert len(CODES.findall(code_page)) == 2
    assert _count(session) == 1


@pytest.mark.commits
def test_hardening_sending_twice_at_the_same_moment_stores_one(app, session):
    clients = [app.test_client() for _ in range(2)]
    filler = fill_knelpunt(clients[0])
    check = filler.controls()
    check["action"] = "submit"
    with clients[0].session_transaction() as first:
        cookie_session = dict(first)
    with clients[1].session_transaction() as second:
        second.update(cookie_session)  # same browser: same CSRF secret
    results: list[int] = []
    barrier = threading.Barrier(2)

    def send(client) -> None:
        barrier.wait()
        results.append(client.post("/formulier/knelpunt", data=check).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [303, 303]
    assert _count(session) == 1


def test_hardening_a_new_fill_after_sending_is_a_new_report(client, session):
    first, _ = submit_codes(fill_knelpunt(client))
    second, _ = submit_codes(fill_knelpunt(client))
    assert first != second and _count(session) == 2


def test_hardening_confirmation_shows_the_codes_once(client):
    code, withdraw_code = submit_codes(fill_knelpunt(client))
    with client.session_transaction() as flask_session:
        assert code not in str(dict(flask_session))
        assert withdraw_code not in str(dict(flask_session))
    again = client.get("/formulier/knelpunt/verstuurd")
    assert again.status_code == 302 and code not in again.text


def test_hardening_withdraw_code_is_long_and_needed(client, session):
    code, withdraw_code = submit_codes(fill_knelpunt(client))
    assert re.fullmatch(rf"[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{2}}", withdraw_code)
    app = client.application
    app.config["WTF_CSRF_ENABLED"] = False
    form = client.get(f"/status/{code}/intrekken").text
    assert "Code om in te trekken" in form
    for typed, message in (("", "Vul de code om in te trekken in"),
                           ("AAAA-AAAA-AAAA", "Deze code om in te trekken klopt niet")):
        refused = client.post(f"/status/{code}/intrekken",
                              data={"confirm": "yes", "withdraw_code": typed})
        assert refused.status_code == 400 and message in refused.text
        assert f'value="{typed}"' in refused.text
    session.expire_all()
    assert session.scalar(select(Submission.withdrawn_at)) is None
    typed = withdraw_code.lower().replace("-", " ")  # as read aloud or typed on a phone
    done = client.post(f"/status/{code}/intrekken", data={"confirm": "yes",
                                                          "withdraw_code": typed})
    assert done.status_code == 303
    session.expire_all()
    assert session.scalar(select(Submission.withdrawn_at)) is not None


def test_hardening_withdraw_removes_the_text_from_quotes_and_replies(client, session):
    code, withdraw_code = submit_codes(fill_knelpunt(client))
    submission = session.scalar(select(Submission).where(Submission.reference == code))
    signal = submission.signals[0]
    text = signal.text
    theme = Theme(region_id=submission.region_id, key="t1", label="Huisarts",
                  quotes=[text, text[:60], "Een ander verhaal over de apotheek."])
    session.add(theme)
    set_status(session, signal, "in_progress",
               public_reply=f'U schreef: "{text[:50]}". Dank, wij bellen de praktijk.')
    session.commit()
    client.application.config["WTF_CSRF_ENABLED"] = False
    client.post(f"/status/{code}/intrekken", data={"confirm": "yes",
                                                   "withdraw_code": withdraw_code})
    session.expire_all()
    assert session.get(Theme, theme.id).quotes == ["Een ander verhaal over de apotheek."]
    assert all(c.public_reply is None for c in session.scalars(select(StatusChange)))
    status = client.get(f"/status/{code}").text
    assert text[:30] not in status and "wij bellen de praktijk" not in status


def test_hardening_retention_follows_the_current_setting(session, runner, app):
    region = session.scalar(select(Region))
    intake = Intake(redact=lambda text: text)
    for days_ago in (100, 20):
        from participatie.signals import ContactInput

        record_submission(session, intake, region, form_id="knelpunt", form_version=1,
                          answers={}, knelpunten=[KnelpuntInput("Lange wachttijd", ["haven"])],
                          contact=ContactInput(email=f"x{days_ago}@example.org"),
                          retention_days=180,
                          created_at=utcnow() - dt.timedelta(days=days_ago))
    session.commit()
    assert purge_expired_contacts(session, 180) == 0
    app.config["CONTACT_RETENTION_DAYS"] = 60  # shortened after the reports came in
    result = runner.invoke(args=["retention", "purge"])
    assert "1 contact records deleted" in result.output
    session.expire_all()
    assert session.scalars(select(Contact.email)).all() == ["x20@example.org"]


def test_hardening_withdraw_service_keeps_counting(session):
    region = session.scalar(select(Region))
    stored = record_submission(session, Intake(redact=lambda t: t), region, form_id="knelpunt",
                               form_version=1, answers={"wat": "x"},
                               knelpunten=[KnelpuntInput("Lange wachttijd bij de huisarts",
                                                         ["haven"])])
    withdraw(session, stored)
    assert session.scalar(select(func.count(Signal.id))) == 1


@pytest.mark.parametrize("count", [1])
def test_hardening_reference_codes_are_unchanged(client, count):
    code, _ = submit_codes(fill_knelpunt(client))
    assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
