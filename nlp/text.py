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


# Domain-independent words of time, number and vague quantity: they say when and how much, not
# what about ("vandaag, ochtend, minuut", "half, soms"). Left out of keywords, never the first
# or last word of a label (clustering keeps them: leaving them out lowered ARI on dev and SIB-200).
FILLER = frozenset(
    "dag week maand jaar uur minuut kwartier seconde tijdje vandaag gisteren morgen ochtend "
    "middag avond nacht vanochtend vanmorgen vanmiddag vanavond vannacht weekend straks laatst "
    "eerst soms vaak altijd steeds keer half paar beetje elke ieder één een twee drie vier vijf "
    "zes zeven acht negen tien twaalf twintig dertig veertig vijftig honderd duizend".split())


@functools.cache
def english_stop_words() -> frozenset[str]:
    """Return scikit-learn's English stop words minus the ones that carry meaning here."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) - MEANINGFUL


@functools.cache
def feature_stop_words() -> frozenset[str]:
    """Return the Dutch and English stop words (keywords leave out both)."""
    return stop_words() | english_stop_words()


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


def is_english(text: str) -> bool:
    """Whether a text is mostly English: more English than Dutch stop words among its tokens."""
    toks = tokens(text)
    english = sum(t in english_stop_words() for t in toks)
    return english > sum(t in stop_words() for t in toks)


def feature_text(text: str) -> str:
    """Return the lemmas that say what a text is about, joined by spaces (clustering features).

    A text in English also loses the English stop words: English reports (from expats) would
    otherwise meet each other on "the, my, and" rather than on what they are about. Dutch texts
    keep them (leaving them out of every text lowered guided accuracy on the dev corpus).
    """
    stop = feature_stop_words() if is_english(text) else stop_words()
    return " ".join(lem for lem in lemmas(text) if lem not in stop)


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


@functools.lru_cache(maxsize=200_000)
def word_concepts(word: str) -> tuple[int, ...]:
    """Return the indices of the concepts whose single-word prefixes match a lemma."""
    hits = []
    for k, prefixes in enumerate(concepts().values()):
        for p in prefixes:
            if " " in p:
                continue
            if (word == p[:-1]) if p.endswith("$") else word.startswith(p):
                hits.append(k)
                break
    return tuple(hits)


@functools.cache
def _phrases() -> tuple[tuple[int, str], ...]:
    return tuple((k, " " + p) for k, ps in enumerate(concepts().values()) for p in ps if " " in p)


def concept_counts(text: str) -> list[int]:
    """Count, per care concept, the words of a text that start with one of its prefixes."""
    lems = [lemma(t) for t in tokens(text)]
    counts = [0] * len(concepts())
    for w in lems:
        for k in word_concepts(w):
            counts[k] += 1
    joined = " " + " ".join(lems) + " "
    for k, phrase in _phrases():
        counts[k] += joined.count(phrase)
    return counts
