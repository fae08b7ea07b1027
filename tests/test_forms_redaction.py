"""End to end: what a resident types through the public form is stored and shown redacted."""

from __future__ import annotations

from sqlalchemy import select

from participatie import db
from participatie.accounts import create_user
from participatie.models import Region, Submission
from tests.factories.workspace import log_in_as
from tests.formfill import Filler, submit

TYPED = ("Bel mij gerust op 06-12345678 of mail naar truus.voorbeeld@example.org. "
         "De huisarts in Haven neemt al weken de telefoon niet op.")
RAW = ("12345678", "truus.voorbeeld", "example.org")


def _send_knelpunt(client) -> str:
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    filler.send(wat=TYPED)
    filler.send(zorg=["huisarts"])
    filler.send(hoe_vaak="vaak", hoe_erg="3")
    filler.send(wie="inwoner", leeftijd="65-79")
    filler.send(contact__consent="no")
    return submit(filler)


def test_forms_redaction_free_text_is_stored_redacted_in_signal_and_answers(client, session):
    code = _send_knelpunt(client)
    submission = session.scalar(select(Submission).where(Submission.reference == code))
    stored_answer, signal_text = submission.answers["wat"], submission.signals[0].text
    for stored in (stored_answer, signal_text):
        assert "[TELEFOON]" in stored and "[EMAIL]" in stored, stored
        assert not any(raw in stored for raw in RAW), stored
        assert "huisarts in Haven" in stored, stored  # the rest of the report survives
    assert stored_answer == signal_text


def test_forms_redaction_workspace_shows_only_the_redacted_text(app, client, session):
    code = _send_knelpunt(client)
    signal = session.scalar(select(Submission).where(Submission.reference == code)).signals[0]
    region = session.scalar(select(Region).where(Region.slug == "almere"))
    reviewer = create_user(session, region.id, "asd@test.nl", "Test ASD", "asd", [])
    session.commit()
    log_in_as(client, reviewer.id)
    pages = [client.get(f"/werkruimte/meldingen/{signal.id}"), client.get("/werkruimte/meldingen"),
             client.get("/werkruimte/export/meldingen.csv")]
    for page in pages:
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "[TELEFOON]" in body and "[EMAIL]" in body, page.request.path
        assert not any(raw in body for raw in RAW), page.request.path
    with app.app_context():
        db.session().close()
