import re

from sqlalchemy import select

from participatie.digests import send_due, unsubscribe_token
from participatie.models import AuditEvent, DigestDelivery, Subscription
from tests.factories.digests import IN_WEEK_47, MONDAY, log_in


def _frequency(session, user):
    session.expire_all()
    return session.scalar(select(Subscription.frequency).where(Subscription.user_id == user.id))


def _link_from_mail(outbox):
    header = outbox.received[0].message["List-Unsubscribe"].strip()
    return header[1:-1].replace("http://localhost", "")


def test_digests_unsubscribe_link_from_the_mail_works_without_logging_in(world, outbox, client):
    user = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",), send_when_empty=True)
    send_due(world.session, now=MONDAY)
    path = _link_from_mail(outbox)
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Ja, stop met de e-mails" in html and "csrf" not in html.lower()
    assert _frequency(world.session, user) == "weekly"  # a GET (a link scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "U krijgt de samenvatting niet meer" in done.get_data(as_text=True)
    assert _frequency(world.session, user) == "off"
    event = world.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "digest_unsubscribe"))
    assert event.user_id == user.id and event.details == {"one_click": False}


def test_digests_one_click_unsubscribe_per_rfc_8058(world, app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the POST carries no CSRF token
    user = world.subscriber("asd@example.nl", "asd")
    with app.test_request_context():
        token = unsubscribe_token(user.id)
    response = client.post(f"/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _frequency(world.session, user) == "off"
    event = world.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "digest_unsubscribe"))
    assert event.details == {"one_click": True}


def test_digests_tampered_unsubscribe_token_changes_nothing(world, app, client):
    user = world.subscriber("asd@example.nl", "asd")
    other = world.subscriber("other@example.nl", "asd")
    with app.test_request_context():
        token = unsubscribe_token(user.id)
    with app.test_request_context():
        other_payload = unsubscribe_token(other.id).split(".")[0]
    signature = token.split(".")[1]
    # another user's id under this user's signature, a made-up token, a cut-off token
    for bad in (f"{other_payload}.{signature}", "niet-geldig", token[:-2]):
        response = client.post(f"/afmelden/{bad}")
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.get_data(as_text=True)
    assert _frequency(world.session, user) == "weekly"
    assert _frequency(world.session, other) == "weekly"


def test_digests_settings_need_a_login(client):
    response = client.get("/werkruimte/samenvatting")
    assert response.status_code == 302 and "/werkruimte/inloggen" in response.headers["Location"]


def test_digests_settings_save_choices_within_rights(world, app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    user = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    log_in(client, user)
    page = client.get("/werkruimte/samenvatting").get_data(as_text=True)
    assert 'value="waterwijk"' in page and 'value="haven"' not in page
    assert "Hoe vaak wilt u de samenvatting krijgen?" in page
    response = client.post("/werkruimte/samenvatting", data={
        "frequency": "monthly", "wijk": ["waterwijk"], "when_empty": "1", "language": "en"})
    assert response.status_code == 302
    world.session.expire_all()
    saved = world.session.scalar(select(Subscription).where(Subscription.user_id == user.id))
    assert (saved.frequency, saved.wijk_slugs, saved.send_when_empty, saved.language) == (
        "monthly", ["waterwijk"], True, "en")


def test_digests_settings_refuse_a_wijk_outside_rights_with_an_error_summary(world, app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    user = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    log_in(client, user)
    response = client.post("/werkruimte/samenvatting", data={
        "frequency": "weekly", "wijk": ["haven"], "language": "nl"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#wijk-0"' in html
    assert "Kies alleen wijken uit de lijst." in html
    world.session.expire_all()
    assert world.session.scalar(select(Subscription.wijk_slugs).where(
        Subscription.user_id == user.id)) == []


def test_digests_settings_create_a_subscription_for_a_new_user(world, app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    from participatie import accounts

    user = accounts.create_user(world.session, world.region.id, "nieuw@example.nl", "Nieuw",
                                "asd")
    world.session.commit()
    log_in(client, user)
    # nobody gets e-mail they did not ask for: "never" is chosen until the user picks
    assert 'id="frequency-off" name="frequency" value="off" checked' in client.get(
        "/werkruimte/samenvatting").get_data(as_text=True)
    client.post("/werkruimte/samenvatting", data={"frequency": "weekly", "language": "nl"})
    assert _frequency(world.session, user) == "weekly"


def test_digests_beheerder_previews_anyones_next_digest_without_sending(world, outbox, client):
    admin = world.subscriber("beheer@example.nl", "beheerder")
    kernteam = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    world.report("Niemand neemt op bij de praktijk.", "waterwijk", when=IN_WEEK_47)
    world.report("Haven-melding.", "haven", when=IN_WEEK_47)
    log_in(client, admin)
    listing = client.get("/werkruimte/samenvatting/abonnees").get_data(as_text=True)
    assert f"/werkruimte/samenvatting/voorbeeld/{kernteam.id}" in listing
    page = client.get(f"/werkruimte/samenvatting/voorbeeld/{kernteam.id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "kt@example.nl" in html and "Haven-melding." not in html
    # the period as people say it, with its days, never a code like 2026-W48
    assert re.search(r"<dd>week \d+ \(\d+ \w+ \d{4} tot en met \d+ \w+ \d{4}\)</dd>", html), html
    assert not re.search(r"\d{4}-W\d\d", html)
    raw = client.get(f"/werkruimte/samenvatting/voorbeeld/{kernteam.id}/html")
    assert raw.mimetype == "text/html" and "<table role=\"presentation\"" in raw.get_data(
        as_text=True)
    assert outbox.received == [] and world.session.scalar(select(DigestDelivery)) is None


def test_digests_only_a_beheerder_previews_someone_else(world, client):
    kernteam = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    asd = world.subscriber("asd@example.nl", "asd")
    log_in(client, kernteam)
    assert client.get(f"/werkruimte/samenvatting/voorbeeld/{asd.id}").status_code == 403
    assert client.get("/werkruimte/samenvatting/abonnees").status_code == 403
    own = client.get("/werkruimte/samenvatting/voorbeeld").get_data(as_text=True)
    assert "Volgende samenvatting voor kt" in own


def test_digests_unsubscribe_links_in_the_mail_match_the_header(world, outbox):
    world.subscriber("asd@example.nl", "asd", send_when_empty=True)
    send_due(world.session, now=MONDAY)
    message = outbox.received[0].message
    header = message["List-Unsubscribe"].strip()[1:-1]
    html = message.get_body(("html",)).get_content()
    assert re.search(rf'href="{re.escape(header)}"', html)
