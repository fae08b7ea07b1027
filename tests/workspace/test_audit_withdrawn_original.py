"""Audit: when the original of linked duplicates is withdrawn, the duplicates count again.

A duplicate counts once: only its original is counted in a theme's size. A withdrawn report
leaves its theme, so its duplicates counted nowhere: the theme shrank (or vanished from the
overview and the CSV) while its reports were still in it on the theme page.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from participatie import db
from participatie.models import Region, Signal, ThemeMembership
from participatie.signals import KnelpuntInput, record_submission, withdraw
from tests.factories.workspace import PLAIN, page_text


def _copies(app, world, texts: list[str]) -> list[int]:
    """Add reports in the 'own' theme, each linked as a duplicate of the 'own' report."""
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        ids = []
        for text in texts:
            signal = record_submission(
                session, PLAIN, almere, form_id="knelpunt", form_version=1, answers={},
                knelpunten=[KnelpuntInput(text=text, wijk_slugs=["waterwijk"],
                                          disciplines=("huisartsen",))],
                reporter_role="inwoner").signals[0]
            session.add(ThemeMembership(signal_id=signal.id, theme_id=world.themes["own"],
                                        source="model", confidence=0.9))
            signal.duplicate_of_id = world.signals["own"]
            ids.append(signal.id)
        session.commit()
        return ids


def _size(client, label: str) -> str:
    overview = page_text(client.get("/werkruimte/themas"))
    assert f"{label}</a>" in overview, "the theme is not on the overview"
    return overview.split(f"{label}</a>")[1].split('<td class="num">')[1].split("<")[0]


def test_the_duplicates_of_a_withdrawn_report_count_again(app, world, login):
    first, second = _copies(app, world, ["De huisarts is nooit bereikbaar!!",
                                         "De huisarts is echt nooit bereikbaar."])
    client = login("asd")
    assert _size(client, "Huisarts bereikbaarheid") == "1"     # three reports, counted once
    with app.app_context():
        session = db.session()
        withdraw(session, session.get(Signal, world.signals["own"]).submission)
        session.commit()
    assert _size(client, "Huisarts bereikbaarheid") == "1"     # still one knelpunt
    body = client.get("/werkruimte/export/themas.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body), delimiter=";")}
    assert rows["Huisarts bereikbaarheid"][2] == "<5"
    with app.app_context():
        session = db.session()
        # the oldest duplicate is the original now, the other one its duplicate
        assert session.get(Signal, first).duplicate_of_id is None
        assert session.get(Signal, second).duplicate_of_id == first



def test_a_report_is_not_linked_to_an_original_withdrawn_meanwhile(app, world, login):
    (copy,) = _copies(app, world, ["De huisarts is nooit bereikbaar!!"])
    with app.app_context():
        session = db.session()
        session.get(Signal, copy).duplicate_of_id = None
        withdraw(session, session.get(Signal, world.signals["own"]).submission)
        session.commit()
    client = login("asd")
    # the page with "link as duplicate" was opened before the reporter withdrew the original
    response = client.post(f"/werkruimte/meldingen/{copy}/dubbel",
                           data={"of": str(world.signals["own"])})
    assert response.status_code == 302
    page = page_text(client.get(response.location))
    assert "Die melding is intussen ingetrokken." in page
    with app.app_context():
        assert db.session().get(Signal, copy).duplicate_of_id is None
    assert _size(client, "Huisarts bereikbaarheid") == "1"
