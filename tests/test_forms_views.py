import re

import pytest
from flask_babel import refresh
from sqlalchemy import select, text

from participatie import db
from participatie.models import Contact, Signal, Submission
from participatie.seeding import seed
from participatie.signals import set_status
from tests.conftest import make_app
from tests.formfill import KNELPUNT_TEXT, Filler, fill_knelpunt, submit, submit_codes


def test_forms_knelpunt_stores_signal_answers_and_contact_apart(client, session):
    filler = fill_knelpunt(client)
    assert filler.heading() == "Controleer uw antwoorden"
    assert "mantelzorger@example.org" in filler.html and "Huisarts, Weet ik niet" in filler.html
    code = submit(filler)
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}", code)
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert (stored.form_id, stored.form_version, stored.reporter_role) == ("knelpunt", 1,
                                                                           "mantelzorger")
    assert stored.answers["hoe_erg"] == "4" and stored.answers["leeftijd"] == "40-64"
    assert "contact" not in stored.answers
    assert "mantelzorger@example.org" not in str(stored.answers)
    signal = stored.signals[0]
    assert [w.slug for w in signal.wijken] == ["haven"]
    assert (signal.disciplines, signal.frequency, signal.severity) == (["huisartsen"], "vaak", 4)
    assert "huisarts" in signal.text
    assert stored.contact.email == "mantelzorger@example.org"


def test_forms_errors_are_summarised_linked_and_keep_input(client):
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    response = filler.send(wat="  Te kort  ")
    assert response.status_code == 400
    assert filler.errors() == [
        "Schrijf minstens 20 tekens. Dan begrijpen we beter wat er misgaat. U schreef er 7."]
    assert '<a href="#wat">' in filler.html
    assert '>Te kort</textarea>' in filler.html
    assert 'aria-describedby="wat-hint wat-error" aria-invalid="true"' in filler.html
    assert "<title>Fout: Uw verhaal" in filler.html
    filler.send(wat=KNELPUNT_TEXT)
    assert filler.send().status_code == 400
    assert filler.errors() == ["Kies de zorg waar het over gaat, of kies 'Weet ik niet'."]
    assert '<a href="#zorg">' in filler.html


def test_forms_text_is_normalised_and_escaped(client):
    typed = "Cafe\u0301 <script>alert(1)</script> bij de huisarts gaat steeds mis"
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    filler.send(wat=typed, zorg="huisarts")
    filler.send("back")
    assert "Café &lt;script&gt;alert(1)&lt;/script&gt;" in filler.html
    assert "<script>alert" not in filler.html


def test_forms_back_and_change_keep_answers(client):
    filler = fill_knelpunt(client, contact=False)
    filler.send("change-wijk")
    assert 'value="haven" selected' in filler.html
    assert "Opslaan en antwoorden controleren" in filler.html
    filler.send(wijk="waterwijk")
    assert filler.heading() == "Controleer uw antwoorden"
    assert "Waterwijk" in filler.html and KNELPUNT_TEXT in filler.html
    filler.send("change-over_u")
    filler.send("next", wie="anders", wie_anders="Buurvrouw")
    assert "Buurvrouw" in filler.html


def test_forms_postcode_chooses_the_wijk(client):
    filler = Filler(client, "knelpunt")
    filler.send("postcode-wijk", wijk_postcode="1354 ab")
    assert "Postcode 1354AB hoort bij Haven" in filler.html
    assert 'value="haven" selected' in filler.html
    filler.send(wijk="", wijk_postcode="9999")  # Enter in the postcode field
    assert "We weten niet in welke wijk postcode 9999 ligt" in filler.html


def test_forms_contact_needs_a_way_to_reach_with_consent(client):
    filler = Filler(client, "knelpunt")
    for fields in ({"wijk": "haven"}, {"wat": KNELPUNT_TEXT}, {"zorg": "huisarts"},
                   {"hoe_vaak": "eenmalig", "hoe_erg": "2"}, {"wie": "inwoner"}):
        filler.send(**fields)
    filler.send(contact__consent="yes", contact__phone="bel me")
    assert filler.errors() == ["Vul een telefoonnummer in zoals 06 12345678."]
    assert 'value="bel me"' in filler.html
    filler.send(contact__consent=[], contact__phone="")
    assert filler.errors() == ["Kies ja of nee."]


