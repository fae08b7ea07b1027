"""The bridge between stored signals and the nlp library, on the demo reports (no ../shared)."""

import pytest
import yaml
from sqlalchemy import event, func, select

from participatie import db, themes
from participatie.demo import DEMO_FILE
from participatie.jobs import jobs
from participatie.models import Region, Signal, Submission, Theme, ThemeMembership, ThemeModel, Wijk
from participatie.signals import Intake, KnelpuntInput, record_submission
from participatie.themes.bridge import pipeline
from tests.conftest import make_app
from tests.formfill import fill_knelpunt, submit

PHARMACY = ("Bij de apotheek zijn mijn medicijnen al weken niet op voorraad, ik moet steeds "
            "terugkomen.")

pytestmark = pytest.mark.slow  # embeds the demo reports and rebuilds themes


@pytest.fixture(scope="module")
def demo_entries():
    """The demo reports with their vectors, embedded once for the module."""
    import nlp

    entries = yaml.safe_load(DEMO_FILE.read_text())
    vectors = nlp.embed([e["text"] for e in entries], nlp.DEFAULT_BACKEND)
    return [(entry, nlp.to_bytes(vector)) for entry, vector in zip(entries, vectors, strict=True)]


def _store(session, region, demo_entries, prefix="DEMO"):
    wijken = {w.slug: w for w in session.scalars(select(Wijk).where(Wijk.region_id == region.id))}
    for i, (entry, vector) in enumerate(demo_entries):
        submission = Submission(reference=f"{prefix}-{i:04d}", region_id=region.id, form_id="k",
                                form_version=1)
        submission.signals.append(Signal(region_id=region.id, text=entry["text"],
                                         disciplines=entry["disciplines"], embedding=vector,
                                         wijken=[w for w in [wijken.get(entry["wijk"])] if w]))
        session.add(submission)
    session.commit()


@pytest.fixture
def region(session, demo_entries):
    """The region with the 70 demo reports stored as (already redacted) signals."""
    region = session.scalar(select(Region))
    _store(session, region, demo_entries)
    return region


def _rebuild(session, region):
    """Rebuild and commit, as the job and the command do (the rebuild itself only flushes)."""
    counts = themes.rebuild(session, region)
    session.commit()
    return counts


def _membership(session):
    rows = session.scalars(select(ThemeMembership)).all()
    return {m.signal_id: m.theme_id for m in rows}


def _signal(session, text):
    return session.scalar(select(Signal).where(Signal.text == text))


def test_themes_rebuild_proposes_themes_and_keeps_noise_out(session, region):
    counts = _rebuild(session, region)
    assert counts["reports"] == 70 and counts["themes"] >= 3
    for noise in ("test", "?", "niks"):
        assert _signal(session, noise).membership.theme_id is None
    theme = themes.active_themes(session, region)[0]
    assert theme.keywords and len(theme.quotes) == 3 and theme.label


def test_themes_rebuild_twice_keeps_ids_and_membership(session, region):
    _rebuild(session, region)
    keys = {t.key for t in themes.active_themes(session, region)}
    before = _membership(session)
    _rebuild(session, region)
    assert {t.key for t in themes.active_themes(session, region)} == keys
    after = _membership(session)
    same = sum(before[s] == after[s] for s in before)
    assert same / len(before) >= 0.9


def test_themes_rebuild_keeps_reviewers_curation(session, region):
    _rebuild(session, region)
    first, second, third = themes.active_themes(session, region)[:3]
    themes.rename(session, first, "Geen plek bij de huisarts")
    themes.set_status(session, first, "on_agenda", "RESV december")
    moved = first.members[0].signal
    themes.decide(session, moved, second, source="moved")
    themes.merge(session, third, second)
    session.commit()
    session.expire_all()  # the rebuild reads what is stored, not what this session remembers
    _rebuild(session, region)
    session.expire_all()
    renamed = session.get(Theme, first.id)
    assert (renamed.label, renamed.status, renamed.notes) == (
        "Geen plek bij de huisarts", "on_agenda", "RESV december")
    assert session.get(Signal, moved.id).membership.theme_id == second.id
    assert session.get(Theme, third.id).merged_into_id == second.id
    assert not session.get(Theme, third.id).members


