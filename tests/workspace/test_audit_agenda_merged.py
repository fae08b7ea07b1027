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


def _numbers(page: str) -> str:
    """Return the dossier page's "reports in this wijk" figure."""
    return page.split("Meldingen in deze wijk</dt><dd>")[1].split("<")[0]


def test_a_dossier_counts_a_theme_merged_since_in_the_theme_its_reports_went_to(app, world,
                                                                                 login):
    from participatie import db
    from participatie.models import Dossier, Theme
    from tests.workspace.test_ws_dossiers import _dossier

    dossier_id = _dossier(app, world)          # Waterwijk, from the theme "own" (1 report)
    client = login("asd")
    before = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    assert _numbers(before) == "&lt;5" and "Haven" not in before.split("</dl>")[0]
    own, spare = world.themes["own"], world.themes["spare"]
    client.post(f"/werkruimte/themas/{own}/samenvoegen",
                data={"target": str(spare), "confirm": "yes"})
    page = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    # own's report is in spare now, with spare's reports from Waterwijk and Haven: not 0
    assert _numbers(page) == "&lt;5" and "Haven, Waterwijk" in page.split("</dl>")[0]
    assert f'id="dt-{spare}" name="theme" value="{spare}" checked' in page
    with app.app_context():
        label = db.session().get(Theme, spare).label
    report = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}/verslag"))
    assert f'<th scope="row">Thema\'s</th><td>{label}</td>' in report
    # saving the dossier keeps it on the theme the reports are in now
    client.post(f"/werkruimte/dossiers/{dossier_id}", data={
        "title": "Huisarts onbereikbaar", "problem": "Nog steeds.", "theme": [str(spare)]})
    with app.app_context():
        assert [t.id for t in db.session().get(Dossier, dossier_id).themes] == [spare]
