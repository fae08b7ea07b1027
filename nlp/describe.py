"""Describe a theme: c-TF-IDF keywords, a short Dutch label, representative quotes, counts."""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from nlp.model import Quote, Report
from nlp.text import MEANINGFUL, lemmas

QUOTE_MAX = 400
GENERIC = MEANINGFUL | frozenset(
    "veel echt gewoon erg heel ander eerst nieuw groot klein gaan komen zien zeggen krijgen maken "
    "staan zitten doen weten vinden geven houden laten worden hebben zijn kunnen moeten willen "
    "mogen".split())


def keywords_per_cluster(texts: list[str], labels: np.ndarray,
                         top: int = 8) -> dict[int, list[str]]:
    """Return c-TF-IDF keywords (lemmas and lemma bigrams) for each cluster label >= 0."""
    docs = [" ".join(lem for lem in lemmas(t) if lem not in GENERIC) for t in texts]
    ids = sorted(set(labels.tolist()) - {-1})
    if not ids:
        return {}
    joined = [" ".join(d for d, lab in zip(docs, labels, strict=True) if lab == c) for c in ids]
    vec = CountVectorizer(ngram_range=(1, 2), min_df=1, token_pattern=r"[^ ]+")
    try:
        counts = vec.fit_transform(joined).toarray().astype(np.float64)
    except ValueError:
        return {c: [] for c in ids}
    tf = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    avg = counts.sum() / len(ids)
    ctfidf = tf * np.log(1 + avg / np.maximum(counts.sum(0), 1))
    terms = vec.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for row, c in enumerate(ids):
        order = np.argsort(-ctfidf[row])
        picked: list[str] = []
        for j in order:
            if counts[row, j] < 2 and len(picked) >= 3 or counts[row, j] == 0:
                break
            if not any(terms[j] in p or p in terms[j] for p in picked):
                picked.append(str(terms[j]))
            if len(picked) == top:
                break
        out[c] = picked
    return out


def label_from(keywords: list[str]) -> str:
    """Make a short readable label from the top keywords."""
    return ", ".join(keywords[:3]) if keywords else "zonder trefwoorden"


def quotes(reports: list[Report], x: np.ndarray, n: int = 3) -> list[Quote]:
    """Return n representative reports: closest to the centre, readable length, distinct."""
    centre = x.mean(0)
    order = np.argsort(-(x @ centre))
    picked: list[Quote] = []
    for i in order:
        text = reports[i].text
        if len(text) > QUOTE_MAX and len(order) > 2 * n:
            continue
        if any(q.text == text for q in picked):
            continue
        picked.append(Quote(reports[i].id, text))
        if len(picked) == n:
            break
    return picked


def counts(reports: list[Report]) -> tuple[dict[str, int], dict[str, int]]:
    """Return counts per wijk and per discipline, most frequent first."""
    wijken = Counter(w for r in reports for w in r.wijken)
    disciplines = Counter(d for r in reports for d in r.disciplines)
    return dict(wijken.most_common()), dict(disciplines.most_common())
