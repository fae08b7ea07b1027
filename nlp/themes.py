"""Rebuild themes: cluster, keep ids and reviewers' decisions, describe each theme."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from nlp.cluster import NOISE, centroids, cluster
from nlp.describe import (
    counts,
    keywords_per_cluster,
    label_from,
    labels_per_cluster,
    quotes,
    shown_keyword,
)
from nlp.features import FeatureCache, Featurizer, fitted_features
from nlp.identity import match_clusters
from nlp.model import Curation, Member, Report, Theme, ThemeBuild
from nlp.noise import NOISE as NOISE_KINDS
from nlp.noise import PRAISE, is_noise, kept_themes

TEMPERATURE = 0.05
OUTLIER = 0.5  # a member less than half as close to its centre as the median member is overig


def _vectors(reports: list[Report]) -> np.ndarray | None:
    if not reports or any(r.vector is None for r in reports):
        return None
    return np.stack([np.asarray(r.vector, np.float32) for r in reports])


def features(reports: list[Report], featurizer: Featurizer | None = None,
             cache: FeatureCache | None = None) -> np.ndarray:
    """Return clustering features for the reports (fitted on them unless a Featurizer is given).

    A `cache` keeps the fitted Featurizer and rows for training on the same reports afterwards.
    """
    texts, vectors = [r.text for r in reports], _vectors(reports)
    if featurizer is None:
        return fitted_features(texts, vectors, refit=True, cache=cache)[1]
    return featurizer.transform(texts, vectors)


def propose(x: np.ndarray, texts: list[str], min_size: int | None = None,
            seed: int = 0, noise: list[str | None] | None = None) -> np.ndarray:
    """Return cluster labels (-1 for overig) without being told the number of themes.

    `noise` is `is_noise` of each text when the caller has it already.
    """
    labels = np.full(len(texts), NOISE, np.int64)
    noise = noise if noise is not None else [is_noise(t) for t in texts]
    keep = np.array([reason is None for reason in noise], bool)
    if keep.sum() >= 3:
        size = min_size if min_size is not None else max(3, round(0.01 * keep.sum()))
        labels[keep] = cluster(x[keep], min_size=size, seed=seed)
    return drop_outliers(x, labels)


def drop_outliers(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Move members far from their theme's centre (relative to the median member) to overig."""
    ids, cents = centroids(x, labels)
    labels = labels.copy()
    for k, centre in zip(ids.tolist(), cents, strict=True):
        rows = np.flatnonzero(labels == k)
        sims = x[rows] @ centre
        labels[rows[sims < OUTLIER * np.median(sims)]] = NOISE
    return labels


