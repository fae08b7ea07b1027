"""Follow-up on a report (issue 12): contact details on purpose, picking up, internal notes."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from participatie import db
from participatie.digests import next_digest, render
from participatie.models import (
    AuditEvent,
    Contact,
    Region,
    ReportNote,
    Signal,
    Subscription,
    User,
    utcnow,
)
from participatie.signals import ContactInput, KnelpuntInput, record_submission
from tests.factories.workspace import PLAIN, page_text

EMAIL = "melder@example.org"


def _audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _with_phone(app, world) -> int:
    # a reporter who left only a phone number (and a name) must be reachable too
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        submission = record_submission(
            session, PLAIN, almere, form_id="knelpunt", form_version=1, answers={},
            knelpunten=[KnelpuntInput(text="Niemand neemt op bij de praktijk.",
                                      wijk_slugs=["waterwijk"], disciplines=("huisartsen",),
                                      frequency="vaak", severity=4)],
            reporter_role="inwoner", contact=ContactInput(name="Els", phone="06 1234 5678"))
        session.commit()
        return submission.signals[0].id


def test_ws_followup_contact_only_on_purpose_with_a_reason(app, login, world):
    client = login("kernteam")
    url = f"/werkruimte/meldingen/{world.signals['own']}"
    page = page_text(client.get(url))
    assert "Toon contactgegevens" in page or "Show contact details" in page
    assert EMAIL not in page  # hidden until asked for
    refused = client.post(url + "/contactgegevens", data={"reason": "curious"})
    assert refused.status_code == 400 and EMAIL not in refused.get_data(as_text=True)
    assert _audit(app, "contact_view") == []
    shown = client.post(url + "/contactgegevens", data={"reason": "call_back"})
    assert shown.status_code == 200 and EMAIL in shown.get_data(as_text=True)
    events = _audit(app, "contact_view")
    assert [(e.user_id, e.object_id, e.details) for e in events] == [
        (world.users["kernteam"], str(world.signals["own"]), {"reason": "call_back"})]
    # the next visit hides them again
    assert EMAIL not in page_text(client.get(url))


def test_ws_followup_phone_only_reporter_can_be_called(app, login, world):
    signal_id = _with_phone(app, world)
    client = login("asd")
    shown = client.post(f"/werkruimte/meldingen/{signal_id}/contactgegevens",
                        data={"reason": "urgent"})
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "06 1234 5678" in body and 'href="tel:0612345678"' in body
    assert "Els" in body


def test_ws_followup_meelezer_and_other_kernteam_never_see_contact(app, login, world):
    client = login("meelezer")
    url = f"/werkruimte/meldingen/{world.signals['own']}"
    page = page_text(client.get(url))
    assert "contactgegevens" not in page.lower() and "contact details" not in page.lower()
    response = client.post(url + "/contactgegevens", data={"reason": "call_back"})
    assert response.status_code == 403 and EMAIL not in response.get_data(as_text=True)
    assert _audit(app, "contact_view") == []


def test_ws_followup_contact_gone_after_retention(app, login, world):
    with app.app_context():
        session = db.session()
        contact = session.scalar(select(Contact).where(Contact.email == EMAIL))
        contact.delete_after = utcnow() - dt.timedelta(minutes=1)
        session.commit()
    client = login("beheerder")
    url = f"/werkruimte/meldingen/{world.signals['own']}"
    assert "Toon contactgegevens" not in page_text(client.get(url))
    response = client.post(url + "/contactgegevens", data={"reason": "call_back"})
    assert EMAIL not in response.get_data(as_text=True)
    assert _audit(app, "contact_view") == []


def test_ws_followup_contact_never_in_lists_exports_or_digests(app, login, world):
    client = login("beheerder")
    client.post(f"/werkruimte/meldingen/{world.signals['own']}/contactgegevens",
                data={"reason": "call_back"})
    for path in ("/werkruimte/meldingen", "/werkruimte/themas", "/werkruimte/te-beoordelen",
                 "/werkruimte/export/meldingen.csv", "/werkruimte/export/themas.csv",
                 "/werkruimte/samenvatting/voorbeeld", "/werkruimte/logboek",
                 f"/werkruimte/themas/{world.themes['own']}",
                 f"/werkruimte/themas/{world.themes['own']}/verslag"):
        body = client.get(path).get_data(as_text=True)
        assert EMAIL not in body and "melder@" not in body, path


def test_ws_followup_claim_assign_and_let_go(app, login, world):
    client = login("asd")
    url = f"/werkruimte/meldingen/{world.signals['own']}"
    assert client.post(url + "/eigenaar", data={"owner": "me"}).status_code == 302
    with app.app_context():
        assert db.session().get(Signal, world.signals["own"]).owner_id == world.users["asd"]
    assert "Test asd" in page_text(client.get(url))
    # a meelezer may not be given a report; nor a kernteam member of another wijk
    assert client.post(url + "/eigenaar",
                       data={"owner": str(world.users["meelezer"])}).status_code == 403
    other = f"/werkruimte/meldingen/{world.signals['other_wijk']}"
    assert client.post(other + "/eigenaar",
                       data={"owner": str(world.users["kernteam"])}).status_code == 403
    assert client.post(url + "/eigenaar",
                       data={"owner": str(world.users["kernteam"])}).status_code == 302
    assert client.post(url + "/eigenaar", data={"owner": "none"}).status_code == 302
    with app.app_context():
        assert db.session().get(Signal, world.signals["own"]).owner_id is None
    actions = [(e.action, e.details) for e in _audit(app, "claim") + _audit(app, "assign")
               + _audit(app, "unclaim")]
    assert actions == [("claim", {"owner": world.users["asd"]}),
                       ("assign", {"owner": world.users["kernteam"]}), ("unclaim", {})]


def test_ws_followup_mine_and_nobody_filters(app, login, world):
    client = login("asd")
    client.post(f"/werkruimte/meldingen/{world.signals['own']}/eigenaar", data={"owner": "me"})
    mine = page_text(client.get("/werkruimte/meldingen?eigenaar=mij"))
    assert "De huisarts is nooit bereikbaar." in mine
    assert "De apotheek heeft mijn medicijn niet." not in mine
    nobody = page_text(client.get("/werkruimte/meldingen?eigenaar=niemand"))
    assert "De huisarts is nooit bereikbaar." not in nobody
    assert "De apotheek heeft mijn medicijn niet." in nobody
    assert "Mijn meldingen" in mine or "My reports" in mine
    # "nobody" means open and not picked up: the same rule as the overview's count
    client.post(f"/werkruimte/meldingen/{world.signals['mixed']}/status",
                data={"status": "resolved"})
    nobody = page_text(client.get("/werkruimte/meldingen?eigenaar=niemand"))
    assert "Geen plek bij de fysiotherapeut." not in nobody
    overview = page_text(client.get("/werkruimte/themas"))
    assert "2 open meldingen zijn door niemand opgepakt." in overview
    assert "2 meldingen passen bij uw keuze." in nobody


def test_ws_followup_digest_shows_unclaimed(app, login, world):
    with app.app_context():
        session = db.session()
        user = session.get(User, world.users["asd"])
        subscription = Subscription(user_id=user.id, frequency="weekly", wijk_slugs=[],
                                    send_when_empty=True, language="nl")
        session.add(subscription)
        session.commit()
        digest = next_digest(session, user, subscription)
        assert digest.unclaimed == 4  # four open Almere reports, nobody picked one up
        session.get(Signal, world.signals["own"]).owner_id = user.id
        session.commit()
        digest = next_digest(session, user, subscription)
        assert digest.unclaimed == 3
    with app.test_request_context():
        rendered = render(digest)
    assert "3 open meldingen zijn door niemand opgepakt." in rendered.text
    assert "eigenaar=niemand" in rendered.html


def test_ws_followup_notes_with_author_never_public(app, login, world, client):
    client = login("kernteam")
    url = f"/werkruimte/meldingen/{world.signals['own']}"
    assert client.post(url + "/notitie", data={"text": "  "}).status_code == 400
    assert client.post(url + "/notitie", data={"text": "Teruggebeld op dinsdag."}
                       ).status_code == 302
    page = page_text(client.get(url))
    assert "Teruggebeld op dinsdag." in page and "Test kernteam" in page
    with app.app_context():
        notes = list(db.session().scalars(select(ReportNote)))
        assert [(n.user_id, n.text) for n in notes] == [
            (world.users["kernteam"], "Teruggebeld op dinsdag.")]
    assert [e.action for e in _audit(app, "note")] == ["note"]
    meelezer = login("meelezer")
    assert "Teruggebeld op dinsdag." not in page_text(meelezer.get(url))
    public = client.get(f"/status/{world.codes['own']}").get_data(as_text=True)
    assert "Teruggebeld op dinsdag." not in public


def test_ws_followup_severity_and_frequency_shown_filtered_and_sorted(app, login, world):
    serious = _with_phone(app, world)
    client = login("asd")
    page = page_text(client.get(f"/werkruimte/meldingen/{serious}"))
    assert "4 - Heel erg" in page and "Vaak" in page
    listed = page_text(client.get("/werkruimte/meldingen?ernst=4"))
    assert "Niemand neemt op bij de praktijk." in listed
    assert "De huisarts is nooit bereikbaar." not in listed
    ordered = page_text(client.get("/werkruimte/meldingen?sorteer=ernst"))
    assert ordered.index("Niemand neemt op") < ordered.index("De huisarts is nooit")
    rows = list(csv.reader(io.StringIO(client.get(
        "/werkruimte/export/meldingen.csv").get_data(as_text=True).lstrip("\ufeff")),
        delimiter=";"))
    header, body = rows[0], rows[1:]
    row = next(r for r in body if r[0] == str(serious))
    assert row[header.index("hoe erg")] == "4 - Heel erg"
    assert row[header.index("hoe vaak")] == "Vaak"
    assert "06 1234 5678" not in "".join(",".join(r) for r in rows)



def test_ws_followup_reply_posted_twice_shows_once_on_status_page(app, login, world):
    client = login("kernteam")
    url = f"/werkruimte/meldingen/{world.signals['own']}/status"
    reply = "We bellen de praktijk deze week."
    client.post(url, data={"status": "in_progress", "reply": reply})
    client.post(url, data={"status": "in_progress", "reply": reply})
    client.post(url, data={"status": "with_kernteam", "reply": "Eerder antwoord herhaald?"})
    client.post(url, data={"status": "on_agenda", "reply": reply})
    public = page_text(client.get(f"/status/{world.codes['own']}"))
    assert public.count(reply) == 1
    assert public.count("Eerder antwoord herhaald?") == 1


def _copy_of_own(app) -> int:
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        submission = record_submission(
            session, PLAIN, almere, form_id="knelpunt", form_version=1, answers={},
            knelpunten=[KnelpuntInput(text="De huisarts is nooit bereikbaar!!",
                                      wijk_slugs=["waterwijk"], disciplines=("huisartsen",))],
            reporter_role="inwoner")
        session.commit()
        return submission.signals[0].id


def test_ws_followup_duplicates_flagged_linked_and_counted_once(app, login, world):
    copy = _copy_of_own(app)
    with app.app_context():
        from participatie.models import ThemeMembership
        session = db.session()
        session.add(ThemeMembership(signal_id=copy, theme_id=world.themes["own"], source="model",
                                    confidence=0.9))
        session.commit()
    client = login("asd")
    page = page_text(client.get(f"/werkruimte/meldingen/{copy}"))
    assert "Bijna dezelfde meldingen" in page and f"Melding {world.signals['own']}" in page
    theme = page_text(client.get(f"/werkruimte/themas/{world.themes['own']}"))
    assert f"Meldingen {world.signals['own']} en {copy}" in theme or \
        f"Meldingen {copy} en {world.signals['own']}" in theme
    overview = page_text(client.get("/werkruimte/themas"))
    assert 'Huisarts bereikbaarheid</a>' in overview
    row = overview.split("Huisarts bereikbaarheid</a>")[1]
    assert row.split('<td class="num">')[1].startswith("2<")
    client.post(f"/werkruimte/meldingen/{copy}/dubbel", data={"of": str(world.signals["own"])})
    with app.app_context():
        assert db.session().get(Signal, copy).duplicate_of_id == world.signals["own"]
    overview = page_text(client.get("/werkruimte/themas"))
    row = overview.split("Huisarts bereikbaarheid</a>")[1]
    assert row.split('<td class="num">')[1].startswith("1<")  # counts once now
    assert [e.details for e in _audit(app, "duplicate")] == [{"of": world.signals["own"]}]
    client.post(f"/werkruimte/meldingen/{copy}/dubbel", data={"of": "none"})
    with app.app_context():
        assert db.session().get(Signal, copy).duplicate_of_id is None


def test_ws_followup_similarity_of_texts():
    from participatie.followup import similarity
    assert similarity("De huisarts is nooit bereikbaar.", "de huisarts is NOOIT bereikbaar!!") == 1
    assert similarity("De huisarts is nooit bereikbaar.", "De apotheek heeft geen pillen.") < 0.2
