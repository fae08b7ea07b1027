"""Audit: "the e-mail could not be sent. Try again later." can be done: the same invitation
sent again e-mails the link, instead of "There is already an account with this e-mail address"."""

from __future__ import annotations

import socket

from sqlalchemy import func, select

from participatie import db
from participatie.accounts import hash_password
from participatie.models import User


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the probe is closed


def test_an_invitation_that_could_not_be_sent_can_be_sent_again(app, login, world, smtp_inbox):
    client = login("beheerder")
    with app.app_context():
        wijk_id = db.session().get(User, world.users["kernteam"]).wijken[0].id
    invite = {"email": "Kim@Test.nl", "name": "Kim", "role": "kernteam", "wijk": str(wijk_id)}
    working_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _closed_port()
    failed = client.post("/werkruimte/gebruikers", data=invite, follow_redirects=True)
    assert "Probeer het later nog eens." in failed.get_data(as_text=True)
    assert smtp_inbox == []
    app.config["SMTP_PORT"] = working_port
    again = client.post("/werkruimte/gebruikers", data=invite)
    assert again.status_code == 302
    assert len(smtp_inbox) == 1 and smtp_inbox[0]["To"] == "kim@test.nl"
    assert "/werkruimte/uitnodiging/" in smtp_inbox[0].get_body(("plain",)).get_content()
    page = client.get(again.location).get_data(as_text=True)
    assert "De uitnodiging is opnieuw verstuurd." in page
    with app.app_context():
        assert db.session().scalar(select(func.count(User.id))
                                   .where(User.email == "kim@test.nl")) == 1


def test_another_role_or_an_account_with_a_password_is_still_refused(app, login, world,
                                                                     smtp_inbox):
    client = login("beheerder")
    with app.app_context():
        wijk_id = db.session().get(User, world.users["kernteam"]).wijken[0].id
    client.post("/werkruimte/gebruikers", data={"email": "kim@test.nl", "role": "kernteam",
                                                 "wijk": str(wijk_id)})
    assert len(smtp_inbox) == 1
    other_role = client.post("/werkruimte/gebruikers", data={"email": "kim@test.nl",
                                                             "role": "asd"})
    assert other_role.status_code == 400
    # an account in use (it has a password) is never sent a new link to choose one
    with app.app_context():
        db.session().get(User, world.users["meelezer"]).password_hash = hash_password(
            "een lange zin als wachtwoord 42")
        db.session().commit()
    in_use = client.post("/werkruimte/gebruikers", data={"email": "meelezer@test.nl",
                                                         "role": "meelezer"})
    assert in_use.status_code == 400
    assert len(smtp_inbox) == 1
