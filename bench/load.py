"""A bounded load and fault run of the resident flow on gunicorn + PostgreSQL; prints one JSON line.

Run: .venv/bin/python bench/load.py [--seconds 60] [--concurrency 6] [--workers 3]
                                    [--database-url URL] [--themes-at-intake true|false]
                                    [--prefill N] [--redaction deduce|rules] [--keep-log FILE]

--prefill N stores N made-up reports and rebuilds the themes first, so the workers have an assigner
to train (the case of issue 11: after a rebuild every worker retrained inside a request).

Everything runs on 127.0.0.1 and stops by itself. Without --database-url it starts a throw-away
PostgreSQL like .ci/run does (as the postgres user when run as root), and a throw-away Redis for the
rate-limit counters when redis-server is installed. It then

1. measures a bare Flask app (the same number of requests per "submission", trivial handlers) under
   the same gunicorn settings for a few seconds: the yardstick for `bare_flask_ratio`;
2. serves participatie with the production recipe (`gunicorn -c python:participatie.gunicorn_conf`,
   PARTICIPATIE_ENV=production) and lets `--concurrency` residents fill in and send the knelpunt
   form page by page (GET, five pages, the check page, send, the confirmation with the code) for
   `--seconds`; a resident whose send gets an error retries it like a person would (every 0.5 s);
3. on the way: kills a worker with SIGKILL (at 1/5), runs `participatie themes rebuild --now`
   (at 2/5; `participatie jobs worker` runs beside gunicorn and retrains, as in production),
   reloads gunicorn with SIGHUP (at 3/5), and restarts PostgreSQL (at 4/5; only the one it started);
4. compares the codes residents were given (acknowledged) with what the database holds (stored).

Output keys: acknowledged, stored, lost, server_errors (5xx other than the friendly 503 page),
connection_errors (resets, e.g. the request the killed worker was serving), friendly_503,
max_gap_seconds (longest time without a completed submission, including before the first and
after the last), submissions_per_s, p50/p95_submission_ms (the send
request: POST on the check page until its redirect), p95_flow_ms (a whole form), bare_flask_ratio
(submissions_per_s / the bare app's flows per second), the fault times and the settings used.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tests.formfill import _Controls  # noqa: E402

HOST = "127.0.0.1"
TEXTS = [
    "De huisarts in de wijk neemt al weken de telefoon niet op en er is geen spreekuur meer.",
    "Mijn vader wacht al drie maanden op een plek bij de fysiotherapeut in de buurt.",
    "De apotheek is vaak dicht en de medicijnen van mijn moeder zijn dan niet op tijd klaar.",
    "Voor de wijkverpleging is een wachtlijst, zodat mijn buurvrouw alleen thuis zit.",
    "Er is geen tandarts in de wijk die nog nieuwe patiënten aanneemt, ook niet voor kinderen.",
]
BARE_APP = '''
from flask import Flask, redirect, request
app = Flask(__name__)
PAGE = ("<html><body><form method=post><input type=hidden name=state value='{}'>"
        + "x" * 4000 + "</form></body></html>")
@app.route("/form", methods=["GET", "POST"])
def form():
    if request.method == "POST" and request.form.get("action") == "submit":
        return redirect("/done", code=303)
    return PAGE
@app.get("/done")
def done():
    return "<p class=code>ABCD-EFGH</p>"
'''


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_http(url: str, seconds: float = 180) -> None:
    """Wait until url answers (any HTTP status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class Postgres:
    """A throw-away PostgreSQL on loopback, run as the postgres user when we are root."""

    def __init__(self) -> None:
        initdb = shutil.which("initdb") or next(iter(sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)), None)
        if initdb is None:
            raise RuntimeError("no PostgreSQL found: install postgresql or pass --database-url")
        self.bin = Path(initdb).parent
        self.dir = Path(tempfile.mkdtemp(prefix="participatie-load-pg-"))
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "participatie")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        """Return the SQLAlchemy URL."""
        return f"postgresql+psycopg://participatie@{HOST}:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait for it."""
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-l", f"{self.dir}/log", "-o",
                  f"-k {self.dir} -p {self.port} -c listen_addresses={HOST} -c fsync=off "
                  "-c max_connections=200", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server."""
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        """Stop the server and delete its files."""
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def start_redis() -> tuple[subprocess.Popen[bytes] | None, str | None]:
    """Start a throw-away Redis on loopback when redis-server is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", HOST, "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"redis://{HOST}:{port}/0"


