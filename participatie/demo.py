"""Demo data: realistic reports written for the demo (seed/demo_reports.yaml)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from participatie.models import Region, Submission, utcnow
from participatie.signals import (
    ContactInput,
    Intake,
    KnelpuntInput,
    clean_text,
    record_submission,
)
from participatie.yamlfile import DefinitionError, load, require

DEMO_FILE = Path(__file__).resolve().parent / "seed" / "demo_reports.yaml"
DEMO_FORM = ("knelpunt", 1)
COUNCIL_FORM = ("clientenraad", 1)


def load_demo_reports(session: Session, intake: Intake, region: Region,
                      path: Path = DEMO_FILE) -> int:
    """Record the demo reports once (as if sent over the last months); return how many."""
    if session.scalar(select(func.count(Submission.id))):
        return 0
    entries = load(path)
    if not isinstance(entries, list):
        raise DefinitionError(path, 1, "expected a list of reports")
    rng = random.Random(7)
    for entry in entries:
        _record(session, intake, region, entry, path, rng)
    return len(entries)


def _record(session: Session, intake: Intake, region: Region, entry: dict, path: Path,  # type: ignore[type-arg]
            rng: random.Random) -> None:
    text = require(entry, "text", str, path)
    days_ago = int(entry.get("days_ago", 0))
    created = utcnow() - dt.timedelta(days=days_ago, minutes=rng.randint(0, 600))
    role = entry.get("role", "inwoner")
    knelpunt = KnelpuntInput(
        text=text, wijk_slugs=[require(entry, "wijk", str, path)],
        disciplines=list(entry.get("disciplines") or []),
        frequency=entry.get("frequency"), severity=entry.get("severity"),
    )
    contact = None
    if rng.random() < .2:
        contact = ContactInput(email=f"bewoner{rng.randint(100, 999)}@example.org")
    form_id, version = COUNCIL_FORM if role == "clientenraad" else DEMO_FORM
    record_submission(
        session, intake, region, form_id=form_id, form_version=version,
        answers=_answers(role, knelpunt, intake.redact(clean_text(text))),
        knelpunten=[knelpunt], reporter_role=role, contact=contact, created_at=created,
    )


def _answers(role: str, knelpunt: KnelpuntInput, redacted: str) -> dict[str, Any]:
    """Answer as the form in forms/ would have stored it (redacted text, no contact)."""
    care = list(knelpunt.disciplines) or ["weet_niet"]
    if role == "clientenraad":
        return {"organisatie": "Cliëntenraad (demo)", "geraadpleegd": "12", "knelpunten": [
            {"wijken": list(knelpunt.wijk_slugs), "beschrijving": redacted, "zorg": care}]}
    answers: dict[str, Any] = {"wijk": knelpunt.wijk_slugs[0], "wat": redacted, "zorg": care,
                               "wie": role}
    if knelpunt.frequency:
        answers["hoe_vaak"] = knelpunt.frequency
    if knelpunt.severity:
        answers["hoe_erg"] = str(knelpunt.severity)
    return answers
