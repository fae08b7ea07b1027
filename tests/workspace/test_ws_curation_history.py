"""Safe curation (issue 12): merge asks first, a history per theme, undo, fresh keywords."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participatie import db, themes
from participatie.accounts import create_user
from participatie.models import AuditEvent, Region, Signal, Theme, ThemeChange
from tests.factories.demo_reports import add_demo_reports
from tests.factories.workspace import add_report, add_theme, log_in_as, page_text


def _members(app, theme_id: int) -> set[int]:
    with app.app_context():
        return {m.signal_id for m in db.session().get(Theme, theme_id).members}


def test_ws_curation_merge_asks_first_and_says_what_happens(app, login, world):
    client = login("asd")
    own, spare = world.themes["own"], world.themes["spare"]
    asked = page_text(client.post(f"/werkruimte/themas/{own}/samenvoegen",
                                  data={"target": str(spare)}))
    assert "1 melding gaat van “Huisarts bereikbaarheid” naar “Wachttijden zorg”." in asked
    assert "“Wachttijden zorg” heeft daarna 3 meldingen." in asked
    assert "ongedaan maken" in asked
    with app.app_context():
        assert db.session().get(Theme, own).merged_into_id is None
        assert db.session().scalar(select(ThemeChange)) is None


def test_ws_curation_merge_then_undo_puts_everything_back(app, login, world):
    client = login("asd")
    own, spare = world.themes["own"], world.themes["spare"]
    before_own, before_spare = _members(app, own), _members(app, spare)
    client.post(f"/werkruimte/themas/{own}/samenvoegen",
                data={"target": str(spare), "confirm": "yes"})
    assert _members(app, spare) == before_own | before_spare
    with app.app_context():
        session = db.session()
        change = session.scalar(select(ThemeChange).where(ThemeChange.action == "merged"))
        assert (change.theme_id, change.other_theme_id, change.user_id) == (
            spare, own, world.users["asd"])
        # keywords recomputed from all members, including the merged report's words
        assert "huisarts" in session.get(Theme, spare).keywords
    history = page_text(client.get(f"/werkruimte/themas/{spare}"))
    assert "Samengevoegd" in history and "Test asd" in history
    assert "Samenvoegen van" in history and "ongedaan maken" in history
    undone = client.post(f"/werkruimte/themas/{spare}/ongedaan-maken",
                         data={"change": str(change.id)})
    assert undone.status_code == 302 and undone.location.endswith(f"/themas/{own}#history")
    assert _members(app, own) == before_own and _members(app, spare) == before_spare
    with app.app_context():
        session = db.session()
        assert session.get(Theme, own).merged_into_id is None
        assert session.get(ThemeChange, change.id).undone_at is not None
        # the merged-back reports are reviewers' decisions now, so a rebuild keeps them
        assert {session.get(Signal, s).membership.source for s in before_own} == {"moved"}
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "undo")) is not None
    # a second undo of the same change does nothing
    again = client.post(f"/werkruimte/themas/{spare}/ongedaan-maken",
                        data={"change": str(change.id)})
    assert again.status_code == 302 and _members(app, own) == before_own


def test_ws_curation_split_gets_keywords_and_can_be_undone(app, login, world):
    client = login("beheerder")
    spare = world.themes["spare"]
    response = client.post(f"/werkruimte/themas/{spare}/splitsen",
                           data={"signal": str(world.signals["own2"]), "label": "Wijkverpleging"})
    created = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        session = db.session()
        # keywords as a rebuild chooses them (a pair of words may hold the theme's word)
        assert any("wijkverpleging" in k for k in session.get(Theme, created).keywords)
        assert not any("wijkverpleging" in k for k in session.get(Theme, spare).keywords)
        change = session.scalar(select(ThemeChange).where(ThemeChange.action == "split"))
    page = page_text(client.get(f"/werkruimte/themas/{spare}"))
    assert "Gesplitst" in page
    client.post(f"/werkruimte/themas/{spare}/ongedaan-maken", data={"change": str(change.id)})
    assert world.signals["own2"] in _members(app, spare)
    with app.app_context():
        assert db.session().get(Theme, created).merged_into_id == spare


def test_ws_curation_rename_and_move_are_in_the_history(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    client.post(f"/werkruimte/themas/{own}/naam", data={"label": "Huisarts onbereikbaar"})
    client.post(f"/werkruimte/meldingen/{world.signals['mixed']}/thema", data={"theme": str(own)})
    page = page_text(client.get(f"/werkruimte/themas/{own}"))
    assert "Hernoemd" in page
    assert "Van “Huisarts bereikbaarheid” naar “Huisarts onbereikbaar”" in page
    assert f"Melding {world.signals['mixed']} is verplaatst." in page


def test_ws_curation_kernteam_history_hides_other_wijk_theme_names(app, login, world):
    asd = login("asd")
    asd.post(f"/werkruimte/themas/{world.themes['other_wijk']}/samenvoegen",
             data={"target": str(world.themes["own"]), "confirm": "yes"})
    page = page_text(login("kernteam").get(f"/werkruimte/themas/{world.themes['own']}"))
    assert "Apotheek voorraad" not in page and "een ander thema" in page


@pytest.mark.slow
def test_ws_curation_merge_undo_rebuild_themes_are_back(app, client, runner):
    # the test client, not a browser: the rebuild needs the embedder either way
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        session = db.session()
        region = add_demo_reports(session, rebuild=True)
        first, second = (t.id for t in themes.active_themes(session, region)[:2])
        labels = {first: session.get(Theme, first).label, second: session.get(Theme, second).label}
        user = create_user(session, region.id, "asd@test.nl", "ASD", "asd")
        session.commit()
    before = {first: _members(app, first), second: _members(app, second)}
    log_in_as(client, user.id)
    client.post(f"/werkruimte/themas/{second}/samenvoegen",
                data={"target": str(first), "confirm": "yes"})
    with app.app_context():
        change = db.session().scalar(select(ThemeChange).where(ThemeChange.action == "merged"))
    client.post(f"/werkruimte/themas/{first}/ongedaan-maken", data={"change": str(change.id)})
    assert runner.invoke(args=["themes", "rebuild"]).exit_code == 0
    with app.app_context():
        session = db.session()
        assert session.get(Theme, second).merged_into_id is None
        assert {t.id for t in themes.active_themes(session, session.get(Region, 1))} >= {
            first, second}
    assert _members(app, second) >= before[second]
    assert not (_members(app, first) & before[second])
    assert labels[first] and labels[second]


def test_ws_curation_recompute_keywords_prefers_theme_words(app, world):
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        a = add_report(session, region, "waterwijk", "De tandarts heeft geen plek voor kinderen.")
        b = add_report(session, region, "waterwijk", "Geen tandarts te vinden in de wijk.")
        theme = add_theme(session, region, "th-tand", "Tandarts", [a, b])
        theme.keywords = []
        words = themes.recompute_keywords(session, theme)
        assert words[0] == "tandarts"


def test_ws_curation_keywords_are_chosen_as_a_rebuild_chooses_them(app, world):
    """After merge, split or undo: no relatives, names or wijken among the keywords."""
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        texts = ["Mijn moeder in waterwijk krijgt haar steunkousen niet aan, thuiszorg komt niet.",
                 "De thuiszorg in waterwijk slaat mijn moeder over, steunkousen blijven liggen.",
                 "Moeder wacht in Almere op de thuiszorg voor haar steunkousen."]
        signals = [add_report(session, region, "waterwijk", t) for t in texts]
        theme = add_theme(session, region, "th-kousen", "Kousen", signals)
        words = themes.recompute_keywords(session, theme)
        assert any("thuiszorg" in w or "steunkous" in w for w in words), words
        assert not {"moeder", "waterwijk", "almere"} & {p for w in words for p in w.split()}
