"""Plain data exchanged with the web app: reports in, curation state in, themes out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Report:
    """One redacted report as stored: caller's id, text, stored vector, wijken and disciplines."""

    id: str
    text: str
    vector: np.ndarray | None = None
    wijken: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeState:
    """What reviewers set on an existing theme; a rebuild keeps all of it."""

    id: str
    label: str | None = None
    status: str | None = None
    merged_into: str | None = None


@dataclass
class Curation:
    """Reviewers' decisions plus the previous build's membership."""

    pins: dict[str, str | None] = field(default_factory=dict)
    themes: list[ThemeState] = field(default_factory=list)
    previous: dict[str, str | None] = field(default_factory=dict)

    def resolve(self, theme_id: str | None) -> str | None:
        """Follow merges to the theme that now holds a theme's reports."""
        merged = self._merged()
        if theme_id not in merged:
            return theme_id
        seen: set[str] = set()
        while theme_id in merged and theme_id not in seen:
            seen.add(theme_id)
            theme_id = merged[theme_id]
        return theme_id

    def _merged(self) -> dict[str, str]:
        key = tuple((t.id, t.merged_into) for t in self.themes if t.merged_into)
        if getattr(self, "_merged_key", None) != key:
            self._merged_key = key
            self._merged_map = dict(key)
        return self._merged_map


@dataclass(frozen=True)
class Member:
    """A report in a theme, how sure the model is, and whether a person put it there."""

    report_id: str
    confidence: float
    pinned: bool = False


@dataclass(frozen=True)
class Quote:
    """A representative (redacted) report of a theme."""

    report_id: str
    text: str


@dataclass
class Theme:
    """A proposed or curated theme with its description and members."""

    id: str
    label: str
    keywords: list[str]
    quotes: list[Quote]
    members: list[Member]
    wijken: dict[str, int]
    disciplines: dict[str, int]
    label_by_reviewer: bool = False
    status: str | None = None
    is_new: bool = False


@dataclass
class ThemeBuild:
    """The result of a rebuild: themes with stable ids and the 'overig' report ids."""

    themes: list[Theme]
    overig: list[str]

    def membership(self) -> dict[str, str | None]:
        """Return report id -> theme id (None for overig), to store as the next 'previous'."""
        out: dict[str, str | None] = dict.fromkeys(self.overig)
        for theme in self.themes:
            out.update((m.report_id, theme.id) for m in theme.members)
        return out


@dataclass(frozen=True)
class Assignment:
    """Where a new report goes: a theme id (None: overig) with a confidence, or to review."""

    theme_id: str | None
    confidence: float
    needs_review: bool
