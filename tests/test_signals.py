import datetime as dt

from sqlalchemy import func, select

from participatie import signals
from participatie.models import Contact, Region, Signal, StatusChange, Submission
from participatie.signals import (
    ALPHABET,
    ContactInput,
    Intake,
    KnelpuntInput,
    find_submission,
    new_reference,
    normalise_reference,
    record_submission,
    set_status,
    withdraw,
)

AMBIGUOUS = "0O1IL5S2Z8BUV"


def test_signals_alphabet_has_no_characters_that_look_or_sound_alike():
    assert not set(AMBIGUOUS) & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 23


def test_signals_reference_codes_have_two_groups_of_four():
    codes = {new_reference() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)


def test_signals_normalise_reference_accepts_how_people_type():
    assert normalise_reference("k7fm 3rxa") == "K7FM-3RXA"
    assert normalise_reference(" K7FM-3RXA ") == "K7FM-3RXA"
    assert normalise_reference("k7fm.3rx") == "K7FM3RX"


def _region(session):
    return session.scalar(select(Region).where(Region.slug == "almere"))


def _redact(text):
    # a deterministic stand-in for nlp's redactor where only the storage path is under test
    return text.replace("Piet", "[NAAM]")


def test_signals_record_submission_redacts_and_keeps_contact_apart(session):
    stored = record_submission(
        session, Intake(redact=_redact), _region(session), form_id="knelpunt", form_version=1,
        answers={"wie": "inwoner"}, reporter_role="inwoner",
        knelpunten=[KnelpuntInput("  Piet kan niet bij de huisarts terecht ", ["haven", "nergens"],
                                  ["huisartsen"], "often", 3)],
        contact=ContactInput(email="a@example.org"), retention_days=30,
    )
    signal = stored.signals[0]
    assert signal.text == "[NAAM] kan niet bij de huisarts terecht"
    assert [w.slug for w in signal.wijken] == ["haven"]
    assert [h.status for h in signal.history] == ["received"]
    assert stored.contact.delete_after - stored.contact.consent_at == dt.timedelta(days=30)
    assert find_submission(session, stored.reference.lower()).id == stored.id


def test_signals_reference_collision_draws_again(session, monkeypatch):
    first = record_submission(session, Intake(redact=_redact), _region(session), form_id="k",
                              form_version=1, answers={}, knelpunten=[])
    draws = iter([first.reference, "AAAA-AAAA"])
    monkeypatch.setattr(signals, "new_reference", lambda: next(draws))
    second = record_submission(session, Intake(redact=_redact), _region(session), form_id="k",
                               form_version=1, answers={}, knelpunten=[])
    assert second.reference == "AAAA-AAAA"


def test_signals_withdraw_leaves_a_tombstone(session):
    stored = record_submission(
        session, Intake(redact=_redact), _region(session), form_id="knelpunt", form_version=1,
        answers={"wat": "x"}, knelpunten=[KnelpuntInput("Lange wachttijd", ["haven"])],
        contact=ContactInput(phone="0612345678"),
    )
    set_status(session, stored.signals[0], "in_progress", public_reply="We kijken ernaar")
    withdraw(session, stored)
    assert session.scalar(select(func.count(Contact.id))) == 0
    signal = session.scalar(select(Signal))
    assert (signal.text, signal.public_reply, signal.status) == ("", None, "withdrawn")
    assert [h.status for h in session.scalars(select(StatusChange).order_by(StatusChange.id))] \
        == ["received", "in_progress", "withdrawn"]
    assert session.scalar(select(func.count(Submission.id))) == 1


def test_signals_codes_are_spread_over_the_alphabet():
    rng_counts = {c: 0 for c in ALPHABET}
    for _ in range(500):
        for c in new_reference().replace("-", ""):
            rng_counts[c] += 1
    assert min(rng_counts.values()) > 0.5 * 4000 / len(ALPHABET)