def _pharmacy(session, region):
    return next(t for t in themes.active_themes(session, region) if "apotheek" in t.keywords)


def _curate(session, region, per_theme=4):
    """Confirm a few members of the pharmacy theme and of one other theme (a reviewer's work)."""
    pharmacy = _pharmacy(session, region)
    other = next(t for t in themes.active_themes(session, region)
                 if t.id != pharmacy.id and len(t.members) >= per_theme)
    for theme in (pharmacy, other):
        for membership in list(theme.members)[:per_theme]:
            themes.decide(session, membership.signal, theme)
    session.commit()
    return pharmacy


def _models(session, region):
    session.expire_all()
    return session.scalars(select(ThemeModel).where(ThemeModel.region_id == region.id)
                           .order_by(ThemeModel.id)).all()


def _trainings(app, region):
    from nlp.pipeline import assign_component

    return assign_component(pipeline(app)).trainings.get(region.id, 0)


def test_themes_new_reports_are_assigned_by_the_stored_model_or_queued(app, session, region):
    _rebuild(session, region)
    pharmacy = _curate(session, region)
    intake = Intake(redact=str, after_signal=[themes.on_new_signal])
    before = record_submission(session, intake, region, form_id="k", form_version=1, answers={},
                               knelpunten=[KnelpuntInput(PHARMACY, ["haven"])])
    session.commit()  # as the request that stored it does
    waiting = before.signals[0]
    assert waiting.embedding is not None and waiting.membership is None  # no model yet: waits
    assert jobs(app).run_pending() >= 1 and len(_models(session, region)) == 1
    submission = record_submission(
        session, intake, region, form_id="k", form_version=1, answers={},
        knelpunten=[KnelpuntInput(PHARMACY, ["haven"]),
                    KnelpuntInput("qwerty asdf zxcv", ["haven"])])
    placed, gibberish = submission.signals
    assert placed.embedding is not None
    assert (placed.membership.source, placed.membership.theme_id) == ("assigned", pharmacy.id)
    assert 0 < placed.membership.confidence <= 1
    assert (gibberish.membership.theme_id, gibberish.membership.needs_review,
            gibberish.membership.confidence) == (None, False, 0.0)  # noise: overig, no review


def test_themes_curation_queues_training_and_a_resident_post_never_trains(app, client, session,
                                                                          region):
    _rebuild(session, region)
    assert jobs(app).huey.pending_count() == 1  # the rebuild changed themes: training queued
    jobs(app).run_pending()
    first = _models(session, region)
    assert len(first) == 1 and first[0].accuracy is None  # no reviewer decisions yet
    assert _trainings(app, region) == 1

    pharmacy = _curate(session, region)  # 8 confirmations: enough to cross-validate
    assert jobs(app).huey.pending_count() == 1
    trained = _trainings(app, region)
    code = submit(fill_knelpunt(client, text=PHARMACY))
    assert _trainings(app, region) == trained  # the resident's POST trained nothing
    assert jobs(app).huey.pending_count() == 1  # ... and queued nothing
    assert len(_models(session, region)) == 1
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert stored.signals[0].membership.source == "assigned"  # placed by the stored model

    assert jobs(app).run_pending() == 1
    models = _models(session, region)
    assert len(models) == 2 and _trainings(app, region) == trained + 1
    newest = models[-1]
    assert newest.labels == 8 and newest.reports == 71 and 0.5 <= newest.accuracy <= 1
    assert newest.trained_at >= first[0].trained_at and newest.model
    code = submit(fill_knelpunt(client, text=PHARMACY))
    session.expire_all()
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert stored.signals[0].membership.theme_id == pharmacy.id
    assert _trainings(app, region) == trained + 1
    from nlp.pipeline import assign_component

    assert assign_component(pipeline(app)).model(region.id)[0] == newest.id


def test_themes_training_job_skips_when_nothing_changed(app, session, region):
    _rebuild(session, region)
    _curate(session, region)
    trained = _trainings(app, region)
    # two queued jobs (rebuild, curation); the first already sees the curation, the second skips
    assert jobs(app).run_pending() == 2
    assert len(_models(session, region)) == 1 and _trainings(app, region) == trained + 1
    jobs(app).train(region.id)
    jobs(app).run_pending()
    assert len(_models(session, region)) == 1  # same decisions: no new model
    jobs(app).train(region.id, True)
    jobs(app).run_pending()
    assert len(_models(session, region)) == 2


