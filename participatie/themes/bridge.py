"""The only bridge to the nlp library: rebuild themes, place new reports, search by meaning."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from participatie.models import Region, Signal, Theme, ThemeMembership, utcnow
from participatie.themes.curation import PINNED, new_key, place

_cache: dict[tuple[str, int, str], tuple[Any, Any]] = {}


def backend_name() -> str:
    """Return the configured embedding backend (PARTICIPATIE_EMBEDDINGS)."""
    from flask import current_app

    return str(current_app.config["EMBEDDINGS"])


def _live_signals(session: Session, region: Region) -> list[Signal]:
    query = select(Signal).where(Signal.region_id == region.id, Signal.text != "")
    return list(session.scalars(query.order_by(Signal.id)))


def _ensure_vectors(signals: list[Signal]) -> None:
    """Embed the signals that have no (or an outdated) stored vector, in batches."""
    import nlp

    embedder = nlp.get_embedder(backend_name())
    missing = [s for s in signals
               if s.embedding is None or len(s.embedding) != 4 * embedder.dim]
    for start in range(0, len(missing), 64):
        batch = missing[start:start + 64]
        for signal, vector in zip(batch, embedder.embed([s.text for s in batch]), strict=True):
            signal.embedding = nlp.to_bytes(vector)


def _reports(signals: list[Signal]) -> list[Any]:
    import nlp

    return [nlp.Report(id=str(s.id), text=s.text,
                       vector=nlp.from_bytes(s.embedding) if s.embedding else None,
                       wijken=tuple(w.slug for w in s.wijken),
                       disciplines=tuple(s.disciplines)) for s in signals]


def _curation(session: Session, region: Region) -> tuple[Any, dict[str, Theme]]:
    """Describe reviewers' decisions and the current membership in nlp's terms."""
    import nlp

    themes = {t.id: t for t in session.scalars(select(Theme).where(Theme.region_id == region.id))}
    memberships = session.scalars(
        select(ThemeMembership).join(Signal).where(Signal.region_id == region.id))
    pins: dict[str, str | None] = {}
    previous: dict[str, str | None] = {}
    pinned_themes: set[int] = set()
    for m in memberships:
        key = themes[m.theme_id].key if m.theme_id in themes else None
        previous[str(m.signal_id)] = key
        if m.source in PINNED:
            pins[str(m.signal_id)] = key
            pinned_themes.add(m.theme_id or 0)
    states = [nlp.ThemeState(
        id=t.key, label=t.label if t.label_by_reviewer else None, status=t.status,
        merged_into=themes[t.merged_into_id].key if t.merged_into_id in themes else None,
    ) for t in themes.values() if _curated(t, pinned_themes)]
    return nlp.Curation(pins=pins, themes=states, previous=previous), {
        t.key: t for t in themes.values()}


def _curated(theme: Theme, pinned_themes: set[int]) -> bool:
    """Whether people touched a theme, so that it must outlive any rebuild."""
    return bool(theme.label_by_reviewer or theme.status != "new" or theme.notes
                or theme.merged_into_id or theme.id in pinned_themes)


def rebuild(session: Session, region: Region) -> dict[str, int]:
    """Propose themes for all of a region's reports, keeping everything reviewers decided."""
    import nlp

    signals = _live_signals(session, region)
    _ensure_vectors(signals)
    curation, by_key = _curation(session, region)
    build = nlp.rebuild(_reports(signals), curation, new_id=new_key)
    by_signal = {s.id: s for s in signals}
    seen: set[str] = set()
    for proposed in build.themes:
        theme = by_key.get(proposed.id) or Theme(region_id=region.id, key=proposed.id,
                                                 label=proposed.label)
        session.add(theme)
        session.flush()
        seen.add(theme.key)
        _describe(theme, proposed)
        for member in proposed.members:
            if not member.pinned:
                place(by_signal[int(member.report_id)], theme.id, member.confidence)
    for report_id in build.overig:
        signal = by_signal[int(report_id)]
        if not (signal.membership and signal.membership.source in PINNED):
            place(signal, None, 0.0)
    removed = _drop_vanished(session, by_key, seen)
    session.commit()
    _cache.clear()
    return {"reports": len(signals), "themes": len(build.themes),
            "overig": len(build.overig), "removed": removed}


def _describe(theme: Theme, proposed: Any) -> None:
    if not theme.label_by_reviewer:
        theme.label = proposed.label
    theme.keywords = list(proposed.keywords)
    theme.quotes = [q.text for q in proposed.quotes]
    theme.updated_at = utcnow()




