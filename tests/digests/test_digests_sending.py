import datetime as dt
import smtplib

import pytest
from sqlalchemy import select

from participatie import signals
from participatie.digests import send_due
from participatie.models import (
    DigestDelivery,
    Region,
    Subscription,
    Theme,
    ThemeMembership,
    Wijk,
)
from participatie.signals import ContactInput
from tests.factories.digests import IN_WEEK_47, MONDAY, REFUSED


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_digest_arrives_with_recipient_subject_both_parts_and_unsubscribe_header(world, outbox):
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    signal = world.report("De huisarts neemt de telefoon niet op.", "waterwijk")
    result = send_due(world.session, now=MONDAY)
    assert result.sent == ["kt@example.nl"] and not result.failed
    (received,) = outbox.received
    assert received.recipients == ["kt@example.nl"]
    assert received.sender == "participatie@almere.example.nl"
    message = received.message
    assert message["Subject"] == "Samenvatting week 47: 1 nieuwe melding (Waterwijk)"
    text, html = _parts(message)
    assert "De huisarts neemt de telefoon niet op." in text and "Nieuwe meldingen (1)" in text
    assert f"http://localhost/werkruimte/meldingen/{signal.id}" in text
    assert f'href="http://localhost/werkruimte/meldingen/{signal.id}"' in html
    unsubscribe = message["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<http://localhost/afmelden/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
    row = world.session.scalar(select(DigestDelivery))
    assert (row.period, row.attempts, row.last_error) == ("2026-W47", 1, None)
    assert row.sent_at is not None


def test_digest_second_run_sends_nothing(world, outbox):
    world.subscriber("asd@example.nl", "asd")
    world.report("Lang wachten op de fysiotherapeut.", "haven")
    assert len(send_due(world.session, now=MONDAY).sent) == 1
    again = send_due(world.session, now=MONDAY + dt.timedelta(hours=3))
    assert again.sent == [] and again.already_sent == 1
    assert len(outbox.received) == 1


def test_digest_refused_recipient_is_retried_next_run_and_others_still_get_theirs(world, outbox):
    world.subscriber("a@example.nl", "asd")
    refused = world.subscriber(REFUSED, "asd")
    world.subscriber("z@example.nl", "beheerder")
    world.report("De apotheek is vaak dicht.", "haven")
    first = send_due(world.session, now=MONDAY)
    assert sorted(first.sent) == ["a@example.nl", "z@example.nl"]
    assert [address for address, _ in first.failed] == [REFUSED]
    assert "550" in first.failed[0][1]
    row = world.session.scalar(select(DigestDelivery).where(DigestDelivery.user_id == refused.id))
    assert row.sent_at is None and row.attempts == 1 and "550" in row.last_error

    outbox.refused.clear()  # the mailbox works again
    second = send_due(world.session, now=MONDAY + dt.timedelta(hours=1))
    assert second.sent == [REFUSED] and second.already_sent == 2
    assert len(outbox.to(REFUSED)) == 1 and len(outbox.to("a@example.nl")) == 1
    world.session.refresh(row)
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None


class _CrashingSMTP(smtplib.SMTP):
    """A real SMTP client whose process 'dies' while handing over the second message."""

    sent = 0

    def send_message(self, *args, **kwargs):
        if _CrashingSMTP.sent == 1:
            raise KeyboardInterrupt("killed halfway")
        _CrashingSMTP.sent += 1
        return super().send_message(*args, **kwargs)


def test_digest_crash_halfway_never_sends_twice_and_sends_the_rest_next_run(world, outbox, app):
    for name in ("a", "b", "c"):
        world.subscriber(f"{name}@example.nl", "asd")
    world.report("Geen plek bij de huisarts.", "waterwijk")
    port = app.config["SMTP_PORT"]
    try:
        send_due(world.session, now=MONDAY, connect=lambda: _CrashingSMTP("127.0.0.1", port))
    except KeyboardInterrupt:
        world.session.rollback()
    assert [r.recipients for r in outbox.received] == [["a@example.nl"]]
    result = send_due(world.session, now=MONDAY)
    assert sorted(result.sent) == ["b@example.nl", "c@example.nl"] and result.already_sent == 1
    assert sorted(r.recipients[0] for r in outbox.received) == [
        "a@example.nl", "b@example.nl", "c@example.nl"]


def test_digest_kernteam_never_receives_another_wijks_or_regions_reports(world, outbox):
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    # even a tampered subscription asking for Haven gets nothing from Haven
    world.subscriber("kt2@example.nl", "kernteam", ("waterwijk",), wijk_slugs=["haven"],
                     send_when_empty=True)
    other = Region(slug="lelystad", name="Lelystad")
    other.wijken.append(Wijk(slug="atolwijk", name="Atolwijk", stadsdeel="Lelystad"))
    world.session.add(other)
    world.session.commit()
    world.subscriber("ll@example.nl", "asd", region=other, send_when_empty=True)
    world.report("Waterwijk: de huisarts is vol.", "waterwijk")
    haven = world.report("Haven: de apotheek heeft geen voorraad.", "haven")
    world.report("Lelystad: geen tandarts.", "atolwijk", region=other)
    signals.set_status(world.session, haven, "in_progress", public_reply="We kijken ernaar.")
    world.session.commit()
    send_due(world.session, now=MONDAY)
    everything = {r.recipients[0]: "\n".join(_parts(r.message)) for r in outbox.received}
    assert "Waterwijk: de huisarts is vol." in everything["kt@example.nl"]
    for address in ("kt@example.nl", "kt2@example.nl"):
        assert "Haven:" not in everything[address] and "Lelystad" not in everything[address]
        assert "We kijken ernaar." not in everything[address]
        assert f"/meldingen/{haven.id}" not in everything[address]
    assert "geen nieuwe meldingen" in everything["kt2@example.nl"]
    assert "Lelystad: geen tandarts." in everything["ll@example.nl"]
    assert "Waterwijk:" not in everything["ll@example.nl"]  # regions never see each other
    assert "Haven:" not in everything["ll@example.nl"]


def test_digest_holds_no_contact_data(world, outbox):
    world.subscriber("asd@example.nl", "asd")
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    contact = ContactInput(name="Jannie Vermeulen", email="jannie.vermeulen@example.org",
                           phone="06-12345678")
    world.report("De wijkverpleging komt te laat.", "waterwijk", contact=contact)
    send_due(world.session, now=MONDAY)
    assert len(outbox.received) == 2
    for received in outbox.received:
        whole = received.message.as_string()
        for detail in ("Jannie", "Vermeulen", "jannie.vermeulen", "12345678"):
            assert detail not in whole


def test_digest_empty_period_sends_nothing_unless_asked(world, outbox):
    world.subscriber("quiet@example.nl", "asd")
    world.subscriber("always@example.nl", "asd", send_when_empty=True)
    world.report("Te oud voor deze week.", "haven", when=IN_WEEK_47 - dt.timedelta(days=14))
    result = send_due(world.session, now=MONDAY)
    assert result.sent == ["always@example.nl"] and result.empty == 1
    (message,) = outbox.to("always@example.nl")
    assert message["Subject"] == "Samenvatting week 47: geen nieuwe meldingen"
    assert "Er zijn deze keer geen nieuwe meldingen" in _parts(message)[0]
    assert world.session.scalars(select(DigestDelivery.period)).all() == ["2026-W47"]


def test_digest_contains_grown_themes_status_changes_and_replies(world, outbox):
    world.subscriber("asd@example.nl", "asd")
    first = world.report("Wachtlijst voor de praktijkondersteuner.", "waterwijk")
    second = world.report("Ook bij ons een wachtlijst.", "haven")
    theme = Theme(region_id=world.region.id, key="t1", label="Wachtlijsten huisarts")
    world.session.add(theme)
    world.session.flush()
    for signal in (first, second):
        world.session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id))
    change = signals.set_status(world.session, first, "with_kernteam",
                                public_reply="Het kernteam bespreekt dit op 1 december.")
    change.created_at = IN_WEEK_47 + dt.timedelta(days=1)
    world.session.commit()
    send_due(world.session, now=MONDAY)
    text, html = _parts(outbox.received[0].message)
    assert "Thema's die groeiden" in text and "Wachtlijsten huisarts: 2 nieuwe meldingen" in text
    assert f"/werkruimte/themas/{theme.id}" in html
    assert "Wat er veranderde (1)" in text and "Ligt bij het kernteam" in text
    assert "Het kernteam bespreekt dit op 1 december." in text


