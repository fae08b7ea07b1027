"""Bad input gets a friendly 4xx, never a 500: big numbers, odd digits, CR/LF, tampered state."""

from __future__ import annotations

import json
import re

import pytest
from itsdangerous import Signer
from sqlalchemy import func, select

from participatie.models import Contact, Submission
from tests.factories.workspace import build_world, log_in_as
from tests.formfill import Filler, fill_knelpunt, submit

HUGE = str(2**70)


@pytest.fixture
def world_client(app, client):
    """A client logged in as beheerder on the workspace test world (CSRF off)."""
    from participatie import db

    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        world = build_world(db.session())
    log_in_as(client, world.users["beheerder"])
    client.world = world
    return client


def test_hardening_ids_beyond_64_bits_in_paths_are_not_found(world_client):
    for path in (f"/werkruimte/themas/{HUGE}", f"/werkruimte/meldingen/{HUGE}",
                 f"/werkruimte/samenvatting/voorbeeld/{HUGE}"):
        response = world_client.get(path)
        assert response.status_code == 404, path
        assert "Pagina niet gevonden" in response.text
    assert world_client.post(f"/werkruimte/meldingen/{HUGE}/status").status_code == 404


@pytest.mark.parametrize("value", [HUGE, "²", "١٢", "-1", "0", "", " 7"])
def test_hardening_odd_numbers_in_query_and_form_values(world_client, value):
    world = world_client.world
    assert world_client.get("/werkruimte/meldingen", query_string={"thema": value}).status_code \
        < 500
    assert world_client.get("/werkruimte/meldingen", query_string={"pagina": value}).status_code \
        < 500
    own = world.themes["own"]
    response = world_client.post(f"/werkruimte/themas/{own}/samenvoegen", data={"target": value})
    assert response.status_code < 500
    response = world_client.post(f"/werkruimte/themas/{own}/splitsen",
                                 data={"signal": [value], "label": "Nieuw"})
    assert response.status_code < 500
    response = world_client.post(f"/werkruimte/meldingen/{world.signals['own']}/thema",
                                 data={"theme": value})
    assert response.status_code < 500


def test_hardening_parse_id_accepts_only_ascii_ids_in_range():
    from participatie.security import parse_id

    assert [parse_id(v) for v in ("12", "²", "١", HUGE, "0", "2147483647", "2147483648")] \
        == [12, None, None, None, None, 2147483647, None]


@pytest.mark.parametrize("target", [
    "/werkruimte\r\nSet-Cookie: x=1", "/werkruimte/\nx", "//evil.example/werkruimte",
    "https://evil.example/werkruimte", "/werkruimte\\..\\\\evil.example", "/\\evil.example",
    "/werkruimte/%0d%0a", "\x00/werkruimte",
])
def test_hardening_redirect_targets_stay_on_the_site(world_client, target):
    world = world_client.world
    response = world_client.post(f"/werkruimte/meldingen/{world.signals['own']}/thema",
                                 data={"theme": str(world.themes["spare"]), "back": target})
    assert response.status_code in (302, 303, 400)
    location = response.headers.get("Location", "")
    assert "\r" not in location and "\n" not in location and "evil" not in location
    assert location == "" or location.startswith("/werkruimte")


