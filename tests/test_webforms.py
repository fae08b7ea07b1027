import pytest
from werkzeug.datastructures import MultiDict

from participatie import filling
from participatie.questionnaires import QUESTION_TYPES, load_all
from participatie.webforms import FIELD_TYPES, Context, clean, is_active


@pytest.fixture
def forms(project_root):
    return load_all(project_root / "forms")


CTX = Context(lang="nl", wijk_groups=[("Almere Haven", [("haven", "Haven")])],
              disciplines=[("huisartsen", "Huisarts")])


def test_webforms_one_registry_entry_per_question_type():
    assert set(FIELD_TYPES) == set(QUESTION_TYPES)


def test_webforms_clean_normalises_and_trims():
    assert clean("  Cafe\u0301\n") == "Café" and clean(None) is None


def _page_form(app, form, page_id, data):
    page = form.pages[form.page_index(page_id)]
    with app.test_request_context(method="POST"):
        page_form = filling.build(page, CTX, {}, formdata=MultiDict(data), csrf=False)
        ok = page_form.validate()
        return ok, {k: [str(e) for e in v] for k, v in page_form.errors.items()}, page_form


def test_webforms_required_choice_and_length(app, forms):
    ok, errors, _ = _page_form(app, forms["knelpunt"], "wat", {"wat": "kort"})
    assert not ok
    assert errors["wat"] == ["Schrijf minstens 20 tekens. Dan begrijpen we beter wat er misgaat. "
                             "U schreef er 4."]
    ok, errors, _ = _page_form(app, forms["knelpunt"], "zorg", {"zorg": "tandarts"})
    assert errors["zorg"] == ["Kies een van de antwoorden die er staan."]
    ok, errors, page_form = _page_form(app, forms["knelpunt"], "wat", {"wat": "x" * 2001})
    assert errors == {"wat": ["Schrijf niet meer dan 2000 tekens. U schreef er 2001."]}


def test_webforms_condition_skips_validation_and_optional_may_be_empty(app, forms):
    ok, errors, page_form = _page_form(app, forms["knelpunt"], "over_u",
                                       {"wie": "inwoner", "wie_anders": "x" * 500})
    assert ok, errors
    ok, errors, _ = _page_form(app, forms["knelpunt"], "over_u",
                               {"wie": "anders", "wie_anders": "x" * 500})
    assert errors == {"wie_anders": ["Schrijf niet meer dan 100 tekens. U schreef er 500."]}


def test_webforms_number_and_contact(app, forms):
    ok, errors, _ = _page_form(app, forms["clientenraad"], "organisatie",
                               {"organisatie": "Raad", "geraadpleegd": "twaalf"})
    assert errors == {"geraadpleegd": ["Vul een heel getal in, bijvoorbeeld 12."]}
    ok, errors, _ = _page_form(app, forms["knelpunt"], "contact", {"contact-consent": "yes"})
    assert errors == {"contact": {"email": ["Vul een e-mailadres of een telefoonnummer in."]}} \
        or "email" in str(errors)
    ok, errors, page_form = _page_form(app, forms["knelpunt"], "contact",
                                       {"contact-consent": "no", "contact-email": "x"})
    assert ok and filling.contact(forms["knelpunt"], page_form.answers()) is None


def test_webforms_answers_become_knelpunten_and_stored_answers(app, forms):
    form = forms["clientenraad"]
    answers = {"organisatie": "Raad", "geraadpleegd": "4", "knelpunten": [
        {"wijken": ["haven"], "beschrijving": "Bel Piet", "zorg": ["weet_niet"]},
        {"wijken": ["haven", "waterwijk"], "beschrijving": "Geen plek",
         "zorg": ["thuiszorg", "fysio", "huisartsen"]}],
        "contact": {"consent": "yes", "name": "Ans", "email": "a@example.org", "phone": ""}}
    with app.app_context():
        items = filling.knelpunten(form, answers)
    assert [k.text for k in items] == ["Bel Piet", "Geen plek"]
    assert items[0].disciplines == [] and items[1].wijk_slugs == ["haven", "waterwijk"]
    # residents' words map onto the disciplines behind them; an old discipline code stays
    assert items[1].disciplines == ["wijkverpleging", "fysiotherapie", "oefentherapie",
                                    "huisartsen"]
    stored = filling.stored_answers(form, answers, str.upper)
    assert stored["knelpunten"][0]["beschrijving"] == "BEL PIET"
    assert stored["organisatie"] == "RAAD" and "contact" not in stored
    assert filling.contact(form, answers).email == "a@example.org"
    assert filling.reporter_role(form, answers) == "clientenraad"


def test_webforms_is_active_and_pages(forms):
    form = forms["knelpunt"]
    wie_anders = form.questions()["wie_anders"]
    assert not is_active(wie_anders, {"wie": "inwoner"})
    assert is_active(wie_anders, {"wie": "anders"})
    assert [p.id for p in filling.active_pages(form, {})] == [p.id for p in form.pages]


def test_webforms_check_rows_read_back_answers(forms):
    form = forms["peiling-huisarts"]
    rows = filling.check_rows(form, CTX, {"telefoon": "2", "hoe": ["app", "balie"],
                                          "ingeschreven": "yes", "wijk": "haven"})
    values = {r.label: r.value for r in rows}
    assert values["Hoe makkelijk krijgt u de praktijk aan de telefoon?"] == "Moeilijk"
    assert values["Hoe neemt u meestal contact op?"] == "App of website, Aan de balie"
    assert values["In welke wijk woont u?"] == "Haven"
    assert "Waarom niet?" not in values
