"""Hybrid search for reviewers: words, care concepts and meaning, fused, with a cut-off.

Three rankings of the reports, fused by weighted reciprocal-rank fusion (RRF, Cormack et al.
2009):

- words: Okapi BM25 over the content lemmas (spaCy's Dutch stop words removed, diacritics
  folded). A query word also matches the corpus words that contain it as a compound part
  ("wachtlijst" finds "ggz-wachtlijst") or that are spelled almost alike (character 3-5-gram
  cosine, "inlogen" finds "inloggen"); those count for less;
- care concepts: cosine of idf-weighted counts over the care lexicon (nlp/data/zorgconcepten.txt),
  so that "pillen" meets "medicijnen";
- meaning: cosine of the query's embedding with the stored vectors minus their mean (the
  corpus's common direction hides differences), refined once by pseudo-relevance feedback
  (the centroid of the best fused reports is added to the query).

Cut-off, decided without any labelled query (the null model is random letter strings, which
the index embeds once):
- a query matches nothing unless the corpus knows words carrying at least half of its
  information (idf-weighted; a word the corpus lacks weighs as much as a typical word of the
  corpus, and counts as partly known when the corpus has its care concept: "dokter" when
  the reports say "huisarts") and, with vectors, the query is at least as close to the
  centre of the corpus as a typical meaningless query (this drops well-formed queries about
  something else: "de beste pizza");
- a report is listed only when it shares a word or a care concept with the query, or when its
  standardised cosine beats the highest any meaningless query reaches plus three standard
  deviations.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import ThreadpoolController

from nlp.embed import DEFAULT_BACKEND, embed
from nlp.model import Report
from nlp.text import TOKEN, concept_counts, concepts, lemma, stop_words, word_concepts

K1, B = 1.2, 0.75  # BM25 constants (the usual Okapi defaults)
RRF_K = 60  # reciprocal-rank fusion constant (Cormack et al.)
WEIGHTS = {"semantic": 1.0, "concepts": 1.0, "lexical": 0.5}
GATE = 0.5  # share of the query's information the corpus must know for the query to match
COMPOUND = 0.6  # weight of a corpus word that contains the query word
VARIANT = 0.75  # a spelling variant counts when its n-gram cosine reaches this
MIN_PART = 4  # shortest query word that may match as a compound part
SYNONYM = 0.6  # how well the corpus knows a query word it lacks when it has the word's concept
MIN_REST = 4  # shortest rest of a compound ("ver" + "wachten" is no compound)
FEEDBACK = 5  # best reports whose centroid refines the query vector
POOL = 1000  # ranks beyond this hardly change a fused score (RRF): they are not sorted
NULL_QUERIES = 24  # random letter strings that calibrate the semantic bar
NULL_MARGIN = 3.0  # standard deviations above the highest null maximum


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def _single_thread() -> Any:
    """Return a context that limits BLAS to one thread (a mat-vec: more threads only wait)."""
    return _controller().limit(limits=1, user_api="blas")


def fold(word: str) -> str:
    """Return a word without diacritics ("patiënt" -> "patient")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


# Words the themes keep (a negation changes a complaint) but that say nothing on their own
# as search terms: a report that shares only "niet" with a query is no match.
FUNCTION_WORDS = frozenset(
    "niet geen nooit te weer nog moet moeten kan kunnen wil willen mag laat meer minder tegen "
    "zonder".split())


@functools.lru_cache(maxsize=200_000)
def _key(token: str) -> str | None:
    """Return the search key of a lower-cased token: its folded lemma, or None (stop word)."""
    lem = lemma(token)
    if lem in stop_words() or lem in FUNCTION_WORDS or len(lem) < 2:
        return None
    return fold(lem)


