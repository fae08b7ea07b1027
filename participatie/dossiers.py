"""Knelpunt dossiers: a wijk's chosen knelpunt, its actions, evidence, measurement and SROI.

No Flask here. Every change flushes and writes its audit event; the caller commits once.
Who may do what: the kernteam of the dossier's wijk, the ASD and the beheerder edit; a meelezer
(and anyone else of the region who may see the wijk) reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from participatie import audit, sroi, survey_results
from participatie.accounts.permissions import (
    Forbidden,
    can_edit_dossier,
    can_see_dossier,
    can_see_theme,
    can_see_wijk,
    wijk_scope,
)
from participatie.models import (
    Dossier,
    DossierAction,
    DossierEvidence,
    Region,
    Signal,
    SroiInput,
    SroiOutcome,
    Theme,
    ThemeMembership,
    User,
    Wijk,
    signal_wijken,
)
from participatie.signals import WITHDRAWN
from participatie.themes.curation import merged_home

# in the reader's language when written out (the CSV's cells are the dossier's own words)
IMPACT_MAP_HEADER = [
    _l("stakeholder"), _l("outcome"), _l("indicator"), _l("quantity"),
    _l("financial proxy (EUR)"), _l("source of the proxy"), _l("duration (years)"),
    _l("deadweight"), _l("displacement"), _l("attribution"), _l("drop-off"),
    _l("impact year 1 (EUR)"), _l("present value (EUR)"),
]


class DossierError(ValueError):
    """A dossier change cannot be saved; the message says why."""


def may_see(user: User, dossier: Dossier) -> bool:
    """Tell whether a user may read a dossier (see accounts.permissions)."""
    return can_see_dossier(user, dossier)


def may_edit(user: User, dossier: Dossier) -> bool:
    """Tell whether a user may change a dossier (see accounts.permissions)."""
    return can_edit_dossier(user, dossier)


def may_start(user: User, wijk: Wijk) -> bool:
    """Tell whether a user may start a dossier for a wijk."""
    probe = Dossier(region_id=wijk.region_id, wijk_id=wijk.id)
    return may_edit(user, probe)


def visible(session: Session, user: User) -> list[Dossier]:
    """Return the dossiers a user may see, by wijk and title."""
    query = select(Dossier).where(Dossier.region_id == user.region_id)
    scope = wijk_scope(user)
    if scope is not None:
        query = query.where(Dossier.wijk_id.in_(scope))
    return sorted(session.scalars(query), key=lambda d: (d.wijk.name, d.title.lower()))


def _themes(session: Session, region_id: int, theme_ids: list[int]) -> list[Theme]:
    found = list(session.scalars(select(Theme).where(
        Theme.id.in_(theme_ids), Theme.region_id == region_id, Theme.merged_into_id.is_(None))))
    if len(found) != len(set(theme_ids)):
        raise DossierError("unknown theme")
    return found


def create(session: Session, user: User, wijk: Wijk, title: str, problem: str,
           theme_ids: list[int]) -> Dossier:
    """Start a dossier for a wijk from one or more themes."""
    if not may_start(user, wijk):
        raise Forbidden("not your wijk")
    if not title.strip():
        raise DossierError("a dossier needs a title")
    dossier = Dossier(region_id=wijk.region_id, wijk_id=wijk.id, title=title.strip()[:200],
                      problem=problem.strip(), stakeholders=[],
                      themes=_themes(session, wijk.region_id, theme_ids))
    session.add(dossier)
    session.flush()
    audit.record(session, user, "dossier_add", "dossier", dossier.id, wijk=wijk.slug)
    return dossier


def update(session: Session, user: User, dossier: Dossier, *, title: str, problem: str,
           stakeholders: list[str], theme_ids: list[int], survey_form_id: str | None,
           before_period: str | None, after_period: str | None,
           discount_rate: float | None) -> None:
    """Save the dossier's description, stakeholders, themes and measurement settings."""
    for period in (before_period, after_period):
        if period:
            survey_results.quarter_bounds(period)  # raises ValueError on a bad period
    if not title.strip():
        raise DossierError("a dossier needs a title")
    if discount_rate is not None and not 0 <= discount_rate < 1:
        raise DossierError("the discount rate must be from 0% to below 100%")
    dossier.title = title.strip()[:200]
    dossier.problem = problem.strip()
    dossier.stakeholders = [s.strip()[:200] for s in stakeholders if s.strip()]
    dossier.themes = _themes(session, dossier.region_id, theme_ids)
    dossier.survey_form_id = survey_form_id or None
    dossier.before_period = before_period or None
    dossier.after_period = after_period or None
    dossier.discount_rate = discount_rate
    session.flush()
    audit.record(session, user, "dossier_edit", "dossier", dossier.id)


