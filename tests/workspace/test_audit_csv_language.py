"""Audit: the workspace CSVs speak the user's language and name wijken, not their codes.

The cells of the reports CSV were in English for an English-speaking reviewer while its column
names stayed Dutch; the survey CSVs had Dutch questions and answers for an English reader and the
wijk's code ("waterwijk", "almere") where the page shows its name.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from participatie import db
from participatie.models import Region, SurveyGrouping, utcnow
from participatie.survey_results import quarter_of
from tests.workspace.test_ws_survey_themes import FORM, PHONE, _answer

REPORT_COLUMNS_EN = ["id", "date", "wijk", "disciplines", "form", "reporter", "status", "theme",
                     "text (without personal data)", "reply to the reporter", "how serious",
                     "how often", "times consulted", "picked up by"]
REPORT_COLUMNS_NL = ["id", "datum", "wijk", "disciplines", "formulier", "melder", "status",
                     "thema", "tekst (zonder persoonsgegevens)", "antwoord aan melder", "hoe erg",
                     "hoe vaak", "aantal geraadpleegd", "opgepakt door"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_the_reports_csv_names_its_columns_in_the_users_language(world, login):
    client = login("asd")
    english = _rows(client.get("/werkruimte/export/meldingen.csv?lang=en"))
    assert english[0] == REPORT_COLUMNS_EN
    assert "Received" in english[1]                       # the cells were English already
    dutch = _rows(client.get("/werkruimte/export/meldingen.csv?lang=nl"))
    assert dutch[0] == REPORT_COLUMNS_NL and "Ontvangen" in dutch[1]


def test_the_themes_csv_names_its_columns_in_the_users_language(world, login):
    client = login("asd")
    header = _rows(client.get("/werkruimte/export/themas.csv?lang=en"))[0]
    assert header[:5] == ["theme", "status", "reports", "last 30 days", "30 days before that"]
    assert header[-1] == "keywords" and "Waterwijk" in header
    dutch = _rows(client.get("/werkruimte/export/themas.csv?lang=nl"))[0]
    assert dutch[:5] == ["thema", "status", "meldingen", "laatste 30 dagen", "30 dagen daarvoor"]


def _survey(app, world) -> None:
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        ids = [_answer(session, region, "waterwijk", text) for text in PHONE]
        session.add(SurveyGrouping(
            region_id=region.id, form_id=FORM, question_id="tip",
            period=quarter_of(utcnow().date()), ungrouped=[],
            groups=[{"label": "Bellen", "keywords": ["telefoon"],
                     "members": [[i, "waterwijk"] for i in ids]}]))
        session.commit()


def _survey_url(path: str, wijk: str, lang: str) -> str:
    return (f"/werkruimte/peilingen/{path}?peiling={FORM}&periode={quarter_of(utcnow().date())}"
            f"&wijk={wijk}&lang={lang}")


def test_the_survey_csv_follows_the_language_and_names_the_wijk(app, world, login):
    _survey(app, world)
    client = login("asd")
    english = _rows(client.get(_survey_url("uitslag.csv", "waterwijk", "en")))
    assert english[0] == ["period", "wijk or region", "question code", "question", "answer code",
                          "answer", "number"]
    phone = [row for row in english[1:] if row[2] == "telefoon"]
    assert phone and {row[1] for row in phone} == {"Waterwijk"}
    assert phone[0][3] == "How easy is it to reach the practice by phone?"
    assert "Very hard" in [row[5] for row in phone]
    dutch = _rows(client.get(_survey_url("uitslag.csv", "", "nl")))
    assert dutch[0][:4] == ["periode", "wijk of regio", "vraagcode", "vraag"]
    assert {row[1] for row in dutch[1:]} == {"Almere"}
    assert "Hoe makkelijk krijgt u de praktijk aan de telefoon?" in [row[3] for row in dutch]


def test_the_survey_groups_csv_follows_the_language_and_names_the_wijk(app, world, login):
    _survey(app, world)
    client = login("asd")
    english = _rows(client.get(_survey_url("groepen.csv", "waterwijk", "en")))
    assert english[0] == ["period", "wijk or region", "question code", "question", "theme",
                          "keywords", "number", "suppressed"]
    rows = {row[4]: row for row in english[1:]}
    assert rows["Bellen"][1] == "Waterwijk" and rows["Bellen"][7] == "no"
    assert rows["Bellen"][3] == "What could be better?"
    assert rows["(not in a group)"][7] == "no"
    dutch = _rows(client.get(_survey_url("groepen.csv", "waterwijk", "nl")))
    assert dutch[0][-1] == "onderdrukt" and "(niet in een groep)" in [r[4] for r in dutch]


def test_the_impact_map_csv_names_its_columns_and_totals_in_the_users_language(app, world,
                                                                                login):
    from tests.workspace.test_ws_dossiers import INPUT, OUTCOME, _dossier

    dossier_id = _dossier(app, world)
    client = login("asd")
    client.post(f"/werkruimte/dossiers/{dossier_id}/inputs", data=INPUT)
    client.post(f"/werkruimte/dossiers/{dossier_id}/outcomes", data=OUTCOME)
    english = _rows(client.get(f"/werkruimte/dossiers/{dossier_id}/impactkaart.csv?lang=en"))
    assert english[0] == ["stakeholder", "outcome", "indicator", "quantity",
                          "financial proxy (EUR)", "source of the proxy", "duration (years)",
                          "deadweight", "displacement", "attribution", "drop-off",
                          "impact year 1 (EUR)", "present value (EUR)"]
    assert [row[0] for row in english[-3:]] == ["total inputs (EUR)", "net present value (EUR)",
                                                "SROI ratio"]
    dutch = _rows(client.get(f"/werkruimte/dossiers/{dossier_id}/impactkaart.csv?lang=nl"))
    assert dutch[0][:2] == ["belanghebbende", "verandering (outcome)"]
    assert [row[0] for row in dutch[-3:]] == ["totaal inputs (EUR)",
                                              "netto contante waarde (EUR)", "SROI-ratio"]
