"""Print Lighthouse scores (performance, accessibility, best practices, SEO) of the public pages.

Run: .venv/bin/python bench/lighthouse.py [--desktop] [--json]

It loads the demo into a throw-away instance, serves it on a free port with `participatie
serve`, and runs Lighthouse 12.2 (bench/lighthouse/package.json, installed there with `npm ci` on
first use) in Debian's Chromium on each page: about 15 s a page, a few minutes in all. Pages that
need a login or a POST are left out; axe, the Nu checker and the keyboard tests cover those.
Lighthouse runs with JavaScript on; the pages work without it, which the browser tests check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "bench" / "lighthouse"
BIN = Path(sys.executable).parent
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = [("/", "home"), ("/formulier/knelpunt", "form, first page"),
         ("/formulier/knelpunt?lang=en", "form, English"),
         ("/formulier/peiling-huisarts", "survey, first page"), ("/status", "status look-up"),
         ("/regio", "what we heard, region"), ("/wijk/waterwijk", "what we heard, wijk"),
         ("/open-data/", "open data"), ("/werkruimte/inloggen", "workspace login")]


def lighthouse() -> Path:
    """Return the Lighthouse command, installing the locked version on first use."""
    found = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not found.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    return found


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_demo(instance: str) -> tuple[subprocess.Popen[bytes], str]:
    """Load the demo and serve it; return the server process and its address once it answers."""
    env = {**os.environ, "PARTICIPATIE_INSTANCE_PATH": instance, "HF_HUB_OFFLINE": "1"}
    subprocess.run([str(BIN / "participatie"), "demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([str(BIN / "participatie"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the demo server did not answer within 2 minutes")


def audit(tool: Path, url: str, desktop: bool, out: Path) -> dict[str, object]:
    """Run Lighthouse on one page; return its category scores (0-100) and what fell short."""
    command = [str(tool), url, "--quiet", "--output=json", f"--output-path={out}",
               "--chrome-flags=--headless=new --no-sandbox",
               "--only-categories=" + ",".join(CATEGORIES)]
    if desktop:
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(out.read_text())
    scores = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
    short = sorted({a["id"] for c in report["categories"].values() for a in c["auditRefs"]
                    if a.get("weight") and (report["audits"][a["id"]].get("score") or 0) < 1
                    and report["audits"][a["id"]].get("score") is not None})
    metrics = report["audits"]
    return {"scores": scores, "short": short,
            "fcp_ms": round(metrics["first-contentful-paint"]["numericValue"]),
            "lcp_ms": round(metrics["largest-contentful-paint"]["numericValue"]),
            "cls": round(metrics["cumulative-layout-shift"]["numericValue"], 3),
            "bytes": round(metrics["total-byte-weight"]["numericValue"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="desktop preset (default: phone)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    tool = lighthouse()
    with tempfile.TemporaryDirectory(prefix="participatie-lighthouse-") as instance:
        server, url = serve_demo(instance)
        try:
            results = {name: audit(tool, url + path, args.desktop, Path(instance) / "lh.json")
                       for path, name in PAGES}
        finally:
            server.terminate()
            server.wait(timeout=30)
    if args.json:
        print(json.dumps({"preset": "desktop" if args.desktop else "mobile", "pages": results},
                         indent=1))
        return
    print(f"Lighthouse 12.2, {'desktop' if args.desktop else 'mobile (Moto G power, slow 4G)'}")
    print(f"{'page':26} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP ms':>7} "
          f"{'LCP ms':>7} {'CLS':>5} {'bytes':>7}  short of 100")
    for name, r in results.items():
        s = r["scores"]
        print(f"{name:26} {s['performance']:>4} {s['accessibility']:>4} "
              f"{s['best-practices']:>4} {s['seo']:>4} {r['fcp_ms']:>7} {r['lcp_ms']:>7} "
              f"{r['cls']:>5} {r['bytes']:>7}  {', '.join(r['short']) or '-'}")


if __name__ == "__main__":
    main()
