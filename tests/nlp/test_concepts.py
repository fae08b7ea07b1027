"""The care lexicon (nlp/data/zorgconcepten.txt): prefixes find the care word in its forms and
compounds, and not the everyday words that happen to start the same way."""

from __future__ import annotations

import pytest

from nlp.noise import is_noise
from nlp.text import concept_counts, concepts, lemma, word_concepts

NAMES = list(concepts())


def _concepts_of(word: str) -> set[str]:
    return {NAMES[k] for k in word_concepts(lemma(word))}


@pytest.mark.parametrize(("word", "concept"), [
    ("ov", "vervoer"), ("bus", "vervoer"), ("bushalte", "vervoer"), ("regiotaxi", "vervoer"),
    ("auto", "vervoer"), ("autorijden", "vervoer"), ("app", "digitaal"), ("appen", "digitaal"),
    ("recept", "apotheek"), ("receptenlijn", "apotheek"), ("pil", "apotheek"),
    ("hart", "chronisch"), ("hartfalen", "chronisch"), ("hartklachten", "chronisch"),
    ("geweld", "veiligheid"), ("gewelddadig", "veiligheid"), ("werk", "werk_inkomen"),
    ("werkloos", "werk_inkomen"), ("werkgever", "werk_inkomen"), ("geld", "kosten"),
    ("kiespijn", "mondzorg"), ("respect", "bejegening"),
    ("bot", "bejegening"), ("dom", "bejegening"), ("dank", "waardering"),
    ("dankjewel", "waardering"), ("dankbaar", "waardering"), ("bedankt", "waardering"),
])
def test_care_words_find_their_concept(word: str, concept: str) -> None:
    assert concept in _concepts_of(word)


@pytest.mark.parametrize(("word", "not_concept"), [
    # "ov" used to match every word starting with "ov": "over" was the lexicon's commonest hit
    ("over", "vervoer"), ("overleg", "vervoer"), ("overal", "vervoer"), ("overlijden", "vervoer"),
    ("automatisch", "vervoer"), ("business", "vervoer"), ("apparaat", "digitaal"),
    ("appartement", "digitaal"), ("receptie", "apotheek"), ("hartelijk", "chronisch"),
    ("hartstikke", "chronisch"), ("geweldig", "veiligheid"), ("werken", "werk_inkomen"),
    ("werkelijk", "werk_inkomen"), ("geldig", "kosten"), ("minimaal", "kosten"),
    ("kiesraad", "mondzorg"), ("respectievelijk", "bejegening"), ("domein", "bejegening"),
    ("botsing", "bejegening"), ("dankzij", "waardering"),
])
def test_everyday_words_with_the_same_start_do_not(word: str, not_concept: str) -> None:
    assert not_concept not in _concepts_of(word)


def test_a_complaint_with_dankzij_is_not_praise() -> None:
    """'Dankzij' says why, not thanks: a complaint using it stays a complaint."""
    text = "Dankzij de bezuinigingen komt de thuiszorg nog maar één keer per week bij mijn vader."
    assert concept_counts(text)[NAMES.index("waardering")] == 0
    assert is_noise(text) is None
    assert is_noise("Dank u wel aan de wijkverpleging, ze zijn zo lief voor mijn vader.") == "lof"
