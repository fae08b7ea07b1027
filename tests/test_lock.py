"""The hashed lock and pyproject.toml must agree, or a fresh clone installs another program."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_lock", ROOT / "requirements/check_lock.py")
assert _spec and _spec.loader
check_lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lock)


@pytest.fixture
def locks(tmp_path: Path) -> Path:
    """A copy of requirements/ and pyproject.toml to break on purpose."""
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _drop_entry(path: Path, name: str) -> None:
    """Delete one package's entry (its pin, hashes and annotations) from a lock file."""
    kept, skipping = [], False
    for line in path.read_text().splitlines(keepends=True):
        if not line.startswith((" ", "\t", "#")):
            skipping = re.match(rf"{re.escape(name)}==", line) is not None
        if not skipping:
            kept.append(line)
    path.write_text("".join(kept))


def _check(root: Path) -> list[str]:
    return check_lock.problems(root / "requirements", root / "pyproject.toml")


def test_lock_agrees_with_pyproject():
    assert check_lock.problems() == []


def test_lock_every_entry_is_pinned_with_hashes():
    for name, entry in check_lock.read_lock(ROOT / "requirements/test.txt").items():
        assert entry["operator"] == "==" and entry["hashes"], name


@pytest.mark.parametrize("name", ["flask", "babel"])
def test_lock_missing_direct_dependency_is_named(locks, name):
    _drop_entry(locks / "requirements/test.txt", name)
    found = _check(locks)
    assert any("test.txt" in p and name in p.lower() and "not locked" in p for p in found), found


def test_lock_missing_transitive_dependency_is_named(locks):
    _drop_entry(locks / "requirements/test.txt", "werkzeug")  # flask's, not ours
    found = _check(locks)
    assert any("werkzeug (needed by flask)" in p for p in found), found


def test_lock_dependency_added_to_pyproject_only_is_named(locks):
    pyproject = locks / "pyproject.toml"
    text = pyproject.read_text().replace('"pyyaml>=6.0,<7",', '"pyyaml>=6.0,<7",\n    "leftpad",')
    pyproject.write_text(text)
    found = _check(locks)
    assert any("leftpad from pyproject.toml is not locked" in p for p in found), found


def test_lock_dependency_removed_from_pyproject_is_named(locks):
    pyproject = locks / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('    "igraph>=0.11,<2",\n', ""))
    found = _check(locks)
    assert any("igraph is no longer in pyproject.toml" in p for p in found), found


def test_lock_version_outside_range_is_named(locks):
    pyproject = locks / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pyyaml>=6.0,<7"', '"pyyaml>=7"'))
    found = _check(locks)
    assert any("pyyaml==" in p and "outside" in p for p in found), found


def test_lock_unpinned_entry_is_named(locks):
    path = locks / "requirements/base.txt"
    text = re.sub(r"^alembic==[^ ]+ \\\n(    --hash=[^\n]+\n)+", "alembic>=1.13\n",
                  path.read_text(), flags=re.M)
    path.write_text(text)
    found = _check(locks)
    assert any("alembic is not pinned" in p for p in found), found


def test_lock_dependency_removed_from_pyproject_is_named_when_shared(locks):
    # babel is both ours and flask-babel's: the lock keeps it, but not as a direct dependency
    pyproject = locks / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('    "babel>=2.14,<3",\n', ""))
    found = _check(locks)
    assert any("babel is no longer in pyproject.toml" in p for p in found), found
