"""The RESV meeting page's forms: a mistake keeps what was typed, with a message by the field
(audit items 6 and 9)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participatie import db
from participatie.models import AgendaItem, Agreement
from tests.factories.workspace import page_text
from tests.factories.workspace import refused_by_field as _refused

WHAT = "De praktijken zetten een terugbelservice op."


def _agreements(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Agreement))



@pytest.mark.parametrize("data, field, dutch, english, kept", [
    ({"what": WHAT, "who": ""}, "who", "Zeg wie het doet.", "Say who does it.",
     [f">{WHAT}</textarea>"]),
    ({"what": WHAT, "who": "\u00a0 "}, "who", "Zeg wie het doet.", "Say who does it.",
     [f">{WHAT}</textarea>"]),
    ({"what": " ", "who": "ASD"}, "what", "Zeg wat er is afgesproken.", "Say what was agreed.",
     ['value="ASD"']),
    ({"what": WHAT, "who": "Huisartsen", "due_on": "31-12-2026"}, "due",
     "Vul een datum in zoals 2026-12-31, of laat het leeg.",
     "Enter a date like 2026-12-31, or leave it empty.",
     [f">{WHAT}</textarea>", 'value="Huisartsen"', 'value="31-12-2026"']),
])
def test_fix_dossier_an_agreement_with_a_mistake_keeps_what_was_typed(app, world, login, data,
                                                                      field, dutch, english,
                                                                      kept):
    client = login("asd")
    before = _agreements(app)
    key = f"agreement-{world.themes['own']}"
    url = f"/werkruimte/resv/{world.meetings['own']}/afspraken"
    page = _refused(client.post(url, data={"theme": str(world.themes["own"]), **data}),
                    dutch, f"{key}-{field}")
    for snippet in kept:
        assert snippet in page, snippet
    _refused(client.post(url + "?lang=en", data={"theme": str(world.themes["own"]), **data}),
             english, f"{key}-{field}")
    assert _agreements(app) == before


def test_fix_dossier_a_question_that_is_too_long_is_explained_and_kept(app, world, login):
    client = login("asd")
    meeting_id, item_id = world.meetings["own"], world.agenda_items["own"]
    html = page_text(client.get(f"/werkruimte/resv/{meeting_id}"))
    assert f'id="question-{item_id}" name="question" rows="2" maxlength="5000"' in html
    question = "Vraag aan de tafel. " * 300
    url = f"/werkruimte/resv/{meeting_id}/punten/{item_id}"
    page = _refused(client.post(url, data={"question": question, "kernteam_done": "Gebeld"}),
                    "Maak de vraag niet langer dan 5000 tekens.", f"question-{item_id}")
    assert f">{question.strip()}</textarea>" not in page  # kept as typed, not stripped
    assert f">{question}</textarea>" in page and ">Gebeld</textarea>" in page
    page = _refused(client.post(url + "?lang=en", data={"question": "Vraag",
                                                         "kernteam_done": "x" * 5001}),
                    "Make what the kernteam did at most 5000 characters long.",
                    f"done-{item_id}")
    assert ">Vraag</textarea>" in page
    with app.app_context():
        item = db.session().get(AgendaItem, item_id)
        assert (item.question, item.kernteam_done) == ("", "")