def test_digest_in_english_when_the_subscriber_prefers(world, outbox):
    world.subscriber("en@example.nl", "asd", language="en", frequency="monthly")
    world.report("The GP is hard to reach.", "haven", when=dt.datetime(2026, 10, 14, tzinfo=dt.UTC))
    send_due(world.session, now=dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC))
    (message,) = outbox.to("en@example.nl")
    assert message["Subject"] == "Digest October 2026: 1 new report"
    text, html = _parts(message)
    assert "New reports (1)" in text and "Stop these e-mails" in text
    assert '<html lang="en">' in html


def test_digest_next_week_covers_only_what_came_after_the_last_digest(world, outbox):
    world.subscriber("asd@example.nl", "asd")
    world.report("Eerste week.", "haven")
    send_due(world.session, now=MONDAY)
    world.report("Tweede week.", "haven", when=MONDAY + dt.timedelta(days=2))
    send_due(world.session, now=MONDAY + dt.timedelta(days=7))
    first, second = (_parts(r.message)[0] for r in outbox.received)
    assert "Eerste week." in first and "Tweede week." in second and "Eerste week." not in second
    assert outbox.received[1].message["Subject"].startswith("Samenvatting week 48")


def test_digest_off_and_inactive_subscribers_get_nothing(world, outbox):
    world.subscriber("off@example.nl", "asd", frequency="off", send_when_empty=True)
    gone = world.subscriber("gone@example.nl", "asd", send_when_empty=True)
    gone.active = False
    world.session.commit()
    assert send_due(world.session, now=MONDAY).sent == []
    assert outbox.received == []


