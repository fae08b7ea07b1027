"""Search latency at 10k and 50k reports, per query and including the query's embedding.

Usage: python bench/search_speed.py [--data PATH.jsonl] [--queries PATH.jsonl]
       [--sizes 10000 50000]
Reports are dev texts resampled with light perturbation and noisy copies of their source
vectors (as bench/themes_speed.py). Every query is embedded afresh inside the timed call.
Prints one JSON object with, per size, the index build seconds and the median and p95
milliseconds per query (wall clock and CPU: CPU is fairer on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.themes_speed import DEFAULT, corpus  # noqa: E402
from nlp import SearchIndex, embed  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "data" / "search-queries-dev.jsonl"


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 2),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2)}


def one_size(data: str, queries: list[str], n: int, rounds: int) -> dict:
    """Build an index over n reports and time every query `rounds` times."""
    reports = corpus(data, n)
    start = time.perf_counter()
    index = SearchIndex(reports)
    build = time.perf_counter() - start
    index.search(queries[0], 10)  # warm-up
    wall, cpu, embed_wall, embed_cpu = [], [], [], []
    for _ in range(rounds):
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            index.search(q, 10)
            wall.append(1000 * (time.perf_counter() - t))
            cpu.append(1000 * (time.process_time() - c))
            t, c = time.perf_counter(), time.process_time()
            embed([q])
            embed_wall.append(1000 * (time.perf_counter() - t))
            embed_cpu.append(1000 * (time.process_time() - c))
    return {"n": n, "index_seconds": round(build, 2), "ms_per_query": _summary(wall),
            "cpu_ms_per_query": _summary(cpu), "of_which_embedding_ms": _summary(embed_wall),
            "of_which_embedding_cpu_ms": _summary(embed_cpu)}


def main() -> None:
    """Time the search at each size and print the JSON summary."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--queries", default=str(QUERIES))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    queries = [json.loads(line)["query"] for line in open(args.queries, encoding="utf-8")
               if line.strip()]
    sizes = [one_size(args.data, queries, n, args.rounds) for n in args.sizes]
    print(json.dumps({"cpus": os.cpu_count(),
                      "load_average": [round(x, 1) for x in os.getloadavg()],
                      "sizes": sizes}, indent=1))


if __name__ == "__main__":
    main()
