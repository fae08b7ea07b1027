"""A report the resident withdrew while a reviewer had its page (or the queue) open."""

from __future__ import annotations

from sqlalchemy import func, select

from participatie import db
from participatie.models import Signal, StatusChange, Theme, ThemeMembership
from participatie.signals import withdraw
from tests.factories.workspace import page_text

REPLY = "Beste melder, we hebben uw huisarts gebeld en er komt een terugbelservice."


def _withdraw(app, signal_id: int) -> None:
    with app.app_context():
        session = db.session()
        withdraw(session, session.get(Signal, signal_id).submission)
        session.commit()


def _themes(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count(Theme.id)))


def test_fix_themes_reply_to_a_withdrawn_report_says_so_and_shows_the_reply(app, login, world):
    client = login("beheerder")
    signal = world.signals["own"]
    page_text(client.get(f"/werkruimte/meldingen/{signal}"))  # the reviewer opens the report
    _withdraw(app, signal)                                    # the resident withdraws meanwhile
    response = client.post(f"/werkruimte/meldingen/{signal}/status",
                           data={"status": "in_progress", "reply": REPLY})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "U mag deze pagina niet zien" not in page
    assert "De melder heeft deze melding intussen ingetrokken." in page
    assert "niet verstuurd" in page and REPLY in page   # not lost without a word
    with app.app_context():
        session = db.session()
        assert session.get(Signal, signal).status == "withdrawn"
        assert session.scalar(select(func.count(StatusChange.id)).where(
            StatusChange.signal_id == signal, StatusChange.public_reply.is_not(None))) == 0


def test_fix_themes_placing_a_withdrawn_report_says_so(app, login, world):
    client = login("asd")
    signal, before = world.signals["own"], _themes(app)
    _withdraw(app, signal)
    response = client.post(f"/werkruimte/meldingen/{signal}/thema",
                           data={"theme": "new", "label": "Nieuw thema"}, follow_redirects=True)
    page = page_text(response)
    assert "De melder heeft deze melding intussen ingetrokken." in page
    assert "niet in een thema gezet" in page
    assert _themes(app) == before
    with app.app_context():
        assert db.session().get(Signal, signal).membership is None


def test_fix_themes_stale_queue_refuses_a_withdrawn_report(app, login, world):
    client = login("asd")
    signal, own, before = world.signals["mixed"], world.themes["own"], _themes(app)
    with app.app_context():
        membership = db.session().scalar(select(ThemeMembership).where(
            ThemeMembership.signal_id == signal))
        membership.needs_review = True
        db.session().commit()
    page_text(client.get("/werkruimte/te-beoordelen"))  # the queue page is open
    _withdraw(app, signal)
    for data in ({"action": "confirm", "theme": str(own)},
                 {"theme": "new", "label": "Nieuw thema uit lege melding"},
                 {"theme": str(own)}):
        response = client.post(f"/werkruimte/te-beoordelen/{signal}", data=data)
        assert response.status_code == 302 and response.location.endswith("/te-beoordelen")
        page = page_text(client.get(response.location))
        assert "De melder heeft deze melding intussen ingetrokken." in page
        assert "Opgeslagen" not in page
    assert _themes(app) == before
    with app.app_context():
        session = db.session()
        assert session.get(Signal, signal).membership is None
        assert session.scalar(select(func.count(ThemeMembership.id)).where(
            ThemeMembership.theme_id == own)) == 1


def test_a_withdrawn_report_is_not_picked_up_or_linked_from_a_stale_page(app, login, world):
    client = login("kernteam")
    signal, other = world.signals["own"], world.signals["own2"]
    _withdraw(app, signal)
    for action, data in (("eigenaar", {"owner": "me"}), ("dubbel", {"of": str(other)})):
        page = page_text(client.post(f"/werkruimte/meldingen/{signal}/{action}", data=data,
                                     follow_redirects=True))
        assert "De melder heeft deze melding intussen ingetrokken. Er is niets veranderd." in page
    with app.app_context():
        found = db.session().get(Signal, signal)
        assert found.owner_id is None and found.duplicate_of_id is None
