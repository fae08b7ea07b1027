"""gunicorn settings for production: `gunicorn -c python:participatie.gunicorn_conf ...wsgi:app`.

Every setting can still be given on gunicorn's command line (which wins). The defaults: preload the
app (one copy of the models, shared by the workers), WEB_CONCURRENCY workers (3), listen on
PARTICIPATIE_BIND (127.0.0.1:8000) behind the reverse proxy. The hooks refuse rate-limit counters
kept per process (memory://) with more than one worker, and freeze the garbage collector before
each fork so the workers keep sharing the preloaded models.
"""

from __future__ import annotations

import gc
import os
from typing import Any

preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
bind = os.environ.get("PARTICIPATIE_BIND", "127.0.0.1:8000")
timeout = 60
graceful_timeout = 30
# the reverse proxy in front passes the client address; PARTICIPATIE_PROXY_HOPS tells the app
forwarded_allow_ips = "127.0.0.1"


def on_starting(server: Any) -> None:
    """Refuse to start when limits would be counted per worker (memory:// and workers > 1)."""
    from participatie.config import check_limit_storage
    from participatie.wsgi import app

    check_limit_storage(app.config, server.cfg.workers)


def pre_fork(server: Any, worker: Any) -> None:
    """Freeze what the master holds, so a worker's garbage collection does not copy it."""
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Start each worker with fresh database connections (never the master's)."""
    from participatie import db
    from participatie.wsgi import app

    with app.app_context():
        db.engine().dispose(close=False)