def gunicorn(app: str, env: dict[str, str], workers: int, port: int, log: Path,
             chdir: str | None = None, config: bool = True) -> subprocess.Popen[bytes]:
    """Start gunicorn on loopback with the given app."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers),
               "--bind", f"{HOST}:{port}", "--timeout", "60"]
    if config:
        command += ["-c", "python:participatie.gunicorn_conf"]
    if chdir:
        command += ["--chdir", chdir]
    return subprocess.Popen([*command, app], env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def children(pid: int) -> list[int]:
    """Return the process ids whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class Tally:
    """What the residents saw, shared by the threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: list[tuple[float, str]] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    friendly_503: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    abandoned: int = 0

    def count(self, what: str) -> None:
        """Count one response by status."""
        with self.lock:
            self.status[what] = self.status.get(what, 0) + 1


class Resident:
    """One person filling in the knelpunt form in a browser-like client (cookies, hidden fields)."""

    def __init__(self, base: str, tally: Tally, number: int) -> None:
        self.base, self.tally, self.number = base, tally, number
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())
        self.html = ""

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """Do one request; return (status, body, Location) and count errors."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=90) as response:
                status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        except OSError:
            with self.tally.lock:
                self.tally.connection_errors += 1
            self.tally.count("connection error")
            return 0, "", ""
        self.tally.count(str(status))
        if status >= 500:
            with self.tally.lock:
                if status == 503 and '<html lang="' in text:
                    self.tally.friendly_503 += 1
                else:
                    self.tally.server_errors += 1
        return status, text, location

    def send(self, action: str, **fields: str | list[str]) -> tuple[int, str]:
        """Press a button on the current page after filling in fields."""
        parser = _Controls()
        parser.feed(self.html)
        values = [(k, v) for k, v in parser.values if k.replace("-", "__") not in fields]
        for key, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                values.append((key.replace("__", "-"), item))
        values.append(("action", action))
        status, text, location = self.request("/formulier/knelpunt", values)
        if status in (200, 400):
            self.html = text
        return status, location

    def fill_and_send(self, stop_at: float) -> None:
        """Fill in the form and send it, retrying a failed step until stop_at."""
        started = time.monotonic()
        while True:
            status, self.html, _ = self.request("/formulier/knelpunt")
            if status == 200:
                break
            if time.monotonic() > stop_at:
                return
            time.sleep(0.5)
        text = TEXTS[self.number % len(TEXTS)] + f" (melding {self.number})"
        steps = [{"wijk": "haven" if self.number % 2 else "waterwijk"},
                 {"wat": text, "zorg": ["huisartsen"]},
                 {"hoe_vaak": "vaak", "hoe_erg": "3"},
                 {"wie": "inwoner", "leeftijd": "40-64"},
                 {"contact__consent": "no"}]
        for fields in steps:
            while True:
                status, _ = self.send("next", **fields)
                if status == 200:
                    break
                if time.monotonic() > stop_at or status in (400, 404):
                    with self.tally.lock:
                        self.tally.abandoned += 1
                    return
                time.sleep(0.5)
        while True:  # the check page: send, and when that fails press "send" again
            sent_at = time.monotonic()
            status, location = self.send("submit")
            if status == 303 and location:
                break
            if time.monotonic() > stop_at + 30 or status in (400, 404, 429):
                with self.tally.lock:
                    self.tally.abandoned += 1
                return
            time.sleep(0.5)
        submit_ms = (time.monotonic() - sent_at) * 1000
        for _attempt in range(60):
            status, page, _ = self.request(urllib.parse.urlsplit(location).path)
            found = re.search(r'<p class="code"><span aria-hidden="true">([A-Z0-9-]+)</span>', page)
            if status == 200 and found:
                with self.tally.lock:
                    self.tally.codes.append((time.monotonic(), found.group(1)))
                    self.tally.submit_ms.append(submit_ms)
                    self.tally.flow_ms.append((time.monotonic() - started) * 1000)
                return
            time.sleep(0.5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def run_residents(base: str, concurrency: int, seconds: float,
                  events: list[tuple[float, Any]]) -> tuple[Tally, float, float]:
    """Let residents send forms for seconds while the events fire; return the tally and times."""
    tally, counter, lock = Tally(), [0], threading.Lock()
    start = time.monotonic()
    stop_at = start + seconds

    def resident_loop() -> None:
        while time.monotonic() < stop_at:
            with lock:
                counter[0] += 1
                number = counter[0]
            Resident(base, tally, number).fill_and_send(stop_at)

    threads = [threading.Thread(target=resident_loop, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for at, action in sorted(events, key=lambda e: e[0]):
        time.sleep(max(0.0, start + at - time.monotonic()))
        action()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally, start, time.monotonic()


def bare_rate(env: dict[str, str], workers: int, concurrency: int, seconds: float,
              workdir: Path) -> float:
    """Return flows per second of a bare Flask app with as many requests per flow."""
    (workdir / "bare.py").write_text(BARE_APP)
    port = free_port()
    server = gunicorn("bare:app", env, workers, port, workdir / "bare.log", chdir=str(workdir),
                      config=False)
    try:
        wait_http(f"http://{HOST}:{port}/form", 60)
        done, lock = [0], threading.Lock()
        stop_at = time.monotonic() + seconds

        def loop() -> None:
            opener = urllib.request.build_opener(_NoRedirect())
            while time.monotonic() < stop_at:
                base = f"http://{HOST}:{port}"
                opener.open(base + "/form", timeout=30).read()
                for _step in range(6):  # the five pages and the check page
                    opener.open(base + "/form", b"state=%7B%7D&action=next", timeout=30).read()
                try:
                    opener.open(base + "/form", b"action=submit", timeout=30)
                except urllib.error.HTTPError as redirect:
                    assert redirect.code == 303
                opener.open(base + "/done", timeout=30).read()
                with lock:
                    done[0] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return done[0] / (time.monotonic() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def prepare_database(url: str, env: dict[str, str]) -> None:
    """Migrate and seed the database with the participatie command."""
    for args in (["db", "upgrade"], ["seed"]):
        subprocess.run([sys.executable, "-c", "from participatie.cli import main; main()", *args],
                       env=env, check=True, stdout=subprocess.DEVNULL)


PREFILL = """
import random, sys
from sqlalchemy import select
from participatie import create_app, db
from participatie.models import Region
from participatie.signals import Intake, KnelpuntInput, record_submission
WHAT = ["de huisarts", "de fysiotherapeut", "de apotheek", "de wijkverpleging", "de tandarts",
        "de psycholoog", "het wijkteam", "de thuiszorg", "de POH-GGZ", "de dagbesteding"]
WHY = ["neemt de telefoon niet op", "heeft een wachtlijst van maanden", "is vaak dicht",
       "komt te laat", "neemt geen nieuwe patienten aan", "heeft te weinig tijd",
       "stuurt ons van het kastje naar de muur", "is niet bereikbaar in het weekend"]
rng = random.Random(11)
app = create_app()
with app.app_context():
    session = db.session()
    region = session.scalar(select(Region))
    for n in range(int(sys.argv[1])):
        text = (f"In onze wijk: {rng.choice(WHAT)} {rng.choice(WHY)}, en {rng.choice(WHAT)} "
                f"{rng.choice(WHY)}. Dat gaat al lang zo (melding {n}).")
        record_submission(session, Intake(redact=lambda t: t), region, form_id="knelpunt",
                          form_version=1, answers={}, knelpunten=[KnelpuntInput(
                              text=text, wijk_slugs=[rng.choice(["haven", "waterwijk"])])])
    session.commit()
"""


def prefill(env: dict[str, str], reports: int) -> None:
    """Store reports straight in the database (no redaction: made-up texts), then rebuild themes."""
    subprocess.run([sys.executable, "-c", PREFILL, str(reports)], env=env, check=True)
    for command in (["themes", "rebuild", "--now"], ["themes", "train", "--now"]):
        subprocess.run([sys.executable, "-c", "from participatie.cli import main; main()",
                        *command], env=env, check=True, stdout=subprocess.DEVNULL)


def stored_codes(url: str, codes: list[str]) -> int:
    """Count how many of the codes the database holds (complete: with their report text)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT s.reference FROM submissions s JOIN signals g ON g.submission_id = s.id "
            "WHERE g.text <> ''")).scalars().all()
    engine.dispose()
    return len(set(codes) & set(rows))


def percentile(values: list[float], q: float) -> float | None:
    """Return the q-th percentile (0-100) or None without values."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def main() -> int:
    """Run the load and fault test and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--themes-at-intake", choices=("true", "false"))
    parser.add_argument("--redaction", default="deduce", choices=("deduce", "rules"))
    parser.add_argument("--prefill", type=int, default=0,
                        help="store this many reports and rebuild the themes before the run")
    parser.add_argument("--keep-log", help="copy gunicorn's log (errors, worker restarts) here")
    parser.add_argument("--bare-seconds", type=float, default=None,
                        help="how long to measure the bare Flask app (default: seconds/6, 5-15)")
    options = parser.parse_args()
    seconds = max(10.0, options.seconds)
    workdir = Path(tempfile.mkdtemp(prefix="participatie-load-"))
    postgres = None if options.database_url else Postgres()
    url = options.database_url or postgres.url  # type: ignore[union-attr]
    redis, redis_url = start_redis()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PARTICIPATIE_") and k != "WEB_CONCURRENCY"}
    env.update({
        "HF_HUB_OFFLINE": "1", "PARTICIPATIE_DATABASE_URL": url,
        "PARTICIPATIE_SECRET_KEY": "load-" + "x" * 40, "PARTICIPATIE_INSTANCE_PATH": str(workdir),
        "PARTICIPATIE_REDACTION": options.redaction, "WEB_CONCURRENCY": str(options.workers),
        # the residents all come from 127.0.0.1: limits high enough never to bite
        "PARTICIPATIE_RATELIMIT_SUBMISSIONS": "1000000 per hour",
        "PARTICIPATIE_RATELIMIT_LOOKUPS": "1000000 per minute",
        # the bench talks plain HTTP on loopback; in production a TLS proxy is in front
        "PARTICIPATIE_SESSION_COOKIE_SECURE": "false"})
    if redis_url:
        env.update(PARTICIPATIE_ENV="production", PARTICIPATIE_RATELIMIT_STORAGE_URI=redis_url)
    if options.themes_at_intake:
        env["PARTICIPATIE_THEMES_AT_INTAKE"] = options.themes_at_intake
    server = None
    jobs_worker: subprocess.Popen[bytes] | None = None
    faults: dict[str, float | str] = {}
    try:
        prepare_database(url, env)
        if options.prefill:
            prefill(env, options.prefill)
        bare_seconds = options.bare_seconds or min(15.0, max(5.0, seconds / 6))
        bare = bare_rate(env, options.workers, options.concurrency, bare_seconds, workdir)
        port = free_port()
        base = f"http://{HOST}:{port}"
        boot = time.monotonic()
        server = gunicorn("participatie.wsgi:app", env, options.workers, port,
                          workdir / "gunicorn.log")
        wait_http(base + "/healthz")
        boot_seconds = time.monotonic() - boot
        # training runs beside gunicorn, as in production (`participatie jobs worker`)
        jobs_worker = subprocess.Popen(
            [sys.executable, "-c", "from participatie.cli import main; main()", "jobs", "worker"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run_start = [0.0]

        def mark(name: str) -> None:
            faults[name] = round(time.monotonic() - run_start[0], 1)

        def kill_worker() -> None:
            workers = children(server.pid)  # type: ignore[union-attr]
            if workers:
                os.kill(workers[0], signal.SIGKILL)
            mark("worker_killed_at")

        def rebuild() -> None:
            mark("themes_rebuild_at")
            subprocess.Popen([sys.executable, "-c", "from participatie.cli import main; main()",
                              "themes", "rebuild", "--now"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)

        def reload() -> None:
            os.kill(server.pid, signal.SIGHUP)  # type: ignore[union-attr]
            mark("reload_at")

        def restart_database() -> None:
            if postgres is None:
                faults["database_restart"] = "skipped (--database-url)"
                return
            mark("database_stopped_at")
            postgres.stop("fast")
            time.sleep(2)
            postgres.start()
            mark("database_started_at")

        events = [(seconds / 5, kill_worker), (2 * seconds / 5, rebuild),
                  (3 * seconds / 5, reload), (4 * seconds / 5, restart_database)]
        run_start[0] = time.monotonic()
        tally, start, end = run_residents(base, options.concurrency, seconds, events)
        codes = [code for _, code in tally.codes]
        stored = stored_codes(url, codes)
        moments = [start] + sorted(t for t, _ in tally.codes) + [min(end, start + seconds)]
        gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
        result = {
            "acknowledged": len(codes), "stored": stored, "lost": len(codes) - stored,
            "server_errors": tally.server_errors,
            "connection_errors": tally.connection_errors, "friendly_503": tally.friendly_503,
            "abandoned": tally.abandoned,
            "max_gap_seconds": round(max(gaps), 2),
            "submissions_per_s": round(len(codes) / seconds, 3),
            "p50_submission_ms": percentile(tally.submit_ms, 50),
            "p95_submission_ms": percentile(tally.submit_ms, 95),
            "p95_flow_ms": percentile(tally.flow_ms, 95),
            "bare_flask_flows_per_s": round(bare, 2),
            "bare_flask_ratio": round(len(codes) / seconds / bare, 4) if bare else None,
            "responses": tally.status, "faults": faults,
            "settings": {"seconds": seconds, "concurrency": options.concurrency,
                         "workers": options.workers, "redaction": options.redaction,
                         "prefilled_reports": options.prefill,
                         "themes_at_intake": env.get("PARTICIPATIE_THEMES_AT_INTAKE",
                                                     "true (default)"),
                         "rate_limit_store": "redis" if redis_url else "memory",
                         "database": "given" if options.database_url else "throw-away postgresql",
                         "boot_seconds": round(boot_seconds, 1)},
        }
        print(json.dumps(result))
        return 0
    finally:
        if jobs_worker is not None:
            jobs_worker.terminate()
            jobs_worker.wait(timeout=30)
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        if postgres is not None:
            postgres.destroy()
        if options.keep_log and (workdir / "gunicorn.log").exists():
            shutil.copy(workdir / "gunicorn.log", options.keep_log)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