def add_action(session: Session, user: User, dossier: Dossier, what: str, owner: str,
               due_on: dt.date | None) -> DossierAction:
    """Add an agreed action with its owner and date."""
    action = DossierAction(what=what.strip(), owner=owner.strip()[:200], due_on=due_on)
    dossier.actions.append(action)
    session.flush()
    audit.record(session, user, "dossier_action", "dossier", dossier.id, action_id=action.id)
    return action


def set_action_done(session: Session, user: User, action: DossierAction, done: bool) -> None:
    """Mark an action as done or not done."""
    action.done = done
    session.flush()
    audit.record(session, user, "dossier_action_done", "dossier", action.dossier_id,
                 action_id=action.id, done=done)


def add_evidence(session: Session, user: User, dossier: Dossier, noted_on: dt.date, text: str,
                 link: str | None) -> DossierEvidence:
    """Add a piece of evidence (a dated note, optionally a link)."""
    entry = DossierEvidence(noted_on=noted_on, text=text.strip(), link=(link or "").strip() or None)
    dossier.evidence.append(entry)
    session.flush()
    audit.record(session, user, "dossier_evidence", "dossier", dossier.id, evidence=entry.id)
    return entry


def add_input(session: Session, user: User, dossier: Dossier, value: sroi.Input) -> SroiInput:
    """Add an SROI input (hours x rate and/or costs)."""
    if value.hours < 0 or value.rate < 0 or value.costs < 0 or value.value <= 0:
        raise DossierError("an input needs hours with a rate, or costs, above zero")
    if value.hours > sroi.MAX_HOURS or value.rate > sroi.MAX_RATE or value.costs > sroi.MAX_COSTS:
        raise DossierError("hours, rate or costs are larger than a dossier takes")
    row = SroiInput(stakeholder=value.stakeholder[:200], description=value.description[:500],
                    hours=value.hours, rate=value.rate, costs=value.costs)
    dossier.inputs.append(row)
    session.flush()
    audit.record(session, user, "sroi_input", "dossier", dossier.id, input=row.id)
    return row


def add_outcome(session: Session, user: User, dossier: Dossier, value: sroi.Outcome,
                proxy_id: str | None = None) -> SroiOutcome:
    """Add an SROI outcome (checked with the same rules as the calculation)."""
    sroi.validate(sroi.Analysis((sroi.Input("-", "-", costs=1),), (value,)))
    if value.quantity > sroi.MAX_QUANTITY or value.proxy_value > sroi.MAX_PROXY_VALUE:
        raise DossierError("the quantity or the value is larger than a dossier takes")
    row = SroiOutcome(
        stakeholder=value.stakeholder[:200], description=value.description[:500],
        indicator=value.indicator[:500], quantity=value.quantity, proxy_id=proxy_id,
        proxy_value=value.proxy_value, proxy_source=value.proxy_source,
        duration=value.duration, deadweight=value.deadweight, attribution=value.attribution,
        displacement=value.displacement, drop_off=value.drop_off)
    dossier.outcomes.append(row)
    session.flush()
    audit.record(session, user, "sroi_outcome", "dossier", dossier.id, outcome=row.id)
    return row


def remove_row(session: Session, user: User, dossier: Dossier, kind: str, row_id: int) -> None:
    """Remove an action, evidence entry, input or outcome of this dossier."""
    rows = {"action": dossier.actions, "evidence": dossier.evidence, "input": dossier.inputs,
            "outcome": dossier.outcomes}.get(kind)
    found = next((r for r in rows or [] if r.id == row_id), None)
    if found is None:
        raise DossierError("unknown row")
    rows.remove(found)  # type: ignore[union-attr]
    session.flush()
    audit.record(session, user, "dossier_remove", "dossier", dossier.id, kind=kind, row=row_id)


def analysis(dossier: Dossier, default_rate: float = sroi.DUTCH_DISCOUNT_RATE) -> sroi.Analysis:
    """Return the dossier's SROI inputs and outcomes as an analysis for sroi.compute()."""
    return sroi.Analysis(
        inputs=tuple(sroi.Input(i.stakeholder, i.description, i.hours, i.rate, i.costs)
                     for i in dossier.inputs),
        outcomes=tuple(sroi.Outcome(
            o.stakeholder, o.description, o.indicator, o.quantity, o.proxy_value,
            o.proxy_source, o.duration, o.deadweight, o.attribution, o.displacement, o.drop_off)
            for o in dossier.outcomes),
        discount_rate=default_rate if dossier.discount_rate is None else dossier.discount_rate)