def test_forms_clientenraad_adds_and_removes_knelpunten_without_losing_input(client, session):
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Cliëntenraad Zorggroep Haven", geraadpleegd="12 ")
    first = {"knelpunten__0__wijken": ["haven", "waterwijk"],
             "knelpunten__0__beschrijving": "Bewoners kunnen de apotheek 's avonds niet bereiken.",
             "knelpunten__0__zorg": "apotheek"}
    filler.send("add-knelpunten", **first)
    assert "Knelpunt 2" in filler.html and "2 van maximaal 10" in filler.html
    assert "apotheek &#39;s avonds" in filler.html
    second = {**first, "knelpunten__1__beschrijving": "Te weinig fysiotherapeuten aan huis."}
    filler.send("add-knelpunten", **second)
    filler.send("remove-knelpunten-2", **second, knelpunten__2__beschrijving="")
    assert "Knelpunt 3" not in filler.html and "Te weinig fysiotherapeuten" in filler.html
    filler.send("remove-knelpunten-1")
    assert "Knelpunt 2" not in filler.html and "apotheek &#39;s avonds" in filler.html
    filler.send()
    assert filler.heading() == "Contactpersoon"
    filler.send(contact__consent="yes", contact__name="A. Jansen",
                contact__email="raad@example.org")
    code = submit(filler)
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert stored.reporter_role == "clientenraad" and stored.answers["geraadpleegd"] == "12"
    assert len(stored.signals) == 1
    assert sorted(w.slug for w in stored.signals[0].wijken) == ["haven", "waterwijk"]
    assert stored.contact.name == "A. Jansen"


def test_forms_clientenraad_allows_at_most_ten(client):
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Wijkraad", geraadpleegd="3")
    for _ in range(11):
        filler.send("add-knelpunten")
    assert "10 van maximaal 10" in filler.html and "Knelpunt 10" in filler.html
    assert 'value="add-knelpunten"' not in filler.html


def test_forms_survey_stores_answers_without_signals(client, session):
    filler = Filler(client, "peiling-huisarts")
    filler.send(telefoon="2", afspraak="1", hoe=["telefoon", "app"], ingeschreven="no",
                waarom_niet="Praktijk zit vol", tip="")
    assert filler.heading() == "Controleer uw antwoorden" and "Praktijk zit vol" in filler.html
    code = submit(filler)
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert stored.signals == [] and stored.form_id == "peiling-huisarts"
    assert stored.answers["hoe"] == ["telefoon", "app"]
    assert stored.answers["waarom_niet"] == "Praktijk zit vol"


def test_forms_condition_not_met_drops_the_answer(client, session):
    filler = Filler(client, "peiling-huisarts")
    filler.send(telefoon="4", afspraak="4", hoe="balie", ingeschreven="yes",
                waarom_niet="stale text")
    assert "Waarom niet?" not in filler.html
    stored = session.scalar(select(Submission).where(Submission.reference == submit(filler)))
    assert "waarom_niet" not in stored.answers


def test_forms_invalid_choice_is_refused(client):
    filler = Filler(client, "knelpunt")
    assert filler.send(wijk="atlantis").status_code == 400
    assert filler.errors() == ["Kies een van de antwoorden die er staan."]


def test_forms_honeypot_and_missing_csrf_are_refused(client, session):
    filler = Filler(client, "knelpunt")
    assert filler.send(wijk="haven", website="http://spam.example").status_code == 400
    response = client.post("/formulier/knelpunt", data={"page": "wijk", "wijk": "haven"})
    assert response.status_code == 400
    assert session.scalar(select(Submission.id)) is None


def test_forms_english_pages(client):
    client.get("/?lang=en")
    filler = Filler(client, "knelpunt")
    assert filler.heading() == "Your neighbourhood" and '<html lang="en">' in filler.html
    filler.send()
    assert filler.errors() == ["Choose a neighbourhood."]


def test_forms_unknown_form_and_confirmation_without_submission(client):
    assert client.get("/formulier/bestaat-niet").status_code == 404
    response = client.get("/formulier/knelpunt/verstuurd")
    assert response.status_code == 302 and response.headers["Location"] == "/formulier/knelpunt"


@pytest.fixture
def other_app(database_url):
    """Make apps with other settings on the test database; close their connections after."""
    made = []

    def factory(**overrides):
        made.append(make_app(database_url, **overrides))
        return made[-1]

    yield factory
    for app in made:
        with app.app_context():
            db.engine().dispose()


