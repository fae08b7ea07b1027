"""Login hardening (issue 11): one message, the same work, an atomic counter, backoff instead
of a lock, no common passwords, and a log-out that ends the session on the server."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from argon2 import PasswordHasher

from participatie import accounts, db
from participatie.accounts import login as login_service
from participatie.accounts import passwords
from participatie.models import LoginThrottle, User
from tests.factories.workspace import log_in_as

RIGHT = "correct horse battery"
ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
ASD_OFFICE = {"REMOTE_ADDR": "198.51.100.7"}


def _set_password(app, user_id: int, password: str = RIGHT) -> None:
    with app.app_context():
        user = db.session().get(User, user_id)
        user.password_hash = accounts.hash_password(password)
        db.session().commit()


def _post(client, email: str, password: str, environ=ATTACKER, lang: str = "en"):
    return client.post(f"/werkruimte/inloggen?lang={lang}",
                       data={"email": email, "password": password}, environ_base=environ)


def _message(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('class="field-error"')
    return html[start:html.index("</p>", start)]


def test_ws_login_one_message_for_unknown_wrong_and_waiting(app, client, world):
    _set_password(app, world.users["asd"])
    unknown = _post(client, "niemand@test.nl", "wat dan ook")
    wrong = _post(client, "asd@test.nl", "wat dan ook")
    assert unknown.status_code == wrong.status_code == 400
    assert _message(unknown) == _message(wrong)
    for _ in range(login_service.ACCOUNT_FREE_TRIES):
        _post(client, "asd@test.nl", "nog steeds fout")
    waiting = _post(client, "asd@test.nl", RIGHT)  # right, but this address must wait
    assert waiting.status_code == 400 and _message(waiting) == _message(wrong)
    html = waiting.get_data(as_text=True)
    assert "locked" not in html and "op slot" not in html


def test_ws_login_nobody_can_lock_out_the_asd(app, world):
    # an attacker's wrong guesses slow down the attacker's address only
    _set_password(app, world.users["asd"])
    attacker, asd = app.test_client(), app.test_client()
    for _ in range(30):
        _post(attacker, "asd@test.nl", "geraden wachtwoord")
    assert _post(attacker, "asd@test.nl", RIGHT).status_code == 400
    response = _post(asd, "asd@test.nl", RIGHT, environ=ASD_OFFICE)
    assert response.status_code == 302
    assert asd.get("/werkruimte/themas").status_code == 200
    with app.app_context():
        user = db.session().get(User, world.users["asd"])
        assert user.failed_logins == 0 and user.locked_until is None


def test_ws_login_backoff_doubles_and_is_capped():
    cap = dt.timedelta(minutes=15)
    waits = [login_service.wait_after(n, 5, cap).total_seconds() for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert login_service.wait_after(60, 5, cap) == cap


def test_ws_login_backoff_per_address_across_accounts(app, world):
    # guessing many accounts from one address slows that address down, not the others
    _set_password(app, world.users["asd"])
    sprayer = app.test_client()
    for n in range(login_service.ADDRESS_FREE_TRIES + 1):
        _post(sprayer, f"iemand{n}@test.nl", "zomer2026")
    assert _post(sprayer, "asd@test.nl", RIGHT).status_code == 400
    assert _post(app.test_client(), "asd@test.nl", RIGHT, environ=ASD_OFFICE).status_code == 302
    with app.app_context():
        keys = [t.key for t in db.session().query(LoginThrottle)]
    assert keys and not any("203.0.113.9" in k or "@" in k for k in keys)  # hashed, not stored


@pytest.mark.parametrize("case", ["unknown", "disabled", "no_password", "waiting", "wrong"])
def test_ws_login_same_argon2_work_on_every_path(app, world, monkeypatch, case):
    _set_password(app, world.users["asd"])
    email = {"unknown": "niemand@test.nl", "no_password": "meelezer@test.nl"}.get(
        case, "asd@test.nl")
    if case == "disabled":
        with app.app_context():
            db.session().get(User, world.users["asd"]).active = False
            db.session().commit()
    if case == "waiting":
        for _ in range(login_service.ACCOUNT_FREE_TRIES + 1):
            _post(app.test_client(), email, "fout fout fout")
    calls = []
    original = PasswordHasher.verify

    def counting(self, hash, password):  # noqa: A002 (argon2's own parameter name)
        calls.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    password = RIGHT if case == "waiting" else "fout fout fout"
    assert _post(app.test_client(), email, password).status_code == 400
    assert len(calls) == 1, case


@pytest.mark.commits
def test_ws_login_parallel_wrong_guesses_are_all_counted(app, world):
    _set_password(app, world.users["asd"])
    start = threading.Barrier(15)
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            with app.test_request_context(environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}):
                start.wait()
                user, outcome = accounts.authenticate(db.session(), "asd@test.nl",
                                                      f"gok nummer {n}", f"192.0.2.{n}")
                db.session().commit()
                assert user is None and outcome == "invalid"
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session().get(User, world.users["asd"]).failed_logins == 15


@pytest.mark.parametrize("password", ["welkom01welkom01", "Wachtwoord2024!", "w@chtw00rd123",
                                      "iloveyou1234", "123456789012", "qwertyuiop123"])
def test_ws_login_common_passwords_are_refused(app, client, world, password):
    with app.test_request_context():
        token = accounts.invitation_token(db.session().get(User, world.users["meelezer"]))
    response = client.post(f"/werkruimte/uitnodiging/{token}?lang=en",
                           data={"password": password, "password2": password})
    assert response.status_code == 400
    assert "used by many people" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(User, world.users["meelezer"]).password_hash is None


def test_ws_login_password_with_the_email_is_refused(app, client, world):
    with app.test_request_context():
        token = accounts.invitation_token(db.session().get(User, world.users["meelezer"]))
    for password in ("meelezer@test.nl!!", "mijn naam is meelezer 2026"):
        response = client.post(f"/werkruimte/uitnodiging/{token}?lang=en",
                               data={"password": password, "password2": password})
        assert response.status_code == 400, password
        assert "e-mail address in your password" in response.get_data(as_text=True)
    assert passwords.check_password_strength("een lange zin als wachtwoord",
                                             "meelezer@test.nl") is None


def test_ws_login_bundled_list_is_large_and_dutch():
    common = passwords.common_passwords()
    assert len(common) >= 5000
    assert {"welkom01", "wachtwoord", "123456", "password"} <= common


def test_ws_login_logout_ends_the_session_on_the_server(app, world):
    _set_password(app, world.users["asd"])
    browser = app.test_client()
    assert _post(browser, "asd@test.nl", RIGHT, environ=ASD_OFFICE).status_code == 302
    cookie = browser.get_cookie("session").value
    other_device = app.test_client()
    _post(other_device, "asd@test.nl", RIGHT, environ=ASD_OFFICE)
    browser.post("/werkruimte/uitloggen")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/werkruimte/themas").status_code == 302  # the copied cookie is dead
    assert other_device.get("/werkruimte/themas").status_code == 200  # not logged out there


def test_ws_login_logout_of_an_old_session_without_an_id_ends_it(app, world):
    browser = app.test_client()
    log_in_as(browser, world.users["asd"])
    cookie = browser.get_cookie("session").value
    browser.post("/werkruimte/uitloggen")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/werkruimte/themas").status_code == 302
