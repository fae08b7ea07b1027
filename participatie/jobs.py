"""Background jobs on huey: training the theme model after curation, the nightly rebuild, and
grouping free-text survey answers (after each rebuild, and when a reviewer asks).

huey is a small, kept task queue that runs embedded: by default its queue is a SQLite file in
the instance folder (`make run` needs no extra daemon: `participatie serve` runs a consumer
thread), in production a Redis URL (PARTICIPATIE_JOBS_URL, e.g. the rate limits' Redis) and
`participatie jobs worker` beside gunicorn. Tests use huey's in-memory queue, one per app.

A training job is queued after every commit that changed reviewers' decisions or themes
(confirm, move, split, merge, rename, status, rebuild), found by a session event, so no view has
to remember it. A resident's submission never trains: intake predicts with the stored model.

In the same way, a commit that put e-mails to residents in the outbox (participatie/residentmail.py)
queues a job that sends them; the worker also retries what failed every 10 minutes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from participatie.models import Region, ResidentMail, Submission, Theme, ThemeMembership
from participatie.themes.curation import PINNED

log = logging.getLogger(__name__)
EXTENSION = "participatie.jobs"
DIRTY = "participatie.curated_regions"
WITHDRAWN_SURVEYS = "participatie.withdrawn_survey_regions"
OUTBOX = "participatie.resident_mail"


@dataclass
class Jobs:
    """The app's queue and its tasks."""

    huey: Huey
    train: Any
    rebuild: Any
    survey_themes: Any = None
    resident_mail: Any = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def run_pending(self) -> int:
        """Run every queued task now, in this thread; return how many ran."""
        count = 0
        while (task := self.huey.dequeue()) is not None:
            self.huey.execute(task)
            count += 1
        return count

    def start_worker(self, poll_seconds: float = 1.0) -> None:
        """Run queued tasks in a daemon thread of this process (development and `serve`)."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    if self.run_pending() == 0:
                        self._stop.wait(poll_seconds)
                except Exception:  # keep the thread alive; huey logs the task's own errors
                    log.exception("job worker")
                    self._stop.wait(poll_seconds)

        self._thread = threading.Thread(target=loop, name="participatie-jobs", daemon=True)
        self._thread.start()

    def stop_worker(self) -> None:
        """Stop the worker thread after its current task."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None


def make_huey(app: Flask) -> Huey:
    """Return the queue for PARTICIPATIE_JOBS_URL: sqlite:///PATH, redis://..., or memory://."""
    url = app.config.get("JOBS_URL") or (
        "memory://" if app.config["ENV"] == "testing"
        else f"sqlite:///{Path(app.instance_path) / 'jobs.sqlite3'}")
    name = f"participatie-{app.config['REGION']}"
    if url.startswith("memory://"):
        return MemoryHuey(name, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, results=False, filename=str(path))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, results=False, url=url)
    from participatie.config import ConfigError

    raise ConfigError("PARTICIPATIE_JOBS_URL must start with sqlite:///, redis:// or memory://.")


def init_app(app: Flask) -> None:
    """Create the app's queue and tasks, and queue training after curation commits."""
    huey = make_huey(app)

    @huey.task(name="participatie.train")
    def train_task(region_id: int, force: bool = False) -> dict[str, Any]:
        with app.app_context(), _one_blas_thread():
            return train_region(region_id, force)

    @huey.task(name="participatie.rebuild")
    def rebuild_task(region_id: int) -> dict[str, Any]:
        with app.app_context(), _one_blas_thread():
            return rebuild_region(region_id)

    @huey.task(name="participatie.survey_themes")
    def survey_themes_task(region_id: int, force: bool = False) -> dict[str, Any]:
        with app.app_context(), _one_blas_thread():
            return group_survey_answers(region_id, force)

    @huey.task(name="participatie.resident_mail")
    def resident_mail_task() -> dict[str, Any]:
        with app.app_context():
            return send_resident_mail()

    @huey.periodic_task(crontab(minute="*/10"), name="participatie.resident_mail_retry")
    def resident_mail_retry() -> dict[str, Any]:
        # what failed (mail server away) is tried again by the worker every 10 minutes
        with app.app_context():
            return send_resident_mail()

    app.extensions[EXTENSION] = Jobs(huey, train_task, rebuild_task,
                                     survey_themes=survey_themes_task,
                                     resident_mail=resident_mail_task)
    app.jinja_env.globals["theme_model_status"] = model_status
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def _one_blas_thread() -> Any:
    """Limit BLAS to one thread: more only spin-wait on a busy machine and starve requests."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def jobs(app: Flask | None = None) -> Jobs:
    """Return the app's jobs."""
    return (app or current_app).extensions[EXTENSION]


