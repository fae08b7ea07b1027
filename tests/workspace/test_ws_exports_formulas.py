"""CSV exports, end to end: a report text or theme label can never run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from participatie import db
from participatie.models import Region
from tests.factories.workspace import add_report, add_theme

FORMULAS = ["=HYPERLINK(\"http://x.test\";\"klik\")", "+SUM(1;2) bij de huisarts",
            "-2+3 wachten op de apotheek", "@SUM(A1) geen plek"]


def _cells(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";")
    return [cell for row in rows for cell in row]


@pytest.fixture
def formula_reports(app, world) -> list[int]:
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        signals = [add_report(session, almere, "waterwijk", text) for text in FORMULAS]
        add_theme(session, almere, "th-formula", "=1+1 thema", signals)
        session.commit()
        return [s.id for s in signals]


def test_ws_exports_report_texts_starting_a_formula_are_quoted(login, formula_reports):
    cells = _cells(login("asd").get("/werkruimte/export/meldingen.csv"))
    for text in FORMULAS:
        assert "'" + text in cells, text
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []


def test_ws_exports_theme_labels_starting_a_formula_are_quoted(login, formula_reports):
    cells = _cells(login("asd").get("/werkruimte/export/themas.csv"))
    assert "'=1+1 thema" in cells
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


def test_decimals_get_the_comma_dutch_excel_reads() -> None:
    from decimal import Decimal

    from participatie.exports import safe_cell, to_csv

    assert [safe_cell(v) for v in (1980.5, 1.71, Decimal("2.25"), 12, True, -3.5)] == [
        "1980,5", "1,71", "2,25", "12", "True", "-3,5"]
    assert to_csv(["a", "b"], [[1.5, "1.5"]]).endswith("a;b\r\n1,5;1.5\r\n")  # text stays text
