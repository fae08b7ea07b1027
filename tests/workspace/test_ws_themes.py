"""Theme overview, theme page, curation (rename, status, merge, split, move) and the queue."""

from __future__ import annotations

import pytest

from participatie import db
from participatie.models import AuditEvent, Region, Signal, Theme, ThemeMembership
from tests.factories.workspace import add_report, page_text


def test_ws_themes_overview_sorts_by_size_and_growth(login, world):
    client = login("asd")
    html = page_text(client.get("/werkruimte/themas"))
    # "Wachttijden zorg" has 2 reports, so it comes first by size; other regions never show
    assert html.index("Wachttijden zorg") < html.index("Huisarts bereikbaarheid")
    assert "Huisarts vol" not in html
    growth = client.get("/werkruimte/themas?sorteer=groei").get_data(as_text=True)
    # one report 40 days ago and one recent: growth 0, below the themes that grew by 1
    assert growth.index("Huisarts bereikbaarheid") < growth.index("Wachttijden zorg")
    assert "<svg" in html and "<table" in html and 'role="img"' in html
    # per theme over the last 6 months: a small chart and the same numbers in a table
    assert 'class="spark"' in html and 'class="trend"' in html


def test_ws_themes_overview_per_wijk_for_the_kernteam(login, world):
    html = page_text(login("kernteam").get("/werkruimte/themas?wijk=waterwijk"))
    assert "Huisarts bereikbaarheid" in html and "Apotheek voorraad" not in html


def test_ws_themes_page_shows_members_breakdown_and_no_other_wijk_quotes(app, login, world):
    with app.app_context():
        theme = db.session().get(Theme, world.themes["spare"])
        theme.quotes = ["Geen plek bij de fysiotherapeut."]
        db.session().commit()
    kernteam = login("kernteam").get(f"/werkruimte/themas/{world.themes['spare']}")
    html = page_text(kernteam)
    assert "wijkverpleging duurt lang" in html
    assert "fysiotherapeut" not in html  # the Haven report and its quote stay hidden
    assert "Waterwijk" in html


def test_ws_themes_rename_status_and_merge_survive_and_are_audited(app, login, world):
    client = login("asd")
    own, spare = world.themes["own"], world.themes["spare"]
    client.post(f"/werkruimte/themas/{own}/naam", data={"label": "Huisarts onbereikbaar"})
    client.post(f"/werkruimte/themas/{own}/status", data={"status": "on_agenda",
                                                          "notes": "Mei-overleg"})
    asked = client.post(f"/werkruimte/themas/{own}/samenvoegen", data={"target": str(spare)})
    assert asked.status_code == 200  # a question first: nothing merged yet
    response = client.post(f"/werkruimte/themas/{own}/samenvoegen",
                           data={"target": str(spare), "confirm": "yes"})
    assert response.location.endswith(f"/werkruimte/themas/{spare}")
    with app.app_context():
        session = db.session()
        merged = session.get(Theme, own)
        assert merged.label == "Huisarts onbereikbaar" and merged.label_by_reviewer
        assert merged.status == "on_agenda" and merged.notes == "Mei-overleg"
        assert merged.merged_into_id == spare
        member = session.query(ThemeMembership).filter_by(signal_id=world.signals["own"]).one()
        assert member.theme_id == spare
        actions = {e.action for e in session.query(AuditEvent)}
        assert {"rename", "theme_status", "merge"} <= actions
    assert client.get(f"/werkruimte/themas/{own}").status_code == 302


def test_ws_themes_merge_needs_a_target(login, world):
    response = login("asd").post(f"/werkruimte/themas/{world.themes['own']}/samenvoegen",
                                 data={"target": ""})
    assert response.status_code == 400
    assert 'href="#target"' in response.get_data(as_text=True)


def test_ws_themes_split_makes_a_pinned_theme(app, login, world):
    client = login("beheerder")
    response = client.post(f"/werkruimte/themas/{world.themes['spare']}/splitsen",
                           data={"signal": str(world.signals["mixed"]), "label": "Fysio"})
    assert response.status_code == 302
    with app.app_context():
        member = db.session().query(ThemeMembership).filter_by(
            signal_id=world.signals["mixed"]).one()
        assert member.source == "split" and member.theme.label == "Fysio"
    empty = client.post(f"/werkruimte/themas/{world.themes['spare']}/splitsen",
                        data={"label": "Niets"})
    assert empty.status_code == 400