def train_region(region_id: int, force: bool = False) -> dict[str, Any]:
    """Train and store one region's model now (what the training job runs)."""
    from participatie import db
    from participatie.themes import bridge

    session = db.session()
    region = session.get(Region, region_id)
    if region is None:
        return {"trained": False}
    row = bridge.train(session, region, force)
    session.commit()
    if row is None:
        return {"trained": False}
    return {"trained": True, "model": row.id, "accuracy": row.accuracy, "reports": row.reports}


def rebuild_region(region_id: int) -> dict[str, Any]:
    """Rebuild one region's themes, then train its model (what the nightly job runs)."""
    from participatie import db
    from participatie.themes import bridge

    session = db.session()
    region = session.get(Region, region_id)
    if region is None:
        return {}
    counts: dict[str, Any] = bridge.rebuild(session, region)
    session.commit()
    counts["model"] = train_region(region_id)
    counts["surveys"] = group_survey_answers(region_id)
    return counts


def group_survey_answers(region_id: int, force: bool = False) -> dict[str, int]:
    """Group one region's free-text survey answers into themes and store them (the job's work)."""
    from participatie import db, filling, survey_themes
    from participatie.themes import bridge

    session = db.session()
    region = session.get(Region, region_id)
    if region is None:
        return {}
    counts = survey_themes.compute_region(session, region, filling.questionnaires(),
                                          bridge.pipeline(), force)
    session.commit()
    return counts


def send_resident_mail() -> dict[str, Any]:
    """Send the e-mails waiting in the residents' outbox (what the job runs)."""
    from participatie import db, residentmail

    session = db.session()
    try:
        result = residentmail.drain(session)
    finally:
        session.rollback()
    return {"sent": len(result.sent), "dropped": len(result.dropped),
            "failed": len(result.failed), "busy": result.busy}


def model_status(region: Region | None) -> Any:
    """Return the region's newest stored model (trained_at, accuracy), or None (templates)."""
    from participatie import db
    from participatie.themes import bridge

    return bridge.newest_model(db.session(), region) if region is not None else None


def _after_flush(session: Session, _context: Any) -> None:
    """Note the regions whose themes or reviewers' decisions this flush changed."""
    regions: set[int] = session.info.setdefault(DIRTY, set())
    if any(isinstance(obj, ResidentMail) for obj in session.new):
        session.info[OUTBOX] = True
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, Theme):
                regions.add(obj.region_id)
            elif isinstance(obj, ThemeMembership) and obj.source in PINNED:
                if obj.signal is not None:
                    regions.add(obj.signal.region_id)
            elif isinstance(obj, Submission) and _withdrawn_survey(obj):
                session.info.setdefault(WITHDRAWN_SURVEYS, set()).add(obj.region_id)


def _withdrawn_survey(submission: Submission) -> bool:
    """Tell whether this flush withdraws a survey's answers (its groups must be made again)."""
    if submission.withdrawn_at is None or not has_app_context():
        return False
    if not inspect(submission).attrs.withdrawn_at.history.has_changes():
        return False
    form = current_app.extensions.get("questionnaires", {}).get(submission.form_id)
    return form is not None and form.kind == "survey"


def _after_commit(session: Session) -> None:
    """Queue training per region that reviewers changed, survey grouping after a withdrawal."""
    regions = session.info.pop(DIRTY, set())
    withdrawn = session.info.pop(WITHDRAWN_SURVEYS, set())
    outbox = session.info.pop(OUTBOX, False)
    if not has_app_context() or EXTENSION not in current_app.extensions:
        return
    if outbox:
        jobs().resident_mail()  # e-mails to residents wait in the outbox: send them now
    for region_id in sorted(r for r in regions if r is not None):
        jobs().train(region_id)
    for region_id in sorted(withdrawn):  # the groups' labels may hold the withdrawn words
        jobs().survey_themes(region_id)


def _after_rollback(session: Session) -> None:
    session.info.pop(DIRTY, None)
    session.info.pop(WITHDRAWN_SURVEYS, None)
    session.info.pop(OUTBOX, None)
