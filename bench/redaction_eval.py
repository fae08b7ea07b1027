"""Recall and precision of redaction per kind on bench/data/redaction-test.txt.

Usage: python bench/redaction_eval.py [--data PATH] [--mode deduce|rules]
A personal-data occurrence is found when >= 90% of its characters are inside redacted spans; a
redacted span is correct when it overlaps an occurrence (the kinds may differ, e.g. adres/postcode).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.redact import Redactor  # noqa: E402
from nlp.rules import merge_spans  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "data" / "redaction-test.txt"
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")


def parse(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Return the plain text and the gold (start, end, kind) spans of a marked-up line."""
    text, gold, pos = [], [], 0
    for m in MARK.finditer(line):
        text.append(line[pos:m.start()])
        start = sum(len(t) for t in text)
        text.append(m.group(2))
        gold.append((start, start + len(m.group(2)), m.group(1)))
        pos = m.end()
    text.append(line[pos:])
    return "".join(text), gold


def load(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Read the test set, skipping comments and blank lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


def covered(start: int, end: int, text: str, spans: list) -> bool:
    """Return True when at least 90% of the non-space characters are redacted."""
    chars = [i for i in range(start, end) if not text[i].isspace()]
    inside = sum(1 for i in chars if any(s.start <= i < s.end for s in spans))
    return inside >= 0.9 * len(chars)


def evaluate(data: list, redactor: Redactor) -> dict:
    """Return recall per gold kind and precision per predicted kind."""
    found, total, right, predicted = Counter(), Counter(), Counter(), Counter()
    misses, false = [], []
    for text, gold in data:
        spans = merge_spans(redactor.spans(text))
        for start, end, kind in gold:
            total[kind] += 1
            if covered(start, end, text, spans):
                found[kind] += 1
            else:
                misses.append(f"{kind}: {text[start:end]}")
        for s in spans:
            predicted[s.kind] += 1
            if any(s.start < e and b < s.end for b, e, _ in gold):
                right[s.kind] += 1
            else:
                false.append(f"{s.kind}: {text[s.start:s.end]}")
    kinds = sorted(set(total) | set(predicted))
    return {
        "occurrences": sum(total.values()),
        "recall": {k: round(found[k] / total[k], 3) for k in kinds if total[k]},
        "precision": {k: round(right[k] / predicted[k], 3) for k in kinds if predicted[k]},
        "recall_all": round(sum(found.values()) / sum(total.values()), 3),
        "precision_all": round(sum(right.values()) / max(1, sum(predicted.values())), 3),
        "missed": misses, "false_positives": false,
    }


def main() -> None:
    """Print the evaluation as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--mode", default="deduce", choices=("deduce", "rules"))
    args = parser.parse_args()
    data = load(Path(args.data))
    redactor = Redactor(args.mode)
    start = time.perf_counter()
    redactor.warmup()
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = evaluate(data, redactor)
    result["mode"] = args.mode
    result["load_seconds"] = round(load_seconds, 2)
    result["ms_per_text"] = round(1000 * (time.perf_counter() - start) / len(data), 2)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
