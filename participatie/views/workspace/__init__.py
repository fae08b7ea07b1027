"""The review workspace for the ASD and the kernteams (url prefix /werkruimte)."""

from participatie.views.workspace import (
    admin,
    agenda,
    dossiers,
    downloads,
    publishing,
    queue,
    reports,
    search,
    themes,
    wijken,
)
from participatie.views.workspace.common import bp

__all__ = [
    "admin", "agenda", "bp", "dossiers", "downloads", "publishing", "queue", "reports", "search",
    "themes",
    "wijken",
]
