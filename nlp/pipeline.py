"""The themes pipeline as a spaCy Language: normalise, lemmatise, redact, embed, assign.

`make_pipeline()` returns `spacy.blank("nl")` with registered components. The Language is the
one stateful object of the library: its components hold the redactor, the embedder, and per
key (the caller's region) the feature cache used for training and the assignment model used
for prediction. A Doc carries its results in extensions:

- `doc._.normalised`: the text after Unicode normalisation (NFKC, format characters removed);
- `doc._.redacted`: the normalised text with personal data replaced by placeholders;
- `doc._.vector`: the embedding of the redacted text (float32, L2-normalised);
- `doc._.theme`: an `Assignment` (theme id, confidence, needs_review) when a model was given.

Intake and rebuilds go through `Language.pipe`, which embeds and assigns in batches. Which
model assigns is passed per call, so one Language serves several regions:
`language.pipe(texts, component_cfg={ASSIGN: {"key": region_id}})`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from nlp.assign import REVIEW_THRESHOLD, Assigner, train_assigner
from nlp.embed import DEFAULT_BACKEND, get_embedder
from nlp.features import FeatureCache
from nlp.model import Report
from nlp.redact import Redactor
from nlp.text import lemma

NORMALISE = "participatie_normalise"
LEMMAS = "participatie_lemmas"
REDACT = "participatie_redact"
EMBED = "participatie_embed"
ASSIGN = "participatie_assign"
EXTENSIONS = ("normalised", "redacted", "vector", "theme")
SPACES = re.compile(r"[^\S\n]+")


def _register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def normalise_text(text: str) -> str:
    """Return NFKC text without format characters (zero-width, soft hyphen, bidi), spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return SPACES.sub(" ", text).strip()


def _text(doc: Doc) -> str:
    """Return the most processed text of a doc: redacted, else normalised, else as given."""
    return doc._.redacted if doc._.redacted is not None else (
        doc._.normalised if doc._.normalised is not None else doc.text)


class Normalise:
    """Set `doc._.normalised`."""

    def __call__(self, doc: Doc) -> Doc:
        """Normalise one doc's text."""
        doc._.normalised = normalise_text(doc.text)
        return doc


class Lemmas:
    """Set each token's lemma with simplemma (better than spaCy's Dutch lookup table here)."""

    def __call__(self, doc: Doc) -> Doc:
        """Lemmatise one doc."""
        for token in doc:
            if token.is_alpha:
                token.lemma_ = lemma(token.lower_)
        return doc


class Redact:
    """Set `doc._.redacted` with the library's Redactor (deduce, or the fast rules)."""

    def __init__(self, mode: str) -> None:
        """Create the redactor; deduce itself loads at the first text."""
        self.redactor = Redactor(mode)

    def __call__(self, doc: Doc) -> Doc:
        """Redact one doc's normalised text."""
        doc._.redacted = self.redactor.redact(_text(doc))
        return doc


