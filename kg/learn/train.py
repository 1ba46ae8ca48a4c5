"""Fit the learned components from annotated abstracts and write their weights.

    python -m kg.learn.train                       # ../shared/eval/{dev,train}_{papers,gold}.jsonl
    python -m kg.learn.train --pair PAPERS.jsonl GOLD.jsonl [--pair …] [--out DIR]

Annotations follow ``docs/evaluation.md`` (the project's gold format: ``pid``,
``methods_proposed``, …). Fitting is deterministic: the same files give the same weights.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from kg.errors import UsageError
from kg.evaluate import alternatives, read_json_lines
from kg.ingest.records import RecordError, paper_from_record
from kg.learn.model import WEIGHTS_DIR, LogisticModel, fit, use_models
from kg.models import THIS_PAPER, Paper
from kg.normalize import norm_key, singular_key

DEFAULT_PAIRS = [(f"../shared/eval/{name}_papers.jsonl", f"../shared/eval/{name}_gold.jsonl")
                 for name in ("dev", "train")]
Annotated = list[tuple[Paper, dict]]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # the number of a gold result's value ("75.9%")


def load_annotated(pairs: Iterable[tuple[str, str]]) -> Annotated:
    """(paper, gold) for every gold line whose paper is in the papers file (a line that is not a
    JSON object is a usage error naming its file and line)."""
    out: Annotated = []
    for papers_path, gold_path in pairs:
        gold = {str(record.get("pid") or record.get("id")): record for _, record in _objects(gold_path)}
        for n, record in _objects(papers_path):
            try:
                paper = paper_from_record(record, f"{papers_path}:{n}")
            except RecordError:
                continue
            if paper.id in gold:
                out.append((paper, {**gold[paper.id], "_source": Path(papers_path).name}))
    return out


def _objects(path: str) -> Iterable[tuple[int, dict]]:
    for n, record in read_json_lines(path):
        if not isinstance(record, dict):
            raise UsageError(f"{path}:{n}: not a JSON object")
        yield n, record


def _matches(names: set[str], gold_items: list[str]) -> bool:
    keys = set().union(*(alternatives(g) for g in gold_items)) if gold_items else set()
    return bool(keys & names) or bool({singular_key(k) for k in keys} & {singular_key(n) for n in names})


Rows = tuple[list[dict[str, float]], list[int], int]  # features, labels, how many gold items exist


def training_rows(annotated: Annotated) -> dict[str, Rows]:
    """Per model: the features and labels of every candidate it decides on (method entities for
    ``proposed_method``, metric entities for ``metric_reported``), from the rules' evidence."""
    from kg.extract.pipeline import build_nlp, new_doc
    from kg.extract.proposed import score_methods
    from kg.extract.reported import metric_rows

    use_models({name: None for name in ALL_MODELS})
    nlp = build_nlp()
    out: dict[str, Rows] = {name: ([], [], 0) for name in ALL_MODELS}
    for paper, gold in annotated:
        doc = nlp(new_doc(nlp, paper.text))
        for model, (items, right, gold_count) in labelled_facts(doc, gold).items():
            rows, labels, total = out[model]
            rows.extend(f for _, f in items)
            labels.extend(right)
            out[model] = (rows, labels, total + gold_count)
        for model, candidates, field in (("proposed_method", score_methods(doc), "methods_proposed"),
                                         ("metric_reported", metric_rows(doc), "metrics")):
            rows, labels, total = out[model]
            gold_items = list(gold.get(field) or [])
            for ent, features in candidates:
                names = {norm_key(ent.surface), norm_key(ent.name)} | {norm_key(c.text) for c in ent.mentions}
                rows.append(features)
                labels.append(int(_matches(names, gold_items)))
            out[model] = (rows, labels, total + len(gold_items))
    return out


def labelled_facts(doc, gold: dict) -> dict[str, tuple[list, list[int], int]]:
    """Per fact model ("claim", "result"): the (fact, features) rows the rules extracted from
    ``doc`` before any model changed them, whether each is right by ``gold``, and how many gold
    items there are."""
    from kg.extract.claim_scorer import claim_rows
    from kg.extract.result_scorer import result_rows

    claims, results = claim_rows(doc), result_rows(doc)
    gold_claims, gold_results = gold.get("comparisons") or [], gold.get("results") or []
    return {"claim": (claims, claim_labels(doc, [c for c, _ in claims], gold_claims), len(gold_claims)),
            "result": (results, result_labels(doc, [r for r, _ in results], gold_results), len(gold_results))}


