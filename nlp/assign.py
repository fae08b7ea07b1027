"""Learn from curation: classifiers on reviewers' pins assign new reports, or send to review.

Two views of a report, lexical (character n-grams and care concepts) and semantic (the
embedding), and the two joined each get a logistic regression. They teach each other by
co-training: in a few rounds, each labels the reports it is surest of for the others. A view
that predicts the pinned reports badly (cross-validated on the pins) neither teaches nor counts
much in the final vote, so a corpus where words say little and meaning says much (or the
reverse) is handled too. A report is sure only when every view that counts is sure.

Before learning, the semantic view loses the few largest directions of the embedding that the
pinned reports show to be about style rather than subject (see `style_directions`): with three
examples per theme a classifier cannot tell on its own that long and short reports, or letters
and chat messages, are not two themes.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlp.features import FeatureCache, Featurizer, fitted_features
from nlp.model import Assignment, Report, ThemeBuild
from nlp.noise import NOISE, PRAISE, is_noise, kept_themes

REVIEW_THRESHOLD = 0.4
OVERIG_CLASS = "\x00overig"
CLUSTER_WEIGHT = 0.3
CLUSTER_EXAMPLES = 30  # most confident unpinned members per theme
C = 7.0  # 10 before: equal over 20 draws with 3 per theme, .008 lower with 10 (issue 15)
COTRAIN_ROUNDS = 5
COTRAIN_FRACTION = 0.3  # of the reports (at most COTRAIN_POOL) labelled by co-training in all
COTRAIN_POOL = 3000
TEACH = 0.5  # a view teaches only if its weight is at least half the best view's
CV_FOLDS = 3
STYLE_CANDIDATES = 3  # the largest directions of the semantic view that may be style
STYLE_TYPICAL = 50  # directions whose median share explained by theme is the yardstick


def member_examples(build: ThemeBuild) -> dict[str, tuple[str, float]]:
    """Return report id -> (theme id, confidence) for a build's members that no person placed."""
    return {m.report_id: (t.id, m.confidence)
            for t in build.themes for m in t.members if not m.pinned}


def _examples(reports: list[Report], labels: Mapping[str, str | None],
              examples: Mapping[str, tuple[str, float]] | None
              ) -> tuple[list[int], list[str], list[float]]:
    """Return row, class and weight of the examples: labels first, then confident members."""
    by_id = {r.id: i for i, r in enumerate(reports)}
    rows, classes, weights = [], [], []
    for rid, theme in labels.items():
        if rid in by_id:
            rows.append(by_id[rid])
            classes.append(theme or OVERIG_CLASS)
            weights.append(1.0)
    taken = set(rows)
    per_theme: dict[str, list[tuple[float, str]]] = {}
    for rid, (theme, confidence) in (examples or {}).items():
        if confidence >= 0.5 and rid in by_id and by_id[rid] not in taken:
            per_theme.setdefault(theme, []).append((confidence, rid))
    for theme in sorted(per_theme):
        for _, rid in sorted(per_theme[theme], key=lambda p: (-p[0], p[1]))[:CLUSTER_EXAMPLES]:
            rows.append(by_id[rid])
            classes.append(theme)
            weights.append(CLUSTER_WEIGHT)
    return rows, classes, weights