class Embed:
    """Set `doc._.vector`, embedding a batch at a time."""

    def __init__(self, backend: str) -> None:
        """Remember the backend; the model loads at the first text."""
        self.backend = backend

    @property
    def embedder(self) -> Any:
        """Return the embedder (model weights are loaded once per process and never change)."""
        return get_embedder(self.backend)

    def __call__(self, doc: Doc) -> Doc:
        """Embed one doc."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Embed docs in batches."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._embed(batch)
                batch = []
        yield from self._embed(batch)

    def _embed(self, batch: list[Doc]) -> list[Doc]:
        if batch:
            for doc, vector in zip(batch, self.embedder.embed([_text(d) for d in batch]),
                                   strict=True):
                doc._.vector = vector
        return batch


class Assign:
    """Hold per key a feature cache and the model to predict with; set `doc._.theme`.

    Prediction never trains: `train` is called by a background job and counted in `trainings`.
    """

    def __init__(self, threshold: float) -> None:
        """Start without models."""
        self.threshold = threshold
        self.models: dict[Any, tuple[Any, Assigner]] = {}
        self.features: dict[Any, FeatureCache] = {}
        self.trainings: dict[Any, int] = {}
        self._lock = threading.Lock()

    def model(self, key: Any) -> tuple[Any, Assigner] | None:
        """Return (model id, Assigner) in use for a key, or None."""
        return self.models.get(key)

    def use(self, key: Any, model_id: Any, assigner: Assigner) -> None:
        """Predict with this model for the key from now on."""
        with self._lock:
            self.models[key] = (model_id, assigner)

    def train(self, key: Any, reports: list[Report], labels: Mapping[str, str | None],
              examples: Mapping[str, tuple[str, float]] | None = None) -> Assigner:
        """Train a model for a key on its reports (reusing the key's features); don't use it yet."""
        from threadpoolctl import threadpool_limits

        with self._lock:
            cache = self.features.setdefault(key, FeatureCache())
            self.trainings[key] = self.trainings.get(key, 0) + 1
        # One BLAS thread: on a busy machine more threads spin-wait (1k reports: 49 s -> 0.9 s)
        # and would starve the requests this process also serves.
        with threadpool_limits(limits=1, user_api="blas"):
            return train_assigner(reports, labels, examples=examples, threshold=self.threshold,
                                  cache=cache)

    def feature_cache(self, key: Any) -> FeatureCache:
        """Return the key's feature cache (a rebuild fits it, training reuses it)."""
        with self._lock:
            return self.features.setdefault(key, FeatureCache())

    def __call__(self, doc: Doc, key: Any = None) -> Doc:
        """Assign one doc with the key's model."""
        return next(self.pipe([doc], key=key))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64, key: Any = None) -> Iterator[Doc]:
        """Assign docs in batches with the key's model (nothing is set without a model)."""
        found = self.models.get(key)
        assigner = found[1] if found else None
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._assign(batch, assigner)
                batch = []
        yield from self._assign(batch, assigner)

    @staticmethod
    def _assign(batch: list[Doc], assigner: Assigner | None) -> list[Doc]:
        if batch and assigner is not None and assigner.trained:
            vectors = [d._.vector for d in batch]
            stacked = None if any(v is None for v in vectors) else np.stack(vectors)
            for doc, result in zip(batch, assigner.assign_many([_text(d) for d in batch],
                                                                 stacked), strict=True):
                doc._.theme = result
        return batch


@Language.factory(NORMALISE)
def make_normalise(nlp: Language, name: str) -> Normalise:
    """Create the normalisation component."""
    return Normalise()


@Language.factory(LEMMAS)
def make_lemmas(nlp: Language, name: str) -> Lemmas:
    """Create the lemmatiser component."""
    return Lemmas()


@Language.factory(REDACT, default_config={"mode": "deduce"})
def make_redact(nlp: Language, name: str, mode: str) -> Redact:
    """Create the redaction component."""
    return Redact(mode)


@Language.factory(EMBED, default_config={"backend": DEFAULT_BACKEND})
def make_embed(nlp: Language, name: str, backend: str) -> Embed:
    """Create the embedding component."""
    return Embed(backend)


@Language.factory(ASSIGN, default_config={"threshold": REVIEW_THRESHOLD})
def make_assign(nlp: Language, name: str, threshold: float) -> Assign:
    """Create the theme assignment component."""
    return Assign(threshold)


def make_pipeline(redaction: str = "deduce", embeddings: str = DEFAULT_BACKEND,
                  threshold: float = REVIEW_THRESHOLD) -> Language:
    """Return a blank Dutch spaCy Language with the participatie components."""
    import spacy

    _register_extensions()
    language = spacy.blank("nl")
    language.add_pipe(NORMALISE)
    language.add_pipe(LEMMAS)
    language.add_pipe(REDACT, config={"mode": redaction})
    language.add_pipe(EMBED, config={"backend": embeddings})
    language.add_pipe(ASSIGN, config={"threshold": threshold})
    return language


def redact(language: Language, text: str) -> str:
    """Return the normalised, redacted text (nothing else runs; safe across threads)."""
    skip = [name for name in language.pipe_names if name not in (NORMALISE, REDACT)]
    return str(language(text, disable=skip)._.redacted)


def analyse(language: Language, texts: list[str], key: Any = None, redacted: bool = False,
            assign: bool = True, batch_size: int = 64) -> list[Doc]:
    """Run texts through the pipeline in batches; `redacted=True` skips redaction (stored texts).

    With `key`, the key's model (if any) assigns a theme; `assign=False` only embeds.
    """
    skip = [LEMMAS] + ([REDACT] if redacted else []) + ([] if assign else [ASSIGN])
    docs = language.pipe(texts, batch_size=batch_size, disable=skip,
                         component_cfg={ASSIGN: {"key": key}} if assign else None)
    return list(docs)


def assign_component(language: Language) -> Assign:
    """Return the assignment component (models and feature caches per key)."""
    return language.get_pipe(ASSIGN)
