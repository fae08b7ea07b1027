"""Numbers that agree and names people read (issue 12): one count function for every page."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from participatie import db
from participatie.digests import next_digest
from participatie.models import Signal, Subscription, ThemeMembership, User
from participatie.queries.counts import report_counts
from participatie.queries.filters import Filters
from tests.factories.workspace import page_text


def _numbers(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, pattern
    return int(found.group(1))


def _prepare(app, world) -> None:
    # one report waits for review with a suggestion, one has no theme at all, one is picked up
    with app.app_context():
        session = db.session()
        waiting = session.scalar(select(ThemeMembership).where(
            ThemeMembership.signal_id == world.signals["mixed"]))
        waiting.needs_review = True
        session.delete(session.scalar(select(ThemeMembership).where(
            ThemeMembership.signal_id == world.signals["other_wijk"])))
        session.get(Signal, world.signals["own2"]).owner_id = world.users["asd"]
        session.add(Subscription(user_id=world.users["asd"], frequency="weekly", wijk_slugs=[],
                                 send_when_empty=True, language="nl"))
        session.commit()


def test_ws_counts_agree_on_overview_queue_csv_and_digest(app, login, world):
    _prepare(app, world)
    with app.app_context():
        session = db.session()
        user = session.get(User, world.users["asd"])
        numbers = report_counts(session, user, Filters())
        digest = next_digest(session, user, session.scalar(
            select(Subscription).where(Subscription.user_id == user.id)))
    assert (numbers.total, numbers.in_theme, numbers.without_theme, numbers.to_review,
            numbers.unclaimed) == (4, 3, 1, 1, 3)
    client = login("asd")
    overview = page_text(client.get("/werkruimte/themas"))
    assert _numbers(overview, r"(\d+) melding(?:en)? (?:past|passen)") == numbers.total
    assert _numbers(overview, r"Daarvan (?:heeft|hebben) (\d+) melding(?:en)? nog geen thema") == \
        numbers.without_theme
    assert _numbers(overview, r"(\d+) melding(?:en)? (?:wacht|wachten) tot iemand") == \
        numbers.to_review
    assert _numbers(overview, r"(\d+) open melding(?:en)? (?:is|zijn) door niemand") == \
        numbers.unclaimed
    # the theme table adds up to the reports in a theme
    table = overview.split('<table class="themes">')[1].split("</table>")[0]
    sizes = [int(n) for n in re.findall(r'</th>\s*<td class="num">(\d+)</td>', table)]
    assert sum(sizes) == numbers.in_theme - numbers.duplicates_in_theme
    queue = page_text(client.get("/werkruimte/te-beoordelen"))
    assert _numbers(queue, r"(\d+) melding(?:en)? (?:wacht|wachten) tot iemand") == \
        numbers.to_review
    rows = list(csv.reader(io.StringIO(client.get("/werkruimte/export/meldingen.csv")
                                       .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert len(rows) - 1 == numbers.total
    assert sum(1 for r in rows[1:] if r[7]) == numbers.in_theme
    assert digest.unclaimed == numbers.unclaimed


def test_ws_counts_no_internal_codes_on_screens_and_in_csv(app, login, world):
    from participatie.models import Region
    from participatie.signals import KnelpuntInput, record_submission
    from tests.factories.workspace import PLAIN
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        record_submission(session, PLAIN, almere, form_id="clientenraad", form_version=1,
                          answers={"geraadpleegd": "12"},
                          knelpunten=[KnelpuntInput(text="Lange wachtlijst voor de GGZ.",
                                                    wijk_slugs=["waterwijk"],
                                                    disciplines=("sociaal_domein",))],
                          reporter_role="clientenraad")
        session.commit()
    client = login("asd")
    reports = page_text(client.get("/werkruimte/meldingen"))
    assert ">Cliëntenraad</option>" in reports and ">clientenraad<" not in reports
    assert ">Mantelzorger</option>" in reports
    signal_id = reports.split("Lange wachtlijst")[0].rsplit("/werkruimte/meldingen/", 1)[1]
    signal_id = signal_id.split('"')[0]
    report = page_text(client.get(f"/werkruimte/meldingen/{signal_id}"))
    assert "Cliëntenraad" in report and "<dd>12</dd>" in report
    body = client.get("/werkruimte/export/meldingen.csv").get_data(as_text=True)
    assert "sociaal_domein" not in body and "clientenraad" not in body
    assert "Sociaal domein" in body or "sociaal domein" in body.lower()
    assert ";12;" in body or ";12\r" in body


def test_ws_counts_meelezer_sees_no_review_tab_and_kernteam_sees_its_wijk(app, login, world):
    meelezer = page_text(login("meelezer").get("/werkruimte/themas"))
    assert "/werkruimte/te-beoordelen" not in meelezer
    asd = page_text(login("asd").get("/werkruimte/themas"))
    assert 'href="/werkruimte/te-beoordelen"' in asd
    kernteam = page_text(login("kernteam").get("/werkruimte/"))
    assert re.search(r"<h1>[^<]*Waterwijk</h1>", kernteam)
    assert "<title>" in kernteam and "Waterwijk" in kernteam.split("</title>")[0]