def test_hardening_login_next_with_crlf_goes_to_the_overview(app, client):
    from participatie import db
    from participatie.accounts import create_user, set_password
    from participatie.models import Region

    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region))
        user = create_user(session, region.id, "asd@test.nl", "ASD", "asd")
        set_password(session, user, "een-lang-wachtwoord-2026")
        session.commit()
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/werkruimte/inloggen?next=/werkruimte%0d%0aX-Evil:%201",
                           data={"email": "asd@test.nl", "password": "een-lang-wachtwoord-2026"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/werkruimte/themas"  # the overview
    assert "X-Evil" not in response.headers


def test_hardening_local_target():
    from participatie.security import local_target

    assert local_target("/werkruimte/themas?x=1", "/werkruimte/") == "/werkruimte/themas?x=1"
    for bad in ("/werkruimte/\r\n", "//x", "/werkruimte\\x", "https://x/werkruimte/", None, 3):
        assert local_target(bad, "/") is None


def _tampered_states(app) -> list[str]:
    values = [json.dumps(v) for v in ({"wijk": ["a"]}, {"wijk": {"x": 1}}, [1, 2], "text", 7,
                                      {"zorg": 5, "_send": 3})]
    values.append("[" * 20_000 + "]" * 20_000)
    values.append("[" * 5000 + '"x"' + "]" * 5000)  # deep nesting: RecursionError before
    values.append("{not json")
    # a correctly signed state of another form, and a state signed with another key
    with app.test_request_context():
        other = Signer(app.secret_key, salt="participatie.form-state.clientenraad")
        values.append(other.sign('{"wijk": "haven"}').decode())
        values.append(Signer("wrong", salt="participatie.form-state.knelpunt")
                      .sign('{"wijk": "haven"}').decode())
    return values


def test_hardening_tampered_state_is_refused_with_a_friendly_message(app, client, session):
    for raw in _tampered_states(app):
        for page in ("wat", "check"):
            filler = Filler(client, "knelpunt")
            filler.send(wijk="haven")
            data = filler.controls()
            data["state"] = raw
            data["page"] = page
            data["action"] = "next" if page == "wat" else "submit"
            if page == "wat":
                data["wat"] = "Ik wacht al weken op een afspraak bij de huisarts."
            response = client.post("/formulier/knelpunt", data=data)
            assert response.status_code == 400, (raw[:40], page)
            assert "We konden uw eerdere antwoorden niet lezen" in response.text
            if page == "wat":  # what was typed on the page is carried along
                filler.response = response
                assert "Ik wacht al weken" in json.dumps(filler.hidden(), ensure_ascii=False)
    assert session.scalar(select(func.count(Submission.id))) == 0


def test_hardening_repeat_item_numbers_with_unicode_digits(client):
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Wijkraad", geraadpleegd="3")
    for action in ("remove-knelpunten-²", "edit-knelpunten-²", "remove-knelpunten-" + HUGE,
                   "edit-knelpunten-١"):
        assert filler.send(action).status_code < 500, action


def test_hardening_nul_bytes_are_dropped_from_typed_text_and_refused_elsewhere(client, session):
    filler = fill_knelpunt(client, text="De huisarts\x00 neemt de telefoon\x00 nooit op, al weken.")
    assert filler.heading() == "Controleer uw antwoorden"
    code = submit(filler)
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert "\x00" not in stored.signals[0].text and "telefoon nooit op" in stored.signals[0].text
    login = client.post("/werkruimte/inloggen", data={"email": "a\x00@b.nl", "password": "x"})
    assert login.status_code == 400 and "Er ging iets mis" in login.text
    assert client.get("/status/AAAA%00AAAA").status_code == 400
    assert client.get("/status", query_string={"code": "\x00"}).status_code == 400


def test_hardening_long_contact_name_is_a_friendly_error_that_keeps_the_input(client, session):
    filler = fill_knelpunt(client, contact=False)
    filler.send("change-contact")
    name = "Jansen" * 60  # 360 characters; the column holds 200
    response = filler.send(contact__consent="yes", contact__name=name,
                           contact__email="a\x00b@example.org")
    assert response.status_code == 400
    assert "Schrijf niet meer dan 200 tekens. U schreef er 360." in filler.errors()
    assert name in filler.html
    filler.send(contact__name="Jansen", contact__email="ab@example.org")
    assert filler.heading() == "Controleer uw antwoorden"
    submit(filler)
    assert session.scalar(select(Contact.name)) == "Jansen"


def test_hardening_csrf_page_stays_when_state_is_fine(client):
    filler = Filler(client, "knelpunt")
    state = filler.hidden()["state"]
    assert re.fullmatch(r'\{.*\}\.[A-Za-z0-9_-]+', state)  # JSON with a signature
