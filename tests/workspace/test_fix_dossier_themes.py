"""A dossier's linked themes: a save keeps those the user may not see, and the pages show only
what the user may see (audit item 5)."""

from __future__ import annotations

import re

from participatie import db
from participatie.models import Dossier
from tests.factories.workspace import page_text


def _link(app, world, names: list[str]) -> int:
    """Link themes to Waterwijk's dossier as the ASD does."""
    from participatie import dossiers
    from participatie.models import User

    with app.app_context():
        session = db.session()
        found = session.get(Dossier, world.dossiers["own"])
        dossiers.update(session, session.get(User, world.users["asd"]), found,
                        title=found.title, problem=found.problem, stakeholders=[],
                        theme_ids=[world.themes[n] for n in names], survey_form_id=None,
                        before_period=None, after_period=None, discount_rate=None)
        session.commit()
        return found.id


def _linked(app, dossier_id: int) -> list[int]:
    with app.app_context():
        return sorted(t.id for t in db.session().get(Dossier, dossier_id).themes)


def _fact(html: str, label: str) -> str:
    """Return the text of a fact in the dossier's list (<dt>label</dt><dd>...</dd>)."""
    found = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", html, re.S)
    assert found, label
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_fix_dossier_a_kernteam_save_keeps_the_themes_it_may_not_see(app, world, login):
    # "Apotheek voorraad" has only a Haven report: the Waterwijk kernteam may not see it
    dossier_id = _link(app, world, ["own", "other_wijk"])
    client = login("kernteam")
    html = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    assert f'value="{world.themes["other_wijk"]}"' not in html
    response = client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Dossier Waterwijk", "problem": "Probleem",
        "theme": [str(world.themes["own"]), str(world.themes["spare"])]})
    assert response.status_code == 302
    assert _linked(app, dossier_id) == sorted(
        world.themes[n] for n in ("own", "other_wijk", "spare"))
    # unticking every theme it sees still keeps the one it does not see
    client.post(f"/werkruimte/dossiers/{dossier_id}", data={"title": "Dossier Waterwijk"})
    assert _linked(app, dossier_id) == [world.themes["other_wijk"]]
    # a theme id it may not see, sent by hand, is not linked
    client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Dossier Waterwijk", "theme": [str(world.themes["other_region"])]})
    assert _linked(app, dossier_id) == [world.themes["other_wijk"]]


def test_fix_dossier_the_asd_can_still_unlink_every_theme(app, world, login):
    dossier_id = _link(app, world, ["own", "other_wijk"])
    login("asd").post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Dossier Waterwijk", "theme": [str(world.themes["own"])]})
    assert _linked(app, dossier_id) == [world.themes["own"]]


def test_fix_dossier_the_pages_show_only_the_themes_and_wijken_the_user_may_see(app, world,
                                                                              login):
    # "Wachttijden zorg" has a Waterwijk and a Haven report; "Apotheek voorraad" only Haven
    dossier_id = _link(app, world, ["own", "other_wijk", "spare"])
    client = login("kernteam")
    html = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    assert "Apotheek voorraad" not in html
    themes = _fact(html, "Thema's")
    assert "Huisarts bereikbaarheid" in themes and "Wachttijden zorg" in themes
    assert "(en 1 gekoppeld thema dat u niet mag zien)" in themes
    assert _fact(html, "Wijken met deze meldingen").strip() == "Waterwijk"
    assert "Dit dossier is ook gekoppeld aan 1 thema dat u niet mag zien." in html
    english = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}?lang=en"))
    assert "(and 1 linked theme you may not see)" in english
    assert "This dossier is also linked to 1 theme you may not see. Saving keeps it linked." \
        in english
    report = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}/verslag?lang=nl"))
    assert "Apotheek voorraad" not in report and "Haven" not in report
    assert "(en 1 gekoppeld thema dat u niet mag zien)" in report
    listing = page_text(client.get("/werkruimte/dossiers?lang=nl"))
    assert "Huisarts bereikbaarheid" in listing and "Apotheek voorraad" not in listing
    # the ASD sees everything, and no note about hidden themes
    html = page_text(login("asd").get(f"/werkruimte/dossiers/{dossier_id}?lang=nl"))
    themes = _fact(html, "Thema's")
    assert "Apotheek voorraad" in themes and "niet mag zien" not in html
    assert _fact(html, "Wijken met deze meldingen").strip() == "Haven, Waterwijk"
