"""Themes: curation by reviewers and proposals from the nlp library (through bridge.py only)."""

from participatie.themes.bridge import (
    Found,
    backend_name,
    highlight,
    on_new_signal,
    rebuild,
    search,
    similar,
)
from participatie.themes.curation import (
    PINNED,
    THEME_STATUSES,
    active_themes,
    decide,
    merge,
    new_key,
    new_theme,
    place,
    rename,
    review_queue,
    set_status,
    split,
)

__all__ = [
    "PINNED", "THEME_STATUSES", "Found", "active_themes", "backend_name", "decide", "highlight",
    "merge", "new_key", "new_theme", "on_new_signal", "place", "rebuild", "rename",
    "review_queue", "search", "set_status", "similar", "split",
]