def test_forms_rate_limit_counts_only_submissions(app, other_app):
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMISSIONS="1 per hour")
    client = limited.test_client()
    submit(fill_knelpunt(client))
    second = fill_knelpunt(client)
    assert second.response.status_code == 200
    assert second.send("submit").status_code == 429
    assert "Te vaak geprobeerd" in second.html


def test_forms_request_too_large_is_refused(other_app):
    small = other_app(MAX_CONTENT_LENGTH=4096)
    response = small.test_client().post("/formulier/knelpunt", data={"wat": "x" * 5000})
    assert response.status_code == 413


def test_forms_database_error_keeps_everything_typed(tmp_path):
    from participatie import migrate

    app = make_app(f"sqlite:///{tmp_path}/broken.db")
    with app.app_context():
        migrate.upgrade(db.engine())
        seed(db.session())
        db.session().commit()
    client = app.test_client()
    filler = fill_knelpunt(client)
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(text("DROP TABLE contacts"))
    response = filler.send("submit")
    with app.app_context():
        db.engine().dispose()
    assert response.status_code == 503
    assert "Uw melding is nog niet verstuurd" in filler.html
    assert KNELPUNT_TEXT in filler.html and "mantelzorger@example.org" in filler.html
    assert 'value="submit"' in filler.html


def _sent(client, session, contact=True):
    code, client.withdraw_code = submit_codes(fill_knelpunt(client, contact=contact))
    return code, session.scalar(select(Submission).where(Submission.reference == code))


def test_forms_status_page_shows_history_and_public_reply(client, session):
    code, stored = _sent(client, session)
    set_status(session, stored.signals[0], "with_kernteam",
               public_reply="Het kernteam van Haven bespreekt dit in mei.")
    session.commit()
    page = client.get(f"/status/{code}").get_data(as_text=True)
    assert "Bij het zorgteam van de wijk" in page and "Ontvangen" in page
    assert "Het kernteam van Haven bespreekt dit in mei." in page
    assert re.search(r"Verstuurd op \d+ (januari|februari|maart|april|mei|juni|juli|augustus|"
                     r"september|oktober|november|december) \d{4}", page)
    refresh()  # the test's app context outlives requests: forget the cached locale
    english = client.get(f"/status/{code}?lang=en").get_data(as_text=True)
    assert "With the care team of the neighbourhood" in english
    assert "mantelzorger@example.org" not in page


def test_forms_lookup_by_code(client, session):
    code, _ = _sent(client, session, contact=False)
    typed = code.lower().replace("-", " ")
    response = client.get("/status", query_string={"code": typed})
    assert response.status_code == 303 and response.headers["Location"] == f"/status/{code}"
    bad = client.get("/status", query_string={"code": "K7FM-3RX"})
    assert bad.status_code == 400 and "Een code heeft 8 letters en cijfers" in bad.text
    unknown = client.get("/status", query_string={"code": "AAAA-AAAA"})
    assert unknown.status_code == 400
    assert "We vinden geen melding met code AAAA-AAAA" in unknown.text
    assert client.get("/status/AAAA-AAAA").status_code == 404
    assert client.get("/status").status_code == 200


def test_forms_withdraw_after_confirmation(client, session):
    code, stored = _sent(client, session)
    page = client.get(f"/status/{code}/intrekken").get_data(as_text=True)
    assert "Wilt u uw melding intrekken?" in page
    assert client.post(f"/status/{code}/intrekken", data={"confirm": "yes"}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/status/{code}/intrekken",
                           data={"csrf_token": token, "confirm": "yes",
                                 "withdraw_code": client.withdraw_code})
    assert response.status_code == 303
    session.expire_all()
    signal = session.scalar(select(Signal).where(Signal.submission_id == stored.id))
    assert signal.text == "" and signal.status == "withdrawn"
    assert session.scalar(select(Contact.id)) is None
    assert session.get(Submission, stored.id).answers == {}
    status = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uw melding is ingetrokken" in status and "Mijn melding intrekken" not in status


@pytest.mark.parametrize("path", ["/", "/status", "/formulier/knelpunt",
                                  "/formulier/clientenraad", "/formulier/peiling-huisarts"])
