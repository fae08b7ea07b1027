"""The WSGI entry point: `gunicorn -c python:participatie.gunicorn_conf participatie.wsgi:app`.

Loaded once in gunicorn's master (``--preload``, which the config module sets): it refuses an unsafe
production setup, loads the redaction model and the embedder, and freezes the garbage collector so
the forked workers keep sharing those pages instead of copying them at their first collection.
"""

import gc

from participatie import create_app, intake
from participatie.config import check_limit_storage, worker_count
from participatie.intake import get_intake

app = create_app()
check_limit_storage(app.config, worker_count())


def warm_up() -> None:
    """Load what a first submission would otherwise load inside a resident's request."""
    with app.app_context():
        if app.config["THEMES_AT_INTAKE"]:
            intake.warm_up()  # the redactor, the embedder and every region's stored theme model
        else:
            get_intake().redact("warm-up")  # the redaction model (about 1 GB with deduce)


warm_up()
# objects that exist now (the models above) move to a generation the collector never touches, so
# a worker's first full collection does not write to, and so copy, every shared page
gc.collect()
gc.freeze()
