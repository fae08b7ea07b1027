"""axe-core and Nu HTML checker (vnu) helpers for browser tests of any area."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
PASSWORD = "een wachtwoord voor de test"  # of the users the browser tests log in as
DESKTOP = {"width": 1280, "height": 800}


_AXE_SOURCE: list[str] = []


def next_page(page: Page) -> None:
    """Press "Volgende" and wait for the page it loads (a check right after sees the new page)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende", exact=True).click()


def to_contact_step(page: Page, text: str) -> None:
    """Answer the knelpunt form (open at its first step) up to the contact question."""
    page.get_by_label("In welke wijk gaat het mis?").select_option("haven")
    next_page(page)
    page.get_by_label("Wat gaat er mis?").fill(text)
    next_page(page)
    page.get_by_label("Huisarts", exact=True).check()
    next_page(page)
    page.get_by_label("Vaak", exact=True).check()
    page.get_by_label("4 Heel erg").check()
    next_page(page)
    page.get_by_label("Mantelzorger (ik zorg voor iemand)").check()
    next_page(page)


def axe_violations(page: Page, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page; return the violations as {id, impact, help, targets}."""
    # with JavaScript off page.evaluate never returns: fail at once instead of hanging the run
    assert getattr(page, "javascript_enabled", True), \
        "axe needs JavaScript: open the page with new_page(block_scripts=True) instead"
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SOURCE[0])
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags or AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def vnu_errors(html_by_name: dict[str, str]) -> dict[str, list[str]]:
    """Validate many HTML documents in one Nu HTML checker run; return errors by name."""
    with tempfile.TemporaryDirectory(prefix="participatie-vnu-") as folder:
        paths = {}
        for number, (name, html) in enumerate(html_by_name.items()):
            path = Path(folder) / f"{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.name] = name
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--errors-only",
             *[str(Path(folder) / f"{n:03d}.html") for n in range(len(paths))]],
            capture_output=True, text=True, timeout=180,
        )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stdout or '{"messages": []}')["messages"]:
        if message.get("type") == "error":
            url = message.get("url", "?")
            name = paths.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message.get('message')}")
    return errors
