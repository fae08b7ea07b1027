"""What happens to a report as it arrives: redaction always, then the theme hooks."""

from __future__ import annotations

from flask import current_app

from participatie.signals import Intake


def get_intake() -> Intake:
    """Return this app's intake: the app's nlp pipeline redacts, then themes place the report."""
    extensions = current_app.extensions
    if "intake" not in extensions:
        from nlp.pipeline import redact
        from participatie import themes
        from participatie.themes.bridge import pipeline

        language = pipeline()
        hooks = [themes.on_new_signal] if current_app.config["THEMES_AT_INTAKE"] else []
        extensions["intake"] = Intake(redact=lambda text: redact(language, text),
                                      after_signal=hooks)
    return extensions["intake"]


WARM_UP_TEXT = ("Mijn moeder wacht al drie weken op de Huisarts in Haven. Apotheek Zon belt niet "
                "terug. Bel mij, Jan de Vries, op 06-12345678 of mail jan@example.org.")


def warm_up() -> None:
    """Load the redactor, the embedder and every region's stored model, then freeze the heap.

    Call once per process before serving (and before gunicorn forks). After `gc.freeze()` full
    garbage collections skip the ~1 GB of deduce's tables: without it one collection stopped
    every thread for 15 s at 10k reports on a busy machine (bench/themes_speed.py).
    """
    import gc

    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from nlp.pipeline import analyse
    from participatie import db
    from participatie.models import Region
    from participatie.themes import bridge

    # a report as residents write it: names, a phone number, an e-mail address and capitalised
    # ordinary words, so the first resident's text meets nothing that still has to load
    get_intake().redact(WARM_UP_TEXT)
    analyse(bridge.pipeline(), ["Warm-up"], redacted=True, assign=False)
    session = db.session()
    try:
        for region in session.scalars(select(Region)):
            bridge.load_model(session, region)
    except SQLAlchemyError as error:  # no schema yet: the first intake loads the model instead
        current_app.logger.warning("no stored theme models loaded: %s", type(error).__name__)
    session.rollback()
    gc.collect()
    gc.freeze()
