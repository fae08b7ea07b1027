"""Curation done in the workspace survives `participatie themes rebuild` (demo reports)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participatie import db, themes
from participatie.accounts import create_user
from participatie.jobs import jobs
from participatie.models import Signal, Theme, ThemeModel
from tests.factories.demo_reports import add_demo_reports
from tests.factories.workspace import log_in_as


@pytest.mark.slow
def test_ws_rebuild_keeps_names_status_merges_moves_and_splits(app, client, runner):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        session = db.session()
        region = add_demo_reports(session, rebuild=True)
        first, second, third = (t.id for t in themes.active_themes(session, region)[:3])
        user = create_user(session, region.id, "asd@test.nl", "ASD", "asd")
        session.commit()
        moved = next(m.signal_id for m in session.get(Theme, third).members)
        split_off = [m.signal_id for m in session.get(Theme, first).members][:2]
    log_in_as(client, user.id)
    client.post(f"/werkruimte/themas/{first}/naam", data={"label": "Huisarts slecht bereikbaar"})
    client.post(f"/werkruimte/themas/{first}/status", data={"status": "on_agenda", "notes": "mei"})
    client.post(f"/werkruimte/themas/{second}/samenvoegen", data={"target": str(first),
                                                                "confirm": "yes"})
    client.post(f"/werkruimte/meldingen/{moved}/thema", data={"theme": str(first)})
    response = client.post(f"/werkruimte/themas/{first}/splitsen",
                           data={"signal": [str(i) for i in split_off], "label": "Apart"})
    split_theme = int(response.location.rsplit("/", 1)[1])
    # every curation action queued a training job; none trained inside its request
    pending = jobs(app).huey.pending_count()
    assert pending >= 5
    with app.app_context():
        assert db.session().scalar(select(func.count(ThemeModel.id))) == 0
    page = client.get("/werkruimte/").get_data(as_text=True)
    assert "het model heeft nog niets geleerd" in page

    queued = runner.invoke(args=["themes", "rebuild"])  # the nightly rebuild: through the queue
    assert queued.exit_code == 0 and "queued" in queued.output
    assert jobs(app).huey.pending_count() == pending + 1
    ran = runner.invoke(args=["jobs", "run"])
    # the queued trainings, the rebuild, and the training its commit queued (which finds the
    # model the rebuild job trained current, and skips)
    assert ran.exit_code == 0 and ran.output.split()[0] == str(pending + 2)
    assert jobs(app).huey.pending_count() == 0

    with app.app_context():
        session = db.session()
        kept = session.get(Theme, first)
        assert kept.label == "Huisarts slecht bereikbaar" and kept.status == "on_agenda"
        assert kept.notes == "mei" and session.get(Theme, second).merged_into_id == first
        assert session.get(Signal, moved).membership.theme_id == first
        assert {session.get(Signal, i).membership.theme_id for i in split_off} == {split_theme}
        assert session.get(Theme, split_theme).label == "Apart"
        model = session.scalar(select(ThemeModel))
        assert model is not None and model.labels == 3 and model.accuracy is None
    page = client.get("/werkruimte/").get_data(as_text=True)
    assert "leerde voor het laatst op" in page and "te weinig keuzes" in page


@pytest.mark.slow
def test_ws_rebuild_now_runs_at_once_and_reports_the_model(app, runner):
    with app.app_context():
        add_demo_reports(db.session(), 30)
        db.session().commit()
    result = runner.invoke(args=["themes", "rebuild", "--now"])
    assert result.exit_code == 0, result.output
    assert "30 reports" in result.output and "model" in result.output
    with app.app_context():
        assert db.session().scalar(select(func.count(ThemeModel.id))) == 1
