"""Report features for clustering and assignment: character n-grams, care concepts, embeddings."""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from nlp.text import concept_counts, feature_text, is_english

FIT_SAMPLE = 4000
MIN_LANGUAGE = 5  # reports in English (in the fit sample) before they get a mean of their own
WEIGHTS = {"chars": 1.0, "vectors": 1.5, "concepts": 1.0}
ADAPT_CONCEPTS = True
AGREE_NEIGHBOURS = 10
AGREE_CHANCE, AGREE_FULL = 0.2, 0.5  # the lexicon's relative agreement: off below, full above


class CharNgrams:
    """TF-IDF of character 3-5-grams within words, computed per distinct word (fast at 50k)."""

    def fit(self, docs: list[str]) -> CharNgrams:
        """Learn the n-gram vocabulary and idf from lemmatised documents."""
        self._words = CountVectorizer(token_pattern=r"[^ ]+", dtype=np.float32)
        counts = self._doc_ngrams(self._words.fit_transform(docs), fit=True)
        df = np.asarray((counts > 0).sum(0)).ravel()
        n = counts.shape[0]
        self._keep = np.flatnonzero((df >= 2) & (df <= 0.3 * n))
        if not len(self._keep):  # a handful of reports: every n-gram counts
            self._keep = np.flatnonzero(df >= 1)
        self._tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[:, self._keep])
        return self

    def _doc_ngrams(self, word_counts: sp.csr_matrix, fit: bool = False) -> sp.csr_matrix:
        if fit:
            vocab = self._words.get_feature_names_out()
            self._grams = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float32)
            self._word_grams = self._grams.fit_transform(vocab).tocsr()
        return (word_counts @ self._word_grams).tocsr()

    def transform(self, docs: list[str]) -> sp.csr_matrix:
        """Return the TF-IDF matrix of the documents (unknown words are ignored)."""
        counts = self._doc_ngrams(self._words.transform(docs))
        return self._tfidf.transform(counts[:, self._keep])