def test_digest_unreachable_server_is_recorded_and_retried(world, app):
    world.subscriber("asd@example.nl", "asd", send_when_empty=True)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens on port 1
    result = send_due(world.session, now=MONDAY)
    assert [address for address, _ in result.failed] == ["asd@example.nl"]
    row = world.session.scalar(select(DigestDelivery))
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error


def test_digest_weekly_run_leaves_monthly_subscribers_alone(world, outbox):
    world.subscriber("w@example.nl", "asd", send_when_empty=True)
    world.subscriber("m@example.nl", "asd", frequency="monthly", send_when_empty=True)
    assert send_due(world.session, frequency="weekly", now=MONDAY).sent == ["w@example.nl"]
    assert send_due(world.session, frequency="monthly", now=MONDAY).sent == ["m@example.nl"]
    periods = sorted(world.session.scalars(select(DigestDelivery.period)))
    assert periods == ["2026-10", "2026-W47"]
    assert world.session.scalar(select(Subscription.frequency).where(
        Subscription.user_id == world.session.scalar(select(DigestDelivery.user_id).where(
            DigestDelivery.period == "2026-10")))) == "monthly"



@pytest.mark.commits
def test_digest_two_runs_at_the_same_time_never_send_twice(world, outbox, app):
    from participatie import db

    for name in ("a", "b", "c", "d"):
        world.subscriber(f"{name}@example.nl", "asd", send_when_empty=True)

    def run() -> None:
        with app.app_context():
            send_due(db.session(), now=MONDAY)

    outbox.overlap_two(run)
    world.session.expire_all()
    send_due(world.session, now=MONDAY)  # whatever a busy run left is sent now, once
    delivered = sorted(r.recipients[0] for r in outbox.received)
    assert delivered == ["a@example.nl", "b@example.nl", "c@example.nl", "d@example.nl"]


def test_digest_says_when_the_reporter_reopened_a_solved_report(world, outbox):
    """A reopen is a change back to 'received'; the digest left it out with the arrivals, so
    the kernteam read 'Opgelost' for a report that was open again."""
    from participatie import aftercare
    from tests.factories.workspace import PLAIN

    world.subscriber("asd@example.nl", "asd")
    signal = world.report("De praktijk belt niet terug.", "waterwijk")
    solved = signals.set_status(world.session, signal, "resolved", public_reply="Opgelost.")
    solved.created_at = IN_WEEK_47 + dt.timedelta(days=1)
    world.session.flush()
    reopened = aftercare.reopen(world.session, PLAIN, signal, "Er belt nog steeds niemand.",
                                now=IN_WEEK_47 + dt.timedelta(days=2))
    assert reopened is not None
    reopened.created_at = IN_WEEK_47 + dt.timedelta(days=2)
    world.session.commit()
    send_due(world.session, now=MONDAY)
    text, html = _parts(outbox.received[0].message)
    assert "Wat er veranderde (2)" in text
    assert "Heropend door de melder" in text and "De reden: \"Er belt nog steeds niemand.\"" in text
    assert text.index("Opgelost") < text.index("Heropend door de melder")
    assert "Heropend door de melder" in html and "Er belt nog steeds niemand." in html
