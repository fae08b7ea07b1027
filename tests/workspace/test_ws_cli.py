"""`participatie users add/invite/disable/list` and the demo accounts."""

from __future__ import annotations

from participatie import accounts, db
from participatie.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from participatie.models import User


def test_ws_cli_add_list_disable(app, runner):
    result = runner.invoke(args=["users", "add", "Kern@Test.nl", "--name", "Kim",
                                 "--role", "kernteam", "--wijk", "haven"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["users", "list"]).output
    assert "kern@test.nl\tkernteam\thaven\tactive\tno password yet" in listed
    refused = runner.invoke(args=["users", "add", "x@test.nl", "--role", "kernteam"])
    assert refused.exit_code != 0 and "wijk" in refused.output
    unknown = runner.invoke(args=["users", "add", "y@test.nl", "--role", "asd", "--wijk", "mars"])
    assert unknown.exit_code != 0 and "mars" in unknown.output
    assert runner.invoke(args=["users", "disable", "kern@test.nl"]).exit_code == 0
    with app.app_context():
        user = db.session().query(User).filter_by(email="kern@test.nl").one()
        assert not user.active and user.session_version == 1


def test_ws_cli_invite_sends_a_working_link(app, runner, smtp_inbox):
    runner.invoke(args=["users", "add", "new@test.nl", "--role", "asd"])
    result = runner.invoke(args=["users", "invite", "new@test.nl"])
    assert result.exit_code == 0, result.output
    message = smtp_inbox[0]
    assert message["To"] == "new@test.nl"
    text = message.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/werkruimte/uitnodiging/" in line)
    path = link.split("http://localhost", 1)[1]
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.get(path).status_code == 200
    client.post(path, data={"password": "een lang wachtwoord", "password2": "een lang wachtwoord"})
    assert client.get("/werkruimte/themas").status_code == 200


def test_ws_cli_invite_can_print_the_link(runner):
    runner.invoke(args=["users", "add", "new@test.nl", "--role", "meelezer"])
    result = runner.invoke(args=["users", "invite", "new@test.nl", "--print-link"])
    assert "/werkruimte/uitnodiging/" in result.output


def test_ws_cli_demo_accounts_one_per_role(app):
    with app.app_context():
        create_demo_accounts()
        create_demo_accounts()  # a second run adds nothing
        session = db.session()
        roles = {u.role for u in session.query(User)}
        assert roles == set(accounts.ROLES) and session.query(User).count() == len(DEMO_ACCOUNTS)
        user, outcome = accounts.authenticate(session, DEMO_ACCOUNTS[2][0], DEMO_PASSWORD)
        assert outcome == "ok" and [w.slug for w in user.wijken] == ["waterwijk"]