def _fit(x: np.ndarray, labels: dict[int, str], weights: dict[int, float],
         start: LogisticRegression | None = None) -> LogisticRegression:
    """Fit on the labelled rows; refitting `start` begins at its solution (co-training rounds)."""
    rows = list(labels)
    model = start or LogisticRegression(C=C, max_iter=2000, tol=1e-3, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(x[rows], [labels[i] for i in rows],
                         sample_weight=[weights.get(i, 1.0) for i in rows])


def _out_of_fold(views: list[np.ndarray], labels: dict[int, str], seed: int = 0
                 ) -> tuple[list[str], list[np.ndarray]]:
    """Cross-validate each view on the people's labels (folds dealt per class).

    Return the true class per tested row and, per view, the out-of-fold probabilities over the
    sorted classes.
    """
    rng = np.random.default_rng(seed)
    classes = sorted(set(labels.values()))
    col = {c: k for k, c in enumerate(classes)}
    fold: dict[int, int] = {}
    for cls in classes:
        rows = [i for i, c in labels.items() if c == cls]
        for k, i in enumerate(rng.permutation(rows)):
            fold[int(i)] = k % CV_FOLDS
    truth: list[str] = []
    probs: list[list[np.ndarray]] = [[] for _ in views]
    for f in range(CV_FOLDS):
        train = {i: c for i, c in labels.items() if fold[i] != f}
        test = [i for i in labels if fold[i] == f]
        if not test or len(set(train.values())) < 2:
            continue
        truth += [labels[i] for i in test]
        for k, view in enumerate(views):
            model = _fit(view, train, {})
            p = np.zeros((len(test), len(classes)))
            p[:, [col[str(c)] for c in model.classes_]] = model.predict_proba(view[test])
            probs[k].append(p)
    empty = np.zeros((0, len(classes)))
    return truth, [np.vstack(p) if p else empty for p in probs]


def _accuracy(classes: list[str], truth: list[str], probs: np.ndarray) -> float:
    if not truth:
        return 1.0
    return float(np.mean([classes[int(k)] == t for k, t in zip(probs.argmax(1), truth,
                                                               strict=True)]))


def _combine(probs: list[np.ndarray], vote: list[float]) -> np.ndarray:
    """Return the views' vote-weighted geometric mean of class probabilities."""
    total = sum(vote)
    return sum(w / total * np.log(p + 1e-12) for w, p in zip(vote, probs, strict=True))


def _views(featurizer: Featurizer, x: np.ndarray, style: np.ndarray | None = None
           ) -> list[np.ndarray]:
    """Return the lexical view, and with vectors also the semantic view and the joined features.

    `style` (directions, one per row) is taken out of the semantic view.
    """
    return _joined(featurizer.views(x), x, style)


def _joined(views: list[np.ndarray], x: np.ndarray, style: np.ndarray | None
            ) -> list[np.ndarray]:
    """Add the joined features to the views split from them; take `style` out of the semantic
    view."""
    if len(views) > 1 and style is not None and len(style):
        semantic = views[1] - (views[1] @ style.T) @ style
        views[1] = normalize(semantic).astype(np.float32)
    return views + [x] if len(views) > 1 else views


def _explained(values: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Return, per column, the share of its variance that the classes explain (eta squared)."""
    centred = values - values.mean(0)
    total = (centred ** 2).sum(0)
    between = sum((classes == c).sum() * centred[classes == c].mean(0) ** 2
                  for c in np.unique(classes))
    return between / np.maximum(total, 1e-12)


def style_directions(semantic: np.ndarray, pinned: Mapping[int, str]) -> np.ndarray:
    """Return the largest directions of the semantic view that the pinned themes explain little.

    The largest directions of sentence embeddings often follow length or voice (on the dev corpus
    the first follows the length of the report, r = -.87) rather than subject. Which ones do
    differs per corpus, so the people's labels decide: one of the STYLE_CANDIDATES largest
    directions is style when the pinned reports' themes explain less of its spread than they
    explain of a typical direction (the median of the STYLE_TYPICAL largest). Return them as
    rows (none: shape (0, dim)).
    """
    dim = semantic.shape[1]
    classes = np.array(list(pinned.values()))
    counts = np.unique(classes, return_counts=True)[1]
    if len(counts) < 2 or (counts >= 2).sum() < 2 or len(semantic) <= STYLE_TYPICAL:
        return np.zeros((0, dim), np.float32)
    centred = semantic - semantic.mean(0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    directions = vectors[:, ::-1][:, :STYLE_TYPICAL].T  # largest variance first
    share = _explained(semantic[list(pinned)] @ directions.T, classes)
    typical = float(np.median(share))
    style = [k for k in range(STYLE_CANDIDATES) if share[k] < typical]
    return directions[style].astype(np.float32)


def _vote_and_accuracy(views: list[np.ndarray], pinned: dict[int, str]
                       ) -> tuple[list[float], float | None]:
    """Weigh each view by its cross-validated accuracy on the people's labels, squared.

    Also return the cross-validated accuracy of the weighted vote (None: too few labels).
    """
    if len(pinned) < 2 * CV_FOLDS:
        return [1.0] * len(views), None
    classes = sorted(set(pinned.values()))
    truth, probs = _out_of_fold(views, pinned)
    if len(views) == 1:
        vote = [1.0]
    else:
        vote = [max(_accuracy(classes, truth, p), 0.05) ** 2 for p in probs]
    if not truth:
        return vote, None
    return vote, round(_accuracy(classes, truth, _combine(probs, vote)), 3)


def _cotrain(views: list[np.ndarray], seeds: dict[int, str], weights: dict[int, float],
             vote: list[float]) -> list[LogisticRegression]:
    """Train one model per view, co-training them with the given vote weights."""
    labelled = [dict(seeds) for _ in views]
    n_classes = len(set(seeds.values()))
    pool = min(len(views[0]), COTRAIN_POOL)
    per_round = max(1, round(COTRAIN_FRACTION * pool / n_classes / COTRAIN_ROUNDS))
    models: list[LogisticRegression | None] = [None] * len(views)
    for _ in range(COTRAIN_ROUNDS if len(views) > 1 else 0):
        models = [_fit(v, lab, weights, m)
                  for v, lab, m in zip(views, labelled, models, strict=True)]
        for a, (model, view) in enumerate(zip(models, views, strict=True)):
            if vote[a] < TEACH * max(vote):
                continue
            probs = model.predict_proba(view)
            best = probs.argmax(1)
            for b, target in enumerate(labelled):
                if b == a:
                    continue
                free = np.ones(len(view), bool)
                free[list(target)] = False
                for k, cls in enumerate(model.classes_):
                    rows = np.flatnonzero(free & (best == k))
                    chosen = rows[np.argsort(-probs[rows, k], kind="stable")[:per_round]]
                    target.update((int(i), str(cls)) for i in chosen)
    return [_fit(v, lab, weights, m) for v, lab, m in zip(views, labelled, models, strict=True)]


@dataclass
class Assigner:
    """A trained assignment model; `assign` gives (theme id, confidence, needs_review)."""

    featurizer: Featurizer
    models: list[LogisticRegression] = field(default_factory=list)
    threshold: float = REVIEW_THRESHOLD
    vote: list[float] = field(default_factory=list)
    accuracy: float | None = None  # cross-validated on the people's labels; None: too few
    # themes people keep praise in (noise.kept_themes, PRAISE): new praise goes there, not to
    # overig; a class attribute default, so models stored before this field load unchanged
    praise: tuple[str, ...] = ()
    noise: tuple[str, ...] = ()  # the same for noise (kept_themes, NOISE), default to overig
    style: np.ndarray | None = None  # directions taken out of the semantic view (same default)

    @property
    def trained(self) -> bool:
        """Return whether there was anything curated to learn from."""
        return bool(self.models)

    def _scores(self, texts: list[str], vectors: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray]:
        views = _views(self.featurizer, self.featurizer.transform(texts, vectors), self.style)
        pairs = [(m, w, m.predict_proba(v))
                 for m, w, v in zip(self.models, self.vote, views, strict=False)]
        logp = _combine([p for _, _, p in pairs], [w for _, w, _ in pairs])
        probs = np.exp(logp - logp.max(1, keepdims=True))
        probs /= probs.sum(1, keepdims=True)
        # Co-trained views readily agree with each other, so a report is only sure when every
        # view that counts (see TEACH) gives the class a high probability: take the lowest.
        trusted = [p for _, w, p in pairs if w >= TEACH * max(self.vote)] or [probs]
        return probs, np.minimum(probs, np.minimum.reduce(trusted))

    @property
    def classes(self) -> list[str | None]:
        """Return the theme ids the models know (None is 'overig')."""
        if not self.models:
            return []
        return [None if c == OVERIG_CLASS else str(c) for c in self.models[0].classes_]

    def assign_many(self, texts: list[str], vectors: np.ndarray | None = None) -> list[Assignment]:
        """Assign several reports at once."""
        if self.models:
            probs, sure = self._scores(texts, vectors)
        else:
            probs = sure = np.zeros((len(texts), 0))
        out = []
        homes = {kind: np.isin(self.models[0].classes_, themes) if self.models and themes
                 else None for kind, themes in (("lof", self.praise), ("ruis", self.noise))}
        for text, row, sure_row in zip(texts, probs, sure, strict=True):
            reason = is_noise(text)
            allowed = homes["lof" if reason == "lof" else "ruis"] if reason else None
            if allowed is not None and allowed.any():
                row = np.where(allowed, row, -1.0)  # praise or noise: only among their homes
            elif reason or not len(row):
                out.append(Assignment(None, 0.0, needs_review=not reason))
                continue
            best = int(np.argmax(row))
            conf = float(sure_row[best])
            out.append(Assignment(self.classes[best], round(conf, 3), conf < self.threshold))
        return out

    def assign(self, text: str, vector: np.ndarray | None = None) -> Assignment:
        """Assign one new (redacted) report with its vector."""
        vectors = None if vector is None else np.asarray(vector, np.float32).reshape(1, -1)
        return self.assign_many([text], vectors)[0]


def train_assigner(reports: list[Report], labels: Mapping[str, str | None], *,
                   examples: Mapping[str, tuple[str, float]] | None = None,
                   threshold: float = REVIEW_THRESHOLD, featurizer: Featurizer | None = None,
                   cache: FeatureCache | None = None) -> Assigner:
    """Train on people's labels (report id -> theme id, None: overig), co-training on the rest.

    `examples` (report id -> (theme id, confidence), see `member_examples`) adds the most
    confident members of each proposed theme with a lower weight. `cache` reuses features
    computed for the same corpus before.
    """
    if not reports:
        return Assigner(featurizer or Featurizer(), [], threshold)
    texts = [r.text for r in reports]
    vectors = None if any(r.vector is None for r in reports) else np.stack(
        [np.asarray(r.vector, np.float32) for r in reports])
    if featurizer is None:
        featurizer, x = fitted_features(texts, vectors, cache=cache)
    else:
        x = featurizer.transform(texts, vectors)
    rows, classes, weights = _examples(reports, labels, examples)
    if len(set(classes)) < 2:
        return Assigner(featurizer, [], threshold)
    seeds = dict(zip(rows, classes, strict=True))
    pinned = {i: c for i, c, w in zip(rows, classes, weights, strict=True) if w == 1.0}
    split = featurizer.views(x)
    style = style_directions(split[1], pinned) if len(split) > 1 else None
    views = _joined(split, x, style)
    vote, accuracy = _vote_and_accuracy(views, pinned)
    models = _cotrain(views, seeds, dict(zip(rows, weights, strict=True)), vote)
    people = [(is_noise(texts[i]), None if c == OVERIG_CLASS else c) for i, c in pinned.items()]
    return Assigner(featurizer, models, threshold, vote, accuracy,
                    praise=tuple(kept_themes(people, PRAISE)),
                    noise=tuple(kept_themes(people, NOISE)), style=style)
