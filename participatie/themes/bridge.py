"""The only bridge to the nlp library: rebuild themes, place new reports, search by meaning.

The app's nlp pipeline (a spaCy Language, see nlp/pipeline.py) lives in `app.extensions`; it
holds the redactor, the embedder and, per region, the feature cache and the model that intake
predicts with. Models are trained by a background job (participatie/jobs.py) and stored in
`theme_models`; intake only loads the newest stored one, it never trains.
"""

from __future__ import annotations

import pickle
import threading
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from participatie.models import Region, Signal, Theme, ThemeMembership, ThemeModel, utcnow
from participatie.themes.curation import PINNED, merged_home, new_key, place

PIPELINE = "participatie.nlp"
SEARCH = "participatie.search"
SEARCH_ANALYSES = "participatie.search.analyses"  # per region: each text's keys and concepts
KEEP_MODELS = 3  # stored models per region (the newest is used)
_create_lock = threading.Lock()


def backend_name() -> str:
    """Return the configured embedding backend (PARTICIPATIE_EMBEDDINGS)."""
    return str(current_app.config["EMBEDDINGS"])


def pipeline(app: Flask | None = None) -> Any:
    """Return the app's nlp pipeline (a spaCy Language), created at first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if PIPELINE not in app.extensions:
        with _create_lock:
            if PIPELINE not in app.extensions:
                from nlp.pipeline import make_pipeline

                app.extensions[PIPELINE] = make_pipeline(
                    redaction=app.config["REDACTION"], embeddings=app.config["EMBEDDINGS"],
                    keep=_place_names(app.extensions["db_engine"]))
    return app.extensions[PIPELINE]


def _place_names(engine: Engine) -> list[str]:
    """Return the names of the regions and wijken: redaction never takes them for a person.

    Read on a short connection of its own, so that creating the pipeline inside a request
    neither needs an app context nor touches the request's session and transaction.
    """
    from participatie.models import Wijk

    try:
        with engine.connect() as connection:
            names = list(connection.scalars(select(Wijk.name))) + list(
                connection.scalars(select(Region.name)))
    except SQLAlchemyError:  # no schema yet (a fresh install warming up): the built-in list
        return []
    return sorted(set(names))


def _assign_component() -> Any:
    from nlp.pipeline import assign_component

    return assign_component(pipeline())


def _live_signals(session: Session, region: Region) -> list[Signal]:
    query = (select(Signal).where(Signal.region_id == region.id, Signal.text != "")
             .options(selectinload(Signal.wijken), selectinload(Signal.membership)))
    return list(session.scalars(query.order_by(Signal.id)))


def _ensure_vectors(signals: list[Signal]) -> None:
    """Embed the signals that have no (or an outdated) stored vector, in batches."""
    import nlp
    from nlp.pipeline import EMBED, analyse

    dim = pipeline().get_pipe(EMBED).embedder.dim
    missing = [s for s in signals if s.embedding is None or len(s.embedding) != 4 * dim]
    docs = analyse(pipeline(), [s.text for s in missing], redacted=True, assign=False)
    for signal, doc in zip(missing, docs, strict=True):
        signal.embedding = nlp.to_bytes(doc._.vector)


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
    """Propose themes for all of a region's reports, keeping everything reviewers decided.

    Flushes only: the job or command that calls it commits (which queues the training job).
    """
    import nlp

    signals = _live_signals(session, region)
    _ensure_vectors(signals)
    curation, by_key = _curation(session, region)
    build = nlp.rebuild(_reports(signals), curation, new_id=new_key,
                        cache=_assign_component().feature_cache(region.id))
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
    session.flush()
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
    """Change whenever themes or reviewers' decisions change, so that the model retrains."""
    themes = session.execute(select(func.count(Theme.id), func.max(Theme.updated_at))
                             .where(Theme.region_id == region.id)).one()
    pins = session.execute(
        select(func.count(ThemeMembership.id), func.max(ThemeMembership.updated_at))
        .join(Signal).where(Signal.region_id == region.id,
                            ThemeMembership.source.in_(PINNED))).one()
    return f"{themes[0]}/{themes[1]}/{pins[0]}/{pins[1]}"


def newest_model(session: Session, region: Region) -> ThemeModel | None:
    """Return the region's newest stored model row, without its (large) model bytes."""
    from sqlalchemy.orm import defer

    return session.scalar(select(ThemeModel).options(defer(ThemeModel.model))
                          .where(ThemeModel.region_id == region.id)
                          .order_by(ThemeModel.id.desc()).limit(1))


def train(session: Session, region: Region, force: bool = False) -> ThemeModel | None:
    """Train the region's model on reviewers' decisions and store it (a background job).

    Skipped (None) when nothing changed since the newest stored model, unless forced, or when
    there is nothing to learn from yet.
    """
    fingerprint = _fingerprint(session, region)
    newest = newest_model(session, region)
    if newest is not None and newest.fingerprint == fingerprint and not force:
        return None
    curation, by_key = _curation(session, region)
    active = [t for t in by_key.values() if t.merged_into_id is None]
    if not active:
        return None
    signals = [s for s in _live_signals(session, region) if s.embedding is not None]
    labels = {rid: curation.resolve(key) for rid, key in curation.pins.items()}
    examples = {str(m.signal_id): (t.key, m.confidence)
                for t in active for m in t.members if m.source not in PINNED}
    assigner = _assign_component().train(region.id, _reports(signals), labels, examples)
    if not assigner.trained:
        return None
    row = ThemeModel(region_id=region.id, trained_at=utcnow(), accuracy=assigner.accuracy,
                     reports=len(signals), labels=len(labels), fingerprint=fingerprint,
                     backend=backend_name(), model=zlib.compress(pickle.dumps(assigner), 1))
    session.add(row)
    session.flush()
    old = session.scalars(select(ThemeModel.id).where(ThemeModel.region_id == region.id)
                          .order_by(ThemeModel.id.desc()).offset(KEEP_MODELS)).all()
    if old:
        session.execute(delete(ThemeModel).where(ThemeModel.id.in_(old)))
    _assign_component().use(region.id, row.id, assigner)
    return row


