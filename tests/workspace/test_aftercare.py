"""Issue 16 follow-up: satisfied or not, reopening within 14 days, "ik heb dit ook" on the
status page of a report."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from participatie import db
from participatie.models import (
    AuditEvent,
    Satisfaction,
    Signal,
    StatusChange,
    Submission,
    ThemeVoice,
    utcnow,
)
from participatie.signals import set_status, withdraw
from tests.conftest import make_app
from tests.factories.workspace import WITHDRAW_CODE, page_text

PHONE = "0612345678"


def _logout(client) -> None:
    with client.session_transaction() as flask_session:
        flask_session.clear()


def _finish(app, world, status: str = "resolved", days_ago: int = 1) -> str:
    """Solve the own report (days_ago days ago) and return its code."""
    with app.app_context():
        session = db.session()
        signal = session.get(Signal, world.signals["own"])
        change = set_status(session, signal, status, "We hebben de praktijk gebeld.",
                            world.users["kernteam"])
        change.created_at = utcnow() - dt.timedelta(days=days_ago)
        session.commit()
    return world.codes["own"]


def _own(session, world) -> Signal:
    return session.get(Signal, world.signals["own"])


def test_status_page_asks_nothing_while_the_report_is_open(client, world):
    page = page_text(client.get(f"/status/{world.codes['own']}"))
    assert "Bent u tevreden" not in page and "weer openen" not in page


def test_satisfaction_error_keeps_text_then_stored_redacted_once(app, client, world, login):
    code = _finish(app, world)
    page = page_text(client.get(f"/status/{code}"))
    assert "Bent u tevreden over wat er met uw melding is gedaan?" in page
    assert 'type="radio" id="satisfied-0" name="satisfied" value="yes"' in page
    # nothing chosen: the error summary names the question, the typed text stays
    missing = client.post(f"/status/{code}/tevreden/0", data={"satisfied_text": "Mijn tekst"})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert "Er is iets niet goed" in body and '<a href="#satisfied-0">Kies ja of nee.</a>' in body
    assert ">Mijn tekst</textarea>" in body and "<title>Fout:" in body
    with app.app_context():
        assert db.session().scalar(select(func.count(Satisfaction.id))) == 0
    done = client.post(f"/status/{code}/tevreden/0", data={
        "satisfied": "no", "satisfied_text": f"Niemand belde terug op {PHONE}."})
    assert done.status_code == 303 and "gedaan=beantwoord" in done.headers["Location"]
    thanks = page_text(client.get(done.headers["Location"]))
    assert "Bedankt voor uw antwoord." in thanks and "Bent u tevreden" not in thanks
    # a second answer is refused, kindly; the first one stays
    again = client.post(f"/status/{code}/tevreden/0", data={"satisfied": "yes"})
    assert "gedaan=al-beantwoord" in again.headers["Location"]
    assert "U had al geantwoord" in page_text(client.get(again.headers["Location"]))
    with app.app_context():
        session = db.session()
        stored = session.scalars(select(Satisfaction)).all()
        assert len(stored) == 1 and stored[0].satisfied is False
        assert stored[0].text and PHONE not in stored[0].text and "Niemand belde" in stored[0].text
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "satisfaction"))
        assert event.object_id == str(world.signals["own"]) and event.user_id is None
        assert PHONE not in str(event.details)
    # reviewers who may see the report see the answer; the public pages never do
    for role in ("kernteam", "meelezer", "asd"):
        login(role)
        report = page_text(client.get(f"/werkruimte/meldingen/{world.signals['own']}"))
        assert "Is de melder tevreden?" in report and "Nee, niet tevreden" in report
        assert "Niemand belde terug" in report
        listing = page_text(client.get("/werkruimte/meldingen?wijk=waterwijk"))
        assert re.search(r"van 0 gezegd dat ze tevreden zijn en van 1 dat ze dat niet", listing)
    login("kernteam")
    assert client.get(f"/werkruimte/meldingen/{world.signals['other_wijk']}").status_code == 403
    _logout(client)
    for url in ("/", "/regio", "/wijk/waterwijk", "/open-data/themas.json"):
        assert "Niemand belde terug" not in client.get(url).get_data(as_text=True)


def test_satisfaction_is_refused_while_the_report_is_open(app, client, world):
    response = client.post(f"/status/{world.codes['own']}/tevreden/0", data={"satisfied": "yes"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session().scalar(select(func.count(Satisfaction.id))) == 0
    assert client.post(f"/status/{world.codes['own']}/tevreden/7",
                       data={"satisfied": "yes"}).status_code == 404


def test_reopen_within_14_days_once_with_a_reason(app, client, world, login):
    code = _finish(app, world, "closed", days_ago=13)
    with app.app_context():
        session = db.session()
        _own(session, world).owner_id = owner = world.users["kernteam"]
        session.commit()
    page = page_text(client.get(f"/status/{code}"))
    assert "Open mijn melding weer" in page
    missing = client.post(f"/status/{code}/heropenen/0", data={"reason": "  "})
    assert missing.status_code == 400
    assert '<a href="#reason-0">Schrijf op waarom u uw melding weer wilt openen.</a>' in (
        missing.get_data(as_text=True))
    with app.app_context():
        assert _own(db.session(), world).status == "closed"
    first = client.post(f"/status/{code}/heropenen/0",
                        data={"reason": f"Het is niet opgelost, bel {PHONE}."})
    second = client.post(f"/status/{code}/heropenen/0", data={"reason": "Nog een keer"})
    assert "gedaan=heropend" in first.headers["Location"]
    assert "gedaan=heropend" in second.headers["Location"]  # a double tap: the same answer
    with app.app_context():
        session = db.session()
        signal = _own(session, world)
        assert signal.status == "received"
        reopened = [c for c in signal.history if c.reopen_reason is not None]
        assert len(reopened) == 1 and reopened[0].user_id is None
        assert "niet opgelost" in reopened[0].reopen_reason
        assert PHONE not in reopened[0].reopen_reason
        assert session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "reopen")) == 1
        assert signal.owner_id == owner  # whoever handled it sees it come back
    status = page_text(client.get(f"/status/{code}"))
    assert "Uw melding is weer open." not in status  # only right after the button
    assert "Weer geopend door u" in status and "Ontvangen" in status
    assert "Bent u tevreden" not in status  # open again: nothing to answer
    # the kernteam sees it in its list and on the report page
    login("kernteam")
    listing = page_text(client.get("/werkruimte/meldingen?wijk=waterwijk"))
    assert "Heropend door de melder" in listing
    report = page_text(client.get(f"/werkruimte/meldingen/{world.signals['own']}"))
    assert "De melder heeft deze melding weer geopend op" in report
    assert "Het is niet opgelost" in report


def test_reopen_after_14_days_is_gone_and_refused(app, client, world):
    code = _finish(app, world, "resolved", days_ago=15)
    page = page_text(client.get(f"/status/{code}"))
    assert "Open mijn melding weer" not in page
    assert "tot 14 dagen nadat hij is opgelost of gesloten" in page
    response = client.post(f"/status/{code}/heropenen/0", data={"reason": "Toch niet goed"})
    assert response.status_code == 303
    with app.app_context():
        session = db.session()
        assert _own(session, world).status == "resolved"
        assert session.scalar(select(func.count(StatusChange.id)).where(
            StatusChange.reopen_reason.is_not(None))) == 0


def test_reopen_and_satisfaction_need_the_csrf_token(app, client, world):
    code = _finish(app, world)
    app.config["WTF_CSRF_ENABLED"] = True
    for url, data in ((f"/status/{code}/heropenen/0", {"reason": "Niet goed"}),
                      (f"/status/{code}/tevreden/0", {"satisfied": "yes"})):
        assert client.post(url, data=data).status_code == 400
    with app.app_context():
        session = db.session()
        assert _own(session, world).status == "resolved"
        assert session.scalar(select(func.count(Satisfaction.id))) == 0
    page = page_text(client.get(f"/status/{code}"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    ok = client.post(f"/status/{code}/tevreden/0", data={"satisfied": "yes", "csrf_token": token})
    assert ok.status_code == 303


def test_withdraw_deletes_the_reporters_words_in_answer_and_reason(app, client, world):
    code = _finish(app, world)
    client.post(f"/status/{code}/tevreden/0", data={"satisfied": "no", "satisfied_text": "Slecht"})
    client.post(f"/status/{code}/heropenen/0", data={"reason": "Nog steeds geen huisarts"})
    client.post(f"/status/{code}/intrekken", data={"confirm": "yes",
                                                    "withdraw_code": WITHDRAW_CODE})
    with app.app_context():
        session = db.session()
        assert session.scalar(select(Satisfaction.text)) == ""
        assert session.scalars(select(StatusChange.reopen_reason).where(
            StatusChange.reopen_reason.is_not(None))).all() == [""]
        withdraw(session, session.scalar(select(Submission).where(
            Submission.reference == code)))  # twice is harmless


def _publish_own_theme(client, login, world) -> int:
    login("asd")
    client.post(f"/werkruimte/themas/{world.themes['own']}/publiceren", data={
        "title": "Huisarts slecht bereikbaar", "summary": "Samenvatting.", "public_status": ""})
    _logout(client)
    return world.themes["own"]


def test_voice_on_the_status_page_when_the_theme_is_published(app, client, world, login):
    code = world.codes["own"]
    assert "Ik heb dit ook" not in page_text(client.get(f"/status/{code}"))
    not_published = client.post(f"/status/{code}/ik-heb-dit-ook/0",
                                data={"wijk": "waterwijk", "text": "Ook bij mij."})
    assert not_published.status_code == 410
    assert "Ook bij mij.</textarea>" in not_published.get_data(as_text=True)
    theme_id = _publish_own_theme(client, login, world)
    page = page_text(client.get(f"/status/{code}"))
    assert f'action="/status/{code}/ik-heb-dit-ook/0' in page
    assert f"#thema-{theme_id}" in page  # the link to the public theme
    assert '<option value="waterwijk" selected>' in page
    missing = client.post(f"/status/{code}/ik-heb-dit-ook/0",
                          data={"wijk": "", "text": "Ook bij mij"})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400 and '<a href="#wijk-0">Kies uw wijk.</a>' in body
    assert ">Ook bij mij</textarea>" in body
    first = client.post(f"/status/{code}/ik-heb-dit-ook/0",
                        data={"wijk": "haven", "text": f"Mijn moeder ook, bel {PHONE}."})
    assert first.status_code == 303 and "gedaan=stem" in first.headers["Location"]
    assert "ik_ook=" in first.headers["Set-Cookie"]
    again = client.post(f"/status/{code}/ik-heb-dit-ook/0", data={"wijk": "haven"})
    assert "gedaan=al-gestemd" in again.headers["Location"]
    after = page_text(client.get(f"/status/{code}"))
    assert "U hebt uw stem gegeven bij dit onderwerp" in after
    assert f'action="/status/{code}/ik-heb-dit-ook/0' not in after
    # the wijk page knows this browser already counted
    assert f'action="/ik-heb-dit-ook/{theme_id}' not in page_text(client.get("/wijk/haven"))
    with app.app_context():
        session = db.session()
        voices = session.scalars(select(ThemeVoice)).all()
        assert len(voices) == 1 and voices[0].theme_id == theme_id
        submission = session.get(Submission, voices[0].submission_id)
        assert submission.form_id == "ik-heb-dit-ook"
        assert PHONE not in submission.signals[0].text
        assert submission.signals[0].membership.theme_id == theme_id


def test_audit_log_names_the_reporter(app, client, world, login):
    code = _finish(app, world)
    client.post(f"/status/{code}/tevreden/0", data={"satisfied": "yes"})
    login("beheerder")
    log = page_text(client.get("/werkruimte/logboek"))
    assert "de melder" in log


def test_the_status_page_forms_are_rate_limited(app, world, database_url):
    limited = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_LOOKUPS="2 per minute",
                       RATELIMIT_VOICES="1 per hour", WTF_CSRF_ENABLED=False)
    try:
        client = limited.test_client()
        code = world.codes["own"]
        for url, data, allowed in ((f"/status/{code}/heropenen/0", {"reason": "x"}, 2),
                                   (f"/status/{code}/tevreden/0", {"satisfied": "yes"}, 2),
                                   (f"/status/{code}/ik-heb-dit-ook/0", {"wijk": "haven"}, 1)):
            answers = [client.post(url, data=data).status_code for _ in range(allowed + 1)]
            assert answers[-1] == 429 and 429 not in answers[:-1], (url, answers)
    finally:
        with limited.app_context():
            db.engine().dispose()


def test_status_notices_need_what_they_say_to_have_happened(app, client, world):
    """A link with ?ingetrokken=1 or ?gedaan=heropend, passed around or typed, made the status
    page say the report was withdrawn or reopened when it was not."""
    code = world.codes["own"]
    notices = {"?ingetrokken=1": "Uw melding is ingetrokken.",
               "?gedaan=heropend": "Uw melding is weer open.",
               "?gedaan=beantwoord": "Bedankt voor uw antwoord.",
               "?gedaan=stem": "We hebben uw stem geteld."}
    for query, notice in notices.items():
        page = page_text(client.get(f"/status/{code}{query}"))
        assert notice not in page, query
    _finish(app, world, "closed")
    reopened = client.post(f"/status/{code}/heropenen/0", data={"reason": "Niet opgelost."})
    assert "Uw melding is weer open." in page_text(client.get(reopened.headers["Location"]))
    assert "Bedankt voor uw antwoord." not in page_text(client.get(
        f"/status/{code}?gedaan=beantwoord"))
    with app.app_context():
        session = db.session()
        withdraw(session, session.get(Submission, _own(session, world).submission_id))
        session.commit()
    assert "Uw melding is ingetrokken." in page_text(client.get(f"/status/{code}?ingetrokken=1"))
