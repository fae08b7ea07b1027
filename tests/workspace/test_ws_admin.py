"""The beheerder's pages: inviting users by e-mail, disabling them, and the audit log."""

from __future__ import annotations

from participatie import db
from participatie.models import User


def test_ws_admin_invites_a_kernteam_member_by_email(app, login, world, smtp_inbox):
    client = login("beheerder")
    with app.app_context():
        wijk = db.session().get(User, world.users["kernteam"]).wijken[0]
    missing = client.post("/werkruimte/gebruikers", data={"email": "kim@test.nl",
                                                          "role": "kernteam"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and 'href="#wijk"' in html and 'value="kim@test.nl"' in html
    response = client.post("/werkruimte/gebruikers", data={
        "email": "kim@test.nl", "name": "Kim", "role": "kernteam", "wijk": str(wijk.id)})
    assert response.status_code == 302
    assert smtp_inbox[0]["To"] == "kim@test.nl"
    assert "/werkruimte/uitnodiging/" in smtp_inbox[0].get_body(("plain",)).get_content()
    duplicate = client.post("/werkruimte/gebruikers", data={"email": "kim@test.nl",
                                                            "role": "asd"})
    assert duplicate.status_code == 400


def test_ws_admin_disable_ends_the_users_sessions(app, login, world):
    client = login("beheerder")
    client.post(f"/werkruimte/gebruikers/{world.users['asd']}/uitschakelen")
    with app.app_context():
        user = db.session().get(User, world.users["asd"])
        assert not user.active and user.session_version == 1
    other_region = client.post(
        f"/werkruimte/gebruikers/{world.users['other_region_asd']}/uitschakelen")
    assert other_region.status_code == 404


def test_ws_admin_audit_log_names_who_did_what(login, world):
    asd = login("asd")
    asd.post(f"/werkruimte/themas/{world.themes['own']}/naam", data={"label": "Bellen lukt niet"})
    asd.get("/werkruimte/export/meldingen.csv")
    html = login("beheerder").get("/werkruimte/logboek?lang=en").get_data(as_text=True)
    assert "Test asd" in html and "renamed a theme" in html and "downloaded an export" in html
    assert "Bellen lukt niet" not in html  # details stay out of the page
