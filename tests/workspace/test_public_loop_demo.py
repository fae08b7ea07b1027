"""The demo publishes two themes with agreements; no filter combination shows a cell under 5."""

from __future__ import annotations

import json
import re

from sqlalchemy import select
from test_ws_demo_dossier import TODAY, _demo_world

from participatie import db, publication, survey_results
from participatie.demo import load_demo_dossier, load_demo_publications
from participatie.filling import questionnaires
from participatie.models import Submission


def _small(count) -> bool:
    return count is not None and 0 < count < 5


def test_demo_publishes_two_themes_with_agreements_and_a_survey(app, client):
    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        load_demo_dossier(session, region, today=TODAY)
        assert load_demo_publications(session, region, today=TODAY) == 2
        session.commit()
        assert load_demo_publications(session, region, today=TODAY) == 0
        shown = publication.public_themes(session, region)
        assert len(shown) == 2 and all(t.agreements for t in shown)
        titles = [t.publication.title for t in shown]
    page = client.get("/regio").get_data(as_text=True)
    assert all(title in page for title in titles)
    assert "Peiling" in page or "Survey" in page
    wijk_page = client.get("/wijk/waterwijk").get_data(as_text=True)
    # the dossier's theme is shown under the title the demo file gives it, not its label
    assert "De huisarts is slecht bereikbaar aan de telefoon" in wijk_page
    assert "Huisarts: bellen lukt niet" not in wijk_page
    assert len(client.get("/wijk/waterwijk").data) <= 40_000


def test_no_filter_combination_shows_a_cell_under_5(app, client):
    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        load_demo_dossier(session, region, today=TODAY)
        load_demo_publications(session, region, today=TODAY)
        session.commit()
        slugs = [w.slug for w in region.wijken]
        # the public theme counts: every wijk, the region, every quarter and the totals
        groups = {slug: publication.public_themes(session, region, wijk)
                  for slug, wijk in [("", None), *[(w.slug, w) for w in region.wijken]]}
        checked = 0
        for themes in groups.values():
            for theme in themes:
                for _period, count in theme.counts.periods:
                    assert not _small(count)
                    checked += 1
                assert not _small(theme.counts.total)
        # the region minus the wijken shown never gives a number from 1 to 4
        raw = publication.raw_counts(session, region, [t.publication.theme_id
                                                       for t in groups[""]])
        for theme in groups[""]:
            for index, (period, count) in enumerate(theme.counts.periods):
                if count is None:
                    continue
                wijk_shown = sum(
                    t.counts.periods[index][1] or 0 for slug in slugs for t in groups[slug]
                    if t.publication.theme_id == theme.publication.theme_id)
                assert not _small(count - wijk_shown), (period, count, wijk_shown)
        assert checked and raw
        # the survey results: every survey, quarter and group (the only filters there are)
        for form in (f for f in questionnaires().values() if f.kind == "survey"):
            dates = session.scalars(select(Submission.created_at).where(
                Submission.form_id == form.id))
            for period in {publication.quarter_at(d) for d in dates}:
                for slug in [None, *slugs]:
                    result = survey_results.results(session, region, form, period, slug)
                    assert not _small(result.respondents)
                    for question in result.questions:
                        for cell in question.cells:
                            assert not _small(cell.count), (form.id, period, slug, cell)
    rows = json.loads(client.get("/open-data/themas.json").data)["rows"]
    assert rows and not any(_small(r["count"]) for r in rows)


def test_survey_results_page_csv_and_publishing(app, client):
    from participatie.models import SurveyPublication, User
    from tests.factories.workspace import log_in_as

    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        dossier = load_demo_dossier(session, region, today=TODAY)
        session.commit()
        form_id, period = dossier.survey_form_id, dossier.before_period
        asd = session.scalar(select(User).where(User.role == "asd")).id
        kernteam = session.scalar(select(User).where(User.role == "kernteam")).id
    log_in_as(client, kernteam)
    assert client.get("/werkruimte/peilingen").status_code == 403
    log_in_as(client, asd)
    page = client.get(f"/werkruimte/peilingen?peiling={form_id}&periode={period}&wijk=waterwijk")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "<table" in html
    csv = client.get(f"/werkruimte/peilingen/uitslag.csv?peiling={form_id}&periode={period}"
                     "&wijk=waterwijk").get_data(as_text=True)
    lines = csv.strip().splitlines()[1:]
    assert lines and all(line.rsplit(";", 1)[1] in ("<5", "0") or int(line.rsplit(";", 1)[1])
                         >= 5 for line in lines)
    assert client.get("/werkruimte/peilingen?peiling=knelpunt").status_code == 404
    assert client.post(f"/werkruimte/peilingen/publiceren?peiling={form_id}&periode={period}",
                       data={"intro": "Wat bewoners zeiden."}).status_code == 302
    with app.app_context():
        assert db.session().scalar(select(SurveyPublication.intro)) == "Wat bewoners zeiden."
    waterwijk = client.get("/wijk/waterwijk").get_data(as_text=True)
    assert "Wat bewoners zeiden." in waterwijk
    assert f"({period})" not in waterwijk  # the quarter as its months, not as a code
    assert re.search(r"Peiling: .+ \((jan|apr|jul|okt)–(mrt|jun|sep|dec) \d{4}\)</h2>", waterwijk)
    client.post(f"/werkruimte/peilingen/depubliceren?peiling={form_id}&periode={period}")
    assert "Wat bewoners zeiden." not in client.get("/regio").get_data(as_text=True)


def test_status_page_links_to_the_published_theme(app, client):
    from participatie.models import Theme

    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        load_demo_dossier(session, region, today=TODAY)
        load_demo_publications(session, region, today=TODAY)
        session.commit()
        theme = session.scalar(select(Theme).where(Theme.label == "Huisarts: bellen lukt niet"))
        code = theme.members[0].signal.submission.reference
        other = session.scalar(select(Theme).where(Theme.label == "Apotheek"))
        other_code = other.members[0].signal.submission.reference
    html = client.get(f"/status/{code}").get_data(as_text=True)
    assert f'/wijk/waterwijk#thema-{theme.id}' in html
    published = {t.label for t in [theme]}
    if other.label not in published and other.id not in {theme.id}:
        shown = client.get(f"/status/{other_code}").get_data(as_text=True)
        assert (f"#thema-{other.id}" in shown) == _is_published(app, other.id)


def _is_published(app, theme_id: int) -> bool:
    from participatie.models import ThemePublication

    with app.app_context():
        return bool(db.session().scalar(select(ThemePublication.published).where(
            ThemePublication.theme_id == theme_id)))