def test_ws_themes_move_report_to_a_new_theme(app, login, world):
    client = login("asd")
    client.post(f"/werkruimte/meldingen/{world.signals['own']}/thema",
                data={"theme": "new", "label": "Telefonische bereikbaarheid"})
    with app.app_context():
        signal = db.session().get(Signal, world.signals["own"])
        assert signal.membership.source == "moved"
        assert signal.membership.theme.label == "Telefonische bereikbaarheid"
        assert signal.membership.decided_by_id == world.users["asd"]
        actions = [e.action for e in db.session().query(AuditEvent).order_by(AuditEvent.id)]
        assert actions[-2:] == ["new_theme", "move"]


@pytest.mark.parametrize("path", ["/werkruimte/meldingen/{s}/thema",
                                  "/werkruimte/te-beoordelen/{s}"])
def test_ws_themes_kernteam_may_not_start_a_theme(app, login, world, path):
    # decision (issue 11): themes are region-wide, so only the ASD and the beheerder name them
    client = login("kernteam")
    page = client.get(f"/werkruimte/meldingen/{world.signals['own']}").get_data(as_text=True)
    assert 'value="new"' not in page and 'id="new-label"' not in page
    with app.app_context():
        before = db.session().query(Theme).count()
    response = client.post(path.format(s=world.signals["own"]),
                           data={"theme": "new", "label": "Eigen thema", "action": "move"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session().query(Theme).count() == before
        signal = db.session().get(Signal, world.signals["own"])
        assert signal.membership.theme_id == world.themes["own"]
        assert signal.membership.source == "model"


def test_ws_themes_queue_confirms_with_one_button_and_counts(app, login, world):
    with app.app_context():
        member = db.session().query(ThemeMembership).filter_by(
            signal_id=world.signals["own2"]).one()
        member.needs_review = True
        member.source = "assigned"
        db.session().commit()
    client = login("kernteam")
    html = client.get("/werkruimte/te-beoordelen").get_data(as_text=True)
    assert "wijkverpleging duurt lang" in html and "autofocus" in html
    assert 'value="confirm"' in html
    client.post(f"/werkruimte/te-beoordelen/{world.signals['own2']}", data={"action": "confirm"})
    with app.app_context():
        member = db.session().query(ThemeMembership).filter_by(
            signal_id=world.signals["own2"]).one()
        assert member.source == "confirmed" and not member.needs_review
        assert member.theme_id == world.themes["spare"]
    after = page_text(client.get("/werkruimte/te-beoordelen?lang=en"))
    assert "wijkverpleging duurt lang" not in after
    assert "You placed 1 report so far." in after


def test_ws_themes_queue_hides_other_wijken(app, login, world):
    with app.app_context():
        db.session().query(ThemeMembership).update({"needs_review": True})
        db.session().commit()
    html = page_text(login("kernteam").get("/werkruimte/te-beoordelen"))
    assert "wijkverpleging duurt lang" in html  # the oldest report of their own wijk comes first
    assert "apotheek" not in html and "fysiotherapeut" not in html


def test_ws_themes_printable_report_suppresses_small_counts(login, world):
    html = login("asd").get(f"/werkruimte/themas/{world.themes['spare']}/verslag")
    text = page_text(html)
    assert "Wachttijden zorg" in text and "&lt;5" in text and ">2<" not in text


@pytest.mark.parametrize("path", ["/werkruimte/meldingen/{s}/thema",
                                  "/werkruimte/te-beoordelen/{s}"])
def test_ws_themes_kernteam_cannot_open_another_wijks_theme_by_placing(app, login, world, path):
    # issue 11: placing an own report into a Haven-only theme made that theme's page visible
    client = login("kernteam")
    haven = world.themes["other_wijk"]
    response = client.post(path.format(s=world.signals["own"]),
                           data={"theme": str(haven), "action": "move"})
    assert response.status_code == 403
    with app.app_context():
        signal = db.session().get(Signal, world.signals["own"])
        assert signal.membership.theme_id == world.themes["own"]
    assert client.get(f"/werkruimte/themas/{haven}").status_code == 403


def test_ws_themes_dropdowns_list_only_themes_the_user_may_see(app, login, world):
    kernteam = login("kernteam")
    page = kernteam.get(f"/werkruimte/meldingen/{world.signals['own']}").get_data(as_text=True)
    assert "Wachttijden zorg" in page and "Huisarts bereikbaarheid" in page
    assert "Apotheek voorraad" not in page and "Huisarts vol" not in page
    with app.app_context():
        db.session().query(ThemeMembership).update({"needs_review": True})
        db.session().commit()
    queue = kernteam.get("/werkruimte/te-beoordelen").get_data(as_text=True)
    assert "Wachttijden zorg" in queue and "Apotheek voorraad" not in queue
    asd = login("asd")
    page = asd.get(f"/werkruimte/meldingen/{world.signals['own']}").get_data(as_text=True)
    assert "Apotheek voorraad" in page and "Huisarts vol" not in page


def test_ws_themes_page_says_when_new_thanks_go_to_the_theme(app, login, world):
    hint = "Nieuwe bedankjes komen daarom ook hier"
    spare = world.themes["spare"]
    with app.app_context():
        session = db.session()
        almere = session.query(Region).filter_by(slug="almere").one()
        first, second = (add_report(session, almere, "waterwijk", text).id for text in (
            "Hartelijk dank aan de wijkverpleging, wat een lieve mensen!",
            "Een groot compliment voor de apotheek, altijd vriendelijk geholpen."))
        session.commit()
    client = login("asd")
    client.post(f"/werkruimte/meldingen/{first}/thema", data={"theme": str(spare)})
    assert hint not in page_text(client.get(f"/werkruimte/themas/{spare}"))  # one thank-you
    client.post(f"/werkruimte/meldingen/{second}/thema", data={"theme": "new", "label": "Lof"})
    with app.app_context():
        lof = db.session().get(Signal, second).membership.theme_id
    assert hint not in page_text(client.get(f"/werkruimte/themas/{lof}"))
    client.post(f"/werkruimte/meldingen/{first}/thema", data={"theme": str(lof)})
    assert hint in page_text(client.get(f"/werkruimte/themas/{lof}"))  # two, and all its pins
    assert hint not in page_text(client.get(f"/werkruimte/themas/{spare}"))


def test_ws_themes_page_says_when_new_noise_goes_to_the_theme(app, login, world):
    hint = "zijn te kort of niet te lezen. Nieuwe meldingen zoals deze komen daarom ook hier"
    thanks = "Nieuwe bedankjes komen daarom ook hier"
    with app.app_context():
        session = db.session()
        almere = session.query(Region).filter_by(slug="almere").one()
        first, second = (add_report(session, almere, "waterwijk", text).id
                         for text in ("test test", "asdfgh qwerty zxcvbn"))
        session.commit()
    client = login("asd")
    client.post(f"/werkruimte/meldingen/{first}/thema", data={"theme": "new", "label": "Ruis"})
    with app.app_context():
        ruis = db.session().get(Signal, first).membership.theme_id
    assert hint not in page_text(client.get(f"/werkruimte/themas/{ruis}"))  # one is not enough
    client.post(f"/werkruimte/meldingen/{second}/thema", data={"theme": str(ruis)})
    page = page_text(client.get(f"/werkruimte/themas/{ruis}"))
    assert hint in page and thanks not in page


def test_ws_themes_printable_report_hides_what_the_total_would_give_away(app, login, world):
    """Haven's count (<5) was the total minus Waterwijk's: that one reads '≥5' now."""
    with app.app_context():
        session = db.session()
        almere = session.query(Region).filter_by(slug="almere").one()
        theme = session.get(Theme, world.themes["spare"])
        before = {w.name: 0 for w in almere.wijken}
        for m in theme.members:
            for w in m.signal.wijken:
                before[w.name] += 1
        added = [add_report(session, almere, "waterwijk", f"De wachtlijst is lang, deel {i}.")
                 for i in range(6)]
        for signal in added:
            session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id, source="model"))
        session.commit()
    assert 0 < before["Haven"] < 5  # the world's spare theme has a report from Haven
    text = page_text(login("asd").get(f"/werkruimte/themas/{world.themes['spare']}/verslag"))
    table = text.split("Per wijk")[1].split("</table>")[0]
    assert "<th scope=\"row\">Haven</th><td class=\"num\">&lt;5</td>" in table
    assert "<th scope=\"row\">Waterwijk</th><td class=\"num\">≥5</td>" in table
    assert "Kan iemand zo’n getal uitrekenen met het totaal?" in text
