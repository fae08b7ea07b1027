"""Leiden communities on the shared-nearest-neighbour graph: planted groups, seeds, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.metrics import adjusted_rand_score

from nlp.cluster import NOISE, cluster, leiden


def _groups(sizes: tuple[int, ...], dims: int = 24, spread: float = 0.35,
            seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Return unit rows around random centres (one group per size) and each row's group."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dims))
    truth = np.repeat(np.arange(len(sizes)), sizes)
    x = centres[truth] + spread * rng.normal(size=(len(truth), dims))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


def test_cluster_leiden_finds_the_planted_groups_without_being_told_how_many():
    x, truth = _groups((40, 30, 30, 20), spread=0.6)
    labels = leiden(x)
    assert adjusted_rand_score(truth, labels) > 0.95
    assert len(set(labels.tolist())) == 4
    assert np.bincount(labels).tolist() == sorted(np.bincount(labels).tolist(), reverse=True)


def test_cluster_leiden_same_seed_same_communities_also_from_threads():
    x, _ = _groups((200,), spread=3.0)  # one shapeless cloud: where it splits is chance
    first = leiden(x, seed=3)
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda s: leiden(x, seed=s).tolist(), [3, 0, 3, 1, 3, 2, 3]))
    assert again[::2] == [first.tolist()] * 4
    assert len({tuple(labels) for labels in again}) > 1  # other seeds, other splits


def test_cluster_small_groups_become_noise_and_tiny_inputs_get_one_label():
    x, truth = _groups((40, 40, 6), spread=0.6)  # no near-duplicates: every row is a node
    labels = cluster(x, min_size=8)
    assert set(labels[truth == 2].tolist()) == {NOISE}
    assert NOISE not in labels[truth != 2].tolist()
    assert leiden(x[:2]).tolist() == [0, 0]
