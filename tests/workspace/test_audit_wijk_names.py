"""Audit: a wijk cannot be renamed to the name of another wijk of the region.

Adding such a wijk was refused, renaming was not: the region then had two "Haven"s in every
filter, on the overview and as two columns of the themes CSV, with no way to tell them apart.
"""

from __future__ import annotations

import csv
import io

from participatie import db
from participatie.models import Wijk


def test_renaming_a_wijk_to_another_wijks_name_is_refused(app, world, login):
    client = login("beheerder")
    waterwijk = world.wijk_ids["own"]
    for taken in ("Haven", " haven ", "HAVEN"):
        response = client.post(f"/werkruimte/wijken/{waterwijk}", data={"name": taken})
        assert response.status_code == 400
        assert "Deze regio heeft al een wijk met deze naam." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Wijk, waterwijk).name == "Waterwijk"
    body = client.get("/werkruimte/export/themas.csv").get_data(as_text=True).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header.count("Haven") == 1
    # its own name in other letters, and a new name, are fine
    assert client.post(f"/werkruimte/wijken/{waterwijk}",
                       data={"name": "WATERWIJK"}).status_code == 302
    assert client.post(f"/werkruimte/wijken/{waterwijk}",
                       data={"name": "Waterwijk-Oost"}).status_code == 302
    with app.app_context():
        assert db.session().get(Wijk, waterwijk).name == "Waterwijk-Oost"


def test_adding_a_wijk_under_the_new_name_of_a_renamed_wijk_is_refused(app, world, login):
    client = login("beheerder")
    waterwijk = world.wijk_ids["own"]
    assert client.post(f"/werkruimte/wijken/{waterwijk}",
                       data={"name": "Waterwijk-Oost"}).status_code == 302
    # its address stays /wijk/waterwijk; the name is taken all the same
    added = client.post("/werkruimte/wijken", data={"name": "Waterwijk-Oost", "stadsdeel": "X"})
    assert added.status_code == 400
    assert "Deze regio heeft al een wijk met deze naam." in added.get_data(as_text=True)
    with app.app_context():
        assert db.session().query(Wijk).filter_by(name="Waterwijk-Oost").count() == 1
