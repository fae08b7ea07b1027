"""Offline Dutch NLP for participatie: redaction, embeddings, themes, assignment and search.

Pure library: plain data in and out (str ids chosen by the caller, dataclasses, numpy arrays).
`nlp.pipeline.make_pipeline()` puts it together as a spaCy Language (the stateful object).
"""

from nlp.assign import REVIEW_THRESHOLD, Assigner, member_examples, train_assigner
from nlp.embed import DEFAULT_BACKEND, Embedder, embed, from_bytes, get_embedder, to_bytes
from nlp.features import FeatureCache
from nlp.identity import default_id_factory
from nlp.model import (
    Assignment,
    Curation,
    Member,
    Quote,
    Report,
    Theme,
    ThemeBuild,
    ThemeState,
)
from nlp.noise import is_noise
from nlp.redact import Redactor, redact
from nlp.search import SearchIndex
from nlp.themes import rebuild

__all__ = [
    "DEFAULT_BACKEND", "REVIEW_THRESHOLD", "Assigner", "Assignment", "Curation", "Embedder",
    "FeatureCache", "Member", "Quote", "Redactor", "Report", "SearchIndex", "Theme", "ThemeBuild",
    "ThemeState", "default_id_factory", "embed", "from_bytes", "get_embedder", "is_noise",
    "member_examples", "rebuild", "redact", "to_bytes", "train_assigner",
]
