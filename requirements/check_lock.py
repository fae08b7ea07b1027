"""Check that pyproject.toml and the hashed lock files in requirements/ agree.

Run with the project's venv python after installing a lock (it needs `packaging`):
    .venv/bin/python requirements/check_lock.py
Exits 1 and names every disagreement: a dependency declared in pyproject.toml that a lock lacks
or pins outside its range, a lock entry that is not pinned with `==` or has no hash, a direct entry
that pyproject.toml no longer declares, and a dependency of a locked package that the lock lacks.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# lock file -> the optional-dependency sets of pyproject.toml it covers besides the base set
LOCKS: dict[str, tuple[str, ...]] = {"base.txt": (), "test.txt": ("test",),
                                     "bench.txt": ("test", "bench")}
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(==|@|>=|<=|~=|>|<|!=)?"
                   r"\s*([^\s\\;]*)")
DIRECT = "participatie (pyproject.toml)"


def read_lock(path: Path) -> dict[str, dict[str, object]]:
    """Parse a uv/pip-tools lock into {name: {version, operator, hashes, via, line}}."""
    entries: dict[str, dict[str, object]] = {}
    current: dict[str, object] | None = None
    in_via = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not raw.startswith((" ", "\t", "#")):
            match = ENTRY.match(line)
            if match is None:
                raise ValueError(f"{path}:{number}: cannot read {line!r}")
            current = {"version": match.group(4), "operator": match.group(3) or "",
                       "hashes": [], "via": [], "line": number}
            entries[canonicalize_name(match.group(1))] = current
            in_via = False
        elif current is not None and line.startswith("--hash="):
            current["hashes"].append(line.split("=", 1)[1].rstrip(" \\"))  # type: ignore[union-attr]
        elif current is not None and line.startswith("# via"):
            via = line.removeprefix("# via").strip()
            in_via = True
            current["via"] += [v.strip() for v in via.split(", ") if v.strip()]  # type: ignore[operator]
        elif current is not None and in_via and line.startswith("#"):
            current["via"].append(line.lstrip("# ").strip())  # type: ignore[union-attr]
    return entries


def declared(extras: tuple[str, ...], pyproject: Path) -> list[Requirement]:
    """Return the requirements pyproject.toml declares for the base set plus extras."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return found


def _closure_gaps(roots: list[Requirement], locked: dict[str, dict[str, object]]) -> list[str]:
    """Name dependencies of installed locked packages (with their extras) that the lock lacks."""
    gaps: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(canonicalize_name(r.name), extra) for r in roots for extra in ("", *r.extras)
            if r.marker is None or r.marker.evaluate()]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen or name not in locked:
            continue
        seen.add((name, extra))
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # not installed here: pip --require-hashes still checks it at install
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(
                    {"extra": extra}):
                continue
            target = canonicalize_name(requirement.name)
            if target not in locked:
                gaps.append(f"{target} (needed by {name}{f'[{extra}]' if extra else ''})")
            todo += [(target, e) for e in ("", *requirement.extras)]
    return sorted(set(gaps))


def problems(lock_dir: Path | None = None, pyproject: Path | None = None) -> list[str]:
    """List every way pyproject.toml and the lock files disagree."""
    lock_dir = lock_dir or ROOT / "requirements"
    pyproject = pyproject or ROOT / "pyproject.toml"
    found: list[str] = []
    for filename, extras in LOCKS.items():
        path = lock_dir / filename
        if not path.exists():
            found.append(f"{path}: missing; run `make lock`")
            continue
        locked = read_lock(path)
        wanted = declared(extras, pyproject)
        names = {canonicalize_name(r.name) for r in wanted}
        for name, entry in sorted(locked.items()):
            if entry["operator"] != "==" or not entry["hashes"]:
                found.append(f"{path}:{entry['line']}: {name} is not pinned with == and a hash")
            if DIRECT in entry["via"] and name not in names:  # type: ignore[operator]
                found.append(f"{path}:{entry['line']}: {name} is no longer in pyproject.toml")
        for requirement in wanted:
            if requirement.marker is not None and not requirement.marker.evaluate():
                continue
            entry = locked.get(canonicalize_name(requirement.name))
            if entry is None:
                found.append(f"{path}: {requirement} from pyproject.toml is not locked")
            elif not requirement.specifier.contains(str(entry["version"]), prereleases=True):
                found.append(f"{path}:{entry['line']}: {requirement.name}=={entry['version']} "
                             f"is outside pyproject.toml's {requirement.specifier}")
        if filename in ("base.txt", "test.txt"):  # the sets installed here
            found += [f"{path}: {gap} is not locked" for gap in _closure_gaps(wanted, locked)]
    return found


def main() -> int:
    """Print the disagreements and exit 1 when there are any."""
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print("pyproject.toml and requirements/ disagree: run `make lock`", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
