"""The command line: `python -m nlp redact` is a line-by-line filter."""

from __future__ import annotations

import subprocess
import sys


def test_redact_cli_reads_lines_and_writes_lines() -> None:
    lines = "Bel 06-12345678 aub\nGeen gegevens hier\nmail a@b.nl\n"
    result = subprocess.run([sys.executable, "-m", "nlp", "redact", "--mode", "rules"],
                            input=lines, capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == ["Bel [TELEFOON] aub", "Geen gegevens hier",
                                          "mail [EMAIL]"]


def test_cli_refuses_unknown_command() -> None:
    result = subprocess.run([sys.executable, "-m", "nlp", "nonsense"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
