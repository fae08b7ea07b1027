"""E-mails to residents who asked for them: the code, status changes, replies, published themes.

A real SMTP server (aiosmtpd) on loopback receives what is sent. Requests only fill the outbox;
the drain (the job) sends, and a test proves that nothing went out before it ran.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import url_for
from sqlalchemy import func, select

from participatie import db, publication, residentmail, signals
from participatie.accounts import create_user
from participatie.jobs import jobs
from participatie.models import (
    AuditEvent,
    Contact,
    Region,
    ResidentMail,
    Signal,
    Submission,
    Theme,
    ThemeMembership,
    utcnow,
)
from participatie.signals import ContactInput, KnelpuntInput, record_submission
from tests.factories.digests import PLAIN, REFUSED
from tests.factories.workspace import log_in_as
from tests.formfill import Filler, fill_knelpunt, submit_page


def _report(session, email: str | None = "inwoner@example.nl", updates: bool = True,
            language: str = "nl", text: str = "De huisarts neemt de telefoon niet op.",
            phone: str | None = None) -> Submission:
    region = session.scalar(select(Region).where(Region.slug == "almere"))
    return record_submission(
        session, PLAIN, region, form_id="knelpunt", form_version=1, answers={},
        knelpunten=[KnelpuntInput(text=text, wijk_slugs=["waterwijk"])], language=language,
        contact=ContactInput(email=email, phone=phone, updates=updates))


def _body(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _drain(app) -> residentmail.DrainResult:
    with app.app_context():
        return residentmail.drain(db.session())


def _theme(session, members: list[Submission]) -> Theme:
    region = session.scalar(select(Region).where(Region.slug == "almere"))
    theme = Theme(region_id=region.id, key="th-mail", label="Huisarts bereikbaarheid")
    session.add(theme)
    session.flush()
    for submission in members:
        session.add(ThemeMembership(signal_id=submission.signals[0].id, theme_id=theme.id,
                                    source="assigned", confidence=1.0))
    session.commit()
    return theme


def _asd(session):
    region = session.scalar(select(Region).where(Region.slug == "almere"))
    user = create_user(session, region.id, "asd@test.nl", "Test ASD", "asd")
    session.commit()
    return user


# --- the form -----------------------------------------------------------------------------------


def _fill(client, **contact) -> Filler:
    filler = fill_knelpunt(client, contact=False)
    filler.send("change-contact")
    filler.send(**{"contact__consent": "yes", **contact})
    return filler


def test_residentmail_consent_on_the_form_sends_the_code_and_link_never_the_withdraw_code(
        app, client, outbox):
    filler = _fill(client, contact__email="mantelzorger@example.org",
                   contact__updates="yes")
    # the check page says so
    assert "stuur mij de code en bericht als er iets verandert" in filler.html
    response = filler.send("submit")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    reference, withdraw = re.findall(
        r'<p class="code(?: long)?"><span aria-hidden="true">([A-Z0-9-]+)</span>', page)
    assert "We sturen de code ook naar uw e-mailadres." in page
    assert "We sturen de code niet per e-mail" not in page
    assert outbox.received == []  # the resident's request sent nothing itself
    assert jobs(app).run_pending() >= 1  # the job queued after the commit sends it
    [received] = outbox.received
    message = received.message
    assert received.recipients == ["mantelzorger@example.org"]
    assert message["Subject"] == f"Uw melding {reference} is ontvangen"
    text, html = _body(message)
    status_url = f"http://localhost/status/{reference}"
    assert reference in text and status_url in text and status_url in html
    assert withdraw not in text and withdraw not in html
    assert withdraw.replace("-", "") not in message.as_string().replace("-", "")
    stop = re.search(r"http://localhost/berichten-stoppen/\S+", text).group(0)
    assert message["List-Unsubscribe"] == f"<{stop}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with app.app_context():
        session = db.session()
        contact = session.scalar(select(Contact))
        assert contact.updates is True
        row = session.scalar(select(ResidentMail))
        assert row.sent_at is not None and row.contact_id == contact.id


def test_residentmail_without_consent_nothing_is_queued_or_sent(app, client, outbox):
    filler = _fill(client, contact__email="mantelzorger@example.org")
    assert "stuur mij de code en bericht als er iets verandert" not in filler.html
    page = submit_page(filler)
    assert "We sturen de code niet per e-mail" in page
    with app.app_context():
        assert db.session().scalar(select(func.count(ResidentMail.id))) == 0
        assert db.session().scalar(select(Contact.updates)) is False
    jobs(app).run_pending()
    assert _drain(app).sent == [] and outbox.received == []


def test_residentmail_updates_need_an_e_mail_address(app, client):
    filler = _fill(client, contact__phone="06 12345678", contact__updates="yes")
    assert filler.response.status_code == 400
    assert "Wilt u e-mails van ons? Vul dan uw e-mailadres in." in filler.errors()


def test_residentmail_english_resident_gets_english_mail(app, session, outbox):
    submission = _report(session, language="en")
    session.commit()
    _drain(app)
    [received] = outbox.received
    assert received.message["Subject"] == f"Your report {submission.reference} has been received"
    text, _html = _body(received.message)
    assert "Thank you for your report." in text and "Do you no longer want these" in text


# --- the reviewer -------------------------------------------------------------------------------


def test_residentmail_status_change_and_reply_are_mailed_after_the_request(app, session, client,
                                                                           outbox):
    app.config["WTF_CSRF_ENABLED"] = False
    submission = _report(session)
    quiet = _report(session, email="stil@example.nl", updates=False)
    user = _asd(session)
    signal_id, quiet_id, code = (submission.signals[0].id, quiet.signals[0].id,
                                 submission.reference)
    _drain(app)
    outbox.received.clear()
    log_in_as(client, user.id)
    response = client.post(f"/werkruimte/meldingen/{signal_id}/status",
                           data={"status": "in_progress", "reply": ""})
    assert response.status_code == 302
    client.post(f"/werkruimte/meldingen/{quiet_id}/status", data={"status": "in_progress"})
    assert outbox.received == []  # the reviewer's request only filled the outbox
    assert len(_drain(app).sent) == 1
    [received] = outbox.received
    assert received.recipients == ["inwoner@example.nl"]
    assert received.message["Subject"] == f"Nieuws over uw melding {code}"
    text, _html = _body(received.message)
    assert "De status is nu: We kijken ernaar" in text and f"/status/{code}" in text

    # a public reply, with the old "e-mail the reporter" box ticked: one e-mail, not two
    outbox.received.clear()
    client.post(f"/werkruimte/meldingen/{signal_id}/status",
                data={"status": "with_kernteam", "reply": "We bellen de praktijk deze week.",
                      "email": "y"})
    assert outbox.received == []
    _drain(app)
    [received] = outbox.received
    assert received.message["Subject"] == f"Antwoord op uw melding {code}"
    text, html = _body(received.message)
    assert "We bellen de praktijk deze week." in text and "We bellen de praktijk" in html
    assert _drain(app).sent == []  # nothing is sent twice


# --- published themes ---------------------------------------------------------------------------


def test_residentmail_theme_published_and_status_changed_mail_consenting_members_only(
        app, session, outbox):
    wants = _report(session, email="wil@example.nl")
    wants_twice = _report(session, email="twee@example.nl")
    quiet = _report(session, email="stil@example.nl", updates=False)
    gone = _report(session, email="weg@example.nl")
    outside = _report(session, email="buiten@example.nl")
    theme = _theme(session, [wants, wants_twice, quiet, gone])
    # a second report of the same resident in the theme: still one e-mail
    extra = Signal(region_id=wants_twice.region_id, position=1, text="Ook de apotheek.")
    wants_twice.signals.append(extra)
    session.flush()
    session.add(ThemeMembership(signal_id=extra.id, theme_id=theme.id, source="assigned"))
    signals.withdraw(session, gone)
    _drain(app)
    outbox.received.clear()
    user = _asd(session)
    publication.publish(session, user, theme, title="De huisarts is slecht bereikbaar",
                        summary="Veel mensen komen er niet door.", public_status="",
                        quote_ids=[])
    session.commit()
    assert outbox.received == []
    _drain(app)
    got = sorted(r.recipients[0] for r in outbox.received)
    assert got == ["twee@example.nl", "wil@example.nl"]
    text, _html = _body(outbox.received[0].message)
    assert "De huisarts is slecht bereikbaar" in text
    assert f"http://localhost/regio#thema-{theme.id}" in text
    assert outside.reference not in text

    # the same publication saved again: no news, no e-mail; a new public status: e-mail
    outbox.received.clear()
    publication.publish(session, user, theme, title="De huisarts is slecht bereikbaar",
                        summary="Anders verwoord.", public_status="", quote_ids=[])
    session.commit()
    assert _drain(app).sent == []
    publication.publish(session, user, theme, title="De huisarts is slecht bereikbaar",
                        summary="Anders verwoord.", public_status="Op de agenda van 12 januari",
                        quote_ids=[])
    session.commit()
    _drain(app)
    assert sorted(r.recipients[0] for r in outbox.received) == ["twee@example.nl",
                                                                 "wil@example.nl"]
    text, _html = _body(outbox.received[0].message)
    assert "Op de agenda van 12 januari" in text


def test_residentmail_unpublished_before_sending_sends_nothing(app, session, outbox):
    wants = _report(session)
    theme = _theme(session, [wants])
    _drain(app)
    outbox.received.clear()
    user = _asd(session)
    publication.publish(session, user, theme, title="Titel", summary="", public_status="",
                        quote_ids=[])
    session.commit()
    publication.unpublish(session, user, theme)
    session.commit()
    result = _drain(app)
    assert result.sent == [] and len(result.dropped) == 1 and outbox.received == []


# --- stopping -----------------------------------------------------------------------------------


def _stop_url(app, submission_id: int) -> str:
    with app.app_context(), app.test_request_context():
        contact = db.session().scalar(select(Contact).where(
            Contact.submission_id == submission_id))
        return url_for("subscriptions.stop_updates",
                       token=residentmail.unsubscribe_token(contact))


def test_residentmail_stop_link_get_asks_post_stops_then_nothing_is_sent(app, session, client,
                                                                         outbox):
    submission = _report(session)
    signal = submission.signals[0]
    url = _stop_url(app, submission.id)
    page = client.get(url)
    assert page.status_code == 200 and "Ja, stop met de e-mails" in page.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Contact.updates)) is True  # GET changes nothing
    # a status change already waiting in the outbox when the resident stops
    signals.set_status(session, signal, "in_progress")
    session.commit()
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "We sturen u geen e-mails meer" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Contact.updates)) is False
    event = session.scalar(select(AuditEvent).where(
        AuditEvent.action == "resident_updates_stop"))
    assert event.details == {"one_click": True} and event.user_id is None
    result = _drain(app)
    assert result.sent == [] and len(result.dropped) == 2 and outbox.received == []
    signals.set_status(session, session.get(Signal, signal.id), "resolved")
    session.commit()
    assert session.scalar(select(func.count(ResidentMail.id))) == 0
    # a changed token shows the friendly page
    assert client.get(url[:-3] + "xyz").status_code == 404


# --- withdrawn, purged ------------------------------------------------------------------------


def test_residentmail_withdrawn_report_gets_nothing(app, session, outbox):
    submission = _report(session)
    signals.set_status(session, submission.signals[0], "in_progress")
    session.commit()
    signals.withdraw(session, submission)
    assert _drain(app).sent == [] and outbox.received == []
    assert session.scalar(select(func.count(ResidentMail.id))) == 0


def test_residentmail_purged_contact_gets_nothing(app, session, outbox):
    submission = _report(session)
    session.commit()
    later = utcnow() + dt.timedelta(days=200)
    assert signals.purge_expired_contacts(session, 180, now=later) == 1
    session.expire_all()  # as the next request would see it
    assert _drain(app).sent == [] and outbox.received == []
    assert session.scalar(select(func.count(ResidentMail.id))) == 0
    signals.set_status(session, session.get(Signal, submission.signals[0].id), "resolved")
    session.commit()
    assert session.scalar(select(func.count(ResidentMail.id))) == 0


# --- sending once, and again after a failure ----------------------------------------------------


def test_residentmail_two_drains_at_the_same_time_send_each_once(app, session, outbox):
    for name in ("a", "b", "c", "d"):
        _report(session, email=f"{name}@example.nl")
    session.commit()
    outbox.overlap_two(lambda: _drain(app))
    _drain(app)  # whatever a busy drain left is sent now, once
    assert sorted(r.recipients[0] for r in outbox.received) == [
        "a@example.nl", "b@example.nl", "c@example.nl", "d@example.nl"]


def test_residentmail_a_refused_or_unreachable_send_stays_in_the_outbox(app, session, outbox):
    _report(session, email=REFUSED)
    session.commit()
    result = _drain(app)
    assert result.sent == [] and result.failed and result.failed[0][1].startswith("refused: 550")
    row = session.scalar(select(ResidentMail))
    session.refresh(row)
    assert row.sent_at is None and row.claimed_at is None and "550" in row.last_error
    assert row.attempts == 1
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nobody listens: the connection fails
    assert _drain(app).failed
    app.config["SMTP_PORT"] = port
    outbox.refused.clear()
    assert len(_drain(app).sent) == 1
    assert [r.recipients for r in outbox.received] == [[REFUSED]]
    session.refresh(row)
    assert row.sent_at is not None and row.attempts == 3
