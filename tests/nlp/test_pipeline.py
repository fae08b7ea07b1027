"""The pipeline as a spaCy Language: components, Doc extensions, models per key, no training."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language

from nlp import Report
from nlp.pipeline import (
    ASSIGN,
    EMBED,
    LEMMAS,
    NORMALISE,
    REDACT,
    analyse,
    assign_component,
    make_pipeline,
    normalise_text,
    redact,
)


@pytest.fixture()
def language() -> Language:
    """A fresh pipeline with the fast redaction rules and lexical vectors."""
    return make_pipeline(redaction="rules", embeddings="lexical")


def _pins(reports: list[Report], topic_of: dict[str, str], per_topic: int) -> dict[str, str | None]:
    pins: dict[str, str | None] = {}
    for r in reports:
        topic = topic_of[r.id]
        if topic != "noise" and sum(1 for v in pins.values() if v == f"th-{topic}") < per_topic:
            pins[r.id] = f"th-{topic}"
    return pins


def test_pipeline_is_a_blank_dutch_language_with_registered_components(language) -> None:
    assert language.lang == "nl"
    assert language.pipe_names == [NORMALISE, LEMMAS, REDACT, EMBED, ASSIGN]
    for name in language.pipe_names:
        assert Language.has_factory(name)
    doc = language("De huisartsen namen geen nieuwe patiënten aan.")
    assert [t.lemma_ for t in doc][:6] == ["de", "huisarts", "nemen", "geen", "nieuw", "patiënt"]


def test_normalise_strips_invisible_characters_before_redaction(language) -> None:
    text = "Bel me op 06\u200b-1234\u00ad5678 of ２０-１２３４５６７"
    assert normalise_text("a\u200bb\u2060c  \u00a0d") == "abc d"
    cleaned = redact(language, text)
    assert "5678" not in cleaned and "[TELEFOON]" in cleaned
    doc = analyse(language, [text])[0]
    assert doc._.normalised == normalise_text(text) and doc._.redacted == cleaned


def test_analyse_embeds_in_batches_and_assigns_only_with_the_keys_model(
        language, reports: list[Report], topic_of: dict[str, str]) -> None:
    component = assign_component(language)
    model = component.train("almere", reports, _pins(reports, topic_of, 3))
    assert component.trainings == {"almere": 1}
    texts = ["Ik heb al weken kiespijn en geen tandarts die mij wil inschrijven.",
             "Geen parkeerplaats bij het ziekenhuis, weer te laat."]
    before = analyse(language, texts, key="almere", redacted=True)
    assert [d._.theme for d in before] == [None, None]  # trained, but not yet in use
    component.use("almere", 7, model)
    docs = analyse(language, texts, key="almere", redacted=True, batch_size=1)
    assert [d._.theme.theme_id for d in docs] == ["th-tandarts", "th-parkeren"]
    assert all(d._.vector.shape == (512,) and abs(np.linalg.norm(d._.vector) - 1) < 1e-5
               for d in docs)
    other = analyse(language, texts, key="lelystad", redacted=True)
    assert [d._.theme for d in other] == [None, None]  # another region has no model
    assert component.trainings == {"almere": 1}  # predicting never trained
    assert component.model("almere")[0] == 7 and component.model("lelystad") is None


def test_feature_caches_are_per_key_and_per_pipeline(reports: list[Report],
                                                     topic_of: dict[str, str]) -> None:
    first, second = make_pipeline("rules", "lexical"), make_pipeline("rules", "lexical")
    pins = _pins(reports, topic_of, 3)
    a = assign_component(first).train("a", reports, pins)
    b = assign_component(first).train("b", reports, pins)
    c = assign_component(second).train("a", reports, pins)
    again = assign_component(first).train("a", reports, pins)
    assert again.featurizer is a.featurizer  # the key's cache was reused
    assert len({id(a.featurizer), id(b.featurizer), id(c.featurizer)}) == 3


def test_accuracy_is_cross_validated_on_the_people_labels(reports: list[Report],
                                                        topic_of: dict[str, str]) -> None:
    from nlp import train_assigner

    good = train_assigner(reports, _pins(reports, topic_of, 6))
    assert good.accuracy is not None and good.accuracy >= 0.9
    few = train_assigner(reports, _pins(reports, topic_of, 1))
    assert few.trained and few.accuracy is None  # 4 labels: too few to test on
    rng = np.random.default_rng(0)
    shuffled = dict(zip(_pins(reports, topic_of, 6),
                        rng.permutation(list(_pins(reports, topic_of, 6).values())),
                        strict=True))
    bad = train_assigner(reports, shuffled)
    assert bad.accuracy is not None and bad.accuracy < 0.6


def test_redacting_in_one_thread_never_disables_embedding_in_another(language) -> None:
    import threading

    failures: list[str] = []

    def embed_many() -> None:
        for _ in range(30):
            doc = analyse(language, ["De apotheek is dicht."], redacted=True, assign=False)[0]
            if doc._.vector is None:
                failures.append("no vector")

    thread = threading.Thread(target=embed_many)
    thread.start()
    for _ in range(200):
        redact(language, "Bel Jan op 06-12345678.")
    thread.join()
    assert failures == [] and language.pipe_names[-2:] == [EMBED, ASSIGN]
