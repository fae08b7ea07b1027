"""Theme labels: short readable Dutch phrases in the reports' own words, distinct across themes.

The fixtures are written for these tests (no shared corpus): three small themes with filler,
placeholders and a place name that must never reach a label.
"""

from __future__ import annotations

import re

import numpy as np

from nlp import Report, rebuild
from nlp.describe import keywords_per_cluster, label_for, label_from, labels_per_cluster
from nlp.text import stop_words

HULPMIDDELEN = [
    "De rolstoel van mijn vader is al zes weken kapot en de leverancier komt maar niet.",
    "Wij wachten al twee maanden op een nieuwe rolstoel via de Wmo, echt een half jaar straks.",
    "Mijn moeder heeft een rollator nodig maar de aanvraag ligt stil bij de gemeente.",
    "De traplift is besteld maar de levering van de traplift duurt maanden.",
    "Onze rolstoel moest naar reparatie en er is geen leenrolstoel, dus ik zit thuis.",
    "Zonder rolstoel kan mijn man het huis niet uit. De reparatie van de rolstoel duurt lang.",
    "Een paar weken geleden brak het wiel van mijn rolstoel, de leverancier belt niet terug.",
]
TANDARTS = [
    "Geen enkele tandarts in de buurt neemt nieuwe patiënten aan.",
    "Mijn kinderen hebben echt al een jaar geen tandarts, overal een patiëntenstop.",
    "Tandarts [NAAM] stopt en nu hebben we geen tandarts meer. Bel [TELEFOON].",
    "Voor een tandarts moet ik nu naar een andere stad rijden, dat kost een halve dag.",
    "De tandarts zegt dat er geen plek is voor nieuwe patiënten, ook niet bij pijn.",
    "Na de verhuizing vinden we echt geen tandarts die nieuwe patiënten aanneemt.",
    "Echt geen tandarts te vinden, al een paar maanden, echt een half jaar bijna.",
]
NACHTPOST = [
    "De huisartsenpost is 's nachts alleen in Lelystad open, dat is een uur rijden.",
    "Met koorts in de nacht naar de huisartsenpost in Lelystad, zonder auto lukt dat niet.",
    "Waarom is de huisartsenpost in onze stad 's nachts dicht? Nu moeten we naar Lelystad.",
    "Bij spoed 's nachts stuurt de huisartsenpost in Lelystad ons weg, wij hebben geen auto.",
    "De huisartsenpost neemt 's nachts pas na een half uur op en verwijst naar Lelystad.",
    "Voor de huisartsenpost in Lelystad moet je 's nachts een taxi nemen, dat kost veel geld.",
]
THEMES = [HULPMIDDELEN, TANDARTS, NACHTPOST]
TOPIC_WORDS = [{"rolstoel", "traplift", "rollator", "reparatie", "leverancier", "levering"},
               {"tandarts", "patiënten", "patiëntenstop"}, {"huisartsenpost"}]
FILLER = {"paar", "half", "halve", "echt", "mens", "jaar", "week", "weken", "dag", "nacht"}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)


def _corpus(themes: list[list[str]]) -> tuple[list[str], np.ndarray]:
    texts = [t for theme in themes for t in theme]
    labels = np.repeat(np.arange(len(themes)), [len(theme) for theme in themes])
    return texts, labels


def _labels(themes: list[list[str]], **kwargs) -> dict[int, str]:  # type: ignore[no-untyped-def]
    texts, labels = _corpus(themes)
    return labels_per_cluster(texts, labels, keywords_per_cluster(texts, labels), **kwargs)


def assert_readable(label: str, members: list[str]) -> None:
    """A label is 1-6 surface words of the members, capitalised, with no placeholder or filler."""
    words = label.split()
    assert 1 <= len(words) <= 6, label
    assert label[0].isupper(), label
    assert "[" not in label and "," not in label and not re.search(r"\d", label), label
    surface = {w.lower() for text in members for w in _words(text)}
    assert all(w.lower() in surface or w == "en" for w in words), (label, "not the members' words")
    for edge in (words[0].lower(), words[-1].lower()):
        assert edge not in FILLER, label
    assert words[-1].lower() not in stop_words() | {"niet", "geen", "te", "en", "van", "de"}, label


def test_each_theme_gets_a_readable_phrase_about_its_topic() -> None:
    labels = _labels(THEMES)
    assert sorted(labels) == [0, 1, 2]
    for k, members in enumerate(THEMES):
        assert_readable(labels[k], members)
        assert {w.lower() for w in labels[k].split()} & TOPIC_WORDS[k], labels[k]
    assert len(labels[0].split()) >= 2 and len(labels[1].split()) >= 2, labels


def test_labels_are_surface_words_not_lemmas() -> None:
    """The reports say "rolstoelen" and "patiënten": the label must too ("rolstoel" is a lemma)."""
    plural = [t.replace("rolstoel ", "rolstoelen ").replace("rolstoel,", "rolstoelen,")
              for t in HULPMIDDELEN]
    label = _labels([plural, TANDARTS, NACHTPOST])[0]
    assert_readable(label, plural)
    assert "rolstoel" not in {w.lower() for w in label.split()}, label