@dataclass
class Featurizer:
    """Fitted on a set of reports; turns (text, stored vector) into one normalised feature row."""

    svd_dims: int = 100
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    use_concepts: bool = True
    seed: int = 0

    def fit(self, texts: list[str], vectors: np.ndarray | None) -> Featurizer:
        """Learn vocabulary, SVD, concept weights and the vector mean from the reports."""
        rng = np.random.default_rng(self.seed)
        idx = np.arange(len(texts))
        if len(idx) > FIT_SAMPLE:
            idx = np.sort(rng.choice(idx, FIT_SAMPLE, replace=False))
        lem = [feature_text(texts[i]) for i in idx]
        self._chars = CharNgrams().fit(lem)
        x = self._chars.transform(lem)
        dims = max(1, min(self.svd_dims, x.shape[0] - 1, x.shape[1] - 1))
        with warnings.catch_warnings():  # one or two reports: explained variance is 0/0
            warnings.simplefilter("ignore", RuntimeWarning)
            self._svd = TruncatedSVD(dims, random_state=self.seed).fit(x)
        counts = np.log1p(np.array([concept_counts(texts[i]) for i in idx], np.float32))
        self._concept_idf = np.log(len(idx) / (1.0 + (counts > 0).sum(0))).astype(np.float32)
        self._mean = None if vectors is None or len(vectors) == 0 else vectors[idx].mean(0)
        self._mean_en = None
        english = np.array([is_english(texts[i]) for i in idx], bool)
        if self._mean is not None and english.sum() >= MIN_LANGUAGE:
            self._mean_en = vectors[idx[english]].mean(0)
        self.concept_weight = self.weights["concepts"]
        if ADAPT_CONCEPTS and self.use_concepts:
            self.concept_weight *= self._concept_trust(texts, vectors, idx, counts)
        return self

    def _concept_trust(self, texts: list[str], vectors: np.ndarray | None, idx: np.ndarray,
                       counts: np.ndarray) -> float:
        """Return how far the care lexicon can be trusted on these reports, from 0 to 1.

        The lexicon is domain knowledge: on reports about care, the reports that share its
        concepts are also neighbours by their words and meaning; on other texts its few hits
        are noise. Compare how many of each report's nearest neighbours by concepts are also
        its neighbours by the other blocks, against how many the other blocks share.
        """
        from nlp.cluster import knn

        if len(idx) <= 2 * AGREE_NEIGHBOURS:
            return 1.0
        lem = [feature_text(texts[i]) for i in idx]
        blocks = [normalize(self._svd.transform(self._chars.transform(lem)))]
        if vectors is not None and self._mean is not None:
            blocks.append(normalize(vectors[idx] - self._means([texts[i] for i in idx])))
        concepts = normalize(counts * self._concept_idf)
        hoods = [knn(b, AGREE_NEIGHBOURS)[0] for b in blocks]
        lexicon = knn(concepts, AGREE_NEIGHBOURS)[0]

        def overlap(a: np.ndarray, b: np.ndarray) -> float:
            """Return the mean share of neighbours two kNN tables have in common."""
            return float(np.mean([len(set(p) & set(q)) for p, q in zip(a.tolist(), b.tolist(),
                                                                        strict=True)])
                         / a.shape[1])

        mine = np.mean([overlap(lexicon, h) for h in hoods])
        theirs = overlap(hoods[0], hoods[1]) if len(hoods) > 1 else mine
        ratio = mine / max(theirs, 1e-6)
        return float(np.clip((ratio - AGREE_CHANCE) / (AGREE_FULL - AGREE_CHANCE), 0.0, 1.0))

    def transform(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Return the weighted, concatenated and normalised features of the reports."""
        lem = [feature_text(t) for t in texts]
        chars = self._svd.transform(self._chars.transform(lem))
        blocks = [self.weights["chars"] * normalize(chars)]
        if vectors is not None and self._mean is not None:
            blocks.append(self.weights["vectors"] * normalize(vectors - self._means(texts)))
        if self.use_concepts:
            counts = np.log1p(np.array([concept_counts(t) for t in texts], np.float32))
            weight = getattr(self, "concept_weight", self.weights["concepts"])
            blocks.append(weight * normalize(counts * self._concept_idf))
        return normalize(np.hstack(blocks)).astype(np.float32)

    def _means(self, texts: list[str]) -> np.ndarray:
        """Return the mean vector to subtract per text: its language's, when known.

        Multilingual vectors hold the language as a direction of its own; centring English
        reports on the English mean lets them meet Dutch reports on the same subject.
        """
        if getattr(self, "_mean_en", None) is None:
            return self._mean
        english = np.array([is_english(t) for t in texts], bool)[:, None]
        return np.where(english, self._mean_en, self._mean)

    def views(self, x: np.ndarray) -> list[np.ndarray]:
        """Split `transform` rows into two views: lexical (n-grams, concepts) and semantic.

        Each block of a row was normalised before weighting, so re-normalising a slice recovers
        it. Without vectors there is one view. Co-training (nlp/assign.py) uses the views.
        """
        dims = self._svd.n_components
        n_concepts = len(self._concept_idf) if self.use_concepts else 0
        vec_dims = x.shape[1] - dims - n_concepts  # 0 when transformed without vectors
        lexical = [normalize(x[:, :dims])]
        if self.use_concepts:
            lexical.append(normalize(x[:, dims + vec_dims:]))
        views = [normalize(np.hstack(lexical)).astype(np.float32)]
        if vec_dims:
            views.append(normalize(x[:, dims:dims + vec_dims]).astype(np.float32))
        return views

    def fit_transform(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Fit on the reports and return their features."""
        return self.fit(texts, vectors).transform(texts, vectors)


REFIT_GROWTH = 1.2  # refit the vocabulary and SVD once the corpus grew by a fifth


def _row_keys(texts: list[str], vectors: np.ndarray | None) -> list[bytes]:
    import hashlib

    keys = []
    for i, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
        if vectors is not None:
            digest.update(np.ascontiguousarray(vectors[i], np.float32).tobytes())
        keys.append(digest.digest())
    return keys


@dataclass
class FeatureCache:
    """A fitted Featurizer and the rows it computed, reused while a corpus grows.

    Owned by whoever trains repeatedly on one corpus (the pipeline, one per region), never
    shared through a module global.
    """

    featurizer: Featurizer | None = None
    fitted_n: int = 0
    rows: dict[bytes, int] = field(default_factory=dict)
    x: np.ndarray | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def features(self, texts: list[str], vectors: np.ndarray | None,
                 refit: bool = False) -> tuple[Featurizer, np.ndarray]:
        """Return a Featurizer and the reports' features, reusing rows computed before.

        The Featurizer is refitted when asked (a rebuild), when the corpus grew by REFIT_GROWTH,
        or when vectors appear or disappear; otherwise only new or changed reports are transformed.
        """
        keys = _row_keys(texts, vectors)
        with self._lock:
            return self._features(texts, vectors, keys, refit)

    def _features(self, texts: list[str], vectors: np.ndarray | None, keys: list[bytes],
                  refit: bool) -> tuple[Featurizer, np.ndarray]:
        stale = self.featurizer is None or (vectors is None) != (self.featurizer._mean is None)
        if refit or stale or len(texts) > REFIT_GROWTH * self.fitted_n:
            self.featurizer, self.fitted_n = Featurizer().fit(texts, vectors), len(texts)
            self.rows, self.x = {}, None
        assert self.featurizer is not None
        missing = [i for i, k in enumerate(keys) if k not in self.rows]
        if self.x is None or not self.rows:
            x = self.featurizer.transform(texts, vectors)
        else:
            x = np.zeros((len(texts), self.x.shape[1]), np.float32)
            known = [i for i, k in enumerate(keys) if k in self.rows]
            x[known] = self.x[[self.rows[keys[i]] for i in known]]
            if missing:
                sub = None if vectors is None else vectors[missing]
                x[missing] = self.featurizer.transform([texts[i] for i in missing], sub)
        self.rows, self.x = {k: i for i, k in enumerate(keys)}, x
        return self.featurizer, x


def fitted_features(texts: list[str], vectors: np.ndarray | None, refit: bool = False,
                    cache: FeatureCache | None = None) -> tuple[Featurizer, np.ndarray]:
    """Return a Featurizer and the reports' features: from `cache` when given, else fitted anew."""
    if cache is None:
        featurizer = Featurizer().fit(texts, vectors)
        return featurizer, featurizer.transform(texts, vectors)
    return cache.features(texts, vectors, refit)
