"""Fit the learned components from annotated abstracts and write their weights.

    python -m kg.learn.train                       # ../shared/eval/{dev,train}_{papers,gold}.jsonl
    python -m kg.learn.train --pair PAPERS.jsonl GOLD.jsonl [--pair …] [--out DIR]

Annotations follow ``docs/evaluation.md`` (the project's gold format: ``pid``,
``methods_proposed``, …). Fitting is deterministic: the same files give the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from kg.evaluate import alternatives
from kg.ingest.records import RecordError, paper_from_record
from kg.learn.model import WEIGHTS_DIR, LogisticModel, fit, use_models
from kg.models import Paper
from kg.normalize import norm_key, singular_key

DEFAULT_PAIRS = [(f"../shared/eval/{name}_papers.jsonl", f"../shared/eval/{name}_gold.jsonl")
                 for name in ("dev", "train")]
Annotated = list[tuple[Paper, dict]]


def load_annotated(pairs: Iterable[tuple[str, str]]) -> Annotated:
    """(paper, gold) for every gold line whose paper is in the papers file."""
    out: Annotated = []
    for papers_path, gold_path in pairs:
        gold = {}
        for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                gold[str(record.get("pid") or record.get("id"))] = record
        for n, line in enumerate(Path(papers_path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                paper = paper_from_record(json.loads(line), f"{papers_path}:{n}")
            except RecordError:
                continue
            if paper.id in gold:
                out.append((paper, {**gold[paper.id], "_source": Path(papers_path).name}))
    return out


def _matches(names: set[str], gold_items: list[str]) -> bool:
    keys = set().union(*(alternatives(g) for g in gold_items)) if gold_items else set()
    return bool(keys & names) or bool({singular_key(k) for k in keys} & {singular_key(n) for n in names})


def proposed_rows(annotated: Annotated) -> tuple[list[dict[str, float]], list[int], int]:
    """Features and labels of every method entity, and how many gold proposed methods exist."""
    from kg.extract.pipeline import build_nlp, new_doc

    use_models({"proposed_method": None})  # features come from the rules' evidence alone
    nlp = build_nlp()
    rows, labels, gold_total = [], [], 0
    for paper, gold in annotated:
        doc = nlp(new_doc(nlp, paper.text))
        gold_items = list(gold.get("methods_proposed") or [])
        gold_total += len(gold_items)
        for ent, features in doc.user_data.get("kg_method_features", []):
            names = {norm_key(ent.surface), norm_key(ent.name)} | {norm_key(c.text) for c in ent.mentions}
            rows.append(features)
            labels.append(int(_matches(names, gold_items)))
    return rows, labels, gold_total


def best_threshold(model: LogisticModel, rows: list[dict[str, float]], labels: list[int], gold_total: int) -> float:
    """The probability cut that maximises F1 on these rows (gold items no entity covers count as
    misses whatever the cut)."""
    probs = [model.prob(r) for r in rows]
    best, best_f1 = 0.5, -1.0
    for step in range(10, 91, 2):
        t = step / 100
        tp = sum(1 for p, y in zip(probs, labels) if p >= t and y)
        pred = sum(1 for p in probs if p >= t)
        f1 = 2 * tp / (pred + gold_total) if pred + gold_total else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best


def train_models(annotated: Annotated) -> dict[str, LogisticModel]:
    rows, labels, gold_total = proposed_rows(annotated)
    model = fit(rows, labels, l2=2.0, iterations=1500)
    model.threshold = best_threshold(model, rows, labels, gold_total)
    return {"proposed_method": model}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.learn.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pair", nargs=2, action="append", metavar=("PAPERS", "GOLD"),
                    help="a papers file and its gold annotations (repeatable)")
    ap.add_argument("--out", default=str(WEIGHTS_DIR), help="where the weights go (default: the package's)")
    args = ap.parse_args(argv)
    pairs = [tuple(p) for p in args.pair] if args.pair else DEFAULT_PAIRS
    missing = [p for pair in pairs for p in pair if not Path(p).is_file()]
    if missing:
        print(f"error: no such file: {missing[0]}", file=sys.stderr)
        return 2
    annotated = load_annotated(pairs)
    models = train_models(annotated)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        model.save(out / f"{name}.json")
        print(f"{name}: {len(model.weights)} weights, threshold {model.threshold:.2f} -> {out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
