"""Background jobs on huey: the SQLite queue shared by processes, the in-process worker thread."""

from __future__ import annotations

import time

import pytest
from huey import MemoryHuey, SqliteHuey
from sqlalchemy import func, select

from participatie import db, themes
from participatie.config import ConfigError
from participatie.jobs import jobs
from participatie.models import Region, Signal, Submission, ThemeModel
from tests.conftest import make_app

TEXTS = [
    "De apotheek heeft mijn medicijnen weer niet op voorraad.",
    "Bij de apotheek moet ik steeds terugkomen voor mijn medicijnen.",
    "Mijn medicijnen zijn bij de apotheek al twee weken op.",
    "De apotheek levert de medicijnen van mijn moeder te laat.",
    "Ik kan de huisarts telefonisch niet bereiken, de lijn is steeds bezet.",
    "De huisarts neemt de telefoon niet op, ik wacht een half uur.",
    "Onze huisarts is slecht bereikbaar, bellen duurt heel lang.",
    "Bij de huisarts kom je telefonisch niet door in de ochtend.",
]


@pytest.fixture
def new_app(database_url):
    """Make more apps on the test database (other processes); their connections closed after."""
    made = []

    def factory(**overrides):
        made.append(make_app(database_url, **overrides))
        return made[-1]

    yield factory
    for other in made:
        with other.app_context():
            db.session().close()
            db.engine().dispose()


def _region_with_reports(session) -> Region:
    region = session.scalar(select(Region))
    for i, text in enumerate(TEXTS):
        submission = Submission(reference=f"JOB-{i:04d}", region_id=region.id, form_id="k",
                                form_version=1)
        submission.signals.append(Signal(region_id=region.id, text=text))
        session.add(submission)
    session.commit()
    return region


def test_jobs_queue_is_sqlite_in_the_instance_folder_by_default(new_app, database_url, tmp_path):
    app = new_app(ENV="development", JOBS_URL=None)
    app.instance_path = str(tmp_path)  # what PARTICIPATIE_INSTANCE_PATH sets
    from participatie.jobs import make_huey

    huey = make_huey(app)
    assert isinstance(huey, SqliteHuey) and (tmp_path / "jobs.sqlite3").exists()
    assert isinstance(jobs(new_app()).huey, MemoryHuey)  # tests: in memory
    with pytest.raises(ConfigError, match="PARTICIPATIE_JOBS_URL"):
        new_app(JOBS_URL="ftp://example.org/queue")


@pytest.mark.commits
def test_jobs_sqlite_queue_is_shared_and_the_worker_thread_trains(app, new_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    web = new_app(JOBS_URL=url, EMBEDDINGS="lexical", REDACTION="rules")
    worker = new_app(JOBS_URL=url, EMBEDDINGS="lexical", REDACTION="rules")
    with web.app_context():
        region = _region_with_reports(db.session())
        themes.rebuild(db.session(), region)
        db.session().commit()  # the commit queues a training job
    assert jobs(web).huey.pending_count() == 1
    assert jobs(worker).huey.pending_count() == 1  # one store, seen by the worker process
    jobs(worker).start_worker(poll_seconds=0.1)
    try:
        deadline = time.monotonic() + 120
        while jobs(worker).huey.pending_count() and time.monotonic() < deadline:
            time.sleep(0.2)
        with worker.app_context():
            deadline = time.monotonic() + 120
            while (not db.session().scalar(select(func.count(ThemeModel.id)))
                   and time.monotonic() < deadline):
                db.session().rollback()
                time.sleep(0.2)
            model = db.session().scalar(select(ThemeModel))
            assert model is not None and model.region_id == region.id
            assert model.backend == "lexical" and model.reports == len(TEXTS)
    finally:
        jobs(worker).stop_worker()
    assert jobs(web).huey.pending_count() == 0


def test_warm_up_loads_the_stored_models_and_freezes_the_heap(app, new_app):
    import gc

    from nlp.pipeline import assign_component
    from participatie.intake import warm_up
    from participatie.themes.bridge import pipeline

    trainer = new_app(EMBEDDINGS="lexical", REDACTION="rules")
    server = new_app(EMBEDDINGS="lexical", REDACTION="rules")
    with trainer.app_context():
        region = _region_with_reports(db.session())
        themes.rebuild(db.session(), region)
        db.session().commit()
        jobs(trainer).run_pending()
        stored = db.session().scalar(select(ThemeModel.id))
    assert stored is not None
    assert assign_component(pipeline(server)).model(region.id) is None
    try:
        with server.app_context():
            warm_up()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert assign_component(pipeline(server)).model(region.id)[0] == stored
    assert assign_component(pipeline(server)).trainings == {}
