"""CSV exports: BOM, filters, rights, small-cell suppression, formula safety, audit."""

from __future__ import annotations

import csv
import io

from participatie import db
from participatie.exports import safe_cell, small_cell, small_cells, to_csv
from participatie.models import AuditEvent


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel reads the accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_ws_exports_reports_honour_rights_and_filters(app, login, world):
    client = login("kernteam")
    response = client.get("/werkruimte/export/meldingen.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    rows = _rows(response)
    assert rows[0][0] == "id" and len(rows) == 3  # header + the two Waterwijk reports
    assert {r[2] for r in rows[1:]} == {"Waterwijk"}
    asd = login("asd")
    filtered = _rows(asd.get("/werkruimte/export/meldingen.csv?discipline=apothekers"))
    assert [r[8] for r in filtered[1:]] == ["De apotheek heeft mijn medicijn niet."]
    with app.app_context():
        events = db.session().query(AuditEvent).filter_by(action="export").all()
        assert len(events) == 2 and events[1].details["discipline"] == "apothekers"


def test_ws_exports_themes_suppress_small_cells(login, world):
    rows = _rows(login("asd").get("/werkruimte/export/themas.csv"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["thema", "status", "meldingen"] and "Waterwijk" in header
    assert {r[0] for r in body} == {"Wachttijden zorg", "Huisarts bereikbaarheid",
                                    "Apotheek voorraad"}
    cells = [c for r in body for c in r[2:-1]]
    assert "<5" in cells and not any(c in {"1", "2", "3", "4"} for c in cells)


def test_ws_exports_kernteam_themes_only_count_their_wijk(login, world):
    response = login("kernteam").get("/werkruimte/export/themas.csv")
    assert response.status_code == 200
    rows = _rows(response)
    assert "Waterwijk" in rows[0] and "Huisarts bereikbaarheid" in {r[0] for r in rows}
    assert "Haven" not in rows[0] and "Apotheek voorraad" not in {r[0] for r in rows}


def test_ws_exports_cells_cannot_become_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell(-3) == "-3"
    assert to_csv(["a"], [["é"]]) == "\ufeffa\r\né\r\n"
    assert [small_cell(n) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]


def test_ws_exports_hidden_counts_cannot_be_worked_out_by_subtraction():
    assert small_cells(12, [9, 3]) == ["≥5", "<5"]  # 12 - 9 would give the 3
    assert small_cells(20, [7, 11, 2]) == ["≥5", "11", "<5"]  # the smallest shown part
    assert small_cells(14, [11, 2, 1]) == ["11", "<5", "<5"]  # 3 left for two: 1+2 or 2+1
    assert small_cells(13, [11, 1, 1]) == ["≥5", "<5", "<5"]  # 2 left for two: both 1
    assert small_cells(16, [8, 4, 4]) == ["≥5", "<5", "<5"]  # 8 left for two: both 4
    assert small_cells(4, [3, 1]) == ["<5", "<5"] and small_cells(10, [5, 5]) == ["5", "5"]
    assert small_cells(9, [0, 9, 0]) == ["0", "9", "0"]
