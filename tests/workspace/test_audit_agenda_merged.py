"""Audit: a theme merged after it was put on the RESV agenda is counted where its reports went.

The agenda said "0 meldingen, in ." (and 0 in the agenda document) for a theme whose reports
had all moved to the theme it was merged into.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.factories.workspace import page_text


def test_the_agenda_counts_a_merged_theme_in_the_theme_it_was_merged_into(app, world, login):
    from markupsafe import escape

    from participatie import db
    from participatie.models import Theme

    client = login("asd")
    own, spare, meeting = world.themes["own"], world.themes["spare"], world.meetings["own"]
    client.post(f"/werkruimte/themas/{own}/samenvoegen",
                data={"target": str(spare), "confirm": "yes"})
    with app.app_context():
        label = db.session().get(Theme, spare).label   # the merge may have renamed it
    page = page_text(client.get(f"/werkruimte/resv/{meeting}"))
    note = str(escape(f"Dit thema is samengevoegd met {label} nadat het op de agenda kwam."))
    assert note in page
    # own (1 report) + spare (2 reports) = 3, shown as <5, in both wijken
    assert "&lt;5 meldingen, in Haven, Waterwijk." in page
    assert "in ." not in page
    document = page_text(client.get(f"/werkruimte/resv/{meeting}/agenda"))
    assert note in document
    assert "<td>0</td>" not in document and "De huisarts is nooit bereikbaar." in document
    pdf = client.get(f"/werkruimte/resv/{meeting}/agenda.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "samengevoegd" in " ".join(text.split())


def test_a_theme_without_reports_says_so_instead_of_an_empty_list(app, world, login):
    from participatie import db
    from participatie.models import ThemeMembership

    with app.app_context():
        db.session().query(ThemeMembership).filter_by(theme_id=world.themes["own"]).delete()
        db.session().commit()
    page = page_text(login("asd").get(f"/werkruimte/resv/{world.meetings['own']}"))
    assert "Er zijn nu geen meldingen in dit thema." in page and "in ." not in page
