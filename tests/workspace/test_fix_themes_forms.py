"""Workspace forms: only spaces counts as empty, pasted control characters are dropped, a
survey introduction that is too long says so, odd digits in a quote choice are refused."""

from __future__ import annotations

import xml.dom.minidom

from sqlalchemy import select

from participatie import db
from participatie.models import Region, SurveyPublication, Theme, ThemePublication
from participatie.publication import quarter_at
from participatie.signals import record_submission
from tests.factories.workspace import PLAIN, page_text


def _publication(app, theme_id: int) -> ThemePublication | None:
    with app.app_context():
        return db.session().scalar(select(ThemePublication).where(
            ThemePublication.theme_id == theme_id))


def test_fix_themes_publish_title_of_only_a_space_asks_for_a_title(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    response = client.post(f"/werkruimte/themas/{own}/publiceren", data={
        "title": " ", "summary": "Bewoners wachten lang.", "public_status": "Besproken",
        "quote": [str(world.signals["own"])]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="pub-title-error"' in page
    # what else was typed (and ticked) is still there
    assert "Bewoners wachten lang." in page and 'value="Besproken"' in page
    assert f'value="{world.signals["own"]}" checked' in page
    assert _publication(app, own) is None


def test_fix_themes_publish_summary_of_only_spaces_is_not_stored_empty(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    response = client.post(f"/werkruimte/themas/{own}/publiceren",
                           data={"title": "Titel", "summary": " \u00a0\n "})
    assert response.status_code == 400
    assert 'id="pub-summary-error"' in response.get_data(as_text=True)
    assert _publication(app, own) is None


def test_fix_themes_rename_to_a_non_breaking_space_keeps_the_name(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    for blank in (" ", "\u00a0", "\u00a0 \t"):
        response = client.post(f"/werkruimte/themas/{own}/naam", data={"label": blank})
        assert response.status_code == 400
        assert 'id="label-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Theme, own).label == "Huisarts bereikbaarheid"


def test_fix_themes_wijk_of_only_spaces_asks_for_a_name(app, login, world):
    client = login("beheerder")
    response = client.post("/werkruimte/wijken", data={"name": "\u00a0", "stadsdeel": " "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and 'id="stadsdeel-error"' in page


def test_fix_themes_publish_odd_digit_quote_is_refused_not_a_server_error(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    for odd in ("²", "١", "𝟙"):  # isdigit() is true for these, int() refuses them
        response = client.post(f"/werkruimte/themas/{own}/publiceren", data={
            "title": "T", "summary": "S", "public_status": "", "quote": odd})
        assert response.status_code == 400
        assert "Kies hoogstens 3 citaten uit dit thema." in response.get_data(as_text=True) \
            or 'id="pub-quotes-error"' in response.get_data(as_text=True)
    assert _publication(app, own) is None


def test_fix_themes_control_characters_leave_the_feeds_valid_xml(app, client, login, world):
    login("asd")
    own = world.themes["own"]
    response = client.post(f"/werkruimte/themas/{own}/publiceren", data={
        "title": "Wachten\x0b op de Wmo\x0b", "summary": "Samenvatting\x0c met pagina-einde",
        "public_status": "Besproken\x0bin het kernteam\x01"})
    assert response.status_code == 302
    stored = _publication(app, own)
    assert (stored.title, stored.summary, stored.public_status) == (
        "Wachten op de Wmo", "Samenvatting met pagina-einde", "Besprokenin het kernteam")
    client.get("/werkruimte/uitloggen")
    for url in ("/open-data/regio.atom", "/open-data/waterwijk.atom"):
        feed = page_text(client.get(url))
        parsed = xml.dom.minidom.parseString(feed.encode())  # raises on a control character
        titles = [t.firstChild.data for t in parsed.getElementsByTagName("title")
                  if t.firstChild is not None]
        assert any(t.endswith("Wachten op de Wmo") for t in titles), titles
    assert "\x0b" not in page_text(client.get("/regio"))


def test_fix_themes_control_characters_are_dropped_from_rename_reply_and_note(app, login, world):
    from participatie.models import ReportNote, StatusChange
    client = login("asd")
    own, signal = world.themes["own"], world.signals["own"]
    client.post(f"/werkruimte/themas/{own}/naam", data={"label": "Huisarts\x0c bellen"})
    client.post(f"/werkruimte/meldingen/{signal}/status",
                data={"status": "in_progress", "reply": "We bellen\x0b u."})
    client.post(f"/werkruimte/meldingen/{signal}/notitie", data={"text": "Notitie\x07 hier"})
    with app.app_context():
        session = db.session()
        assert session.get(Theme, own).label == "Huisarts bellen"
        assert session.scalar(select(StatusChange.public_reply).where(
            StatusChange.signal_id == signal,
            StatusChange.public_reply.is_not(None))) == "We bellen u."
        assert session.scalar(select(ReportNote.text).where(
            ReportNote.signal_id == signal)) == "Notitie hier"


def _survey_period(app) -> str:
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        submission = record_submission(session, PLAIN, region, form_id="peiling-huisarts",
                                       form_version=1, answers={}, knelpunten=[])
        session.commit()
        return quarter_at(submission.created_at)


def test_fix_themes_survey_intro_too_long_says_so_and_keeps_the_text(app, login, world):
    period = _survey_period(app)
    client = login("asd")
    url = f"/werkruimte/peilingen/publiceren?peiling=peiling-huisarts&periode={period}"
    long_intro = "Uitleg " * 800
    response = client.post(url, data={"intro": long_intro})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "korter dan 5000 tekens" in page
    assert "Schrijf een korte inleiding." not in page
    assert long_intro.strip() in page  # what was typed is still in the textarea
    assert 'maxlength="5000"' in page
    with app.app_context():
        assert db.session().scalar(select(SurveyPublication)) is None
    # only spaces: asked for an introduction, nothing stored
    response = client.post(url, data={"intro": "\u00a0 "})
    assert response.status_code == 400 and "Schrijf een korte inleiding." in \
        response.get_data(as_text=True)
    assert client.post(url, data={"intro": "Wat\x0b bewoners zeiden."}).status_code == 302
    with app.app_context():
        assert db.session().scalar(select(SurveyPublication.intro)) == "Wat bewoners zeiden."
    assert 'maxlength="5000"' in page_text(client.get(
        f"/werkruimte/peilingen?peiling=peiling-huisarts&periode={period}"))


def test_fix_themes_rename_to_invisible_characters_only_keeps_the_name(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    for blank in ("\u200b", "\u2060 \ufeff"):  # zero-width space, word joiner, BOM
        response = client.post(f"/werkruimte/themas/{own}/naam", data={"label": blank})
        assert response.status_code == 400
        assert 'id="label-error"' in response.get_data(as_text=True)
    # a name with such a character among letters is a name
    assert client.post(f"/werkruimte/themas/{own}/naam",
                       data={"label": "Huisarts\u200bbellen"}).status_code == 302
    with app.app_context():
        assert db.session().get(Theme, own).label == "Huisarts\u200bbellen"


def test_fix_themes_report_page_with_an_odd_digit_count_is_shown(app, login, world):
    from participatie.models import Signal
    with app.app_context():
        session = db.session()
        submission = session.get(Signal, world.signals["own"]).submission
        submission.answers = {"geraadpleegd": "²"}
        session.commit()
    page = page_text(login("asd").get(f"/werkruimte/meldingen/{world.signals['own']}"))
    assert "²" not in page
