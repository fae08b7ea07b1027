"""Log-in, lock-out, invitations, sessions that end everywhere, CSRF and safe redirects."""

from __future__ import annotations

import re

import pytest
from workspace_world import log_in_as

from participatie import accounts, db
from participatie.models import AuditEvent, User


def _set_password(app, user_id: int, password: str) -> None:
    with app.app_context():
        user = db.session().get(User, user_id)
        user.password_hash = accounts.hash_password(password)
        db.session().commit()


def test_ws_auth_password_is_hashed_with_argon2id():
    hashed = accounts.hash_password("een lange zin als wachtwoord")
    assert hashed.startswith("$argon2id$") and "zin" not in hashed


def test_ws_auth_login_then_workspace_then_logout(app, client, world):
    _set_password(app, world.users["asd"], "correct horse battery")
    page = client.get("/werkruimte/themas")
    assert page.status_code == 302 and "next=/werkruimte/themas" in page.location
    response = client.post("/werkruimte/inloggen?next=/werkruimte/meldingen",
                           data={"email": "ASD@test.nl ", "password": "correct horse battery"})
    assert response.status_code == 302 and response.location == "/werkruimte/meldingen"
    assert client.get("/werkruimte/meldingen").status_code == 200
    client.post("/werkruimte/uitloggen")
    assert client.get("/werkruimte/meldingen").status_code == 302
    with app.app_context():
        assert db.session().query(AuditEvent).filter_by(action="login").count() == 1
        assert db.session().query(AuditEvent).filter_by(action="logout").count() == 1


def test_ws_auth_refuses_open_redirects(app, client, world):
    _set_password(app, world.users["asd"], "correct horse battery")
    response = client.post("/werkruimte/inloggen?next=//evil.example/werkruimte",
                           data={"email": "asd@test.nl", "password": "correct horse battery"})
    assert response.location == "/werkruimte/themas"


def test_ws_auth_wrong_password_shows_error_summary(app, client, world):
    _set_password(app, world.users["asd"], "correct horse battery")
    response = client.post("/werkruimte/inloggen", data={"email": "asd@test.nl",
                                                         "password": "wrong"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in html and 'href="#email"' in html
    assert 'aria-invalid="true"' in html
    empty = client.post("/werkruimte/inloggen", data={"email": "", "password": ""})
    assert 'href="#password"' in empty.get_data(as_text=True)


def test_ws_auth_disabled_user_cannot_log_in_or_stay_logged_in(app, client, world):
    _set_password(app, world.users["asd"], "correct horse battery")
    log_in_as(client, world.users["asd"])
    assert client.get("/werkruimte/themas").status_code == 200
    with app.app_context():
        db.session().get(User, world.users["asd"]).active = False
        db.session().commit()
    assert client.get("/werkruimte/themas").status_code == 302
    response = client.post("/werkruimte/inloggen", data={"email": "asd@test.nl",
                                                         "password": "correct horse battery"})
    assert response.status_code == 400


def test_ws_auth_log_out_everywhere_ends_other_sessions(app, world):
    first, second = app.test_client(), app.test_client()
    log_in_as(first, world.users["asd"])
    log_in_as(second, world.users["asd"])
    first.post("/werkruimte/uitloggen", data={"overal": "1"})
    assert second.get("/werkruimte/themas").status_code == 302
    with app.app_context():
        assert db.session().get(User, world.users["asd"]).session_version == 1


def test_ws_auth_session_cookie_is_httponly_and_lax(app, client, world):
    _set_password(app, world.users["asd"], "correct horse battery")
    response = client.post("/werkruimte/inloggen", data={"email": "asd@test.nl",
                                                         "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/werkruimte/themas").headers["Cache-Control"] == "no-store"


def test_ws_auth_invitation_sets_password_once(app, client, world):
    with app.test_request_context():
        user = db.session().get(User, world.users["meelezer"])
        token = accounts.invitation_token(user)
    page = client.get(f"/werkruimte/uitnodiging/{token}")
    assert page.status_code == 200 and "meelezer@test.nl" in page.get_data(as_text=True)
    short = client.post(f"/werkruimte/uitnodiging/{token}", data={"password": "kort",
                                                                  "password2": "kort"})
    assert short.status_code == 400 and 'href="#password"' in short.get_data(as_text=True)
    new = "twaalf tekens of meer"
    done = client.post(f"/werkruimte/uitnodiging/{token}",
                       data={"password": new, "password2": new})
    assert done.status_code == 302
    assert client.get("/werkruimte/themas").status_code == 200
    assert client.get(f"/werkruimte/uitnodiging/{token}").status_code == 410
    with app.app_context():
        user, outcome = accounts.authenticate(db.session(), "meelezer@test.nl",
                                              "twaalf tekens of meer")
        assert outcome == "ok"


def test_ws_auth_invitation_rejects_tampered_and_expired_tokens(app, client, world, monkeypatch):
    with app.test_request_context():
        token = accounts.invitation_token(db.session().get(User, world.users["meelezer"]))
    assert client.get(f"/werkruimte/uitnodiging/{token[:-2]}xx").status_code == 410
    monkeypatch.setattr(accounts, "INVITE_DAYS", -1)
    response = client.get(f"/werkruimte/uitnodiging/{token}")
    assert response.status_code == 410
    assert re.search(r"7 (days|dagen)", response.get_data(as_text=True))


def test_ws_auth_forms_need_a_csrf_token(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    log_in_as(client, world.users["asd"])
    response = client.post(f"/werkruimte/meldingen/{world.signals['own']}/status",
                           data={"status": "resolved"})
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["kernteam"])
def test_ws_auth_kernteam_needs_a_wijk(session, role):
    from participatie.models import Region

    almere = session.query(Region).filter_by(slug="almere").one()
    with pytest.raises(accounts.AccountError):
        accounts.create_user(session, almere.id, "k@test.nl", "K", role, [])


def test_ws_auth_sessions_end_after_eight_hours(client, world):
    log_in_as(client, world.users["asd"])
    assert client.get("/werkruimte/themas").status_code == 200
    with client.session_transaction() as flask_session:
        flask_session["at"] -= accounts.SESSION_HOURS * 3600 + 1
    assert client.get("/werkruimte/themas").status_code == 302


def test_ws_auth_login_attempts_are_rate_limited_per_client(database_url, world):
    from tests.conftest import make_app

    limited = make_app(database_url, RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    client = limited.test_client()
    codes = [client.post("/werkruimte/inloggen", data={"email": "x@test.nl", "password": "x"})
             .status_code for _ in range(21)]
    with limited.app_context():
        db.engine().dispose()  # this app has its own engine; close its connections now
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_ws_auth_meelezer_with_wijken_is_limited_to_them(app, world):
    with app.app_context():
        session = db.session()
        reader = session.get(User, world.users["meelezer"])
        assert accounts.wijk_scope(reader) is None
        kernteam = session.get(User, world.users["kernteam"])
        reader.wijken = list(kernteam.wijken)
        assert accounts.wijk_scope(reader) == [w.id for w in kernteam.wijken]
        visible = session.scalars(accounts.visible_signals(reader)).all()
        assert {w.slug for s in visible for w in s.wijken} == {"waterwijk"}
