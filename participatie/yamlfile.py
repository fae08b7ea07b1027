"""Read YAML data files so that every problem can name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DefinitionError(ValueError):
    """A data file is broken; str() reads like 'forms/knelpunt.yaml, line 12: problem'."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {problem}")


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on (1-based)."""

    line: int = 0
    lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that remembers the line of each item (1-based)."""

    line: int = 0
    lines: list[int]


# libyaml's parser (when PyYAML has it) keeps the line marks and parses ten times faster
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict(super().construct_mapping(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = {
            k.value: v.start_mark.line + 1 for k, v in node.value if hasattr(k, "value")
        }
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(super().construct_sequence(node, deep=True))
        result.line = node.start_mark.line + 1
        result.lines = [item.start_mark.line + 1 for item in node.value]
        return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)


def load(path: Path | str) -> Any:
    """Parse a YAML file; syntax errors become a DefinitionError with the line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise DefinitionError(path, line, f"not valid YAML ({error.problem})") from None
    except UnicodeDecodeError:
        raise DefinitionError(path, None, "not UTF-8 text") from None


def require(entry: Any, key: str, kind: type | tuple[type, ...], path: Path | str) -> Any:
    """Return entry[key]; raise naming the line when it is missing or of the wrong kind."""
    if not isinstance(entry, dict):
        raise DefinitionError(path, getattr(entry, "line", None), "expected a mapping (key: value)")
    line = getattr(entry, "lines", {}).get(key, getattr(entry, "line", None))
    if key not in entry:
        raise DefinitionError(path, getattr(entry, "line", None), f"'{key}' is missing")
    if not isinstance(entry[key], kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DefinitionError(path, line, f"'{key}' should be {names}, not {entry[key]!r}")
    return entry[key]
