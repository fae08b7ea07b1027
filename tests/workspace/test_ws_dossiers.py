"""Knelpunt dossiers through the URLs: who may edit, what is stored and shown, report PDF, CSV."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from participatie import db
from participatie.models import AuditEvent, Dossier, SroiOutcome, Wijk
from tests.factories.workspace import page_text


def _dossier(app, world, wijk="own", title="Huisarts onbereikbaar") -> int:
    from participatie import dossiers
    from participatie.models import User

    with app.app_context():
        session = db.session()
        user = session.get(User, world.users["asd"])
        wijk_row = session.get(Wijk, world.wijk_ids[wijk])
        found = dossiers.create(session, user, wijk_row, title, "De huisarts is slecht bereikbaar.",
                                [world.themes["own"]])
        session.commit()
        return found.id


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


OUTCOME = {"outcome-stakeholder": "inwoners", "outcome-description": "minder vaak bellen",
           "outcome-indicator": "telefoontjes minder", "outcome-quantity": "100",
           "outcome-proxy": "huisarts_consult", "outcome-duration": "3",
           "outcome-deadweight": "20", "outcome-displacement": "0", "outcome-attribution": "25",
           "outcome-drop_off": "10"}
INPUT = {"input-stakeholder": "kernteam", "input-description": "uren", "input-hours": "40",
         "input-rate": "50", "input-costs": "1000"}


def test_kernteam_of_the_wijk_builds_a_dossier_with_an_sroi(app, world, login):
    client = login("kernteam")
    response = client.post("/werkruimte/dossiers", data={"wijk": "waterwijk",
                                                         "title": "Bereikbaarheid huisarts"})
    assert response.status_code == 302
    dossier_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Bereikbaarheid huisarts", "problem": "Mensen komen niet door aan de telefoon.",
        "stakeholders": "inwoners\nhuisartsen\n", "theme": [str(world.themes["own"])],
        "survey": "peiling-huisarts", "before_period": "", "after_period": "",
        "discount_rate": ""})
    assert response.status_code == 302
    assert client.post(f"/werkruimte/dossiers/{dossier_id}/inputs", data=INPUT).status_code == 302
    assert client.post(f"/werkruimte/dossiers/{dossier_id}/outcomes",
                       data=OUTCOME).status_code == 302
    assert client.post(f"/werkruimte/dossiers/{dossier_id}/acties", data={
        "action-what": "Terugbelservice", "action-owner": "Huisartsenpraktijk",
        "action-due": "2026-12-31"}
                       ).status_code == 302
    html = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    assert "Mensen komen niet door aan de telefoon." in html
    assert "Terugbelservice" in html and "Huisarts bereikbaarheid" in html
    # 100 x 33 x 0.8 x 0.75 = 1980 in year 1; inputs 40 x 50 + 1000 = 3000
    assert "1.980" in html and "3.000" in html
    with app.app_context():
        found = db.session().get(Dossier, dossier_id)
        assert found.stakeholders == ["inwoners", "huisartsen"]
        outcome = found.outcomes[0]
        assert (outcome.proxy_value, outcome.deadweight, outcome.duration) == (33, 0.2, 3)
        assert "Kostenhandleiding" in outcome.proxy_source
        actions = db.session().scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "dossier")).all()
        assert {"dossier_add", "dossier_edit", "sroi_input", "sroi_outcome",
                "dossier_action"} <= set(actions)


def test_impact_map_csv_has_the_outcome_and_the_ratio(app, world, login):
    dossier_id = _dossier(app, world)
    client = login("asd")
    client.post(f"/werkruimte/dossiers/{dossier_id}/inputs", data=INPUT)
    client.post(f"/werkruimte/dossiers/{dossier_id}/outcomes", data=OUTCOME)
    response = client.get(f"/werkruimte/dossiers/{dossier_id}/impactkaart.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffbelanghebbende;verandering (outcome);indicator")
    # decimals with a comma: Dutch Excel reads "1980.0" as 19800 and "1.71" as a date
    assert "inwoners;minder vaak bellen;telefoontjes minder;100,0;33,0;" in text
    assert "impact jaar 1 (EUR)" in text and ";1980,0;" in text
    # present value 1980/1.0225 + 1782/1.0225^2 + 1603.8/1.0225^3 = 5141.11; / 3000 = 1.71
    assert "SROI-ratio;" in text and text.rstrip().endswith(";1,71")


def test_the_report_pdf_is_a_real_pdf_with_the_dossier_in_it(app, world, login):
    dossier_id = _dossier(app, world)
    client = login("meelezer")
    with app.app_context():
        from participatie import dossiers, sroi
        from participatie.models import User

        session = db.session()
        user = session.get(User, world.users["asd"])
        found = session.get(Dossier, dossier_id)
        dossiers.add_input(session, user, found, sroi.Input("kernteam", "uren", 40, 50, 1000))
        dossiers.add_outcome(session, user, found, sroi.Outcome(
            "inwoners", "minder vaak bellen", "telefoontjes", 100, 33, "Kostenhandleiding", 3,
            0.2, 0.25, 0.0, 0.1))
        session.commit()
    response = client.get(f"/werkruimte/dossiers/{dossier_id}/verslag.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    body = response.get_data()
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Huisarts onbereikbaar" in text
    assert "Waterwijk" in text
    assert "1,71 : 1" in text or "1.71 : 1" in text
    assert "Kostenhandleiding" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


@pytest.mark.parametrize("path, data", [
    ("", {"title": "Gekaapt", "problem": "x", "stakeholders": ""}),
    ("/inputs", INPUT),
    ("/outcomes", OUTCOME),
    ("/acties", {"action-what": "x", "action-owner": "y"}),
    ("/bewijs", {"evidence-date": "2026-11-01", "evidence-text": "x"}),
])
def test_kernteam_of_another_wijk_and_meelezer_cannot_change_a_dossier(app, world, login, path,
                                                                       data):
    dossier_id = _dossier(app, world, wijk="other_wijk", title="Haven dossier")
    before = {m: _count(app, m) for m in (SroiOutcome, AuditEvent)}
    client = login("kernteam")   # kernteam of Waterwijk; the dossier is Haven's
    assert client.post(f"/werkruimte/dossiers/{dossier_id}{path}", data=data).status_code == 403
    assert client.get(f"/werkruimte/dossiers/{dossier_id}").status_code == 403
    assert client.get(f"/werkruimte/dossiers/{dossier_id}/verslag.pdf").status_code == 403
    login("meelezer")
    assert client.post(f"/werkruimte/dossiers/{dossier_id}{path}", data=data).status_code == 403
    assert "Haven dossier" in page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    with app.app_context():
        assert db.session().get(Dossier, dossier_id).title == "Haven dossier"
        assert db.session().get(Dossier, dossier_id).actions == []
    assert {m: _count(app, m) for m in (SroiOutcome, AuditEvent)} == before


def test_kernteam_cannot_start_a_dossier_for_another_wijk(app, world, login):
    before = _count(app, Dossier)
    client = login("kernteam")
    response = client.post("/werkruimte/dossiers", data={"wijk": "haven", "title": "Niet van ons"})
    assert response.status_code == 403
    assert _count(app, Dossier) == before
    listing = page_text(client.get("/werkruimte/dossiers"))
    assert 'value="waterwijk"' in listing and 'value="haven"' not in listing


def test_asd_of_another_region_gets_403(app, world, login):
    dossier_id = _dossier(app, world)
    client = login("other_region_asd")
    assert client.get(f"/werkruimte/dossiers/{dossier_id}").status_code == 403
    assert client.post(f"/werkruimte/dossiers/{dossier_id}/inputs", data=INPUT).status_code == 403


def test_wrong_numbers_are_explained_and_nothing_is_stored(app, world, login):
    dossier_id = _dossier(app, world)
    client = login("asd")
    response = client.post(f"/werkruimte/dossiers/{dossier_id}/outcomes",
                           data={**OUTCOME, "outcome-deadweight": "120",
                                 "outcome-duration": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="outcome-deadweight-error"' in html and 'id="outcome-duration-error"' in html
    assert _count(app, SroiOutcome) == 0
    response = client.post(f"/werkruimte/dossiers/{dossier_id}/inputs",
                           data={**INPUT, "input-hours": "0", "input-costs": "0"})
    assert response.status_code == 400
    assert "SROI" in page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))


def test_a_broken_proxies_file_is_named_on_the_dossier_page(app, world, login, tmp_path):
    broken = tmp_path / "proxies.yaml"
    broken.write_text("discount_rate:\n  value: 0.02\n  source: x\nproxies:\n  - id: a\n"
                      "    value: 3\n", encoding="utf-8")
    app.config["SROI_PROXIES_FILE"] = str(broken)
    dossier_id = _dossier(app, world)
    html = page_text(login("asd").get(f"/werkruimte/dossiers/{dossier_id}"))
    assert f"{broken}, line 5: &#39;source&#39; is missing" in html


def test_quarters_read_as_months_not_as_codes(app, world, login):
    from participatie.i18n import format_quarter

    with app.test_request_context("/?lang=nl"):
        assert format_quarter("2026-Q4") == "okt–dec 2026" and format_quarter("x") == "x"
    with app.test_request_context("/?lang=en"):
        assert format_quarter("2027-Q1") == "Jan–Mar 2027"
    dossier_id = _dossier(app, world)
    html = page_text(login("asd").get(f"/werkruimte/dossiers/{dossier_id}"))
    options = re.findall(r'<option value="(\d{4}-Q[1-4])"[^>]*>([^<]*)</option>', html)
    assert options and all(re.fullmatch(r"[a-z]{3}–[a-z]{3} \d{4}", label) for _, label in options)
