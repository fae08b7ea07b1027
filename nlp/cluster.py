"""Graph clustering without a given number of themes: Leiden on a shared-nearest-neighbour graph.

Each report is linked to its 15 nearest reports (about √n on a small corpus); a link weighs the
share of neighbours the two have in common (shared-nearest-neighbour similarity), not their
cosine. A few reports with a strong writing style (a cliëntenraad's prose, one long letter) are
close by cosine to many others without sharing their neighbourhoods, so SNN weights follow the
themes more than the voices, and need no scale of cosine that differs per corpus and feature.
"""

from __future__ import annotations

import random
import threading

import numpy as np
from scipy import sparse as sp

NEIGHBOURS = 10  # for duplicates and the nearest neighbours other modules ask for
GRAPH_NEIGHBOURS = 15  # the clustering graph's, fewer (about √n, at least 5) on small corpora
CLUSTER_SAMPLE = 6000
NOISE = -1
DUPLICATE = 0.9  # rows this similar are one node of the graph (copies, near-identical reports)
_RANDOM = threading.Lock()  # igraph's random number generator is one for the process


def knn(x: np.ndarray, k: int = NEIGHBOURS, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Return the indices and cosine similarities of each row's k nearest other rows."""
    k = min(k, len(x) - 1)
    idx = np.zeros((len(x), k), np.int64)
    sim = np.zeros((len(x), k), np.float32)
    for start in range(0, len(x), chunk):
        s = x[start:start + chunk] @ x.T
        s[np.arange(len(s)), np.arange(start, start + len(s))] = -np.inf
        part = np.argpartition(-s, k, axis=1)[:, :k]
        vals = np.take_along_axis(s, part, 1)
        idx[start:start + chunk], sim[start:start + chunk] = part, vals
    return idx, sim


def shared_neighbours(idx: np.ndarray) -> sp.csr_matrix:
    """Return, for the kNN pairs (i, j), the share of {i} + N(i) that is also in {j} + N(j)."""
    n, k = idx.shape
    rows = np.repeat(np.arange(n), k + 1)
    cols = np.hstack([np.arange(n)[:, None], idx]).ravel()
    member = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, n))
    member.data[:] = 1.0  # a row listed among its own neighbours counts once
    pairs = sp.csr_matrix((np.ones(n * k, np.float32), (np.repeat(np.arange(n), k),
                                                         idx.ravel())), shape=(n, n))
    pairs = ((pairs + pairs.T) > 0).astype(np.float32)
    shared = (member @ member.T).multiply(pairs).tocsr()
    shared.data /= k + 1
    return shared


def leiden(x: np.ndarray, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Return a community label per row from Leiden on the shared-nearest-neighbour graph.

    Leiden (Traag et al. 2019, igraph's C implementation) optimises modularity as Louvain does,
    but refines each community so that none is badly connected or falls apart. igraph draws
    from Python's `random` module; a lock keeps one seeded generator per call.
    """
    import igraph

    if len(x) < 3:
        return np.zeros(len(x), np.int64)
    idx, _ = knn(x, min(GRAPH_NEIGHBOURS, max(5, round(len(x) ** 0.5))))
    weights = sp.triu(shared_neighbours(idx), k=1).tocoo()
    linked = weights.data > 0
    graph = igraph.Graph(n=len(x), edges=np.column_stack(
        [weights.row[linked], weights.col[linked]]).tolist())
    with _RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            part = graph.community_leiden(objective_function="modularity",
                                          weights=weights.data[linked].tolist(),
                                          resolution=resolution, n_iterations=-1)
        finally:
            igraph.set_random_number_generator(random)
    found = np.asarray(part.membership, np.int64)
    by_size = np.argsort(-np.bincount(found), kind="stable")
    rank = np.empty_like(by_size)
    rank[by_size] = np.arange(len(by_size))
    return rank[found]


def duplicate_groups(x: np.ndarray) -> np.ndarray:
    """Return a group number per row; near-identical rows share one (union-find on kNN pairs)."""
    parent = np.arange(len(x))

    def find(i: int) -> int:
        """Return the root of i, halving the path."""
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    if len(x) > 2:
        idx, sim = knn(x)
        for i, j in zip(*np.nonzero(sim >= DUPLICATE), strict=True):
            a, b = find(int(i)), find(int(idx[i, j]))
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = np.array([find(i) for i in range(len(x))])
    return np.unique(roots, return_inverse=True)[1]


def communities(x: np.ndarray, seed: int = 0) -> np.ndarray:
    """Return Leiden communities per row, clustering one representative per duplicate group."""
    groups = duplicate_groups(x)
    reps = np.array([np.flatnonzero(groups == g)[0] for g in range(groups.max() + 1)])
    return leiden(x[reps], seed=seed)[groups]


def centroids(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the cluster ids (excluding noise) and their normalised mean vectors."""
    ids = np.array(sorted(set(labels.tolist()) - {NOISE}), np.int64)
    if not len(ids):
        return ids, np.zeros((0, x.shape[1]), np.float32)
    cents = np.stack([x[labels == c].mean(0) for c in ids])
    return ids, cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)


def cluster(x: np.ndarray, min_size: int = 3, seed: int = 0) -> np.ndarray:
    """Cluster rows (a sample if large, the rest by nearest centroid); small clusters are noise."""
    rng = np.random.default_rng(seed)
    sample = np.arange(len(x))
    if len(x) > CLUSTER_SAMPLE:
        sample = np.sort(rng.choice(len(x), CLUSTER_SAMPLE, replace=False))
    part = communities(x[sample], seed=seed)
    labels = np.full(len(x), NOISE, np.int64)
    labels[sample] = part
    sizes = np.bincount(part)
    scale = len(x) / len(sample)
    small = np.where(sizes * scale < min_size)[0] if len(sample) == len(x) else np.where(
        sizes < max(2, min_size / scale))[0]
    labels[np.isin(labels, small)] = NOISE
    ids, cents = centroids(x[sample], labels[sample])
    rest = np.setdiff1d(np.arange(len(x)), sample)
    if len(rest) and len(ids):
        labels[rest] = ids[np.argmax(x[rest] @ cents.T, axis=1)]
    return labels
