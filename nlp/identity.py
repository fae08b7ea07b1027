"""Stable theme ids: map new clusters onto existing themes through reviewers' pins and history."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np

from nlp.model import Curation

PIN_WEIGHT = 3.0
MIN_SHARE = 0.5  # a cluster takes a theme's id when most of its known members come from it
MIN_KNOWN = 0.25  # ... and at least this share of the cluster was known before


def default_id_factory() -> str:
    """Return a fresh random theme id."""
    return f"th-{secrets.token_hex(5)}"


def anchors(report_ids: list[str], curation: Curation) -> list[tuple[str | None, float]]:
    """Return each report's earlier theme (after merges) and the weight of that evidence."""
    out: list[tuple[str | None, float]] = []
    for rid in report_ids:
        if rid in curation.pins:
            out.append((curation.resolve(curation.pins[rid]), PIN_WEIGHT))
        elif rid in curation.previous and curation.previous[rid] is not None:
            out.append((curation.resolve(curation.previous[rid]), 1.0))
        else:
            out.append((None, 0.0))
    return out


def match_clusters(labels: np.ndarray, report_ids: list[str], curation: Curation,
                   new_id: Callable[[], str] | None = None) -> dict[int, str]:
    """Return cluster label -> theme id: an existing id where history agrees, else a new one."""
    new_id = new_id or default_id_factory
    known = anchors(report_ids, curation)
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    size: Counter[int] = Counter()
    for lab, (theme, weight) in zip(labels.tolist(), known, strict=True):
        size[lab] += 1
        if theme is not None:
            votes[lab][theme] += weight
    mapping: dict[int, str] = {}
    for lab in sorted(size):
        if lab < 0:
            continue
        ballot = votes.get(lab)
        if ballot:
            theme, count = ballot.most_common(1)[0]
            anchored = sum(1 for lab2, (t, _) in zip(labels, known, strict=True)
                           if lab2 == lab and t is not None)
            if count >= MIN_SHARE * sum(ballot.values()) and anchored >= MIN_KNOWN * size[lab]:
                mapping[lab] = theme
                continue
        mapping[lab] = new_id()
    return mapping
