"""The RESV agenda through the URLs: plan, the agenda document and PDF, agreements on the theme."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from participatie import db
from participatie.models import AgendaItem, Agreement, AuditEvent, ResvMeeting, Theme
from tests.factories.workspace import page_text


def _plan(client, world) -> int:
    response = client.post("/werkruimte/resv", data={
        "held_on": "2026-12-10", "title": "RESV december",
        "theme": [str(world.themes["own"]), str(world.themes["other_wijk"])]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_asd_plans_a_meeting_writes_the_question_and_gets_the_agenda(app, world, login):
    client = login("asd")
    with app.app_context():
        theme = db.session().get(Theme, world.themes["own"])
        theme.notes = "Kernteam sprak met twee praktijken."
        db.session().commit()
    meeting_id = _plan(client, world)
    with app.app_context():
        meeting = db.session().get(ResvMeeting, meeting_id)
        items = [(i.theme_id, i.kernteam_done) for i in meeting.items]
        item_id = meeting.items[0].id
    assert items == [(world.themes["own"], "Kernteam sprak met twee praktijken."),
                     (world.themes["other_wijk"], "")]
    response = client.post(f"/werkruimte/resv/{meeting_id}/punten/{item_id}", data={
        "question": "Kunnen de praktijken een terugbeluur invoeren?",
        "kernteam_done": "Gesprek met twee praktijken."})
    assert response.status_code == 302
    html = page_text(client.get(f"/werkruimte/resv/{meeting_id}/agenda"))
    assert "Kunnen de praktijken een terugbeluur invoeren?" in html
    assert "Gesprek met twee praktijken." in html
    assert "De huisarts is nooit bereikbaar." in html      # an approved quote
    assert "Waterwijk" in html and "Haven" in html          # numbers per wijk
    assert "&lt;5" in html                                  # 1 report is shown as <5
    assert 'media="print"' in html


def test_the_agenda_pdf_is_an_a4_pdf_with_the_themes(app, world, login):
    client = login("asd")
    meeting_id = _plan(client, world)
    response = client.get(f"/werkruimte/resv/{meeting_id}/agenda.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "RESV december" in text
    assert "Huisarts bereikbaarheid" in text and "Apotheek voorraad" in text
    assert "Question to the table" in text or "Vraag aan de tafel" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_agreements_are_recorded_and_shown_on_the_theme_page(app, world, login):
    client = login("asd")
    meeting_id = _plan(client, world)
    response = client.post(f"/werkruimte/resv/{meeting_id}/afspraken", data={
        "theme": str(world.themes["own"]), "what": "Terugbeluur in alle praktijken",
        "who": "Huisartsen Waterwijk", "due_on": "2027-03-01"})
    assert response.status_code == 302
    with app.app_context():
        agreement = db.session().scalar(select(Agreement).where(Agreement.meeting_id == meeting_id))
        assert (agreement.theme_id, agreement.who, agreement.done) == (
            world.themes["own"], "Huisartsen Waterwijk", False)
        agreement_id = agreement.id
    client.post(f"/werkruimte/afspraken/{agreement_id}/klaar", data={"done": "1"})
    login("kernteam")   # the kernteam sees its theme with the agreement
    html = page_text(client.get(f"/werkruimte/themas/{world.themes['own']}"))
    assert "Terugbeluur in alle praktijken" in html and "1 maart 2027" in html
    assert "Huisartsen Waterwijk" in html
    with app.app_context():
        assert db.session().get(Agreement, agreement_id).done is True
    other = page_text(client.get(f"/werkruimte/themas/{world.themes['spare']}"))
    assert "Terugbeluur" not in other


def test_an_agreement_needs_what_and_who(app, world, login):
    client = login("asd")
    meeting_id = _plan(client, world)
    before = _count(app, Agreement)
    response = client.post(f"/werkruimte/resv/{meeting_id}/afspraken", data={
        "theme": str(world.themes["own"]), "what": "", "who": ""})
    assert response.status_code == 400
    assert f'id="agreement-{world.themes["own"]}-what-error"' in response.get_data(as_text=True)
    assert _count(app, Agreement) == before


@pytest.mark.parametrize("role", ["kernteam", "meelezer"])
def test_only_asd_and_beheerder_plan_and_record(app, world, login, role):
    meeting_id = _plan(login("asd"), world)
    before = {m: _count(app, m) for m in (ResvMeeting, AgendaItem, Agreement, AuditEvent)}
    client = login(role)
    assert client.post("/werkruimte/resv", data={
        "held_on": "2026-12-11", "theme": [str(world.themes["own"])]}).status_code == 403
    assert client.post(f"/werkruimte/resv/{meeting_id}/afspraken", data={
        "theme": str(world.themes["own"]), "what": "x", "who": "y"}).status_code == 403
    with app.app_context():
        item_id = db.session().scalar(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id))
    assert client.post(f"/werkruimte/resv/{meeting_id}/punten/{item_id}",
                       data={"question": "gekaapt"}).status_code == 403
    assert {m: _count(app, m) for m in (ResvMeeting, AgendaItem, Agreement, AuditEvent)} == before
    # the region-wide agenda is for the ASD, the beheerder and region-wide readers
    expected = 200 if role == "meelezer" else 403
    assert client.get(f"/werkruimte/resv/{meeting_id}/agenda").status_code == expected
    assert client.get(f"/werkruimte/resv/{meeting_id}/agenda.pdf").status_code == expected


def test_another_region_cannot_see_or_use_the_meeting(app, world, login):
    meeting_id = _plan(login("asd"), world)
    before = _count(app, ResvMeeting)
    client = login("other_region_asd")
    assert client.get(f"/werkruimte/resv/{meeting_id}").status_code == 403
    assert client.post(f"/werkruimte/resv/{meeting_id}/afspraken", data={
        "theme": str(world.themes["own"]), "what": "x", "who": "y"}).status_code == 403
    # and a theme of another region cannot be put on an agenda
    response = client.post("/werkruimte/resv", data={
        "held_on": "2026-12-11", "theme": [str(world.themes["own"])]})
    assert response.status_code == 400
    assert _count(app, ResvMeeting) == before


def test_agreements_about_a_merged_theme_stay_with_its_reports(app, client, world, login):
    """Merging a theme kept its agreements on the merged theme, which no page shows any more."""
    login("asd")
    meeting_id = _plan(client, world)
    own, spare = world.themes["own"], world.themes["spare"]
    client.post(f"/werkruimte/resv/{meeting_id}/afspraken", data={
        "theme": str(own), "what": "Terugbeluur in alle praktijken",
        "who": "Huisartsen Waterwijk", "due_on": "2027-03-01"})
    with app.app_context():
        old_label = db.session().get(Theme, own).label
    client.post(f"/werkruimte/themas/{own}/samenvoegen",
                data={"target": str(spare), "confirm": "yes"})
    html = page_text(client.get(f"/werkruimte/themas/{spare}"))
    assert "Terugbeluur in alle praktijken" in html
    assert f"afspraak over “{old_label}”; dat thema is samengevoegd met dit thema" in html
    client.post(f"/werkruimte/themas/{spare}/publiceren", data={
        "title": "Lang wachten", "summary": "Samenvatting.", "public_status": ""})
    with client.session_transaction() as flask_session:
        flask_session.clear()
    public = client.get("/regio").get_data(as_text=True)
    assert "Lang wachten" in public and "Terugbeluur in alle praktijken" in public


def test_printable_pages_say_how_small_numbers_show_in_valid_html(client, world, login):
    """The sentence about small numbers wrote a bare "<5" into the HTML (a parse error)."""
    login("asd")
    for url in (f"/werkruimte/themas/{world.themes['own']}/verslag", "/werkruimte/peilingen"):
        html = client.get(url).get_data(as_text=True)
        assert "als &lt;5" in html and "als <5" not in html, url
