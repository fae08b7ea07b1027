"""Audit: a curation form sent after the theme was merged (by a colleague, or twice) changes
nothing and leads to where the reports are now, instead of a "you may not see this" page."""

from __future__ import annotations

import pytest

from participatie import db
from participatie.models import Theme, ThemeChange
from tests.factories.workspace import log_in_as

STALE = {
    "naam": {"label": "Nieuwe naam"},
    "status": {"status": "on_agenda", "notes": "Te laat"},
    "samenvoegen": {"target": "SPARE", "confirm": "yes"},
    "splitsen": {"signal": "SIGNAL", "label": "Afgesplitst"},
    "publiceren": {"title": "Titel", "summary": "Samenvatting", "public_status": "Besproken"},
    "depubliceren": {},
    "ongedaan-maken": {"change": "1"},
}


def _merge(client, world) -> None:
    own, spare = world.themes["own"], world.themes["spare"]
    response = client.post(f"/werkruimte/themas/{own}/samenvoegen",
                           data={"target": str(spare), "confirm": "yes"})
    assert response.status_code == 302


@pytest.mark.parametrize("action", sorted(STALE))
def test_a_form_for_a_theme_merged_meanwhile_changes_nothing_and_says_so(
        app, client, world, action):
    log_in_as(client, world.users["beheerder"])
    _merge(client, world)                       # a colleague merges "own" into "spare"
    with app.app_context():
        before = {t.id: (t.label, t.status, t.notes, t.merged_into_id)
                  for t in db.session().query(Theme)}
        changes = db.session().query(ThemeChange).count()
    log_in_as(client, world.users["asd"])      # the ASD member's page was open before that
    data = {key: value.replace("SPARE", str(world.themes["other_wijk"]))
            .replace("SIGNAL", str(world.signals["own"])) for key, value in STALE[action].items()}
    response = client.post(f"/werkruimte/themas/{world.themes['own']}/{action}", data=data)
    assert response.status_code == 302
    assert response.location.endswith(f"/werkruimte/themas/{world.themes['spare']}")
    page = client.get(response.location).get_data(as_text=True)
    assert "samengevoegd met een ander thema. Er is niets veranderd." in page
    with app.app_context():
        after = {t.id: (t.label, t.status, t.notes, t.merged_into_id)
                 for t in db.session().query(Theme)}
        assert after == before
        assert db.session().query(ThemeChange).count() == changes


def test_a_merge_confirmed_twice_merges_once(app, client, world):
    log_in_as(client, world.users["asd"])
    _merge(client, world)
    again = client.post(f"/werkruimte/themas/{world.themes['own']}/samenvoegen",
                        data={"target": str(world.themes["spare"]), "confirm": "yes"})
    assert again.status_code == 302 and again.location.endswith(
        f"/werkruimte/themas/{world.themes['spare']}")
    with app.app_context():
        assert db.session().get(Theme, world.themes["own"]).merged_into_id == world.themes["spare"]
        assert db.session().query(ThemeChange).filter_by(action="merged").count() == 1


def test_the_printable_report_of_a_merged_theme_leads_to_the_theme_it_was_merged_into(
        app, client, world):
    log_in_as(client, world.users["asd"])
    _merge(client, world)
    response = client.get(f"/werkruimte/themas/{world.themes['own']}/verslag")
    assert response.status_code == 302
    assert response.location.endswith(f"/werkruimte/themas/{world.themes['spare']}/verslag")
    report = client.get(response.location).get_data(as_text=True)
    assert "De huisarts is nooit bereikbaar." in report   # own's report is there now
