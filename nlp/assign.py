"""Learn from curation: a classifier on reviewers' pins assigns new reports, or sends to review."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from nlp.features import Featurizer, fitted_features
from nlp.model import Assignment, Curation, Report, ThemeBuild
from nlp.noise import is_noise

REVIEW_THRESHOLD = 0.4
OVERIG_CLASS = "\x00overig"
CLUSTER_WEIGHT = 0.3
CLUSTER_EXAMPLES = 30  # most confident unpinned members per theme
SELF_TRAIN_MAX = 2000
SELF_TRAIN_WEIGHT = 0.3
SELF_TRAIN_ROUNDS = 2


def _examples(reports: list[Report], curation: Curation,
              build: ThemeBuild | None) -> tuple[list[int], list[str], list[float]]:
    """Return row, class and weight of the training examples: pins first, then confident members."""
    by_id = {r.id: i for i, r in enumerate(reports)}
    rows, classes, weights = [], [], []
    for rid, theme in curation.pins.items():
        if rid in by_id:
            rows.append(by_id[rid])
            classes.append(curation.resolve(theme) or OVERIG_CLASS)
            weights.append(1.0)
    if build is not None:
        for theme in build.themes:
            sure = sorted((m for m in theme.members if not m.pinned and m.confidence >= 0.5),
                          key=lambda m: -m.confidence)[:CLUSTER_EXAMPLES]
            for m in sure:
                if m.report_id in by_id:
                    rows.append(by_id[m.report_id])
                    classes.append(theme.id)
                    weights.append(CLUSTER_WEIGHT)
    return rows, classes, weights


def _fit(x: np.ndarray, y: list[str], w: list[float],
         start: LogisticRegression | None = None) -> LogisticRegression:
    """Fit (or refit from `start`'s solution: warm start makes self-training rounds cheap)."""
    model = start.set_params(tol=1e-3, max_iter=300) if start else LogisticRegression(
        C=10, max_iter=2000, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(x, y, sample_weight=w)


@dataclass
class Assigner:
    """A trained assignment model; `assign` gives (theme id, confidence, needs_review)."""

    featurizer: Featurizer
    model: LogisticRegression | None
    threshold: float = REVIEW_THRESHOLD

    def probabilities(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Return class probabilities per text (columns follow `classes`)."""
        if self.model is None:
            return np.zeros((len(texts), 0))
        return self.model.predict_proba(self.featurizer.transform(texts, vectors))

    @property
    def classes(self) -> list[str | None]:
        """Return the theme ids the model knows (None is 'overig')."""
        if self.model is None:
            return []
        return [None if c == OVERIG_CLASS else str(c) for c in self.model.classes_]

    def assign_many(self, texts: list[str], vectors: np.ndarray | None = None) -> list[Assignment]:
        """Assign several reports at once."""
        probs = self.probabilities(texts, vectors)
        out = []
        for text, row in zip(texts, probs, strict=True):
            if is_noise(text) or not len(row):
                out.append(Assignment(None, 0.0, needs_review=not is_noise(text)))
                continue
            best = int(np.argmax(row))
            conf = float(row[best])
            out.append(Assignment(self.classes[best], round(conf, 3), conf < self.threshold))
        return out

    def assign(self, text: str, vector: np.ndarray | None = None) -> Assignment:
        """Assign one new (redacted) report with its vector."""
        vectors = None if vector is None else np.asarray(vector, np.float32).reshape(1, -1)
        return self.assign_many([text], vectors)[0]


def train_assigner(reports: list[Report], curation: Curation, build: ThemeBuild | None = None,
                   threshold: float = REVIEW_THRESHOLD,
                   featurizer: Featurizer | None = None) -> Assigner:
    """Train on pinned reports (and confident members of `build`), self-training on the rest."""
    if not reports:
        return Assigner(featurizer or Featurizer(), None, threshold)
    texts = [r.text for r in reports]
    vectors = None if any(r.vector is None for r in reports) or not reports else np.stack(
        [np.asarray(r.vector, np.float32) for r in reports])
    if featurizer is None:
        featurizer, x = fitted_features(texts, vectors)
    else:
        x = featurizer.transform(texts, vectors)
    rows, classes, weights = _examples(reports, curation, build)
    if len(set(classes)) < 2:
        return Assigner(featurizer, None, threshold)
    model = _fit(x[rows], classes, weights)
    labelled = set(rows)
    for _ in range(SELF_TRAIN_ROUNDS):
        probs = model.predict_proba(x)
        conf, pred = probs.max(1), model.classes_[probs.argmax(1)]
        top = np.argsort(-conf)[: min(len(x) // 2, SELF_TRAIN_MAX)]
        extra = [int(i) for i in top if i not in labelled]
        model = _fit(x[rows + extra], classes + list(pred[extra]),
                     weights + [SELF_TRAIN_WEIGHT] * len(extra), start=model)
    return Assigner(featurizer, model, threshold)