@dataclass(frozen=True)
class Calculation:
    """An SROI result with its sensitivity table, or the reason it cannot be computed."""

    analysis: sroi.Analysis
    result: sroi.Result | None
    sensitivity: sroi.Sensitivity | None
    problem: str | None


def calculate(dossier: Dossier, default_rate: float = sroi.DUTCH_DISCOUNT_RATE) -> Calculation:
    """Compute the dossier's SROI; a missing or impossible part becomes a stated problem."""
    found = analysis(dossier, default_rate)
    if not found.outcomes:
        return Calculation(found, None, None, "no outcomes yet")
    try:
        return Calculation(found, sroi.compute(found), sroi.sensitivity(found), None)
    except sroi.SroiError as error:
        return Calculation(found, None, None, str(error))


def impact_map(dossier: Dossier, default_rate: float = sroi.DUTCH_DISCOUNT_RATE,
               ) -> tuple[list[str], list[list[object]]]:
    """Return the impact map (header, rows): one row per outcome plus the totals."""
    calc = calculate(dossier, default_rate)
    if calc.result is None:
        rows = [[o.stakeholder, o.description, o.indicator, o.quantity, o.proxy_value,
                 o.proxy_source, o.duration, o.deadweight, o.displacement, o.attribution,
                 o.drop_off, round(o.impact, 2), ""] for o in calc.analysis.outcomes]
        return IMPACT_MAP_HEADER, rows
    rows = [list(r) for r in sroi.outcome_rows(calc.analysis, calc.result)]
    rows.append([_l("total inputs (EUR)"), "", "", "", "", "", "", "", "", "", "", "",
                 round(calc.result.total_inputs, 2)])
    rows.append([_l("net present value (EUR)"), "", "", "", "", "", "", "", "", "", "", "",
                 round(calc.result.net_present_value, 2)])
    rows.append([_l("SROI ratio"), "", "", "", "", "", "", "", "", "", "", "",
                 round(calc.result.ratio, 2)])
    return IMPACT_MAP_HEADER, rows


def record_export(session: Session, user: User, dossier: Dossier, rows: int) -> None:
    """Write the audit event for a download of the dossier's impact map."""
    audit.record(session, user, "export", "dossier", dossier.id, rows=rows)
    session.flush()


def counted_themes(dossier: Dossier) -> list[Theme]:
    """Return the dossier's themes, a theme merged since as the theme its reports went to."""
    session = object_session(dossier)
    if session is None:
        return list(dossier.themes)
    return list({t.id: t for t in (merged_home(session, t) for t in dossier.themes)}.values())


def visible_themes(dossier: Dossier, user: User) -> tuple[list[Theme], int]:
    """Return the dossier's counted themes the user may see, and how many others it has."""
    counted = counted_themes(dossier)
    shown = [t for t in counted if can_see_theme(user, t)]
    return shown, len(counted) - len(shown)


def report_counts(session: Session, dossier: Dossier, period: str | None) -> int | None:
    """Count the reports in the dossier's themes and wijk in a quarter (None without a period)."""
    if not period or not dossier.themes:
        return None
    start, end = survey_results.quarter_bounds(period)
    return session.scalar(
        select(func.count(func.distinct(Signal.id)))
        .join(ThemeMembership, ThemeMembership.signal_id == Signal.id)
        .join(signal_wijken, signal_wijken.c.signal_id == Signal.id)
        .where(ThemeMembership.theme_id.in_([t.id for t in counted_themes(dossier)]),
               signal_wijken.c.wijk_id == dossier.wijk_id, Signal.status != WITHDRAWN,
               Signal.created_at >= start, Signal.created_at < end)) or 0


def theme_numbers(dossier: Dossier, user: User) -> tuple[int, float | None, list[str]]:
    """Return the problem in numbers the user may see: reports in the wijk, severity, wijken."""
    shown, _hidden = visible_themes(dossier, user)
    members = {m.signal.id: m.signal for t in shown for m in t.members
               if m.signal.status != WITHDRAWN}
    in_wijk = [s for s in members.values() if any(w.id == dossier.wijk_id for w in s.wijken)]
    severities = [s.severity for s in in_wijk if s.severity]
    wijken = sorted({w.name for s in members.values() for w in s.wijken
                     if can_see_wijk(user, w)})
    mean = round(sum(severities) / len(severities), 1) if severities else None
    return len(in_wijk), mean, wijken


def wijk_of_region(session: Session, region: Region, slug: str) -> Wijk | None:
    """Return a wijk of the region by slug."""
    return session.scalar(select(Wijk).where(Wijk.region_id == region.id, Wijk.slug == slug))
