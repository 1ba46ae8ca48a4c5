"""How likely each extracted claim is right: the ``claim`` model (:mod:`kg.learn`) over the
evidence the claim rules saw, fitted on annotated abstracts and measured on held-out folds.

Its probability becomes the claim's confidence (``docs/evaluation.md`` has the reliability
table), and claims below the model's threshold are dropped. Without shipped weights every
claim keeps the confidence the rules gave it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import mentions, sentences, text_of
from kg.extract.claims import proposed_name
from kg.learn.model import active_model
from kg.models import SOTA, THIS_PAPER, Comparison
from kg.normalize import norm_key
from kg.vocab import load_vocabulary

MODEL = "claim"
FORMS = {
    "form_beats": re.compile(r"\b(?:outperform|out-perform|surpass|beat|exceed|outstrip)\w*", re.I),
    "form_than": re.compile(r"\bthan\b", re.I),
    "form_compared": re.compile(r"\b(?:compared (?:to|with)|in comparison|comparisons? (?:with|to|against)|against|versus|vs\.?)\b", re.I),
    "form_improve": re.compile(r"\b(?:improv\w*|gains?|boost\w*|enhanc\w*)\b", re.I),
    "form_sota": re.compile(r"\b(?:state[- ]?of[- ]?the[- ]?arts?|sota|new records?|best)\b", re.I),
    "form_superior": re.compile(r"\bsuperior\w*", re.I),
    "cue_we": re.compile(r"\b(?:we|our|ours)\b", re.I),
    "cue_proposed": re.compile(r"\b(?:the proposed|this (?:method|approach|model|framework|work|paper))\b", re.I),
    "cue_background": re.compile(r"\b(?:recent(?:ly)?|previous(?:ly)?|existing|prior|traditional|conventional)\b", re.I),
    "cue_tie": re.compile(r"\b(?:comparable|competitive|on par|similar|matches|matching)\b", re.I),
    "cue_hedge": re.compile(r"\b(?:can|could|may|might|would|potentially)\b", re.I),
    "cue_number": re.compile(r"\d"),
    "cue_percent": re.compile(r"\d\s?%"),
    "cue_group": re.compile(r"\b(?:methods|approaches|baselines|models|techniques|counterparts|competitors)\b", re.I),
}


def claim_features(doc: Doc, c: Comparison, claims_in_sentence: int, proposed: str) -> dict[str, float]:
    vocab = load_vocabulary()
    text = c.sentence
    f: dict[str, float] = {name: 1.0 for name, rx in FORMS.items() if mentions(rx, text)}
    f[f"rule_confidence_{round(c.confidence, 2)}"] = 1.0
    f["vs_sota"] = float(c.loser == SOTA)
    f["winner_this_paper"] = float(c.winner == THIS_PAPER)
    f["winner_is_proposed"] = float(c.winner == proposed and c.winner != THIS_PAPER)
    f["winner_known_prior_work"] = float(c.winner != THIS_PAPER and vocab.lookup(c.winner, "METHOD") is not None)
    f["loser_known"] = float(c.loser != SOTA and vocab.lookup(c.loser, "METHOD") is not None)
    f["winner_acronym"] = float(c.winner.isupper())
    f["has_dataset"] = float(c.dataset is not None)
    f["dataset_inherited"] = float(c.component.endswith("paper_datasets"))
    f["has_metric"] = float(c.metric is not None)
    f["has_delta"] = float(c.delta is not None)
    f["many_in_sentence"] = float(claims_in_sentence > 2)
    f["winner_named_in_sentence"] = float(c.winner != THIS_PAPER and norm_key(c.winner) in norm_key(text))
    title_end = text_of(doc).find("\n")
    f["in_title"] = float(c.start < title_end)
    sents = sentences(doc)
    index = next((i for i, s in enumerate(sents) if s.start_char <= c.start < s.end_char), 0)
    f["first_sentences"] = float(index <= 2)
    f["last_sentences"] = float(index >= len(sents) - 2)
    f["long_sentence"] = float(len(text) > 220)
    return f


def claim_rows(doc: Doc) -> list[tuple[Comparison, dict[str, float]]]:
    claims = list(doc._.comparisons)
    per_sentence: dict[int, int] = {}
    for c in claims:
        per_sentence[c.start] = per_sentence.get(c.start, 0) + 1
    proposed = proposed_name(doc)
    return [(c, claim_features(doc, c, per_sentence[c.start], proposed)) for c in claims]


@Language.component("kg_claim_scorer")
def claim_scorer(doc: Doc) -> Doc:
    model = active_model(MODEL)
    if model is None:
        return doc
    kept = []
    for c, features in claim_rows(doc):
        p = model.prob(features)
        if p >= model.threshold:
            c.confidence = round(p, 2)
            c.component += "+claim_model"
            kept.append(c)
    doc._.comparisons = kept
    return doc
