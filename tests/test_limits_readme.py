"""The README's production commands do what they say."""

from __future__ import annotations

import re


def _shell_lines(readme: str) -> list[str]:
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_readme_no_environment_assignment_that_reaches_only_the_first_command(project_root):
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    for line in _shell_lines(readme):
        command = line.split("#")[0]
        # `VAR=value cmd && cmd2` sets VAR for cmd only; cmd2 runs without it
        assert not re.search(r"(^|&&|;)\s*[A-Z_]+=\S+\s+\S+.*(&&|;|\|)", command), line


def test_readme_production_recipe_uses_the_gunicorn_config_and_a_shared_store(project_root):
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    assert "gunicorn -c python:participatie.gunicorn_conf 'participatie.wsgi:app'" in readme
    assert "PARTICIPATIE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0" in readme
    assert "PARTICIPATIE_PROXY_HOPS=1" in readme