def test_no_place_names_placeholders_or_filler() -> None:
    labels = _labels(THEMES)
    assert all("lelystad" not in label.lower() for label in labels.values()), labels
    assert all("NAAM" not in label and "TELEFOON" not in label for label in labels.values())
    assert all(not ({w.lower() for w in label.split()} & FILLER) for label in labels.values())


def test_labels_differ_between_themes_and_from_taken_labels() -> None:
    twins = _labels([TANDARTS, [t.replace(".", "!") for t in TANDARTS], NACHTPOST])
    assert len(set(twins.values())) == 3, twins
    first = _labels(THEMES)
    again = _labels(THEMES, taken=[first[1].upper()])
    assert again[1].lower() != first[1].lower() and again[0] == first[0], (first, again)
    assert_readable(again[1], TANDARTS)


def test_usual_spelling_is_kept_and_first_letter_capitalised() -> None:
    chat = ["De wijkzuster is alleen via WhatsApp bereikbaar en mijn vader heeft dat niet.",
            "Mijn moeder heeft geen WhatsApp en hoort dus niets van de wijkzuster.",
            "Zonder WhatsApp krijg ik geen foto van de wond terug van de wijkzuster.",
            "De groep op WhatsApp met de wijkzuster is vol, zeggen ze.",
            "ik heb geen WhatsApp, de wijkzuster belt nooit terug."]
    label = _labels([chat, TANDARTS, NACHTPOST])[0]
    assert_readable(label, chat)
    assert "WhatsApp" in label.split(), label


def test_fallback_on_tiny_and_empty_input() -> None:
    assert label_from(["rolstoel", "reparatie", "leverancier", "wiel"]) == (
        "Rolstoel, reparatie, leverancier")
    assert label_from([]) == "Zonder trefwoorden"
    assert label_for([], ["tandarts", "patiënt"]) == "Tandarts, patiënt"
    assert label_for(["[NAAM] [TELEFOON]", "123 456"], ["contact"]) == "Contact"
    assert label_for(["ok"], []) == "Zonder trefwoorden"
    assert labels_per_cluster(["a", "b"], np.array([-1, -1]), {}) == {}
    one = label_for(["De tandarts neemt geen nieuwe patiënten aan."], ["tandarts"])
    assert_readable(one, ["De tandarts neemt geen nieuwe patiënten aan."])


def test_only_a_sample_of_a_large_theme_is_read() -> None:
    """Members far from the centre are not read: their words cannot become the label."""
    texts, labels = _corpus(THEMES)
    x = np.zeros((len(texts), 2), np.float32)
    x[:, 0] = 1.0
    odd = [f"De fietsenstalling bij de ingang is vol, al {n} fietsen." for n in range(6)]
    texts, labels = texts + odd, np.concatenate([labels, np.zeros(len(odd), np.int64)])
    x = np.vstack([x, np.tile([[0.0, 1.0]], (len(odd), 1))]).astype(np.float32)
    out = labels_per_cluster(texts, labels, keywords_per_cluster(texts, labels), x, sample=5)
    assert "fietsenstalling" not in out[0].lower(), out


def test_a_label_names_a_thing() -> None:
    """Phrases without a noun ("Niet klaar", "Te laat") are too vague to be a label."""
    late = ["De bus was weer te laat.", "Ik kwam te laat door de bus.",
            "Te laat, de bus reed voorbij.", "De bus is altijd te laat bij de halte."]
    label = _labels([late, TANDARTS])[0]
    assert_readable(label, late)
    assert "bus" in label.lower(), label


def test_rebuild_labels_themes_with_phrases(reports: list[Report], new_ids) -> None:  # type: ignore[no-untyped-def]
    build = rebuild(reports, new_id=new_ids)
    labels = [t.label for t in build.themes]
    assert len(labels) == 4 and len(set(labels)) == 4, labels
    for theme in build.themes:
        assert theme.label[0].isupper() and "," not in theme.label, theme.label
        assert 2 <= len(theme.label.split()) <= 6, theme.label
        assert theme.keywords and not theme.label_by_reviewer


def test_relatives_say_whom_not_what_so_they_are_no_label_or_keyword() -> None:
    """A theme about phoning the GP where grandmothers come up often: "Oma" names no problem."""
    phone = [
        "Mijn oma belt de huisarts en hangt na twintig minuten in de wacht op.",
        "Oma snapt het keuzemenu van de telefoon van de huisarts niet.",
        "Voor mijn oma bellen we elke ochtend, de telefoon van de praktijk is altijd bezet.",
        "Mijn oma en mijn moeder krijgen de assistente niet te pakken aan de telefoon.",
        "De telefoon van de huisarts gaat eindeloos over, ook voor mijn vader en oma.",
        "Oma wacht aan de telefoon op de assistente en geeft het dan maar op.",
    ]
    texts, labels = _corpus([phone, TANDARTS, NACHTPOST])
    keywords = keywords_per_cluster(texts, labels)
    assert not {"oma", "moeder", "vader"} & set(" ".join(keywords[0]).split()), keywords[0]
    label = labels_per_cluster(texts, labels, keywords)[0]
    assert_readable(label, phone)
    assert not {"oma", "moeder", "vader"} & {w.lower() for w in label.split()}, label
    assert {"telefoon", "assistente", "huisarts"} & {w.lower() for w in label.split()}, label
