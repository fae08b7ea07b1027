"""The demo's knelpunt dossier: complete (theme, measurement before and after, SROI), and once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from participatie import db, dossiers, survey_results
from participatie.accounts import create_user
from participatie.accounts.demo import DEMO_ACCOUNTS
from participatie.demo import load_demo_dossier
from participatie.filling import questionnaires
from participatie.models import Agreement, Dossier, Region, Submission, User
from tests.factories.workspace import add_report, add_theme, log_in_as, page_text

TODAY = dt.date(2026, 11, 29)


def _demo_world(session) -> Region:
    region = session.scalar(select(Region).where(Region.slug == "almere"))
    wijken = {w.slug: w for w in region.wijken}
    for email, name, role, slugs in DEMO_ACCOUNTS:
        create_user(session, region.id, email, name, role, [wijken[s] for s in slugs])
    reports = [add_report(session, region, "waterwijk", f"De huisarts neemt niet op ({i}).",
                          days_ago=10 * i) for i in range(8)]
    add_theme(session, region, "th-huisarts", "Huisarts: bellen lukt niet", reports)
    other = [add_report(session, region, "haven", "Apotheek dicht.")]
    add_theme(session, region, "th-apotheek", "Apotheek", other)
    return region


def test_the_demo_dossier_is_complete_and_added_once(app):
    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        dossier = load_demo_dossier(session, region, today=TODAY)
        assert dossier is not None
        session.commit()
        assert load_demo_dossier(session, region, today=TODAY) is None
        assert session.scalar(select(func.count(Dossier.id))) == 1
        assert dossier.wijk.slug == "waterwijk"
        assert [t.label for t in dossier.themes] == ["Huisarts: bellen lukt niet"]
        assert (dossier.before_period, dossier.after_period) == ("2026-Q2", "2026-Q4")
        assert len(dossier.actions) == 3 and len(dossier.evidence) == 2
        assert "Mantelzorgers" in dossier.stakeholders
        form = questionnaires()["peiling-huisarts"]
        before = survey_results.results(session, region, form, "2026-Q2", "waterwijk")
        after = survey_results.results(session, region, form, "2026-Q4", "waterwijk")
        assert (before.respondents, after.respondents) == (64, 71)
        assert all(s.created_at.date() <= TODAY for s in session.scalars(
            select(Submission).where(Submission.form_id == "peiling-huisarts")))
        calc = dossiers.calculate(dossier)
        assert calc.result is not None and calc.sensitivity is not None
        assert calc.result.total_inputs == 80 * 60 + 60 * 75 + 2500 + 40 * 14
        assert 1 < calc.result.ratio < 3
        assert calc.sensitivity.low < calc.result.ratio < calc.sensitivity.high
        agreements = session.scalars(select(Agreement)).all()
        assert len(agreements) == 2 and all(a.theme_id == dossier.themes[0].id
                                            for a in agreements)
        dossier_id, theme_id = dossier.id, dossier.themes[0].id
        kernteam = session.scalar(select(User).where(User.role == "kernteam")).id
    client = app.test_client()
    log_in_as(client, kernteam)
    html = page_text(client.get(f"/werkruimte/dossiers/{dossier_id}"))
    assert "Huisarts slecht bereikbaar in Waterwijk" in html
    assert "Kostenhandleiding" in html and "2026-Q2" in html
    assert "Alle praktijken in Waterwijk starten met de terugbelservice" in page_text(
        client.get(f"/werkruimte/themas/{theme_id}"))
