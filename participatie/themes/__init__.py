"""Themes: curation by reviewers and proposals from the nlp library (through bridge.py only)."""

from participatie.themes.bridge import (
    Found,
    backend_name,
    highlight,
    keeps,
    on_new_signal,
    rebuild,
    search,
    similar,
)
from participatie.themes.curation import (
    MAX_LABEL,
    PINNED,
    THEME_STATUSES,
    UnclearChoice,
    active_themes,
    can_undo,
    choosable_themes,
    decide,
    history,
    is_small_id,
    merge,
    new_key,
    new_theme,
    place,
    recompute_keywords,
    rename,
    review_queue,
    set_status,
    split,
    target_theme,
    undo,
)

__all__ = [
    "MAX_LABEL", "PINNED", "THEME_STATUSES", "Found", "UnclearChoice", "active_themes",
    "backend_name", "can_undo", "choosable_themes", "decide", "highlight", "history",
    "is_small_id", "keeps", "merge", "new_key", "new_theme", "on_new_signal", "place",
    "rebuild", "recompute_keywords", "rename", "review_queue", "search", "set_status", "similar",
    "split", "target_theme", "undo",
]
