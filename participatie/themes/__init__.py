"""Themes: curation by reviewers and proposals from the nlp library (through bridge.py only)."""

from participatie.themes.bridge import backend_name, on_new_signal, rebuild, search
from participatie.themes.curation import (
    MAX_LABEL,
    PINNED,
    THEME_STATUSES,
    UnclearChoice,
    active_themes,
    choosable_themes,
    decide,
    is_small_id,
    merge,
    new_key,
    new_theme,
    place,
    rename,
    review_queue,
    set_status,
    split,
    target_theme,
)

__all__ = [
    "MAX_LABEL", "PINNED", "THEME_STATUSES", "UnclearChoice", "active_themes", "backend_name",
    "choosable_themes", "decide", "is_small_id", "merge", "new_key", "new_theme",
    "on_new_signal", "place", "rebuild", "rename", "review_queue", "search", "set_status",
    "split", "target_theme",
]
