"""Theme keywords: what goes wrong, in words of the theme's own reports.

Never where (names of places, wijken) and never a pair of words that no single report wrote
(two reports glued together). Fixtures are written for these tests.
"""

from __future__ import annotations

import numpy as np

from nlp.describe import GENERIC, keywords_per_cluster, place_words, proper_names
from nlp.text import feature_stop_words, lemmas

NACHTPOST = [
    "De huisartsenpost is 's nachts alleen in Lelystad open, dat is een uur rijden.",
    "Met koorts in de nacht naar de huisartsenpost in Lelystad, zonder auto lukt dat niet.",
    "Waarom is de huisartsenpost 's nachts dicht? Nu moeten we naar Lelystad voor hulp.",
    "Bij spoed stuurt de huisartsenpost in Lelystad ons weg, wij hebben geen auto.",
]
WMO = [
    "De aanvraag bij de Wmo voor een scootmobiel ligt al maanden stil in waterwijk.",
    "Via de Wmo wachten we op een traplift, de gemeente reageert niet in waterwijk.",
    "Het loket van de Wmo zegt dat de aanvraag kwijt is, hier in waterwijk.",
]


def _keywords(themes: list[list[str]], **kwargs) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    texts = [t for theme in themes for t in theme]
    labels = np.repeat(np.arange(len(themes)), [len(theme) for theme in themes])
    return keywords_per_cluster(texts, labels, **kwargs)


def test_names_of_places_are_never_keywords_but_care_terms_are_kept() -> None:
    names = proper_names(NACHTPOST + WMO)
    assert "lelystad" in names
    assert "wmo" not in names  # a care term written with a capital is not a name
    keywords = _keywords([NACHTPOST, WMO])
    assert "huisartsenpost" in keywords[0]
    assert not any("lelystad" in k for k in keywords[0])
    assert "wmo" in keywords[1]


def test_the_reports_wijken_are_never_keywords() -> None:
    assert place_words(["almere-haven", "waterwijk"]) >= {"almere", "haven", "waterwijk"}
    assert "waterwijk" in _keywords([NACHTPOST, WMO])[1]  # lower case: not seen as a name
    keywords = _keywords([NACHTPOST, WMO], places=["waterwijk"])
    assert not any("waterwijk" in k for k in keywords[1])


def test_a_pair_of_words_is_a_keyword_only_when_one_report_wrote_it() -> None:
    # glued together, these three give "bereikbaar wacht" and "duren plek"
    small = ["De huisarts is nooit bereikbaar.", "Wachten op de wijkverpleging duurt lang.",
             "Geen plek bij de fysiotherapeut."]
    keywords = _keywords([small, ["De apotheek heeft mijn medicijn niet."]])[0]
    stop = GENERIC | feature_stop_words()
    written = [" ".join(w for w in lemmas(t) if w not in stop) for t in small]
    pairs = [k for k in keywords if " " in k]
    assert all(any(pair in doc for doc in written) for pair in pairs), pairs
    assert {"bereikbaar", "huisarts"} <= set(keywords)
