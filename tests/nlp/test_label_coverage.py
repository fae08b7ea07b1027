"""Theme labels say what the theme is about: their words occur in most members, in few others.

The fixture (tests/nlp/data/labels-fixture.jsonl) was written for this test: four themes of
eight reports, full of words of time and amount ("vandaag, ochtend, half, soms") and with "oude
huisarts" (a former GP) in half of the reports about practices that take no new patients.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.describe import keywords_per_cluster, label_coverage, label_words, labels_per_cluster
from nlp.text import FILLER

FIXTURE = Path(__file__).parent / "data" / "labels-fixture.jsonl"


@pytest.fixture(scope="module")
def described() -> tuple[list[str], np.ndarray, dict[int, list[str]], dict[int, str]]:
    """Return texts, gold cluster per text, keywords and labels per cluster."""
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    names = sorted({r["theme"] for r in rows})
    texts = [r["text"] for r in rows]
    labels = np.array([names.index(r["theme"]) for r in rows], np.int64)
    keywords = keywords_per_cluster(texts, labels)
    return texts, labels, keywords, labels_per_cluster(texts, labels, keywords)


def test_each_label_is_in_most_members_and_few_others(described) -> None:  # type: ignore[no-untyped-def]
    texts, labels, _, names = described
    coverage = label_coverage(texts, labels, names)
    for cluster, (inside, outside) in coverage.items():
        assert inside >= 0.5, (names[cluster], inside)
        assert outside <= 0.15, (names[cluster], outside)


def test_keywords_and_labels_hold_no_words_of_time_or_amount(described) -> None:  # type: ignore[no-untyped-def]
    _, _, keywords, names = described
    for cluster, words in keywords.items():
        assert words and not {w for kw in words for w in kw.split()} & FILLER, words
        assert label_words(names[cluster]), names[cluster]
        assert not set(names[cluster].lower().split()) & FILLER, names[cluster]


def test_a_former_gp_is_not_an_old_gp(described) -> None:  # type: ignore[no-untyped-def]
    _, _, _, names = described
    assert not any(name.lower().startswith(("oude", "oud ")) for name in names.values()), names
