"""Reports that belong to no theme: too short, gibberish, or praise without a problem."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

import simplemma

from nlp.text import concept_counts, concepts, lemmas, tokens

MIN_CONTENT_WORDS = 3
PROBLEM_CUES = frozenset(
    "niet geen nooit niemand niets helaas maar probleem slecht moeilijk lang wachten wachtlijst "
    "tekort te zorgen zorg klacht jammer kwijt mis duur ver vol stop weigeren afgewezen".split()
)


@functools.lru_cache(maxsize=200_000)
def _known(word: str) -> bool:
    return bool(simplemma.is_known(word, lang=("nl", "en")))


def known_fraction(text: str) -> float:
    """Return the share of tokens that are Dutch or English words simplemma knows."""
    toks = tokens(text)
    if not toks:
        return 0.0
    known = sum(1 for t in toks if _known(t))
    return known / len(toks)


def is_praise(text: str) -> bool:
    """Return True for thanks or compliments that name no problem."""
    names = list(concepts())
    if "waardering" not in names:
        return False
    if concept_counts(text)[names.index("waardering")] == 0:
        return False
    return not any(t in PROBLEM_CUES for t in tokens(text))


def is_noise(text: str) -> str | None:
    """Return why a report should stay in 'overig' ('kort', 'onleesbaar', 'lof'), else None."""
    if len(lemmas(text)) < MIN_CONTENT_WORDS:
        return "kort"
    if known_fraction(text) < 0.5:
        return "onleesbaar"
    if is_praise(text):
        return "lof"
    return None


PRAISE_PINS = 2  # praise (or noise) pinned into one theme before it counts as its home
PRAISE = frozenset({"lof"})
NOISE = frozenset({"kort", "onleesbaar"})  # too short to say anything, or not words at all


def kept_themes(pinned: Iterable[tuple[str | None, str | None]], kinds: frozenset[str]
                ) -> list[str]:
    """Return the themes people keep reports of these `is_noise` kinds in.

    `pinned` holds (`is_noise` of the text, theme) of the pinned reports, so that a caller who
    asks for praise and noise, or who has `is_noise` already (a rebuild), looks at each text once.
    A theme counts when at least PRAISE_PINS of its pinned reports are of the kinds and they are
    more than half of them: a thank-you or two pinned into a theme about the GP do not make it one.
    """
    found: Counter[str] = Counter()
    every: Counter[str] = Counter()
    for reason, theme in pinned:
        if theme is not None:
            every[theme] += 1
            found[theme] += reason in kinds
    return sorted(t for t in found if found[t] >= PRAISE_PINS and 2 * found[t] > every[t])
