"""How likely each extracted result is right: the ``result`` model (:mod:`kg.learn`) over the
evidence the result rules saw, fitted on annotated abstracts.

A result is right when the paper's annotations report the same number for the same method. Its
probability becomes the result's confidence (``docs/evaluation.md`` has the reliability table);
no result is dropped — results are few and a leaderboard shows their confidence. Without shipped
weights every result keeps the confidence the rules gave it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.claims import THIS_PAPER
from kg.learn.model import active_model
from kg.models import Result

MODEL = "result"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def result_features(r: Result) -> dict[str, float]:
    # Few annotated results (about 50 extracted from 338 papers): more features than the rules'
    # own confidence fitted noise on held-out folds, so the model only recalibrates that value.
    return {f"rule_confidence_{round(r.confidence, 2)}": 1.0}


def result_rows(doc: Doc) -> list[tuple[Result, dict[str, float]]]:
    return [(r, result_features(r)) for r in doc._.results]


def result_labels(doc: Doc, results: list[Result], gold_results: list[dict]) -> list[int]:
    """1 for each result whose number and method a gold result of the paper reports (each gold
    result used once), else 0."""
    from kg.evaluate import _names_equal

    proposed = [e.surface for e in doc._.entities if e.label == "METHOD" and e.proposed]
    used: set[int] = set()
    labels = []
    for r in results:
        hit = next((i for i, g in enumerate(gold_results) if i not in used
                    and _gold_value(g.get("value")) == r.value
                    and _names_equal(g.get("method") or THIS_PAPER, r.method, proposed)), None)
        if hit is not None:
            used.add(hit)
        labels.append(int(hit is not None))
    return labels


def _gold_value(value: object) -> float | None:
    m = NUMBER.search(str(value or ""))
    return float(m.group()) if m else None


@Language.component("kg_result_scorer")
def result_scorer(doc: Doc) -> Doc:
    model = active_model(MODEL)
    if model is None:
        return doc
    for r, features in result_rows(doc):
        r.confidence = round(model.prob(features), 2)
        r.component += "+result_model"
    return doc