def confidences(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return for each report the softmax share of its own cluster centre among all centres."""
    ids, cents = centroids(x, labels)
    conf = np.zeros(len(x), np.float32)
    if not len(ids):
        return conf
    logits = (x @ cents.T) / TEMPERATURE
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    pos = {c: i for i, c in enumerate(ids.tolist())}
    for i, lab in enumerate(labels.tolist()):
        if lab in pos:
            conf[i] = probs[i, pos[lab]]
    return conf


def kept_homes(reports: list[Report], x: np.ndarray, curation: Curation,
               noise: list[str | None]) -> dict[str, tuple[str, float]]:
    """Return report id -> (theme, confidence) for praise and noise that people gave a theme.

    Praise (`is_noise` "lof") and noise ("kort", "onleesbaar") stay out of the proposed themes.
    Once people keep them in a theme (`kept_themes`), the others of the kind join the nearest
    such theme (by the mean of its pinned reports of the kind), as the assigner does for new
    reports. `noise` is `is_noise` per report.
    """
    pinned = [(i, curation.resolve(curation.pins[r.id])) for i, r in enumerate(reports)
              if r.id in curation.pins]
    reasons = [(noise[i], theme) for i, theme in pinned]
    homes: dict[str, tuple[str, float]] = {}
    for kinds in (PRAISE, NOISE_KINDS):
        names = kept_themes(reasons, kinds)
        if not names:
            continue
        placed = {t: [i for i, theme in pinned if theme == t and noise[i] in kinds]
                  for t in names}
        cents = np.stack([x[placed[t]].mean(0) for t in names])
        cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
        for i, r in enumerate(reports):
            if r.id not in curation.pins and noise[i] in kinds:
                logits = (cents @ x[i]) / TEMPERATURE
                probs = np.exp(logits - logits.max())
                k = int(np.argmax(probs))
                homes[r.id] = (names[k], round(float(probs[k] / probs.sum()), 3))
    return homes


def _members(reports: list[Report], labels: np.ndarray, conf: np.ndarray, mapping: dict[int, str],
             curation: Curation, homes: dict[str, tuple[str, float]] | None = None
             ) -> tuple[dict[str, list[Member]], list[str]]:
    groups: dict[str, list[Member]] = defaultdict(list)
    overig: list[str] = []
    homes = homes or {}
    for r, lab, c in zip(reports, labels.tolist(), conf.tolist(), strict=True):
        if r.id in curation.pins:
            theme = curation.resolve(curation.pins[r.id])
            member = Member(r.id, 1.0, pinned=True)
        elif r.id in homes:
            theme, confidence = homes[r.id]
            member = Member(r.id, confidence)
        else:
            theme = mapping.get(lab)
            member = Member(r.id, round(float(c), 3))
        if theme is None:
            overig.append(r.id)
        else:
            groups[theme].append(member)
    return groups, overig


def _describe(theme_id: str, members: list[Member], by_id: dict[str, int], reports: list[Report],
              x: np.ndarray, keywords: list[str], curation: Curation,
              known: set[str | None], label: str | None = None) -> Theme:
    rows = [by_id[m.report_id] for m in members]
    state = {t.id: t for t in curation.themes}.get(theme_id)
    wijken, disciplines = counts([reports[i] for i in rows])
    reviewer_label = state.label if state and state.label else None
    return Theme(
        id=theme_id, label=reviewer_label or label or label_from(keywords),
        keywords=[shown_keyword(k) for k in keywords],  # lemmas as written: no "web_site"
        quotes=quotes([reports[i] for i in rows], x[rows]) if rows else [],
        members=sorted(members, key=lambda m: (-m.confidence, m.report_id)),
        wijken=wijken, disciplines=disciplines, label_by_reviewer=reviewer_label is not None,
        status=state.status if state else None, is_new=state is None and theme_id not in known,
    )


def rebuild(reports: list[Report], curation: Curation | None = None,
            new_id: Callable[[], str] | None = None,
            cache: FeatureCache | None = None, seed: int = 0) -> ThemeBuild:
    """Propose themes for all reports, keeping ids, pins, labels, statuses and merges.

    `seed` chooses the community search's random order (the benches compare several).
    """
    curation = curation or Curation()
    if not reports:
        return ThemeBuild([], [])
    x = features(reports, cache=cache)
    noise = [is_noise(r.text) for r in reports]  # once: ~0.1 ms per report
    labels = propose(x, [r.text for r in reports], seed=seed, noise=noise)
    mapping = match_clusters(labels, [r.id for r in reports], curation, new_id)
    groups, overig = _members(reports, labels, confidences(x, labels), mapping, curation,
                              kept_homes(reports, x, curation, noise))
    final = np.full(len(reports), NOISE, np.int64)
    theme_ids = sorted(groups)
    by_id = {r.id: i for i, r in enumerate(reports)}
    for k, tid in enumerate(theme_ids):
        final[[by_id[m.report_id] for m in groups[tid]]] = k
    words = keywords_per_cluster([r.text for r in reports], final,
                                 places={w for r in reports for w in r.wijken})
    names = labels_per_cluster([r.text for r in reports], final, words, x,
                               taken=[t.label for t in curation.themes if t.label])
    known = {curation.resolve(t) for t in set(curation.previous.values()) if t}
    themes = [_describe(tid, groups[tid], by_id, reports, x, words.get(k, []), curation, known,
                        names.get(k)) for k, tid in enumerate(theme_ids)]
    kept = {t.id for t in themes}
    for state in curation.themes:  # reviewers' themes never vanish, even when empty
        if state.merged_into is None and state.id not in kept:
            themes.append(_describe(state.id, [], by_id, reports, x, [], curation, known))
    themes.sort(key=lambda t: (-len(t.members), t.id))
    return ThemeBuild(themes, overig)
