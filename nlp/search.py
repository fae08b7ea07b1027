"""Semantic search for reviewers: stored vectors plus lexical TF-IDF, blended."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import ThreadpoolController

from nlp.embed import DEFAULT_BACKEND, embed
from nlp.model import Report
from nlp.text import lemma_text

LEXICAL_WEIGHT = 0.3


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def _single_thread() -> Any:
    """Return a context that limits BLAS to one thread."""
    return _controller().limit(limits=1, user_api="blas")


class SearchIndex:
    """An in-memory index over reports; `search(query, k)` returns (id, score) best first."""

    def __init__(self, reports: list[Report], backend: str | None = DEFAULT_BACKEND) -> None:
        """Index the reports' stored vectors and lemmas (backend None: lexical only)."""
        self.ids = [r.id for r in reports]
        self.backend = backend
        has_vectors = backend is not None and reports and all(r.vector is not None for r in reports)
        self.vectors = (normalize(np.stack([np.asarray(r.vector, np.float32) for r in reports]))
                        if has_vectors else None)
        self._tfidf = TfidfVectorizer(sublinear_tf=True, dtype=np.float32)
        try:
            self._lex = self._tfidf.fit_transform([lemma_text(r.text) for r in reports]).T.tocsr()
        except ValueError:
            self._lex = None

    def scores(self, query: str, query_vector: np.ndarray | None = None) -> np.ndarray:
        """Return one blended similarity per indexed report."""
        total = np.zeros(len(self.ids), np.float32)
        if self.vectors is not None and self.backend is not None:
            q = query_vector if query_vector is not None else embed([query], self.backend)[0]
            with _single_thread():  # a mat-vec: extra BLAS threads only spin-wait
                total += (1 - LEXICAL_WEIGHT) * (self.vectors @ np.asarray(q, np.float32))
        if self._lex is not None:
            q_lex = self._tfidf.transform([lemma_text(query)])
            total += LEXICAL_WEIGHT * (q_lex @ self._lex).toarray().ravel()
        return total

    def search(self, query: str, k: int = 10,
               query_vector: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Return the k reports closest in meaning to the query, with scores."""
        if not self.ids:
            return []
        s = self.scores(query, query_vector)
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top])]
        return [(self.ids[i], round(float(s[i]), 4)) for i in top]