def keys(text: str) -> list[str]:
    """Return the search keys (folded content lemmas) of a text, in order."""
    return [k for k in (_key(t) for t in TOKEN.findall(text.lower())) if k]


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of the words of a text that match the terms."""
    wanted = set(terms)
    if not wanted:
        return []
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)
            if _key(m.group().lower()) in wanted]


class AnalysisCache:
    """Each text's search keys and concept counts, and the null queries' vectors, kept between
    indexings of one growing corpus (owned by the caller, e.g. per region)."""

    def __init__(self) -> None:
        """Start empty."""
        self._texts: dict[str, tuple[list[str], list[int]]] = {}
        self._null: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def analyse(self, texts: list[str]) -> list[tuple[list[str], list[int]]]:
        """Return (keys, concept counts) per text; texts no longer asked for are forgotten."""
        with self._lock:
            old, self._texts = self._texts, {}
            for text in texts:
                found = old.get(text) or self._texts.get(text)
                self._texts[text] = found or (keys(text), concept_counts(text))
            return [self._texts[t] for t in texts]

    def null_vectors(self, backend: str) -> np.ndarray:
        """Return the embeddings of the null queries (computed once per backend)."""
        with self._lock:
            if backend not in self._null:
                self._null[backend] = embed(_null_queries(NULL_QUERIES), backend)
            return self._null[backend]


@dataclass(frozen=True)
class Hit:
    """One result: report id, score in (0, 1], the report's matching terms (search keys)."""

    id: str
    score: float
    terms: tuple[str, ...] = ()


def _null_queries(n: int, seed: int = 0) -> list[str]:
    """Return n meaningless queries: one to three random lower-case letter strings each."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return [" ".join("".join(rng.choice(letters, int(rng.integers(3, 9))))
                     for _ in range(int(rng.integers(1, 4)))) for _ in range(n)]


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)).astype(np.float32)


def _z(x: np.ndarray) -> np.ndarray:
    """Standardise one query's cosines over the corpus (e5 cosines all sit near 0.8)."""
    return (x - x.mean()) / max(float(x.std()), 1e-9)


def _rank(values: np.ndarray) -> np.ndarray:
    """Return 1-based ranks, best (highest) first; beyond the best POOL all share POOL + 1."""
    if len(values) > POOL:
        top = np.argpartition(-values, POOL)[:POOL]
        ranks = np.full(len(values), POOL + 1, np.float32)
    else:
        top = np.arange(len(values))
        ranks = np.empty(len(values), np.float32)
    order = top[np.argsort(-values[top], kind="stable")]
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def _best(values: np.ndarray, k: int) -> np.ndarray:
    """Return the indices of the k highest values, best first."""
    if k < len(values):
        top = np.argpartition(-values, k)[:k]
    else:
        top = np.arange(len(values))
    return top[np.argsort(-values[top], kind="stable")]


def _fuse(lex: np.ndarray, concepts: np.ndarray, z: np.ndarray | None) -> np.ndarray:
    """Return the weighted reciprocal-rank fusion, scaled so that 1 means first everywhere."""
    fused = (WEIGHTS["lexical"] / (RRF_K + _rank(lex))
             + WEIGHTS["concepts"] / (RRF_K + _rank(concepts)))
    total = WEIGHTS["lexical"] + WEIGHTS["concepts"]
    if z is not None:
        fused += WEIGHTS["semantic"] / (RRF_K + _rank(z))
        total += WEIGHTS["semantic"]
    return fused * (RRF_K + 1) / total


