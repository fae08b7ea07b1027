"""Property-based: whatever a visitor sends to any form field or any route, never a 5xx.

Runs on SQLite, and on PostgreSQL when PARTICIPATIE_TEST_DATABASE_URL is set (like every test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from participatie import db
from tests.factories.workspace import build_world, log_in_as
from tests.formfill import Filler, fill_knelpunt

VIEWS = Path(__file__).resolve().parents[1] / "participatie" / "views"
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

NASTY = [
    "", " ", "0", "-1", "²", "١٢٣", "１２", str(2**63), str(2**64), str(2**70), "9" * 40,
    "1e309", "NaN", "\x00", "a\x00b", "\r\n", "/werkruimte\r\nX-Evil: 1", "//evil.example",
    "https://evil.example", "\\\\evil", "/\\evil", "javascript:alert(1)", "<script>x</script>",
    "{}", "[]", '{"a": [[[[[[1]]]]]]}', "[" * 3000, "null", "true", "\u202e\u200b\ufeff",
    "x" * 5000, "é" * 400, "🙂" * 300, "%00", "..", "../..", "yes", "no", "submit", "next",
]


SWEEP = ["²", str(2**64), "\x00", "/werkruimte\r\nX-Evil: 1", "[" * 3000, "x" * 5000]


def nasty_text() -> st.SearchStrategy[str]:
    """Strings visitors (or tools) send: edge cases plus generated text without surrogates."""
    generated = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
    edge = st.sampled_from(NASTY)
    return st.one_of(edge, edge, edge, generated)  # mostly the known troublemakers


def _names_read_by_views() -> list[str]:
    """Every request field name the views read (so each field gets odd values)."""
    found: set[str] = set()
    for path in VIEWS.rglob("*.py"):
        source = path.read_text()
        found.update(re.findall(r"\.(?:get|getlist)\(\"([A-Za-z0-9_-]+)\"", source))
        found.update(re.findall(r"form\[\"([a-z_]+)\"\]", source))
    return sorted(found)


FIELD_NAMES = _names_read_by_views()


def _post(client, url: str, data: MultiDict) -> int:
    response = client.post(url, data=data)
    return response.status_code


# --- public forms: every field of every page, and the hidden ones -----------------------------

def _starting_points(client) -> list[tuple[str, MultiDict]]:
    """The controls of each page of each form (as a browser would send them)."""
    points: list[tuple[str, MultiDict]] = []
    for form_id in ("knelpunt", "clientenraad", "peiling-huisarts"):
        filler = Filler(client, form_id)
        points.append((filler.url, filler.controls()))
    filler = Filler(client, "knelpunt")
    for step in ({"wijk": "haven"},
                 {"wat": "De huisarts is al weken niet bereikbaar voor een afspraak.",
                  "zorg": ["huisartsen"]},
                 {"hoe_vaak": "vaak", "hoe_erg": "4"},
                 {"wie": "mantelzorger", "leeftijd": "40-64"}):
        filler.send(**step)
        points.append((filler.url, filler.controls()))
    points.append((filler.url, fill_knelpunt(client).controls()))  # the check page
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Wijkraad", geraadpleegd="3")
    points.append((filler.url, filler.controls()))
    return points


@pytest.fixture
def public_points(client):
    """A client with its CSRF session and the pages to send odd values from."""
    return client, _starting_points(client)


@SETTINGS
@given(data=st.data())
def test_hardening_property_public_form_fields_never_5xx(public_points, data):
    client, points = public_points
    url, controls = data.draw(st.sampled_from(points))
    names = sorted({*controls.keys(), "action", "page", "state", "return", "website"} - {
        "csrf_token"})
    changed = data.draw(st.fixed_dictionaries({}, optional={
        name: st.lists(nasty_text(), min_size=1, max_size=3) for name in names}))
    posted = MultiDict(controls)
    for name, values in changed.items():
        posted.setlist(name, values)
    if data.draw(st.booleans()):
        posted["action"] = data.draw(st.sampled_from(
            ["next", "back", "stay", "submit", "add-knelpunten", "remove-knelpunten-²",
             "edit-knelpunten-99999999999999999999", "postcode-wijk", "change-wat",
             "change-²"]))
    status = _post(client, url, posted)
    assert status < 500, (url, changed)


def test_hardening_property_public_form_edge_sweep(public_points):
    client, points = public_points
    actions = ["next", "submit", "remove-knelpunten-²", "edit-knelpunten-" + str(2**70)]
    for url, controls in points:
        names = sorted({*controls.keys(), "page", "state", "return"} - {"csrf_token"})
        for value in ("²", "\x00", "[" * 3000, "x" * 5000):
            for field in names:  # one field at a time, the rest as the page sent it
                posted = MultiDict(controls)
                posted[field] = value
                assert _post(client, url, posted) < 500, (url, field, value[:20])
        for action in actions:
            posted = MultiDict(controls)
            posted["action"] = action
            assert _post(client, url, posted) < 500, (url, action)


# --- every route of the app, as a logged-in beheerder and anonymously --------------------------

def _rules(app) -> list:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                  key=lambda r: r.rule)


def _rule_ids() -> list[str]:
    from tests.conftest import make_app

    app = make_app("sqlite://")
    return [f"{r.rule} {sorted(r.methods - {'HEAD', 'OPTIONS'})}" for r in _rules(app)]


RULES = _rule_ids()


@pytest.fixture
def world_client(app, client):
    """A client and the workspace test world (CSRF off: forged requests have their own tests)."""
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        world = build_world(db.session())
    return client, world


def _path_value(converter: object, world_ids: list[int]) -> st.SearchStrategy[str]:
    name = type(converter).__name__
    if "Integer" in name:
        edge = st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 2**64, 2**70])
        return st.one_of(st.sampled_from(world_ids), edge, st.integers(0, 2**80)).map(str)
    return nasty_text().filter(lambda v: v and "/" not in v and v not in (".", ".."))


@pytest.mark.parametrize("rule_id", RULES)
def test_hardening_property_every_route_never_5xx(world_client, rule_id):
    client, world = world_client
    app = client.application
    rule = next(r for r in _rules(app) if
                f"{r.rule} {sorted(r.methods - {'HEAD', 'OPTIONS'})}" == rule_id)
    ids = sorted({*world.users.values(), *world.signals.values(), *world.themes.values(),
                  *world.wijk_ids.values()})
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})

    def send(method: str, url: str, form: MultiDict, role: str | None) -> None:
        with client.session_transaction() as flask_session:
            flask_session.clear()
        if role:
            log_in_as(client, world.users[role])
        if method == "GET":
            response = client.get(url, query_string=form)
        else:
            response = client.open(url, method=method, data=form)
        response.close()  # a file response (the icons) holds its file open until closed
        assert response.status_code < 500, (method, url, dict(form.lists()), role)

    from flask import url_for

    # first a sweep: each edge value in every path part and every field at once
    for value in SWEEP:
        path_value = value if rule.arguments and all(
            "Integer" not in type(rule._converters[a]).__name__ for a in rule.arguments) \
            else value if value.isascii() and value.isdigit() else str(2**64)
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: path_value for arg in rule.arguments})
        for method in methods:
            send(method, url, MultiDict({name: value for name in FIELD_NAMES}), "beheerder")

    @settings(max_examples=8, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data) -> None:
        values = {arg: data.draw(_path_value(rule._converters[arg], ids))
                  for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        fields = data.draw(st.fixed_dictionaries({}, optional={
            name: st.lists(nasty_text(), min_size=1, max_size=2) for name in FIELD_NAMES}))
        role = data.draw(st.sampled_from(["beheerder", "kernteam", "meelezer", None]))
        method = data.draw(st.sampled_from(methods))
        send(method, url, MultiDict([(k, v) for k, vs in fields.items() for v in vs]), role)

    check()
