"""Demo data: realistic reports (seed/demo_reports.yaml) and a dossier (seed/demo_dossier.yaml)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from participatie.models import (
    AgendaItem,
    Agreement,
    Dossier,
    Region,
    Submission,
    Theme,
    User,
    Wijk,
    utcnow,
)
from participatie.regions import care_words
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


def _care_codes(disciplines: list[str]) -> list[str]:
    """Say the disciplines in the residents' words the form offers (seed/care.yaml)."""
    words = care_words()
    codes: list[str] = []
    for discipline in disciplines:
        code = next((w.code for w in words if discipline in w.disciplines), "anders")
        if code not in codes:
            codes.append(code)
    return codes


def _answers(role: str, knelpunt: KnelpuntInput, redacted: str) -> dict[str, Any]:
    """Answer as the form in forms/ would have stored it (redacted text, no contact)."""
    care = _care_codes(knelpunt.disciplines) or ["weet_niet"]
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


# --- the demo's knelpunt dossier (seed/demo_dossier.yaml) ------------------------------------

DOSSIER_FILE = Path(__file__).resolve().parent / "seed" / "demo_dossier.yaml"
KERNTEAM_EMAIL = "kernteam.waterwijk@demo.participatie.nl"
ASD_EMAIL = "asd@demo.participatie.nl"


def load_demo_dossier(session: Session, region: Region, path: Path = DOSSIER_FILE,
                      today: dt.date | None = None) -> Dossier | None:
    """Add the demo dossier once: themes, actions, evidence, survey, SROI, meeting (no commit)."""
    from participatie import agenda, dossiers, sroi

    if session.scalar(select(func.count(Dossier.id)).where(Dossier.region_id == region.id)):
        return None
    data = load(path)
    if not isinstance(data, dict):
        raise DefinitionError(path, 1, "expected a mapping")
    today = today or utcnow().date()
    wijk = session.scalar(select(Wijk).where(Wijk.region_id == region.id,
                                             Wijk.slug == require(data, "wijk", str, path)))
    if wijk is None:
        raise DefinitionError(path, data.lines.get("wijk"), "not a wijk of the region")
    kernteam = session.scalar(select(User).where(User.email == KERNTEAM_EMAIL))
    asd = session.scalar(select(User).where(User.email == ASD_EMAIL))
    kernteam = kernteam or asd
    if kernteam is None:  # the demo accounts are made first; without them, no demo dossier
        return None
    linked = _demo_themes(session, region, wijk, list(data.get("theme_words") or []))
    themes = [t.id for t in linked]
    theme = linked[0] if linked else None
    dossier = dossiers.create(session, kernteam, wijk, require(data, "title", str, path),
                              require(data, "problem", str, path), themes)
    survey = require(data, "survey", str, path)
    rng = random.Random(14)
    periods = {}
    for key in ("before", "after"):
        spec = require(data, key, dict, path)
        periods[key] = _quarter_back(today, int(spec.get("quarters_ago", 0)))
        _demo_survey(session, region, wijk, survey, periods[key], spec, rng, today,
                     tuple(str(t) for t in data.get("tips") or []), float(data.get("tip_share", 0)))
    dossiers.update(session, kernteam, dossier, title=dossier.title, problem=dossier.problem,
                    stakeholders=list(data.get("stakeholders") or []), theme_ids=themes,
                    survey_form_id=survey, before_period=periods["before"],
                    after_period=periods["after"], discount_rate=None)
    for entry in data.get("actions") or []:
        action = dossiers.add_action(session, kernteam, dossier, require(entry, "what", str, path),
                                     require(entry, "owner", str, path),
                                     today + dt.timedelta(days=int(entry.get("due_days", 0))))
        action.done = bool(entry.get("done"))
    for entry in data.get("evidence") or []:
        dossiers.add_evidence(session, kernteam, dossier,
                              today - dt.timedelta(days=int(entry.get("days_ago", 0))),
                              require(entry, "text", str, path), entry.get("link"))
    book = sroi.load_proxies()
    for entry in data.get("inputs") or []:
        rate = entry.get("rate", 0)
        if entry.get("proxy_rate"):
            rate = book.proxies[entry["proxy_rate"]].value
        dossiers.add_input(session, kernteam, dossier, sroi.Input(
            require(entry, "stakeholder", str, path), require(entry, "description", str, path),
            float(entry.get("hours", 0)), float(rate), float(entry.get("costs", 0))))
    for entry in data.get("outcomes") or []:
        proxy = book.proxies.get(require(entry, "proxy", str, path))
        if proxy is None:
            raise DefinitionError(path, entry.lines.get("proxy"), "unknown proxy")
        dossiers.add_outcome(session, kernteam, dossier, sroi.Outcome(
            require(entry, "stakeholder", str, path), require(entry, "description", str, path),
            require(entry, "indicator", str, path), float(require(entry, "quantity", int, path)),
            proxy.value, proxy.source, int(entry.get("duration", 1)),
            **{k: float(entry.get(k, 0)) / 100
               for k in ("deadweight", "attribution", "displacement", "drop_off")}), proxy.id)
    meeting = data.get("meeting")
    if meeting and theme is not None and asd is not None:
        held = today - dt.timedelta(days=int(meeting.get("days_ago", 0)))
        planned = agenda.create_meeting(session, asd, region, held, meeting.get("title", ""),
                                        [theme.id])
        agenda.update_item(session, asd, planned.items[0], meeting.get("question", ""),
                           meeting.get("kernteam_done", ""))
        for entry in meeting.get("agreements") or []:
            made = agenda.add_agreement(
                session, asd, planned, theme.id, require(entry, "what", str, path),
                require(entry, "who", str, path),
                held + dt.timedelta(days=int(entry.get("due_days", 0)) + 45))
            made.done = bool(entry.get("done"))
    session.flush()
    return dossier