def claim_labels(doc, claims: list, gold_claims: list[dict]) -> list[int]:
    """1 for each claim that matches a gold claim on winner and loser (each gold claim used once,
    as the scorer does), else 0."""
    from kg.evaluate import _names_equal

    proposed = _proposed(doc)
    return _matched_once(claims, gold_claims, lambda g, c: _names_equal(g.get("winner"), c.winner, proposed)
                         and _names_equal(g.get("loser") or "SOTA", c.loser, proposed))


def result_labels(doc, results: list, gold_results: list[dict]) -> list[int]:
    """1 for each result whose number and method a gold result of the paper reports (each gold
    result used once), else 0."""
    from kg.evaluate import _names_equal

    proposed = _proposed(doc)
    return _matched_once(results, gold_results, lambda g, r: _gold_value(g.get("value")) == r.value
                         and _names_equal(g.get("method") or THIS_PAPER, r.method, proposed))


def _proposed(doc) -> list[str]:
    return [e.surface for e in doc._.entities if e.label == "METHOD" and e.proposed]


def _matched_once(items: list, gold_items: list[dict], same) -> list[int]:
    """1 for each item that ``same`` pairs with a gold item not paired yet, else 0."""
    used: set[int] = set()
    labels = []
    for item in items:
        hit = next((i for i, g in enumerate(gold_items) if i not in used and same(g, item)), None)
        if hit is not None:
            used.add(hit)
        labels.append(int(hit is not None))
    return labels


def _gold_value(value: object) -> float | None:
    m = NUMBER.search(str(value or ""))
    return float(m.group()) if m else None


def best_threshold(model: LogisticModel, rows: list[dict[str, float]], labels: list[int], gold_total: int) -> float:
    """The probability cut to keep a claim at: half the best F1 any cut reaches on these rows
    (gold items no entity covers count as misses whatever the cut)."""
    probs = [model.prob(r) for r in rows]
    best_f1 = 0.0
    for step in range(10, 91, 2):
        t = step / 100
        tp = sum(1 for p, y in zip(probs, labels) if p >= t and y)
        pred = sum(1 for p in probs if p >= t)
        best_f1 = max(best_f1, 2 * tp / (pred + gold_total) if pred + gold_total else 0.0)
    # For a calibrated probability the F1-optimal cut is half the best F1 (Lipton, Elkan and
    # Naryanaswamy 2014): keeping a claim pays while it is right more often than F1/2. The
    # in-sample argmax sits higher (fitted probabilities are too sure of the rows they saw) and
    # jumps between refits; half the best F1 moves little.
    return round(best_f1 / 2, 2)


# The models extraction uses. "proposed_method" and "metric_reported" are fitted the same way
# but stay off: on held-out folds they do no better than the rules they would replace
# (docs/evaluation.md); `--models` trains them for experiments.
SHIPPED = ("claim", "result")
ALL_MODELS = ("claim", "result", "proposed_method", "metric_reported")
# Models that only calibrate: their probability becomes the confidence, nothing is dropped.
CALIBRATE_ONLY = ("result",)


def train_models(annotated: Annotated, names: tuple[str, ...] = SHIPPED) -> dict[str, LogisticModel | None]:
    models: dict[str, LogisticModel | None] = {name: None for name in ALL_MODELS}
    for name, (rows, labels, gold_total) in training_rows(annotated).items():
        if name not in names:
            continue
        model = fit(rows, labels, l2=2.0, iterations=1500)
        model.threshold = 0.0 if name in CALIBRATE_ONLY else best_threshold(model, rows, labels, gold_total)
        models[name] = model
    return models


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.learn.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pair", nargs=2, action="append", metavar=("PAPERS", "GOLD"),
                    help="a papers file and its gold annotations (repeatable)")
    ap.add_argument("--out", default=str(WEIGHTS_DIR), help="where the weights go (default: the package's)")
    ap.add_argument("--models", nargs="+", choices=ALL_MODELS, default=list(SHIPPED),
                    help=f"which models to fit (default: the shipped ones, {', '.join(SHIPPED)})")
    args = ap.parse_args(argv)
    pairs = [tuple(p) for p in args.pair] if args.pair else DEFAULT_PAIRS
    missing = [p for pair in pairs for p in pair if not Path(p).is_file()]
    if missing:
        print(f"error: no such file: {missing[0]}", file=sys.stderr)
        return 2
    try:
        annotated = load_annotated(pairs)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    models = train_models(annotated, tuple(args.models))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        if model is None:
            continue
        model.save(out / f"{name}.json")
        print(f"{name}: {len(model.weights)} weights, threshold {model.threshold:.2f} -> {out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
