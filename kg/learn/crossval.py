"""The generalisation protocol: fit on K-1 folds, score the fold left out, for every fold.

Rules are tuned by people on some annotated papers; learned components are fitted here. Either
way the figure that predicts unseen papers is the held-out one, so the report puts it first,
next to the tuned (in-fold) figure and their difference. Folds are fixed by a hash of each
paper's id: the same papers always fall in the same fold.
"""

from __future__ import annotations

import hashlib

from kg.evaluate import FIELDS, Score, score_paper
from kg.extract.record import to_record
from kg.learn.model import reset_models, use_models
from kg.learn.train import Annotated, labelled_facts, train_models


def fold_of(paper_id: str, k: int) -> int:
    return int(hashlib.sha1(paper_id.encode("utf-8")).hexdigest(), 16) % k


def _score(annotated: Annotated) -> dict[str, Score]:
    from kg.extract.pipeline import build_nlp, new_doc, to_extraction

    nlp = build_nlp()
    totals = {f: Score() for f in FIELDS}
    for paper, gold in annotated:
        record = to_record(to_extraction(paper, nlp(new_doc(nlp, paper.text))))
        score_paper(gold, record, totals)
    return totals


Calibration = list[tuple[float, float, int]]


def _probabilities(test: Annotated, models: dict) -> dict[str, Calibration]:
    """Per fact model ("claim", "result"): (the rules' confidence, the model's probability,
    right or not) of every fact the rules extract from held-out papers, before the models change
    or filter any."""
    from kg.extract.pipeline import build_nlp, new_doc

    use_models({**models, "claim": None, "result": None})
    nlp = build_nlp()
    out: dict[str, Calibration] = {"claim": [], "result": []}
    for paper, gold in test:
        doc = nlp(new_doc(nlp, paper.text))
        for name, (items, labels, _) in labelled_facts(doc, gold).items():
            if models.get(name) is not None:
                out[name].extend((fact.confidence, models[name].prob(f), y) for (fact, f), y in zip(items, labels))
    return out


def reliability(calibration: Calibration, bins: int = 5, what: str = "claims") -> str:
    """How often claims (or results) were right, per band of stated confidence: the rules' old
    fixed values and the model's probability, both on held-out folds."""
    lines = [f"{'confidence':>12s} {'rules: ' + what:>14s} {'right':>6s}   {'model: ' + what:>14s} {'right':>6s}"]
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        row = f"{lo:5.1f} – {hi:3.1f}"
        for which in (0, 1):
            band = [c for c in calibration if lo <= c[which] < hi or (b == bins - 1 and c[which] == 1.0)]
            right = sum(c[2] for c in band) / len(band) if band else float("nan")
            row += f" {len(band):14d} {right:6.2f}  "
        lines.append(row)
    return "\n".join(lines)


def crossval(annotated: Annotated, k: int = 5) -> tuple[dict[str, Score], dict[str, Score], dict[str, dict],
                                                       Calibration, Calibration]:
    """(held-out totals, tuned totals) pooled over the K folds, the held-out totals of each
    source file (rules tuned by hand on one source show their gap on the others), and
    (rule confidence, model probability, right) of every held-out claim and result."""
    held = {f: Score() for f in FIELDS}
    tuned = {f: Score() for f in FIELDS}
    by_source: dict[str, dict[str, Score]] = {}
    calibration: Calibration = []
    result_calibration: Calibration = []
    try:
        for fold in range(k):
            train = [(p, g) for p, g in annotated if fold_of(p.id, k) != fold]
            test = [(p, g) for p, g in annotated if fold_of(p.id, k) == fold]
            models = train_models(train)
            probabilities = _probabilities(test, models)
            calibration.extend(probabilities["claim"])
            result_calibration.extend(probabilities["result"])
            use_models(models)
            for name, s in _score(train).items():
                tuned[name].add(s.tp, s.predicted, s.gold)
            for source in sorted({g.get("_source", "") for _, g in test}):
                totals = by_source.setdefault(source, {f: Score() for f in FIELDS})
                for name, s in _score([(p, g) for p, g in test if g.get("_source", "") == source]).items():
                    totals[name].add(s.tp, s.predicted, s.gold)
                    held[name].add(s.tp, s.predicted, s.gold)
    finally:
        reset_models()
    return held, tuned, by_source, calibration, result_calibration


def report(held: dict[str, Score], tuned: dict[str, Score], by_source: dict[str, dict[str, Score]],
           k: int, n: int) -> str:
    sources = sorted(by_source)
    lines = [f"{n} annotated papers, {k} folds (fitted on {k - 1}, scored on the one left out)",
             f"{'field':18s} {'held-out F1':>11s} {'P':>6s} {'R':>6s}   {'tuned F1':>8s}  {'gap':>6s}"
             + "".join(f"  {s[:18]:>18s}" for s in sources)]
    for name in FIELDS:
        h, t = held[name], tuned[name]
        lines.append(f"{name:18s} {h.f1:11.3f} {h.precision:6.3f} {h.recall:6.3f}   {t.f1:8.3f}  {t.f1 - h.f1:+6.3f}"
                     + "".join(f"  {by_source[s][name].f1:18.3f}" for s in sources))
    lines.append("(per-source columns: held-out F1 of that file's papers; the rules were written on dev_papers)")
    return "\n".join(lines)
