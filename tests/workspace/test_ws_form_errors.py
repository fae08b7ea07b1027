"""Workspace forms read their input through Flask-WTF classes: a mistake shows a message in the
page, keeps what was typed and changes nothing (issue 12, structure)."""

from __future__ import annotations

import html as htmllib

import pytest
from sqlalchemy import func, select

from participatie import db
from participatie.models import AuditEvent, Signal, Theme, ThemeMembership, Wijk


def _snapshot(app, world) -> tuple:
    """Everything these forms could change."""
    with app.app_context():
        session = db.session()
        themes = tuple(session.execute(select(Theme.id, Theme.label, Theme.status, Theme.notes,
                                              Theme.merged_into_id).order_by(Theme.id)).all())
        places = tuple(session.execute(select(ThemeMembership.signal_id, ThemeMembership.theme_id,
                                              ThemeMembership.source)
                                       .order_by(ThemeMembership.signal_id)).all())
        wijken = tuple(session.execute(select(Wijk.id, Wijk.name, Wijk.active)
                                       .order_by(Wijk.id)).all())
        statuses = tuple(session.execute(select(Signal.id, Signal.status, Signal.public_reply)
                                         .order_by(Signal.id)).all())
        audit = session.scalar(select(func.count(AuditEvent.id)))
        return themes, places, wijken, statuses, audit


def _refused(response, message: str, field_id: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert f'href="#{field_id}"' in page  # the summary links to the field
    assert f'id="{field_id}-error"' in page and message in htmllib.unescape(page)
    assert f'aria-describedby="{field_id}-error' in page
    return page


def test_ws_form_errors_theme_status_and_notes(app, login, world):
    client = login("asd")
    own = world.themes["own"]
    before = _snapshot(app, world)
    page = _refused(client.post(f"/werkruimte/themas/{own}/status",
                                data={"status": "frobnicated", "notes": "Mei-overleg"}),
                    "Kies een status.", "theme-status")
    assert ">Mei-overleg</textarea>" in page  # the notes typed are kept
    long_notes = "x" * 5001
    page = _refused(client.post(f"/werkruimte/themas/{own}/status",
                                data={"status": "on_agenda", "notes": long_notes}),
                    "Maak de notities korter dan 5000 tekens.", "notes")
    assert long_notes in page
    assert '<option value="on_agenda" selected>' in page
    assert _snapshot(app, world) == before


@pytest.mark.parametrize("value", ["", "abc", "999999", "{own}", "{other_region}"])
def test_ws_form_errors_theme_merge_target(app, login, world, value):
    client = login("asd")
    own = world.themes["own"]
    before = _snapshot(app, world)
    target = value.format(own=own, other_region=world.themes["other_region"])
    _refused(client.post(f"/werkruimte/themas/{own}/samenvoegen",
                         data={"target": target, "confirm": "yes"}),
             "Kies het thema om mee samen te voegen.", "target")
    assert _snapshot(app, world) == before


def test_ws_form_errors_theme_merge_asks_with_the_choice(login, world):
    client = login("asd")
    own, spare = world.themes["own"], world.themes["spare"]
    asked = client.post(f"/werkruimte/themas/{own}/samenvoegen", data={"target": str(spare)})
    assert asked.status_code == 200 and f'name="target" value="{spare}"' in asked.get_data(
        as_text=True)


def test_ws_form_errors_rename_and_split_keep_what_was_typed(app, login, world):
    client = login("asd")
    spare = world.themes["spare"]
    before = _snapshot(app, world)
    page = _refused(client.post(f"/werkruimte/themas/{spare}/naam", data={"label": "x" * 201}),
                    "Vul een naam in van hoogstens 200 tekens.", "label")
    assert 'value="' + "x" * 201 + '"' in page
    page = _refused(client.post(f"/werkruimte/themas/{spare}/splitsen",
                                data={"label": "", "signal": [str(world.signals["mixed"])]}),
                    "Vul een naam in van hoogstens 200 tekens.", "split-label")
    assert f'value="{world.signals["mixed"]}" id="s-{world.signals["mixed"]}" checked' in page
    page = _refused(client.post(f"/werkruimte/themas/{spare}/splitsen",
                                data={"label": "Fysiotherapie"}),
                    "Kies minstens één melding om af te splitsen.", "split-signals")
    assert 'value="Fysiotherapie"' in page
    assert _snapshot(app, world) == before


@pytest.mark.parametrize("path", ["/werkruimte/meldingen/{s}/thema",
                                  "/werkruimte/te-beoordelen/{s}"])
def test_ws_form_errors_a_new_theme_needs_a_name(app, login, world, path):
    client = login("asd")
    before = _snapshot(app, world)
    url = path.format(s=world.signals["own"])
    page = _refused(client.post(url, data={"action": "move", "theme": "new", "label": "  "}),
                    "Geef het nieuwe thema een naam.", "new-label")
    assert '<option value="new" selected>' in page  # the choice is kept
    assert "De huisarts is nooit bereikbaar." in page  # the same report is shown
    long_name = "y" * 201
    page = _refused(client.post(url, data={"action": "move", "theme": "new",
                                           "label": long_name}),
                    "Vul een naam in van hoogstens 200 tekens.", "new-label")
    assert f'value="{long_name}"' in page
    page = _refused(client.post(url, data={"action": "move", "theme": ""}),
                    "Kies een thema, of geef het nieuwe thema een naam.", "theme")
    assert _snapshot(app, world) == before


def test_ws_form_errors_report_status_keeps_the_reply(app, login, world):
    client = login("asd")
    before = _snapshot(app, world)
    page = _refused(client.post(f"/werkruimte/meldingen/{world.signals['own']}/status",
                                data={"status": "unknown", "reply": "We bellen u morgen."}),
                    "Kies een status.", "status")
    assert ">We bellen u morgen.</textarea>" in page
    assert _snapshot(app, world) == before


@pytest.mark.parametrize("data, message", [
    ({"name": "z" * 201}, "Vul een naam in van hoogstens 200 tekens."),
    ({"name": "   "}, "Vul de nieuwe naam van de wijk in."),
    ({"active": "maybe"}, "Vul de nieuwe naam van de wijk in."),
])
def test_ws_form_errors_wijk_change(app, login, world, data, message):
    client = login("beheerder")
    wijk_id = world.wijk_ids["own"]
    before = _snapshot(app, world)
    page = _refused(client.post(f"/werkruimte/wijken/{wijk_id}", data=data), message,
                    f"name-{wijk_id}")
    if data.get("name", "").strip():
        assert f'value="{data["name"]}"' in page
    assert page.count(f'id="name-{wijk_id}"') == 1 and 'id="name-"' not in page
    assert _snapshot(app, world) == before
