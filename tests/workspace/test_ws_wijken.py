"""The beheerder's wijken page: add, rename, switch a kernteam on or off; the forms at a glance."""

from __future__ import annotations

from sqlalchemy import select

from participatie import db
from participatie.models import AuditEvent, Wijk
from participatie.views.workspace.wijken import slugify


def _wijk(app, slug):
    with app.app_context():
        return db.session().scalar(select(Wijk).where(Wijk.slug == slug))


def test_ws_wijken_slugify_keeps_names_readable():
    assert slugify("Tussen de Vaarten") == "tussen-de-vaarten"
    assert slugify("  Één/Twee ") == "een-twee"


def test_ws_wijken_page_lists_wijken_and_forms(login):
    page = login("beheerder").get("/werkruimte/wijken").get_data(as_text=True)
    assert "Waterwijk" in page and "Almere Haven" in page
    assert "Meld een knelpunt" in page and "/formulier/knelpunt" in page
    assert "Atolwijk" not in page


def test_ws_wijken_add_a_wijk_and_keep_input_on_errors(app, login):
    client = login("beheerder")
    missing = client.post("/werkruimte/wijken", data={"name": "Hoekwijk", "stadsdeel": ""})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and 'href="#stadsdeel"' in html
    assert 'value="Hoekwijk"' in html
    twice = client.post("/werkruimte/wijken", data={"name": "Waterwijk", "stadsdeel": "X"})
    assert twice.status_code == 400
    added = client.post("/werkruimte/wijken", data={"name": "Hoekwijk",
                                                     "stadsdeel": "Almere Buiten"})
    assert added.status_code == 302
    wijk = _wijk(app, "hoekwijk")
    assert (wijk.name, wijk.stadsdeel, wijk.active) == ("Hoekwijk", "Almere Buiten", False)


def test_ws_wijken_rename_and_switch_on_kernteam_are_audited(app, login):
    client = login("beheerder")
    wijk = _wijk(app, "stedenwijk")
    client.post(f"/werkruimte/wijken/{wijk.id}", data={"active": "1"})
    client.post(f"/werkruimte/wijken/{wijk.id}", data={"name": "Stedenwijk-Midden"})
    changed = _wijk(app, "stedenwijk")
    assert changed.active and changed.name == "Stedenwijk-Midden" and changed.slug == "stedenwijk"
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "wijk")).all()
    assert actions == ["change", "change"]
