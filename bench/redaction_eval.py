"""Recall and precision of redaction per kind on the sets in bench/data/.

Usage: python bench/redaction_eval.py [--data PATH ...] [--mode deduce|rules] [--table]
Sets: redaction-test.txt (realistic, the rules were developed on it), redaction-holdout.txt
(blind), redaction-adversarial.txt (obfuscations, odd characters, over-redaction traps). With one
--data the output is that set's JSON object; without, an object per set name. --table adds one
Markdown row per set to stderr.
A personal-data occurrence is found when >= 90% of its characters are inside redacted spans; a
redacted span is correct when it overlaps an occurrence (the kinds may differ, e.g. adres/postcode).
Texts are normalised as the redactor does (nlp.normalize) before the gold offsets are taken;
"\\uXXXX" in a line stands for that character, so invisible ones stay readable in the file.
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

from nlp.normalize import normalize  # noqa: E402
from nlp.redact import Redactor  # noqa: E402
from nlp.rules import merge_spans  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SETS = ("redaction-test.txt", "redaction-holdout.txt", "redaction-adversarial.txt")
KINDS = ("naam", "telefoon", "email", "bsn", "postcode", "adres", "geboortedatum", "leeftijd",
         "iban")
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def unescape(line: str) -> str:
    """Replace \\uXXXX and \\UXXXXXXXX by the characters they name."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), line)


def parse(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Return the normalised text and the gold (start, end, kind) spans of a marked-up line."""
    line = unescape(line)
    text, gold, pos = [], [], 0
    for m in MARK.finditer(line):
        text.append(normalize(line[pos:m.start()]))
        start = sum(len(t) for t in text)
        text.append(normalize(m.group(2)))
        gold.append((start, start + len(text[-1]), m.group(1)))
        pos = m.end()
    text.append(normalize(line[pos:]))
    joined = "".join(text)
    if normalize(joined) != joined:
        raise ValueError(f"normalising this line's parts apart changes it: {line!r}")
    return joined, gold


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


def table_row(name: str, result: dict) -> str:
    """Return one Markdown row: set, recall per kind, all, precision (false positives)."""
    cells = [f"{result['recall'][k]:.3f}" if k in result["recall"] else "–" for k in KINDS]
    fps = len(result["false_positives"])
    return (f"| {name}, {result['mode']} | " + " | ".join(cells)
            + f" | {result['recall_all']:.3f} | {result['precision_all']:.3f} ({fps} FP) |")


def main() -> None:
    """Print the evaluation as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", help="a marked-up set (default: all three)")
    parser.add_argument("--mode", default="deduce", choices=("deduce", "rules"))
    parser.add_argument("--table", action="store_true", help="Markdown rows on stderr")
    args = parser.parse_args()
    paths = [Path(p) for p in args.data] if args.data else [DATA / name for name in SETS]
    redactor = Redactor(args.mode)
    start = time.perf_counter()
    redactor.warmup()
    load_seconds = time.perf_counter() - start
    results = {}
    for path in paths:
        data = load(path)
        start = time.perf_counter()
        result = evaluate(data, redactor)
        result["mode"] = args.mode
        result["load_seconds"] = round(load_seconds, 2)
        result["ms_per_text"] = round(1000 * (time.perf_counter() - start) / len(data), 2)
        results[path.stem] = result
        if args.table:
            print(table_row(path.stem.removeprefix("redaction-"), result), file=sys.stderr)
    out = results[paths[0].stem] if len(paths) == 1 else results
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
