"""Print the bytes each public page costs (HTML + CSS + JS), raw and gzipped; budget 40 KB,
and how long a submission takes: the first one after start (as `participatie serve` starts: the
redactor warms up in the background while the resident fills in the form) and the median.

Run: .venv/bin/python bench/pages.py   (uses a throw-away SQLite database; about a minute,
most of it loading the redactor once)
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PARTICIPATIE_INSTANCE_PATH", tempfile.mkdtemp(prefix="participatie-bench-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from participatie import create_app, db, migrate  # noqa: E402
from participatie.intake import warm_up  # noqa: E402
from participatie.seeding import seed  # noqa: E402
from tests.formfill import Filler, fill_knelpunt  # noqa: E402

BUDGET = 40 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def pages(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Visit every public page once, in its usual and its error state; return HTML by name."""
    found = {}
    for path, name in [("/", "home"), ("/status", "status lookup"),
                       ("/status?code=xx", "status lookup, error"), ("/bestaat-niet", "404")]:
        found[name] = client.get(path).get_data(as_text=True)
    for form_id in ("knelpunt", "clientenraad", "peiling-huisarts"):
        filler = Filler(client, form_id)
        found[f"{form_id}, first page"] = filler.html
        filler.send()
        found[f"{form_id}, first page with errors"] = filler.html
    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Cliëntenraad", geraadpleegd="10")
    text = "Cliënten wachten weken op een plek bij de fysiotherapie in de wijk. " * 4
    for i in range(9):
        filler.send("add-knelpunten", **{f"knelpunten__{i}__wijken": ["haven", "waterwijk"],
                                         f"knelpunten__{i}__beschrijving": text,
                                         f"knelpunten__{i}__zorg": "fysio"})
    found["clientenraad, 9 knelpunten + 1 open"] = filler.html
    filler = fill_knelpunt(client)
    found["knelpunt, check page"] = filler.html
    response = filler.send("submit")
    found["knelpunt, confirmation"] = client.get(response.headers["Location"]).get_data(
        as_text=True)
    code = re.search(r'aria-hidden="true">([A-Z0-9-]+)<', found["knelpunt, confirmation"]).group(1)
    found["status page"] = client.get(f"/status/{code}").get_data(as_text=True)
    found["withdraw page"] = client.get(f"/status/{code}/intrekken").get_data(as_text=True)
    return found


def submission_times(app, client, runs: int = 7) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Time the submit request: the first after start (warmed up as `participatie serve` and
    the gunicorn entry point do), and the median. Returns (warm-up, first, median) in seconds.
    """
    start = time.perf_counter()
    with app.app_context():
        warm_up()
    warm = time.perf_counter() - start
    times = []
    for _ in range(runs):
        filler = fill_knelpunt(client)
        start = time.perf_counter()
        response = filler.send("submit")
        times.append(time.perf_counter() - start)
        assert response.status_code == 303, response.status_code
    return warm, times[0], statistics.median(times)


def main() -> int:
    """Print one line per page and the submission times; exit 1 when a page is over budget."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db",
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})
    with app.app_context():
        migrate.upgrade(db.engine())
        seed(db.session())
        db.session().commit()
    client = app.test_client()
    warm, first, median = submission_times(app, client)
    print(f"warm-up at start {warm:.1f} s; knelpunt submission: "
          f"first {first * 1000:.0f} ms, median {median * 1000:.0f} ms")
    over = 0
    print(f"{'page':40} {'html':>7} {'css+js':>7} {'total':>7} {'gzip':>7}")
    for name, html in pages(app.test_client()).items():
        assets = []
        for path in sorted(set(ASSET.findall(html))):
            with client.get(path) as response:
                assets.append(response.get_data())
        raw = [html.encode(), *assets]
        total, zipped = sum(map(len, raw)), sum(len(gzip.compress(part)) for part in raw)
        over += total > BUDGET
        print(f"{name:40} {len(raw[0]):7,} {total - len(raw[0]):7,} {total:7,} {zipped:7,}"
              f"{'  OVER BUDGET' if total > BUDGET else ''}")
    print(f"budget {BUDGET:,} bytes per page (uncompressed); {over} page(s) over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