def _demo_themes(session: Session, region: Region, wijk: Wijk, words: list[str]) -> list[Theme]:
    """Pick at most two themes with reports in the wijk whose name or keywords hold the words."""
    from participatie.themes import active_themes

    def score(theme: Theme) -> tuple[int, int]:
        text = " ".join([theme.label, *theme.keywords]).lower()
        in_wijk = sum(1 for m in theme.members if any(w.id == wijk.id for w in m.signal.wijken))
        return (sum(1 for word in words if word in text) if in_wijk else 0, in_wijk)

    found = sorted(active_themes(session, region), key=score, reverse=True)
    return [t for t in found if score(t)[0]][:2]


def _quarter_back(today: dt.date, quarters: int) -> str:
    index = today.year * 4 + (today.month - 1) // 3 - quarters
    return f"{index // 4}-Q{index % 4 + 1}"


def _demo_survey(session: Session, region: Region, wijk: Wijk, form_id: str, period: str,
                 spec: dict, rng: random.Random, today: dt.date,  # type: ignore[type-arg]
                 tips: tuple[str, ...] = (), tip_share: float = 0.0) -> None:
    from participatie.survey_results import quarter_bounds

    tip_rng = random.Random(f"tips-{period}")  # its own: the choice answers stay as they were
    start, end = quarter_bounds(period)
    end = min(end, dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC))
    span = max(1, int((end - start).total_seconds()) - 1)
    values = ["1", "2", "3", "4", "5"]
    for _ in range(int(spec.get("respondents", 0))):
        answers: dict[str, Any] = {
            "wijk": wijk.slug,
            "telefoon": rng.choices(values, weights=spec["telefoon"])[0],
            "afspraak": rng.choices(values, weights=spec["afspraak"])[0],
            "hoe": rng.sample(["telefoon", "balie", "app"], k=rng.randint(1, 2)),
            "ingeschreven": "yes" if rng.random() < spec.get("ingeschreven_yes", 1) else "no",
        }
        if tips and tip_rng.random() < tip_share:
            answers["tip"] = tip_rng.choice(tips)
        created = start + dt.timedelta(seconds=rng.randint(0, span))
        record_submission(session, Intake(redact=lambda text: text), region, form_id=form_id,
                          form_version=1, answers=answers, knelpunten=[], created_at=created)


def load_demo_publications(session: Session, region: Region,
                           today: dt.date | None = None) -> int:
    """Publish two demo themes with agreements (and the demo survey's last quarter) once."""
    from participatie import agenda, publication
    from participatie.models import ResvMeeting, SurveyPublication, ThemePublication
    from participatie.themes import active_themes

    if session.scalar(select(func.count(ThemePublication.id)).where(
            ThemePublication.region_id == region.id)):
        return 0
    asd = session.scalar(select(User).where(User.email == ASD_EMAIL))
    meeting = session.scalar(select(ResvMeeting).where(ResvMeeting.region_id == region.id)
                             .order_by(ResvMeeting.held_on.desc()))
    if asd is None or meeting is None:
        return 0
    today = today or utcnow().date()
    ranked = sorted(active_themes(session, region), key=lambda t: len(t.members), reverse=True)
    agreed = {a.theme_id for a in session.scalars(select(Agreement).where(
        Agreement.meeting_id == meeting.id))}
    chosen = [t for t in ranked if t.id in agreed][:1]
    chosen += [t for t in ranked if t not in chosen][:2 - len(chosen)]
    held = f"{meeting.held_on.day}-{meeting.held_on.month}-{meeting.held_on.year}"
    dossier = session.scalar(select(Dossier).where(Dossier.region_id == region.id))
    # the title the ASD would write for the dossier's theme; the other keeps its automatic label
    public_title = load(DOSSIER_FILE).get("public_title")
    titles = {t.id: str(public_title) for t in (dossier.themes if dossier else [])
              if public_title}
    statuses = [f"Besproken in de RESV van {held}",
                f"Besproken in het kernteam en in de RESV van {held}"]
    for theme, status in zip(chosen, statuses, strict=False):
        if theme.id not in agreed:
            meeting.items.append(AgendaItem(theme_id=theme.id, position=len(meeting.items),
                                            question="Wat kan de wijk hieraan doen?"))
            session.flush()
            agenda.add_agreement(session, asd, meeting, theme.id,
                                 "Het kernteam vraagt bewoners en zorgverleners wat beter kan.",
                                 "Kernteam van de wijk", today + dt.timedelta(days=60))
        quotes = [s.id for s in publication.quotable(session, theme)[:2]]
        publication.publish(
            session, asd, theme, title=titles.get(theme.id, theme.label),
            summary="Veel bewoners vertellen ons hierover. Zorgverleners in de wijk praten "
                    "erover en spreken af wat ze gaan doen. Hieronder ziet u wat we afspraken.",
            public_status=status, quote_ids=quotes)
    if dossier and dossier.survey_form_id and dossier.after_period and not session.scalar(
            select(func.count(SurveyPublication.id)).where(
                SurveyPublication.region_id == region.id)):
        publication.publish_survey(
            session, asd, region, dossier.survey_form_id, dossier.after_period,
            "We vroegen bewoners hoe makkelijk ze hun huisarts bereiken. Dit is wat ze zeiden.")
    session.flush()
    return len(chosen)
