"""The dossier's forms: bounded numbers, blank texts, the discount rate, and a mistake keeps
what was typed (audit items 1, 4, 6 and 7)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from participatie import db
from participatie.models import Dossier, DossierAction, DossierEvidence, SroiInput, SroiOutcome
from tests.factories.workspace import page_text
from tests.factories.workspace import refused_by_field as _refused

INPUT = {"input-stakeholder": "Gemeente", "input-description": "Uren wijkteam",
         "input-hours": "12", "input-rate": "60", "input-costs": ""}
OUTCOME = {"outcome-stakeholder": "Mantelzorgers", "outcome-description": "Minder tijd kwijt",
           "outcome-indicator": "Uren per maand", "outcome-quantity": "40", "outcome-proxy": "",
           "outcome-value": "25", "outcome-source": "Eigen telling", "outcome-duration": "2",
           "outcome-deadweight": "10", "outcome-displacement": "0",
           "outcome-attribution": "20", "outcome-drop_off": "10"}


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))



def _stored(app, dossier_id: int) -> tuple:
    with app.app_context():
        found = db.session().get(Dossier, dossier_id)
        return (found.title, found.problem, found.stakeholders, found.discount_rate,
                sorted(t.id for t in found.themes))


# --- 1: numbers have an upper bound; the page never breaks on a stored one -------------------

@pytest.mark.parametrize("field, value, dutch, english", [
    ("input-hours", "1e27", "Vul het aantal uren in als getal van 0 tot en met 1.000.000.",
     "Enter the hours as a number from 0 to 1,000,000."),
    ("input-rate", "10001", "Vul het tarief per uur in euro in, van 0 tot en met 10.000.",
     "Enter the rate per hour in euros, from 0 to 10,000."),
    ("input-costs", "2000000000",
     "Vul de andere kosten in euro in, van 0 tot en met 1.000.000.000.",
     "Enter the other costs in euros, from 0 to 1,000,000,000."),
])
def test_fix_dossier_a_huge_input_is_refused_naming_the_field(app, world, login, field, value,
                                                              dutch, english):
    client = login("kernteam")
    url = f"/werkruimte/dossiers/{world.dossiers['own']}/inputs"
    page = _refused(client.post(url, data={**INPUT, field: value}), dutch, field)
    assert 'value="Uren wijkteam"' in page  # what was typed stays
    _refused(client.post(url + "?lang=en", data={**INPUT, field: value}), english, field)
    assert _count(app, SroiInput) == 0


@pytest.mark.parametrize("field, value, dutch, english", [
    ("outcome-quantity", "1e12", "Vul het aantal in als getal van 0 tot en met 10.000.000.",
     "Enter the quantity as a number from 0 to 10,000,000."),
    ("outcome-value", "99999999999",
     "Vul uw eigen waarde in euro in, van 0 tot en met 10.000.000.",
     "Enter your own value in euros, from 0 to 10,000,000."),
    ("outcome-deadweight", "101",
     "Vul het deadweight in als percentage van 0 tot en met 100.",
     "Enter the deadweight as a percentage from 0 to 100."),
    ("outcome-drop_off", "1e5",
     "Vul de afname per jaar (drop-off) in als percentage van 0 tot en met 100.",
     "Enter the drop-off as a percentage from 0 to 100."),
])
def test_fix_dossier_a_huge_outcome_figure_is_refused_naming_the_field(app, world, login, field,
                                                                       value, dutch, english):
    client = login("kernteam")
    url = f"/werkruimte/dossiers/{world.dossiers['own']}/outcomes"
    _refused(client.post(url, data={**OUTCOME, field: value}), dutch, field)
    _refused(client.post(url + "?lang=en", data={**OUTCOME, field: value}), english, field)
    assert _count(app, SroiOutcome) == 0


def test_fix_dossier_figures_within_the_bounds_are_stored(app, world, login):
    client = login("kernteam")
    url = f"/werkruimte/dossiers/{world.dossiers['own']}"
    assert client.post(url + "/inputs", data={**INPUT, "input-hours": "1000000",
                                              "input-rate": "10000"}).status_code == 302
    assert client.post(url + "/outcomes", data={**OUTCOME, "outcome-quantity": "10000000",
                                                "outcome-value": "10000000"}).status_code == 302
    with app.app_context():
        found = db.session().get(Dossier, world.dossiers["own"])
        assert (found.inputs[0].hours, found.inputs[0].rate) == (1_000_000, 10_000)
        assert (found.outcomes[0].quantity, found.outcomes[0].proxy_value) == (1e7, 1e7)
    assert "1.000.000" in page_text(client.get(url))


def test_fix_dossier_huge_stored_figures_do_not_break_the_page_report_or_pdf(app, world, login):
    """Old data may hold a figure from before the bounds: the pages still show."""
    with app.app_context():
        session = db.session()
        found = session.get(Dossier, world.dossiers["own"])
        found.inputs.append(SroiInput(stakeholder="Gemeente", description="Heel veel uren",
                                      hours=1e27, rate=10, costs=0))
        found.inputs.append(SroiInput(stakeholder="Gemeente", description="Nog meer",
                                      hours=1e300, rate=1e10, costs=0))
        found.outcomes.append(SroiOutcome(
            stakeholder="Inwoners", description="Beter bereikbaar", indicator="telefoontjes",
            quantity=1e30, proxy_value=33, proxy_source="Kostenhandleiding", duration=3,
            deadweight=0.1, attribution=0.1, displacement=0.0, drop_off=0.1))
        session.commit()
    client = login("meelezer")
    base = f"/werkruimte/dossiers/{world.dossiers['own']}"
    html = page_text(client.get(base))
    assert "Heel veel uren" in html and "1.000.000.000.000.000.000.000.000.000" in html
    assert "Heel veel uren" in page_text(client.get(base + "/verslag"))
    response = client.get(base + "/verslag.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "Heel veel uren" in " ".join(text.split())
    csv = client.get(base + "/impactkaart.csv")
    assert csv.status_code == 200 and "Beter bereikbaar" in csv.get_data(as_text=True)


def test_fix_dossier_the_decimal_filter_never_raises(app):
    from participatie.views.workspace.agenda import decimal_filter

    with app.test_request_context("/?lang=nl"):
        assert decimal_filter(1e28, "#,##0").startswith("10.000.000.000")
        assert decimal_filter(1.7e308, "0.00").endswith(",00")
        assert decimal_filter(float("inf"), "0.00") == "∞"
        assert decimal_filter(1234.5) == "1.234,5"
    with app.test_request_context("/?lang=en"):
        assert decimal_filter(1e28, "#,##0").startswith("10,000,000,000")


# --- 4: a mistake keeps what was typed in the form that was sent -------------------------------

def test_fix_dossier_a_mistake_in_the_dossier_form_keeps_what_was_typed(app, world, login):
    client = login("kernteam")
    dossier_id = world.dossiers["own"]
    before = _stored(app, dossier_id)
    problem = "NIEUW: mensen wachten nu ook bij de apotheek."
    page = _refused(client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Nieuwe titel", "problem": problem, "stakeholders": "Inwoners\nApotheek",
        "theme": [str(world.themes["own"])], "survey": "peiling-huisarts",
        "discount_rate": "2,25%"}),
        "Vul de discontovoet in als percentage van 0 tot en met 50, of laat het leeg voor de "
        "standaard.", "discount_rate")
    assert 'value="Nieuwe titel"' in page and f">{problem}</textarea>" in page
    assert ">Inwoners\nApotheek</textarea>" in page
    assert f'value="{world.themes["own"]}" checked' in page
    assert '<option value="peiling-huisarts" selected>' in page
    assert 'value="2,25%"' in page and "<details open>" in page
    assert _stored(app, dossier_id) == before


@pytest.mark.parametrize("path, data, kept, field, message", [
    ("/acties", {"action-what": "Wijkkrant artikel", "action-owner": "Kernteam",
                 "action-due": "31-12-2026"},
     [">Wijkkrant artikel</textarea>", 'value="Kernteam"', 'value="31-12-2026"'],
     "action-due", "Vul een datum in zoals 2026-12-31, of laat het leeg."),
    ("/bewijs", {"evidence-date": "2026-11-01", "evidence-text": "Telefooncijfers",
                 "evidence-link": "www.voorbeeld.nl"},
     [">Telefooncijfers</textarea>", 'value="2026-11-01"', 'value="www.voorbeeld.nl"'],
     "evidence-link", "Een link begint met https://."),
    ("/inputs", {**INPUT, "input-hours": "12 uur"},
     ['value="Gemeente"', 'value="Uren wijkteam"', 'value="12 uur"', 'value="60"'],
     "input-hours", "Vul het aantal uren in als getal van 0 tot en met 1.000.000."),
    ("/outcomes", {**OUTCOME, "outcome-stakeholder": " ", "outcome-proxy": "huisarts_consult",
                   "outcome-value": ""},
     ['<option value="huisarts_consult" selected>', 'value="Minder tijd kwijt"'],
     "outcome-stakeholder", "Zeg voor wie er iets verandert."),
    ("/outcomes", {**OUTCOME, "outcome-source": ""},
     ['value="Mantelzorgers"', 'value="Minder tijd kwijt"', 'value="Uren per maand"',
      'name="outcome-quantity" value="40"', 'name="outcome-value" value="25"',
      'name="outcome-duration" value="2"', 'name="outcome-deadweight" value="10"',
      'name="outcome-attribution" value="20"', 'name="outcome-drop_off" value="10"'],
     "outcome-source", "Noem de bron van uw eigen bedrag."),
])
def test_fix_dossier_a_mistake_in_a_row_form_keeps_what_was_typed(app, world, login, path, data,
                                                                  kept, field, message):
    client = login("kernteam")
    dossier_id = world.dossiers["own"]
    before = _stored(app, dossier_id)
    page = _refused(client.post(f"/werkruimte/dossiers/{dossier_id}{path}", data=data),
                    message, field)
    for snippet in kept:
        assert snippet in page, snippet
    # the dossier form shows what is stored and stays closed; the other forms are empty
    assert 'value="Dossier Waterwijk"' in page and ">Probleem</textarea>" in page
    assert "<details open>" not in page
    sent = field.split("-")[0]
    for other, size in (("action-owner", 200), ("input-stakeholder", 200),
                        ("outcome-stakeholder", 500)):
        if not other.startswith(sent):
            assert f'name="{other}" maxlength="{size}" value=""' in page, other
    assert _stored(app, dossier_id) == before
    assert _count(app, SroiInput) == 0 and _count(app, SroiOutcome) == 0


def test_fix_dossier_a_problem_that_is_too_long_is_explained_by_its_field(app, world, login):
    client = login("asd")
    long_text = "x" * 5001
    page = _refused(client.post(f"/werkruimte/dossiers/{world.dossiers['own']}?lang=en",
                                data={"title": "Titel", "problem": long_text}),
                    "Make this text at most 5000 characters long.", "problem")
    assert f">{long_text}</textarea>" in page and "<details open>" in page


# --- 6: a required text of only spaces is empty ------------------------------------------------

@pytest.mark.parametrize("blank", [" ", "\u00a0", " \t\u00a0 "])
def test_fix_dossier_a_title_of_spaces_is_asked_for_again(app, world, login, blank):
    client = login("asd")
    before = _count(app, Dossier)
    page = _refused(client.post("/werkruimte/dossiers", data={"wijk": "waterwijk",
                                                              "title": blank}),
                    "Vul een titel in van hoogstens 200 tekens.", "title")
    assert _count(app, Dossier) == before
    dossier_id = world.dossiers["own"]
    stored = _stored(app, dossier_id)
    page = _refused(client.post(f"/werkruimte/dossiers/{dossier_id}?lang=en",
                                data={"title": blank, "problem": "Nieuw probleem"}),
                    "Enter a title of at most 200 characters.", "title")
    assert ">Nieuw probleem</textarea>" in page
    assert _stored(app, dossier_id) == stored


@pytest.mark.parametrize("path, data, field, message, kept", [
    ("/acties", {"action-what": " ", "action-owner": "Kernteam"}, "action-what",
     "Zeg wat er gaat gebeuren.", 'value="Kernteam"'),
    ("/acties", {"action-what": "Bellen", "action-owner": "\u00a0"}, "action-owner",
     "Zeg wie de actie trekt.", ">Bellen</textarea>"),
    ("/bewijs", {"evidence-date": "2026-01-01", "evidence-text": " "}, "evidence-text",
     "Beschrijf het bewijs.", 'value="2026-01-01"'),
    ("/inputs", {**INPUT, "input-description": "  "}, "input-description",
     "Beschrijf de inzet.", 'value="Gemeente"'),
    ("/outcomes", {**OUTCOME, "outcome-source": " "}, "outcome-source",
     "Noem de bron van uw eigen bedrag.", 'value="Mantelzorgers"'),
])
def test_fix_dossier_row_texts_of_spaces_are_asked_for_again(app, world, login, path, data,
                                                             field, message, kept):
    client = login("kernteam")
    counts = [_count(app, m) for m in (DossierAction, DossierEvidence, SroiInput, SroiOutcome)]
    page = _refused(client.post(f"/werkruimte/dossiers/{world.dossiers['own']}{path}",
                                data=data), message, field)
    assert kept in page
    assert [_count(app, m) for m in (DossierAction, DossierEvidence, SroiInput,
                                     SroiOutcome)] == counts


# --- 7: the discount rate ----------------------------------------------------------------------

@pytest.mark.parametrize("rate", ["100", "50,01", "1e3"])
def test_fix_dossier_an_impossible_discount_rate_is_refused_kindly(app, world, login, rate):
    client = login("kernteam")
    dossier_id = world.dossiers["own"]
    stored = _stored(app, dossier_id)
    data = {"title": "Huisarts slecht bereikbaar", "problem": "Nieuwe tekst",
            "discount_rate": rate}
    page = _refused(client.post(f"/werkruimte/dossiers/{dossier_id}", data=data),
                    "Vul de discontovoet in als percentage van 0 tot en met 50, of laat het leeg "
                    "voor de standaard.", "discount_rate")
    assert 'value="Huisarts slecht bereikbaar"' in page and ">Nieuwe tekst</textarea>" in page
    _refused(client.post(f"/werkruimte/dossiers/{dossier_id}?lang=en", data=data),
             "Enter the discount rate as a percentage from 0 to 50, or leave it empty for the "
             "standard rate.", "discount_rate")
    assert _stored(app, dossier_id) == stored


@pytest.mark.parametrize("rate, stored", [("2,25", 0.0225), ("50", 0.5), (" ", None),
                                          ("", None)])
def test_fix_dossier_a_discount_rate_in_range_is_stored(app, world, login, rate, stored):
    client = login("kernteam")
    dossier_id = world.dossiers["own"]
    response = client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Titel", "problem": "Tekst", "discount_rate": rate})
    assert response.status_code == 302
    saved = _stored(app, dossier_id)[3]
    assert saved is None if stored is None else saved == pytest.approx(stored)


def test_fix_dossier_the_service_refuses_figures_above_the_bounds(app, world):
    from participatie import dossiers, sroi
    from participatie.models import User

    with app.app_context():
        session = db.session()
        user = session.get(User, world.users["asd"])
        found = session.get(Dossier, world.dossiers["own"])
        with pytest.raises(dossiers.DossierError):
            dossiers.add_input(session, user, found, sroi.Input("a", "b", 1e27, 10, 0))
        with pytest.raises(dossiers.DossierError):
            dossiers.add_outcome(session, user, found, sroi.Outcome(
                "a", "b", "c", 1e12, 33, "bron", 1, 0, 0, 0, 0))
        session.rollback()
