"""The status look-up takes a code as residents type it, and says what to do when it can't."""

from __future__ import annotations

import pytest
from flask import Flask

from participatie import db
from tests.factories.workspace import WITHDRAW_CODE, World, build_world


@pytest.fixture
def world(app: Flask) -> World:
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        return build_world(db.session())


def test_an_address_without_a_code_asks_for_one(client, world):
    for path in ("/status/", "/status/---", "/status/%20-%20"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        assert 'name="code"' in response.get_data(as_text=True), path


def test_a_code_typed_in_full_width_characters_is_found(client, world):
    code = world.codes["own"]
    wide = "".join(chr(ord(c) + 0xFEE0) if c != "-" else " " for c in code)  # 'Ｋ７ＦＭ ３ＲＸＡ'
    response = client.get("/status", query_string={"code": wide})
    assert response.status_code == 303 and response.location.endswith(f"/status/{code}")


def test_the_withdraw_code_in_the_look_up_says_which_code_to_use(client, world):
    page = client.get("/status", query_string={"code": WITHDRAW_CODE.lower()})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Dit is de code om uw melding in te trekken." in text
    assert WITHDRAW_CODE.lower() in text  # what was typed stays in the field