class SearchIndex:
    """An in-memory hybrid index over reports; `search(query, k)` returns Hits, best first."""

    def __init__(self, reports: list[Report], backend: str | None = DEFAULT_BACKEND,
                 cache: AnalysisCache | None = None) -> None:
        """Index the reports' lemmas, care concepts and stored vectors (backend None: no vectors).

        With vectors, the semantic bar is calibrated by embedding a few random letter strings.
        `cache` keeps each text's analysis, so that indexing again after a new report only
        analyses the new one.
        """
        cache = cache if cache is not None else AnalysisCache()
        self.ids = [r.id for r in reports]
        self.row = {rid: i for i, rid in enumerate(self.ids)}
        self.backend = backend
        analysed = cache.analyse([r.text for r in reports])
        self._index_words([words for words, _ in analysed])
        counts = np.log1p(np.array([c for _, c in analysed], np.float32)).reshape(
            len(reports), len(concepts()))
        n = max(len(reports), 1)
        self.concept_idf = np.log(n / (1.0 + (counts > 0).sum(0))).astype(np.float32) \
            if len(reports) else np.zeros(0, np.float32)
        self.concept_rows = _unit(counts * self.concept_idf) if len(reports) else counts
        self._corpus_concepts = frozenset(np.flatnonzero((counts > 0).any(0)).tolist())
        self.vectors: np.ndarray | None = None
        self.centre: np.ndarray | None = None
        self.threshold = np.inf  # standardised cosine that meaningless queries don't reach
        self.domain = -np.inf  # cosine to the corpus centre a typical meaningless query has
        if backend is not None and reports and all(r.vector is not None for r in reports):
            unit = _unit(np.stack([np.asarray(r.vector, np.float32) for r in reports]))
            mean = unit.mean(0)
            self.centre = _unit(mean)
            # rank by the vectors minus their mean: embeddings share one large direction
            # (anisotropy), which hides differences in meaning; the clustering centres too
            self.vectors = _unit(unit - mean)
            del unit
            null = cache.null_vectors(backend)
            with _single_thread():
                maxima = np.array([_z(self.vectors @ q).max() for q in null])
            self.threshold = float(maxima.max() + NULL_MARGIN * maxima.std())
            self.domain = float((null @ self.centre).mean())

    def _index_words(self, docs: list[list[str]]) -> None:
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, doc in enumerate(docs):
            for k in doc:
                rows.append(i)
                cols.append(vocab.setdefault(k, len(vocab)))
        self.vocab, self.words = vocab, list(vocab)
        n, v = len(docs), len(vocab)
        tf = sp.coo_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, v)).tocsr()
        tf.sum_duplicates()
        df = np.bincount(tf.indices, minlength=v).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        # a word the corpus lacks weighs as much as a typical running word of the corpus
        counts = np.asarray(tf.sum(0)).ravel()
        self.unknown_idf = float((counts * self.idf).sum() / max(float(counts.sum()), 1.0)) \
            if v else 1.0
        lengths = np.asarray(tf.sum(1)).ravel()
        norm = K1 * (1 - B + B * lengths / max(float(lengths.mean()) if n else 1.0, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (K1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self._bm25 = sp.csc_matrix((weights.astype(np.float32), (tf.row, tf.col)), shape=(n, v))
        self._bm25.sort_indices()
        self._by_row = self._bm25.tocsr()
        self._word_concepts = [frozenset(word_concepts(w)) for w in self.words]
        self._expansions: dict[str, dict[int, float]] = {}
        if v:
            grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float32)
            self._word_grams = grams.fit_transform(self.words).T.tocsr()
            self._analyse = grams.build_analyzer()
            self._gram_ids = grams.vocabulary_
            self._gram_idf = grams.idf_.astype(np.float32)

    def expand(self, word: str) -> dict[int, float]:
        """Return the vocabulary columns a query key matches, with weights in (0, 1]."""
        found = self._expansions.get(word)
        if found is None:
            found = self._expand(word)
            if len(self._expansions) > 50_000:
                self._expansions.clear()
            self._expansions[word] = found
        return found

    def _expand(self, word: str) -> dict[int, float]:
        out: dict[int, float] = {}
        if word in self.vocab:
            out[self.vocab[word]] = 1.0
        if not self.words:
            return out
        grams: dict[int, float] = {}
        for gram in self._analyse(word):
            if gram in self._gram_ids:
                g = self._gram_ids[gram]
                grams[g] = grams.get(g, 0.0) + float(self._gram_idf[g])
        if not grams:
            return out
        rows = np.fromiter(grams, np.int64)
        weights = np.fromiter(grams.values(), np.float32)
        weights /= max(float(np.linalg.norm(weights)), 1e-12)
        sims = sp.csr_matrix(weights[None, :]) @ self._word_grams[rows]
        sims = sims.tocsr()
        for col, sim in zip(sims.indices, sims.data, strict=True):
            if int(col) in out:
                continue
            other = self.words[col]
            if (len(word) >= MIN_PART and len(other) >= len(word) + MIN_REST
                    and (other.startswith(word) or other.endswith(word))):
                out[int(col)] = COMPOUND
            elif sim >= VARIANT:
                out[int(col)] = float(sim) * COMPOUND
        return out

    def lexical(self, query: str) -> tuple[np.ndarray, float, list[list[int]]]:
        """Return per report the BM25 score, the share of the query's information (idf-weighted)
        that the corpus knows, and per distinct query word the vocabulary columns it matched.
        """
        score = np.zeros(len(self.ids), np.float32)
        known = total = 0.0
        matched: list[list[int]] = []
        for word in dict.fromkeys(keys(query)):
            cols = self.expand(word)
            info = float(self.idf[self.vocab[word]]) if word in self.vocab else self.unknown_idf
            total += info
            synonym = SYNONYM if self._corpus_concepts & set(word_concepts(word)) else 0.0
            known += info * max(max(cols.values(), default=0.0), synonym)
            matched.append(list(cols))
            if cols and self.ids:
                score += self._bm25[:, list(cols)] @ np.fromiter(cols.values(), np.float32)
        return score, known / total if total else 0.0, matched

    def _terms(self, row: int, matched: list[list[int]], q_concepts: np.ndarray) -> tuple[str, ...]:
        """Return the search keys of a report that matched a query word or a query concept."""
        cols = self._by_row[row].indices
        wanted = {c for group in matched for c in group}
        concepts = set(np.flatnonzero(q_concepts > 0).tolist())
        return tuple(self.words[c] for c in cols
                     if c in wanted or (concepts and self._word_concepts[c] & concepts))

    def _query_vector(self, query: str, query_vector: np.ndarray | None) -> np.ndarray | None:
        if self.vectors is None or self.backend is None:
            return None
        q = query_vector if query_vector is not None else embed([query], self.backend)[0]
        return np.asarray(q, np.float32)

    def _semantic(self, q: np.ndarray) -> np.ndarray:
        assert self.vectors is not None
        return _z(self.vectors @ q)

    def search(self, query: str, k: int = 10, query_vector: np.ndarray | None = None,
               allowed: Collection[str] | None = None) -> list[Hit]:
        """Return up to k reports that match the query (none when nothing does), best first.

        `allowed`: only these report ids may be returned (the reviewer's rights and filters).
        """
        if not self.ids or not query.strip():
            return []
        q = self._query_vector(query, query_vector)
        with _single_thread():  # mat-vecs: on a busy machine extra BLAS threads only wait
            return self._search(query, k, q, allowed)

    def _search(self, query: str, k: int, q: np.ndarray | None,
                allowed: Collection[str] | None) -> list[Hit]:
        """Search with the query's vector (None: words and concepts only)."""
        lex, known, matched = self.lexical(query)
        q_concepts = _unit(np.log1p(np.array(concept_counts(query), np.float32))
                           * self.concept_idf)
        concepts = self.concept_rows @ q_concepts
        z = None if q is None else self._semantic(q)
        on_topic = q is None or self.centre is None or float(q @ self.centre) >= self.domain
        if known < GATE or not on_topic:
            return []  # the corpus lacks the query's words, or the query is off its topic
        fused = _fuse(lex, concepts, z)
        ok = (lex > 0) | (concepts > 0)
        if z is not None and self.vectors is not None:
            ok |= z >= self.threshold
            # pseudo-relevance feedback: add the centroid of the best reports to the query and
            # rank the POOL best candidates again by meaning (the rest stay behind them)
            top = _best(fused, FEEDBACK)
            pool = _best(fused, POOL)
            refined = np.full(len(z), -np.inf, np.float32)
            refined[pool] = self.vectors[pool] @ (q + _unit(self.vectors[top].mean(0)))
            fused = _fuse(lex, concepts, refined)
        return self._hits(fused, ok, allowed, k, matched, q_concepts)

    def similar(self, report_id: str, k: int = 5,
                allowed: Collection[str] | None = None) -> list[Hit]:
        """Return up to k other reports nearest to one report in meaning, concepts and words."""
        row = self.row.get(report_id)
        if row is None:
            return []
        cols = [int(c) for c in self._by_row[row].indices]
        lex = np.asarray(self._bm25[:, cols].sum(1)).ravel().astype(np.float32)
        with _single_thread():
            concepts = self.concept_rows @ self.concept_rows[row]
            z = None if self.vectors is None else self._semantic(self.vectors[row])
        fused = _fuse(lex, concepts, z)
        telling = sorted(cols, key=lambda c: -self.idf[c])[:12]  # its most telling words
        ok = (lex > 0) | (concepts > 0)
        ok[row] = False
        return self._hits(fused, ok, allowed, k, [telling], self.concept_rows[row])

    def _hits(self, fused: np.ndarray, ok: np.ndarray, allowed: Collection[str] | None, k: int,
              matched: list[list[int]], q_concepts: np.ndarray) -> list[Hit]:
        if allowed is not None:
            mask = np.zeros(len(self.ids), bool)
            mask[[self.row[a] for a in allowed if a in self.row]] = True
            ok = ok & mask
        found = np.flatnonzero(ok)
        order = found[_best(fused[found], k)]
        return [Hit(self.ids[i], round(float(fused[i]), 4),
                    self._terms(int(i), matched, q_concepts)) for i in order]
