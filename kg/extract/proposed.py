"""Which named methods the paper proposes: a learned model over the rules' evidence.

The name finders and the resolver mark a method as proposed by rule (a title prefix, "we
propose X", "our X framework"). This component re-decides with the ``proposed_method`` model
(:mod:`kg.learn`), which weighs that evidence together with position, repetition, shape and
the words around each mention, and keeps its probability as the entity's confidence. Without
shipped weights the rules' decision stands.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.learn.features import method_features
from kg.learn.model import active_model

MODEL = "proposed_method"


def score_methods(doc: Doc) -> list[tuple[object, dict[str, float]]]:
    methods = [e for e in doc._.entities if e.label == "METHOD"]
    return [(ent, method_features(doc, ent, i, len(methods))) for i, ent in enumerate(methods)]


@Language.component("kg_proposed")
def proposed_component(doc: Doc) -> Doc:
    model = active_model(MODEL)
    if model is None:  # the rules decide (training computes the features itself: score_methods)
        return doc
    for ent, features in score_methods(doc):
        p = model.prob(features)
        ent.proposed_p = p
        ent.proposed = p >= model.threshold
    return doc
