"""Audit: theme and survey-group keywords read as words, never as the lemmatizer's codes."""

from __future__ import annotations

from nlp.describe import label_from
from nlp.model import Report
from nlp.themes import rebuild

WEBSITE = ["De website van de huisarts werkt niet.", "Op de website kan ik geen afspraak maken.",
           "De website van de praktijk is altijd stuk.", "Ik kan op de website niet inloggen.",
           "De website geeft steeds een foutmelding.",
           "Via de website lukt een herhaalrecept niet."]
PHONE = ["De telefoon wordt nooit opgenomen.", "Ik hang een uur aan de telefoon.",
         "De assistente neemt de telefoon niet op.", "Bellen met de praktijk lukt nooit.",
         "Telefonisch is de huisarts onbereikbaar.", "De telefoon is steeds in gesprek."]


def test_keywords_and_labels_have_no_lemma_underscores():
    # simplemma lemmatizes "website" to "web_site"; reviewers saw that in keywords and labels
    build = rebuild([Report(id=str(i), text=t) for i, t in enumerate(WEBSITE + PHONE)])
    keywords = [k for theme in build.themes for k in theme.keywords]
    labels = [theme.label for theme in build.themes]
    assert "website" in keywords
    assert not [k for k in keywords if "_" in k], keywords
    assert not [label for label in labels if "_" in label], labels


def test_the_fallback_label_writes_keywords_as_words():
    assert label_from(["web_site", "afspraak", "op_bellen"]) == "Website, afspraak, opbellen"


def test_keywords_after_merge_or_split_are_words_too():
    import numpy as np

    from nlp.describe import describe_one

    keywords, _label = describe_one(WEBSITE + PHONE, np.arange(12) < 6)
    assert "website" in keywords and not [k for k in keywords if "_" in k], keywords