def test_themes_intake_in_another_app_predicts_with_the_stored_model(app, session, region,
                                                                    database_url):
    _rebuild(session, region)
    pharmacy = _curate(session, region)
    jobs(app).run_pending()
    newest = _models(session, region)[-1]
    other = make_app(database_url)  # another worker process: its own pipeline and queue
    assert pipeline(other) is not pipeline(app)
    assert jobs(other).huey is not jobs(app).huey and jobs(other).huey.pending_count() == 0
    with other.app_context():
        other_session = db.session()
        region_there = other_session.get(Region, region.id)
        intake = Intake(redact=str, after_signal=[themes.on_new_signal])
        submission = record_submission(other_session, intake, region_there, form_id="k",
                                       form_version=1, answers={},
                                       knelpunten=[KnelpuntInput(PHARMACY, ["haven"])])
        assert submission.signals[0].membership.theme_id == pharmacy.id
        from nlp.pipeline import assign_component

        component = assign_component(pipeline(other))
        assert component.model(region.id)[0] == newest.id and component.trainings == {}
        other_session.close()
        db.engine().dispose()


def test_themes_two_regions_do_not_share_models(app, session, region, demo_entries):
    _rebuild(session, region)
    _curate(session, region)
    jobs(app).run_pending()
    lelystad = Region(slug="lelystad", name="Lelystad")
    session.add(lelystad)
    session.commit()
    intake = Intake(redact=str, after_signal=[themes.on_new_signal])
    submission = record_submission(session, intake, lelystad, form_id="k", form_version=1,
                                   answers={}, knelpunten=[KnelpuntInput(PHARMACY, [])])
    assert submission.signals[0].membership is None  # Almere's model never places Lelystad's
    _store(session, lelystad, demo_entries[:40], prefix="LELY")
    _rebuild(session, lelystad)
    jobs(app).run_pending()
    almere_models, lelystad_models = _models(session, region), _models(session, lelystad)
    assert almere_models and lelystad_models
    assert {m.id for m in almere_models}.isdisjoint({m.id for m in lelystad_models})
    from nlp.pipeline import assign_component

    component = assign_component(pipeline(app))
    almere, lely = component.model(region.id)[1], component.model(lelystad.id)[1]
    assert almere is not lely and almere.featurizer is not lely.featurizer
    lely_keys = {t.key for t in themes.active_themes(session, lelystad)}
    assert {c for c in lely.classes if c} <= lely_keys
    assert not {c for c in almere.classes if c} & lely_keys


def test_themes_search_by_meaning_within_allowed(session, region):
    _rebuild(session, region)
    results = themes.search(session, region, "medicijnen niet op voorraad bij de apotheek", k=5)
    assert results and "apotheek" in results[0].signal.text.lower()
    assert 0 < results[-1].score <= results[0].score <= 1 and "apotheek" in results[0].terms
    allowed = {s.id for s in session.scalars(select(Signal).where(
        Signal.wijken.any(Wijk.slug == "haven")))}
    limited = themes.search(session, region, "apotheek", k=50, signal_ids_allowed=allowed)
    assert limited and all(found.signal.id in allowed for found in limited)


def test_themes_rebuild_flushes_and_leaves_the_commit_to_its_caller(app, session, region):
    commits = []

    def count(committed) -> None:
        commits.append(committed)

    event.listen(session, "after_commit", count)
    try:
        counts = themes.rebuild(session, region)
        assert counts["themes"] > 0 and commits == []
        assert session.scalar(select(func.count(Theme.id))) == counts["themes"]  # flushed
        assert jobs(app).huey.pending_count() == 0  # nothing queued before the commit
        session.rollback()
        assert session.scalar(select(func.count(Theme.id))) == 0  # the caller decides
    finally:
        event.remove(session, "after_commit", count)
    result = app.test_cli_runner().invoke(args=["themes", "rebuild", "--now"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.scalar(select(func.count(Theme.id))) == counts["themes"]  # the command commits
