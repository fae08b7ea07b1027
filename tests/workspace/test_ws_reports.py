"""Reports: list and filters, status with a public reply, e-mail to a consenting reporter."""

from __future__ import annotations

from participatie import db
from participatie.models import AuditEvent, Signal
from tests.factories.workspace import page_text


def test_ws_reports_list_shows_only_the_kernteams_wijk(login, world):
    html = page_text(login("kernteam").get("/werkruimte/meldingen"))
    assert "huisarts is nooit bereikbaar" in html
    assert "apotheek" not in html and "Lelystad" not in html


def test_ws_reports_filters_narrow_the_list(login, world):
    client = login("asd")
    html = page_text(client.get("/werkruimte/meldingen?discipline=apothekers"))
    assert "apotheek heeft" in html and "huisarts is nooit" not in html
    html = page_text(client.get("/werkruimte/meldingen?periode=30"))
    assert "wijkverpleging duurt" not in html and "huisarts is nooit" in html
    html = page_text(client.get("/werkruimte/meldingen?rol=mantelzorger"))
    assert "apotheek heeft" in html and "fysiotherapeut" not in html
    html = page_text(client.get("/werkruimte/meldingen?wijk=haven"))
    assert "fysiotherapeut" in html and "huisarts is nooit" not in html


def test_ws_reports_status_and_reply_are_kept_and_audited(app, login, world):
    client = login("kernteam")
    signal_id = world.signals["own"]
    response = client.post(f"/werkruimte/meldingen/{signal_id}/status",
                           data={"status": "with_kernteam", "reply": "Het kernteam bespreekt dit."})
    assert response.status_code == 302
    with app.app_context():
        signal = db.session().get(Signal, signal_id)
        assert signal.status == "with_kernteam"
        assert signal.public_reply == "Het kernteam bespreekt dit."
        assert [c.status for c in signal.history] == ["received", "with_kernteam"]
        assert signal.history[-1].user_id == world.users["kernteam"]
        event = db.session().query(AuditEvent).filter_by(action="reply").one()
        assert event.user_id == world.users["kernteam"] and "bespreekt" not in str(event.details)


def test_ws_reports_invalid_status_shows_error_summary(login, world):
    response = login("asd").post(f"/werkruimte/meldingen/{world.signals['own']}/status",
                                 data={"status": "bogus", "reply": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'href="#status"' in html


def test_ws_reports_reply_by_email_reaches_the_reporter(app, login, world, smtp_inbox):
    client = login("asd")
    page = client.get(f"/werkruimte/meldingen/{world.signals['own']}").get_data(as_text=True)
    assert 'name="email"' in page and "melder@example.org" not in page
    client.post(f"/werkruimte/meldingen/{world.signals['own']}/status",
                data={"status": "in_progress", "reply": "We zoeken dit uit.", "email": "1"})
    assert len(smtp_inbox) == 1
    message = smtp_inbox[0]
    assert message["To"] == "melder@example.org"
    assert world.codes["own"] in message["Subject"]
    assert "We zoeken dit uit." in message.get_body(("plain",)).get_content()
    assert f"/status/{world.codes['own']}" in message.get_body(("html",)).get_content()
    with app.app_context():
        assert db.session().query(AuditEvent).filter_by(action="reply_email").count() == 1


def test_ws_reports_no_email_option_without_contact(login, world):
    page = page_text(login("asd").get(f"/werkruimte/meldingen/{world.signals['other_wijk']}"))
    assert "apotheek heeft mijn medicijn" in page and 'name="status"' in page
    assert 'name="email"' not in page


def test_ws_reports_meelezer_sees_no_forms(login, world):
    page = login("meelezer").get(f"/werkruimte/meldingen/{world.signals['own']}")
    html = page_text(page)
    assert "huisarts is nooit bereikbaar" in html
    assert '<form method="post" action="/werkruimte/meldingen' not in html


def test_ws_reports_search_stays_within_rights(login, world):
    asd = page_text(login("asd").get("/werkruimte/zoeken?q=apotheek medicijn"))
    assert "<mark>apotheek</mark> heeft mijn <mark>medicijn</mark>" in asd
    kern = page_text(login("kernteam").get("/werkruimte/zoeken?q=apotheek medicijn"))
    assert "heeft mijn" not in kern
    own = page_text(login("kernteam").get("/werkruimte/zoeken?q=huisarts bereikbaar"))
    assert "<mark>huisarts</mark> is nooit <mark>bereikbaar</mark>" in own
    assert "Lelystad" not in asd
