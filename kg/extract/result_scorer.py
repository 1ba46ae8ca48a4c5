"""How likely each extracted result is right: the ``result`` model (:mod:`kg.learn`) over the
evidence the result rules saw, fitted on annotated abstracts.

A result is right when the paper's annotations report the same number for the same method
(:func:`kg.learn.train.result_labels`). Its probability becomes the result's confidence
(``docs/evaluation.md`` has the reliability table); no result is dropped — results are few and a
leaderboard shows their confidence. Without shipped weights every result keeps the confidence
the rules gave it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.learn.model import active_model
from kg.models import Result

MODEL = "result"


def result_features(r: Result) -> dict[str, float]:
    # Few annotated results (about 50 extracted from 338 papers): more features than the rules'
    # own confidence fitted noise on held-out folds, so the model only recalibrates that value.
    return {f"rule_confidence_{round(r.confidence, 2)}": 1.0}


def result_rows(doc: Doc) -> list[tuple[Result, dict[str, float]]]:
    return [(r, result_features(r)) for r in doc._.results]


@Language.component("kg_result_scorer")
def result_scorer(doc: Doc) -> Doc:
    model = active_model(MODEL)
    if model is None:
        return doc
    for r, features in result_rows(doc):
        r.confidence = round(model.prob(features), 2)
        r.component += "+result_model"
    return doc