def test_forms_public_pages_need_no_third_party_requests(client, path):
    page = client.get(path).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_forms_complete_knelpunten_fold_into_a_summary_and_open_again(client):
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Wijkraad", geraadpleegd="3")
    filler.send("add-knelpunten", knelpunten__0__wijken="haven", knelpunten__0__zorg="apotheek",
                knelpunten__0__beschrijving="De apotheek is op zaterdag altijd dicht.")
    assert filler.html.count('class="item done"') == 1
    assert '<textarea id="knelpunten-0-beschrijving"' not in filler.html
    assert '<input type="hidden" name="knelpunten-0-wijken" value="haven">' in filler.html
    filler.send("edit-knelpunten-0")
    assert '<textarea id="knelpunten-0-beschrijving"' in filler.html
    assert 'id="knelpunten-0" tabindex="-1" autofocus' in filler.html


def test_forms_language_switch_inside_the_form_keeps_answers(client):
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    assert 'formaction="/formulier/knelpunt?lang=en"' in filler.html
    filler.url = "/formulier/knelpunt?lang=en"
    filler.send("stay", wat="Typed before switching language")
    assert filler.heading() == "Your story" and '<html lang="en">' in filler.html
    assert ">Typed before switching language</textarea>" in filler.html
    assert "Lees dit formulier in het Nederlands" in filler.html


def test_forms_code_lookups_are_rate_limited(app, other_app):
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_LOOKUPS="2 per minute")
    client = limited.test_client()
    assert [client.get("/status/AAAA-AAAA").status_code for _ in range(3)] == [404, 404, 429]


def test_forms_limits_of_one_app_never_apply_to_another(other_app):
    """Flask-Limiter keeps `enabled` on its one instance: an app made later with limits on
    switched them on for every app in the process (the browser tests' shared live server)."""
    unlimited = other_app(RATELIMIT_ENABLED=False, RATELIMIT_LOOKUPS="1 per minute")
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_LOOKUPS="2 per minute")
    client = unlimited.test_client()
    assert [client.get("/status/AAAA-AAAA").status_code for _ in range(3)] == [404] * 3
    assert [limited.test_client().get("/status/AAAA-AAAA").status_code
            for _ in range(3)] == [404, 404, 429]
    assert client.get("/status/AAAA-AAAA").status_code == 404


TOO_MANY = "U heeft in korte tijd veel codes geprobeerd. Wat u typte, staat er nog."


def test_forms_too_many_codes_keep_what_was_typed(client, other_app):
    """A rate-limited look-up, draft code or withdraw code comes back on its own page, typed
    text kept, saying when to try again; nothing is withdrawn or opened."""
    code, withdraw_code = submit_codes(fill_knelpunt(client, contact=False))
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_LOOKUPS="2 per minute",
                        WTF_CSRF_ENABLED=False)
    lookups = limited.test_client()
    answers = [lookups.get("/status", query_string={"code": "aaaa aaaa"}) for _ in range(3)]
    assert [r.status_code for r in answers] == [400, 400, 429]
    assert TOO_MANY in answers[-1].text and 'value="aaaa aaaa"' in answers[-1].text
    assert re.search(r"over 1 minuut opnieuw proberen, na \d\d:\d\d uur", answers[-1].text)
    drafts_client = limited.test_client()
    tries = [drafts_client.post("/verder", data={"code": "hm3k 7qxa pc4t"}) for _ in range(3)]
    assert [r.status_code for r in tries] == [400, 400, 429]
    assert TOO_MANY in tries[-1].text and 'value="hm3k 7qxa pc4t"' in tries[-1].text
    withdraws = limited.test_client()
    assert withdraws.get(f"/status/{code}/intrekken").status_code == 200
    wrong = withdraws.post(f"/status/{code}/intrekken",
                           data={"confirm": "yes", "withdraw_code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 400
    right = withdraws.post(f"/status/{code}/intrekken",
                           data={"confirm": "yes", "withdraw_code": withdraw_code})
    assert right.status_code == 429 and TOO_MANY in right.text
    assert f'value="{withdraw_code}"' in right.text
    with limited.app_context():
        assert db.session().scalar(select(Submission.withdrawn_at).where(
            Submission.reference == code)) is None
    unknown = withdraws.post("/status/AAAA-AAAA/intrekken", data={"confirm": "yes"})
    assert unknown.status_code == 429  # no code to show a page for: the plain page, not a 500
