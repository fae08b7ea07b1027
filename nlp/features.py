"""Report features for clustering and assignment: character n-grams, care concepts, embeddings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from nlp.text import concept_counts, lemma_text

FIT_SAMPLE = 4000
WEIGHTS = {"chars": 1.0, "vectors": 1.5, "concepts": 1.0}


class CharNgrams:
    """TF-IDF of character 3-5-grams within words, computed per distinct word (fast at 50k)."""

    def fit(self, docs: list[str]) -> CharNgrams:
        """Learn the n-gram vocabulary and idf from lemmatised documents."""
        self._words = CountVectorizer(token_pattern=r"[^ ]+", dtype=np.float32)
        counts = self._doc_ngrams(self._words.fit_transform(docs), fit=True)
        df = np.asarray((counts > 0).sum(0)).ravel()
        n = counts.shape[0]
        self._keep = np.flatnonzero((df >= 2) & (df <= 0.3 * n))
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
        lem = [lemma_text(texts[i]) for i in idx]
        self._chars = CharNgrams().fit(lem)
        x = self._chars.transform(lem)
        dims = max(1, min(self.svd_dims, x.shape[0] - 1, x.shape[1] - 1))
        self._svd = TruncatedSVD(dims, random_state=self.seed).fit(x)
        counts = np.log1p(np.array([concept_counts(texts[i]) for i in idx], np.float32))
        self._concept_idf = np.log(len(idx) / (1.0 + (counts > 0).sum(0))).astype(np.float32)
        self._mean = None if vectors is None or len(vectors) == 0 else vectors[idx].mean(0)
        return self

    def transform(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Return the weighted, concatenated and normalised features of the reports."""
        lem = [lemma_text(t) for t in texts]
        chars = self._svd.transform(self._chars.transform(lem))
        blocks = [self.weights["chars"] * normalize(chars)]
        if vectors is not None and self._mean is not None:
            blocks.append(self.weights["vectors"] * normalize(vectors - self._mean))
        if self.use_concepts:
            counts = np.log1p(np.array([concept_counts(t) for t in texts], np.float32))
            blocks.append(self.weights["concepts"] * normalize(counts * self._concept_idf))
        return normalize(np.hstack(blocks)).astype(np.float32)

    def fit_transform(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Fit on the reports and return their features."""
        return self.fit(texts, vectors).transform(texts, vectors)


_cache: dict[str, tuple[Featurizer, np.ndarray]] = {}


def _fingerprint(texts: list[str], vectors: np.ndarray | None) -> str:
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x00")
    if vectors is not None:
        digest.update(np.ascontiguousarray(vectors, np.float32).tobytes())
    return digest.hexdigest()


def fitted_features(texts: list[str], vectors: np.ndarray | None) -> tuple[Featurizer, np.ndarray]:
    """Return a Featurizer fitted on the reports and their features, cached for the same input."""
    key = _fingerprint(texts, vectors)
    if key not in _cache:
        featurizer = Featurizer().fit(texts, vectors)
        _cache.clear()  # keep one corpus: rebuild and the next retrains share it
        _cache[key] = (featurizer, featurizer.transform(texts, vectors))
    return _cache[key]