def load_model(session: Session, region: Region) -> Any:
    """Return the newest stored model of the region, loading it once per model (never trains)."""
    newest = session.scalar(select(ThemeModel.id).where(ThemeModel.region_id == region.id)
                            .order_by(ThemeModel.id.desc()).limit(1))
    if newest is None:
        return None
    component = _assign_component()
    loaded = component.model(region.id)
    if loaded is None or loaded[0] != newest:
        row = session.get(ThemeModel, newest)
        if row is None or row.backend != backend_name():
            return None  # trained on other vectors: the next job retrains
        component.use(region.id, newest, pickle.loads(zlib.decompress(row.model)))  # noqa: S301
        loaded = component.model(region.id)
    return loaded[1] if loaded else None


def on_new_signal(session: Session, signal: Signal) -> None:
    """Intake: embed the new report and place it with the newest stored model, if any."""
    import nlp
    from nlp.pipeline import analyse

    if not signal.text:
        return
    region = session.get(Region, signal.region_id)
    assert region is not None
    model = load_model(session, region)
    doc = analyse(pipeline(), [signal.text], key=region.id, redacted=True,
                  assign=model is not None)[0]
    signal.embedding = nlp.to_bytes(doc._.vector)
    assignment = doc._.theme
    if assignment is None:
        return  # no model yet: the next rebuild places it
    theme = session.scalar(select(Theme).where(Theme.region_id == region.id,
                                               Theme.key == assignment.theme_id)
                           ) if assignment.theme_id else None
    if theme is not None:
        theme = merged_home(session, theme)
    place(signal, theme.id if theme else None, assignment.confidence, "assigned",
          assignment.needs_review)


@dataclass(frozen=True)
class Found:
    """A search result: the report, a score in (0, 1] and its words that match the query."""

    signal: Signal
    score: float
    terms: tuple[str, ...] = ()

    def highlighted(self) -> Markup:
        """Return the report's text, escaped, with the matching words in <mark>."""
        return highlight(self.signal.text, self.terms)


def keeps(theme: Theme) -> str | None:
    """Say whether people keep thanks ("praise") or noise ("noise") in this theme, so that new
    ones go there too; None for an ordinary theme.

    The same rule as the nlp library's rebuild and assigner (`nlp.noise.kept_themes`).
    """
    from nlp.noise import NOISE, PRAISE, is_noise, kept_themes

    pinned = [(is_noise(m.signal.text), theme.id) for m in theme.members
              if m.source in PINNED and m.signal is not None]
    if kept_themes(pinned, PRAISE):
        return "praise"
    return "noise" if kept_themes(pinned, NOISE) else None


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> Markup:
    """Return text escaped for HTML with the words that match the terms wrapped in <mark>."""
    from nlp.search import highlight_spans

    parts, last = [], 0
    for start, end in highlight_spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def search(session: Session, region: Region, query: str, k: int = 20,
           signal_ids_allowed: Collection[int] | None = None) -> list[Found]:
    """Find a region's reports by words and meaning, only among the allowed ids.

    Returns nothing when nothing matches (a query without known words, or off the topic).
    """
    index = _search_index(session, region)
    if not index.ids or not query.strip():
        return []
    allowed = None if signal_ids_allowed is None else {str(i) for i in signal_ids_allowed}
    return _found(session, index.search(query, k, allowed=allowed))


def similar(session: Session, region: Region, signal: Signal, k: int = 5,
            signal_ids_allowed: Collection[int] | None = None) -> list[Found]:
    """Return the region's reports nearest to one report ("Meer zoals dit"), among the allowed."""
    index = _search_index(session, region)
    allowed = None if signal_ids_allowed is None else {str(i) for i in signal_ids_allowed}
    return _found(session, index.similar(str(signal.id), k, allowed=allowed))


def _found(session: Session, hits: list[Any]) -> list[Found]:
    ids = [int(hit.id) for hit in hits]
    signals = {s.id: s for s in session.scalars(select(Signal).where(Signal.id.in_(ids)))}
    return [Found(signals[int(hit.id)], hit.score, hit.terms) for hit in hits
            if int(hit.id) in signals]


def _search_index(session: Session, region: Region) -> Any:
    """Return the region's search index, rebuilt when reports arrived or were withdrawn."""
    import nlp

    state = tuple(session.execute(
        select(func.count(Signal.id), func.max(Signal.id), func.max(Signal.created_at))
        .where(Signal.region_id == region.id, Signal.text != "")).one())
    indexes = current_app.extensions.setdefault(SEARCH, {})
    analyses = current_app.extensions.setdefault(SEARCH_ANALYSES, {})
    cached = indexes.get(region.id)
    if cached is None or cached[0] != state:
        signals = _live_signals(session, region)
        reports = _reports(signals)
        backend = backend_name() if all(r.vector is not None for r in reports) else None
        cache = analyses.setdefault(region.id, nlp.AnalysisCache())
        cached = (state, nlp.SearchIndex(reports, backend=backend, cache=cache))
        indexes[region.id] = cached
    return cached[1]
