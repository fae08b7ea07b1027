"""Which lemmatiser for the pipeline: simplemma or spaCy's Dutch lookup table (spacy-lookups-data).

Usage: python bench/lemmatizer_eval.py [--data PATH.jsonl]
Scores both on a hand-made gold list of inflected words as residents write them about care
(plural nouns, past tenses and participles, inflected adjectives; ambiguous forms left out),
and reports on a corpus how many distinct words each one changes and its speed. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "knelpunten-dev.jsonl"
GOLD = """
huisartsen huisarts|patiënten patiënt|wachtlijsten wachtlijst|medicijnen medicijn|
afspraken afspraak|kinderen kind|ouders ouder|wacht wachten|wachtte wachten|gewacht wachten|
belde bellen|gebeld bellen|neemt nemen|genomen nemen|kreeg krijgen|kregen krijgen|
gekregen krijgen|krijgt krijgen|moest moeten|kon kunnen|konden kunnen|kunt kunnen|
wilde willen|was zijn|waren zijn|ben zijn|is zijn|heeft hebben|had hebben|hadden hebben|
gezien zien|zag zien|ging gaan|gegaan gaan|gaat gaan|kwam komen|gekomen komen|nieuwe nieuw|
lange lang|langer lang|zorgverleners zorgverlener|tandartsen tandarts|
fysiotherapeuten fysiotherapeut|behandelingen behandeling|verzekeraars verzekeraar|
gemeenten gemeente|ziekenhuizen ziekenhuis|buurten buurt|mantelzorgers mantelzorger|
apotheken apotheek|recepten recept|brieven brief|dagen dag|weken week|maanden maand|jaren jaar|
uren uur|telefoontjes telefoontje|formulieren formulier|dokters dokter|klachten klacht|
problemen probleem|vergoedt vergoeden|geholpen helpen|hielp helpen|helpt helpen|
verwezen verwijzen|verwijst verwijzen|opgenomen opnemen|betaald betalen|betaalt betalen|
duurde duren|duurt duren|gestopt stoppen|begreep begrijpen|spreekt spreken|sprak spreken|
ingeschreven inschrijven|slechte slecht|duurder duur|eenzame eenzaam|zieke ziek|kleine klein|
wijkverpleegkundigen wijkverpleegkundige|specialisten specialist|rolstoelen rolstoel|
afgewezen afwijzen|gebruikt gebruiken|zocht zoeken|gezocht zoeken|vond vinden|gevonden vinden
"""


def gold() -> list[tuple[str, str]]:
    """Return the (word, lemma) pairs."""
    pairs = [p.split() for p in GOLD.replace("\n", "").split("|") if p.strip()]
    return [(w, lem) for w, lem in pairs]


def spacy_lookup():  # type: ignore[no-untyped-def]
    """Return spaCy's Dutch lookup lemmatiser as a function of a lower-cased word."""
    from spacy.lookups import load_lookups

    table = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    return lambda word: str(table.get(word, word)).lower()


def main() -> None:
    """Score both lemmatisers and print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    args = parser.parse_args()
    import simplemma

    from nlp.text import tokens

    methods = {"simplemma": lambda w: simplemma.lemmatize(w, lang="nl").lower(),
               "spacy-lookups-data": spacy_lookup()}
    words = sorted({t for line in open(args.data, encoding="utf-8") if line.strip()
                    for t in tokens(json.loads(line)["text"])})
    out = {"gold_pairs": len(gold()), "corpus_distinct_words": len(words), "methods": {}}
    for name, func in methods.items():
        right = [w for w, lem in gold() if func(w) == lem]
        start = time.perf_counter()
        changed = sum(func(w) != w for w in words)
        per_word_us = 1e6 * (time.perf_counter() - start) / len(words)
        out["methods"][name] = {
            "gold_accuracy": round(len(right) / len(gold()), 3),
            "corpus_words_changed": round(changed / len(words), 3),
            "microseconds_per_word": round(per_word_us, 1),
            "wrong": [f"{w}->{func(w)}" for w, lem in gold() if func(w) != lem][:15],
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
