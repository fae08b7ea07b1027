"""A resident who hits the sending limit, or whose session expired, keeps every answer."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from participatie import db, filling
from participatie.models import Submission
from tests.conftest import make_app
from tests.formfill import KNELPUNT_TEXT, Filler, fill_knelpunt, submit


@pytest.fixture
def limited(database_url):
    """An app on the test database that allows one sent form per hour per address."""
    app = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_SUBMISSIONS="1 per hour")
    yield app
    with app.app_context():
        db.engine().dispose()


def _stored(app) -> list[str]:  # noqa: ANN001
    """Return the stored reference codes (in a context of its own, apart from the client's)."""
    with app.app_context():
        return list(db.session().scalars(select(Submission.reference)))


def _notice(page: str) -> str:
    found = re.search(r'<div class="error-summary" role="alert" aria-labelledby="notice-title"'
                      r'.*?</div>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip() if found else ""


def test_limits_hit_on_send_shows_check_page_with_answers_and_when(app, limited):
    client = limited.test_client()
    submit(fill_knelpunt(client))
    second = fill_knelpunt(client, text="De wachtlijst voor de fysiotherapeut is een half jaar.")
    response = second.send("submit")
    assert response.status_code == 429
    assert second.heading() == "Controleer uw antwoorden"
    # every answer is still on the page, in the rows and in the state that a resend posts
    assert "De wachtlijst voor de fysiotherapeut is een half jaar." in second.html
    assert "mantelzorger@example.org" in second.html
    assert '<button type="submit" name="action" value="submit">Versturen</button>' in second.html
    notice = _notice(second.html)
    assert notice.startswith("Te vaak geprobeerd")
    assert "Uw antwoorden staan er nog" in notice
    minutes = int(re.search(r"over (\d+) minuten", notice).group(1))
    assert 55 <= minutes <= 60 and re.search(r"na \d\d:\d\d uur", notice)
    assert len(_stored(app)) == 1


def test_limits_expired_session_on_send_keeps_answers_and_sends_on_retry(app, client):
    filler = fill_knelpunt(client)
    client.delete_cookie("session")  # the browser was closed or the session ran out
    response = filler.send("submit")
    assert response.status_code == 400
    assert filler.heading() == "Controleer uw antwoorden"
    assert KNELPUNT_TEXT in filler.html and "mantelzorger@example.org" in filler.html
    assert "Uw antwoorden staan er nog" in _notice(filler.html)
    assert _stored(app) == []
    code = submit(filler)  # the page came back with a fresh token: pressing Versturen works now
    assert _stored(app) == [code]


def test_limits_expired_session_on_a_page_keeps_what_was_typed_there(client):
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    client.delete_cookie("session")
    response = filler.send(wat="De praktijkondersteuner heeft nooit tijd voor ons.")
    assert response.status_code == 400
    assert ">De praktijkondersteuner heeft nooit tijd voor ons.</textarea>" in filler.html
    with client.application.app_context():  # the state is signed: read it as the app does
        state = filling.read_state(filler.hidden()["state"], "knelpunt")
    assert state["wijk"] == "haven"  # the earlier page's answer
    assert "Uw antwoorden staan er nog" in _notice(filler.html)
    filler.send()  # the same button once more goes on to the next page
    assert filler.response.status_code == 200 and filler.heading() == "De zorg"


def test_limits_form_pages_are_private_and_not_keyed_on_the_cookie(client):
    # Back to a page that answered a POST is served from the browser's cache only while the
    # Vary'd request headers match; a new session cookie made that an ERR_CACHE_MISS
    filler = Filler(client, "knelpunt")
    response = filler.send(wijk="haven")
    assert response.status_code == 200
    assert "Cookie" not in response.vary
    assert response.headers["Cache-Control"] == "private, no-cache"