def _drop_vanished(session: Session, by_key: dict[str, Theme], seen: set[str]) -> int:
    """Delete proposals that no longer exist and that nobody touched."""
    removed = 0
    for key, theme in by_key.items():
        if key not in seen and not _curated(theme, set()) and not theme.members:
            session.delete(theme)
            removed += 1
    return removed


def _fingerprint(session: Session, region: Region) -> str:
    """Change whenever themes or reviewers' decisions change, so cached models retrain."""
    themes = session.execute(select(func.count(Theme.id), func.max(Theme.updated_at))
                             .where(Theme.region_id == region.id)).one()
    pins = session.execute(
        select(func.count(ThemeMembership.id), func.max(ThemeMembership.updated_at))
        .join(Signal).where(Signal.region_id == region.id,
                            ThemeMembership.source.in_(PINNED))).one()
    return f"{themes[0]}/{themes[1]}/{pins[0]}/{pins[1]}"


def _assigner(session: Session, region: Region) -> tuple[Any, dict[str, Theme]]:
    """Return the region's assignment model, retrained when curation changed."""
    import nlp

    key = (str(session.get_bind().url), region.id, "assigner")
    fingerprint = _fingerprint(session, region)
    cached = _cache.get(key)
    if cached is None or cached[0] != fingerprint:
        curation, by_key = _curation(session, region)
        model = None
        if any(t.merged_into_id is None for t in by_key.values()):  # nothing to learn before
            signals = [s for s in _live_signals(session, region) if s.embedding is not None]
            model = nlp.train_assigner(_reports(signals), curation, _current_build(by_key))
        cached = (fingerprint, (model, by_key))
        _cache[key] = cached
    return cached[1]


def _current_build(by_key: dict[str, Theme]) -> Any:
    """Describe the stored membership as an nlp ThemeBuild (for training on confident members)."""
    import nlp

    themes = [nlp.Theme(id=t.key, label=t.label, keywords=[], quotes=[], wijken={},
                        disciplines={}, members=[
                            nlp.Member(str(m.signal_id), m.confidence, m.source in PINNED)
                            for m in t.members])
              for t in by_key.values() if t.merged_into_id is None]
    return nlp.ThemeBuild(themes, [])


def on_new_signal(session: Session, signal: Signal) -> None:
    """Intake: embed the new report and place it, or send it to the review queue."""
    import nlp

    if not signal.text:
        return
    vector = nlp.embed([signal.text], backend_name())[0]
    signal.embedding = nlp.to_bytes(vector)
    region = session.get(Region, signal.region_id)
    assert region is not None
    model, by_key = _assigner(session, region)
    if model is None or not model.trained:
        return  # no themes yet: the next rebuild places it
    assignment = model.assign(signal.text, vector)
    theme = by_key.get(assignment.theme_id) if assignment.theme_id else None
    while theme is not None and theme.merged_into_id is not None:
        theme = session.get(Theme, theme.merged_into_id)
    place(signal, theme.id if theme else None, assignment.confidence, "assigned",
           assignment.needs_review)


def search(session: Session, region: Region, query: str, k: int = 20,
           signal_ids_allowed: set[int] | None = None) -> list[tuple[Signal, float]]:
    """Find a region's reports by meaning and by words, only among the allowed ids."""
    import numpy as np

    index = _search_index(session, region)
    if not index.ids or not query.strip():
        return []
    scores = index.scores(query)
    ids = np.array([int(i) for i in index.ids])
    if signal_ids_allowed is not None:
        scores = np.where(np.isin(ids, list(signal_ids_allowed)), scores, -np.inf)
    top = [i for i in np.argsort(-scores)[:k] if scores[i] > 0]
    signals = {s.id: s for s in session.scalars(select(Signal).where(
        Signal.id.in_([int(ids[i]) for i in top])))}
    return [(signals[int(ids[i])], round(float(scores[i]), 4)) for i in top
            if int(ids[i]) in signals]


def _search_index(session: Session, region: Region) -> Any:
    """Return the region's search index, rebuilt when reports arrived or were withdrawn."""
    import nlp

    state = tuple(session.execute(
        select(func.count(Signal.id), func.max(Signal.id), func.max(Signal.created_at))
        .where(Signal.region_id == region.id, Signal.text != "")).one())
    key = (str(session.get_bind().url), region.id, "search")
    cached = _cache.get(key)
    if cached is None or cached[0] != state:
        signals = _live_signals(session, region)
        reports = _reports(signals)
        backend = backend_name() if all(r.vector is not None for r in reports) else None
        cached = (state, nlp.SearchIndex(reports, backend=backend))
        _cache[key] = cached
    return cached[1]
