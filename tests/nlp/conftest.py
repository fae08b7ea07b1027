"""Fixtures for the nlp tests: a small synthetic corpus written for these tests (no shared data)."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from nlp import Report, embed  # noqa: E402

TOPICS = {
    "tandarts": [
        "De tandarts in onze buurt neemt geen nieuwe patiënten meer aan.",
        "Mijn kiespijn wordt erger maar de tandarts heeft pas over drie maanden plek.",
        "Een gebitsbehandeling kost honderden euro's en de tandarts wil vooraf betalen.",
        "Voor de mondhygiënist en de tandarts moeten we nu naar een andere stad.",
        "De tandartspraktijk heeft een patiëntenstop, mijn kinderen hebben geen tandarts.",
    ],
    "fysio": [
        "Na mijn knieoperatie moet ik naar de fysiotherapeut maar die heeft een wachtlijst.",
        "De fysiotherapie wordt na twaalf behandelingen niet meer vergoed.",
        "Mijn rugklachten worden erger omdat de fysiotherapeut pas in juni kan beginnen.",
        "Oefentherapie en fysiotherapie zijn niet te betalen zonder aanvullende verzekering.",
        "De fysiotherapeut komt niet aan huis, ik kan met mijn heup niet naar de praktijk.",
    ],
    "jeugd": [
        "Onze zoon wacht al een jaar op jeugdzorg en het gaat slecht op school.",
        "De jeugdhulp is gestopt toen mijn dochter achttien werd, nu is er niets.",
        "Het consultatiebureau verwees ons door maar de jeugdzorg heeft een wachtlijst.",
        "Mijn kind met autisme krijgt geen begeleiding, de jeugdhulp zit vol.",
        "Jongeren met angstklachten kunnen nergens terecht bij de jeugdzorg.",
    ],
    "parkeren": [
        "Bij het gezondheidscentrum kun je nergens parkeren, ik kom te laat voor de afspraak.",
        "Parkeren bij de polikliniek kost vijf euro per uur, dat kan ik niet betalen.",
        "Met mijn rolstoel kan ik niet uit de auto omdat de invalidenparkeerplaats bezet is.",
        "De parkeergarage bij het ziekenhuis is vol en de bus rijdt niet op zondag.",
        "Er zijn te weinig parkeerplaatsen bij de huisartsenpraktijk voor ouderen.",
    ],
}
NOISE = ["Top!", "test test", "asdfgh qwerty zxcvbn", "Hartelijk dank, super fijn geholpen!"]


def _variants(sentences: list[str], n: int) -> list[str]:
    pairs = list(itertools.permutations(sentences, 2))
    return [f"{a} {b}" for a, b in pairs[:n]]


@pytest.fixture(scope="session")
def corpus() -> list[tuple[str, str, str]]:
    """Return (id, topic, text): 12 reports per topic plus a few noise reports."""
    rows = []
    for topic, sentences in TOPICS.items():
        for i, text in enumerate(_variants(sentences, 12)):
            rows.append((f"{topic}-{i}", topic, text))
    rows += [(f"noise-{i}", "noise", t) for i, t in enumerate(NOISE)]
    return rows


@pytest.fixture(scope="session")
def reports(corpus: list[tuple[str, str, str]]) -> list[Report]:
    """Return the corpus as Reports with lexical vectors (fast, deterministic)."""
    vectors = embed([t for _, _, t in corpus], "lexical")
    wijken = ["Stedenwijk", "Waterwijk", "Filmwijk"]
    return [Report(rid, text, vectors[i], (wijken[i % 3],), ("huisarts",))
            for i, (rid, _, text) in enumerate(corpus)]


@pytest.fixture(scope="session")
def topic_of(corpus: list[tuple[str, str, str]]) -> dict[str, str]:
    """Return report id -> topic."""
    return {rid: topic for rid, topic, _ in corpus}


def ids_factory(prefix: str = "t"):  # type: ignore[no-untyped-def]
    """Return a deterministic id factory."""
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


@pytest.fixture()
def new_ids():  # type: ignore[no-untyped-def]
    """Return a fresh deterministic theme id factory."""
    return ids_factory()


def unit(v: np.ndarray) -> np.ndarray:
    """Return v normalised."""
    return v / np.linalg.norm(v)
