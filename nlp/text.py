"""Dutch text helpers: tokens, lemmas (simplemma), a meaning-preserving stop list, care concepts."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import simplemma

TOKEN = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
PLACEHOLDER = re.compile(r"\[[A-Z]+\]")
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
# spaCy's Dutch stop list drops words that carry meaning in complaints; keep those.
MEANINGFUL = frozenset(
    "niet geen nooit alleen lang lange te weer zonder nog zelf hulp moet moeten kan kunnen "
    "wil willen mag laat weinig veel meer minder ver tegen tijd".split()
)


@functools.cache
def stop_words() -> frozenset[str]:
    """Return spaCy's Dutch stop words minus the ones that carry meaning here."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) - MEANINGFUL


@functools.lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Return the simplemma lemma of a lower-cased Dutch word."""
    return simplemma.lemmatize(word, lang="nl").lower()


def tokens(text: str) -> list[str]:
    """Return lower-cased word tokens, placeholders like [NAAM] removed."""
    return TOKEN.findall(PLACEHOLDER.sub(" ", text).lower())


def lemmas(text: str, drop_stop: bool = True) -> list[str]:
    """Return the lemmas of a text, optionally without stop words."""
    stop = stop_words() if drop_stop else frozenset()
    return [lem for lem in (lemma(t) for t in tokens(text)) if lem not in stop and len(lem) > 1]


def lemma_text(text: str) -> str:
    """Return the content lemmas of a text joined by spaces (input for TF-IDF)."""
    return " ".join(lemmas(text))


def sentences(text: str) -> list[str]:
    """Split a text into sentences."""
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


@functools.cache
def concepts() -> dict[str, tuple[str, ...]]:
    """Return the care-domain lexicon: concept -> word prefixes (nlp/data/zorgconcepten.txt)."""
    text = (Path(__file__).parent / "data" / "zorgconcepten.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, words = line.split(":", 1)
            out[name.strip()] = tuple(w.strip().lower() for w in words.split(",") if w.strip())
    return out


def concept_counts(text: str) -> list[int]:
    """Count, per care concept, the words of a text that start with one of its prefixes."""
    lems = [lemma(t) for t in tokens(text)]
    joined = " " + " ".join(lems) + " "
    counts = []
    for prefixes in concepts().values():
        single = tuple(p for p in prefixes if " " not in p and not p.endswith("$"))
        exact = {p[:-1] for p in prefixes if p.endswith("$")}
        n = sum(1 for w in lems if w in exact or (single and w.startswith(single)))
        n += sum(joined.count(" " + p) for p in prefixes if " " in p)
        counts.append(n)
    return counts
