"""Metric phrases no vocabulary lists, where something is measured: "improves the edit score",
"higher IID accuracy", "in terms of mesh quality and runtime", "label efficiency".

Only in sentences that report a number or a comparison, and only noun phrases ending in a
measurement head word (accuracy, score, rate, efficiency, …).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import (
    Candidate,
    add_candidates,
    mentions,
    sentences,
    span_text,
    text_of,
    tokens_of,
)
from kg.extract.terms import MEASURED

HEADS = {"accuracy", "accuracies", "score", "rate", "efficiency", "error", "consistency",
         "similarity", "quality", "speed", "runtime", "usage", "robustness", "resistance",
         "controllability", "fidelity", "latency", "throughput", "success", "ratio", "parameters", "precision",
         "recall"}
# a percentage right before a word: what it measures ("16.0% error")
PERCENT_BEFORE = re.compile(r"\d\s?%\s*$")
# what a known metric becomes with one more word: "classification error rate", "top-5 error rates"
KNOWN_EXTENDED_BY = {"rate", "rates"}
# What comes right before a measured quantity in a claim.
CUE_BEFORE = re.compile(
    r"(?:\b(?:in|of|on|for)(?: terms of)?|\bimprov\w*(?: the)?|\bhigher|\blower|\bbetter|\bfewer|\bless|\bboost\w*(?: the)?|"
    r"\bincreas\w*(?: the)?|\bdecreas\w*(?: the)?|\breduc\w*(?: the)?|\bachiev\w*(?: an?)?|\bobtain\w*(?: an?)?|%|\d)"
    r"(?:\s+[\w-]+){0,2}?\s*$",
    re.IGNORECASE,
)
CUE_WORD = re.compile(r"(?:improv|reduc|increas|decreas|boost|achiev|obtain|reach|attain|lower)\w*")
MODIFIER = re.compile(r"^(?:[a-z][a-z0-9-]*|[A-Z]{2,8}|[A-Z][a-z]+-[a-z]+)$")
NOT_MODIFIERS = {"the", "a", "an", "our", "their", "its", "this", "that", "of", "and", "or", "in",
                 "on", "high", "higher", "low", "lower", "better", "best", "good", "overall",
                 "significant", "significantly", "strong", "competitive", "comparable", "same",
                 "state-of-the-art", "superior", "improved", "average", "mean", "final", "much",
                 "any", "both", "all", "each", "such", "more", "less", "great", "greater", "absolute",
                 "relative", "fewer", "smaller", "larger", "thousand", "thousands", "million", "millions", "billion", "billions",
                 # evaluative words say how good a value is, not what is measured
                 "new", "record", "highest", "lowest", "top", "leading", "excellent", "promising", "remarkable",
                 "impressive", "reasonable", "satisfactory", "substantial", "considerable", "notable",
                 "dramatic", "slight", "similar", "improving", "increased", "reduced", "enhanced"}
# a preposition joins two phrases ("140 fps with accuracy", "features with accuracies")
PREPOSITIONS = {"with", "without", "at", "by", "for", "from", "to", "into", "over", "under", "than", "as",
                "per", "via", "across", "between", "within", "among", "against"}


# a hyphenated compound that says how good, not what: "state-of-the-art", "best-in-class"
EVALUATIVE_COMPOUND = re.compile(r"\b(?:of|the|art|in|class|best|high|low|well|large|small|fine|coarse)\b")


def _compound_start(doc: Doc, last: int, floor: int) -> int | None:
    """First token of the hyphenated compound ending at token ``last`` ("goal-condition"), None
    when it runs past ``floor`` or is more than three words."""
    i = last
    words = 1
    while i - 2 >= floor and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_:
        i -= 2
        words += 1
    return i if words <= 3 and MODIFIER.match(doc[i].text) else None


def find_metric_phrases(doc: Doc) -> list[Candidate]:
    out = []
    known_before = {c.span.end: c.span.start for c in doc._.candidates or []
                    if c.label == "METRIC" and c.component == "vocabulary"}
    lower = tokens_of(doc).lower
    for i in known_before:
        if i < len(lower) and lower[i] in KNOWN_EXTENDED_BY:
            out.append(Candidate(doc[known_before[i]:i + 1], "METRIC", "metric_phrase", 0.5))
    for sent in sentences(doc):
        if not mentions(MEASURED, span_text(sent)):
            continue
        found_before = False  # "IID accuracy on A and OOD robustness on B": a list of them
        for i in [i for i in range(sent.start, sent.end) if lower[i] in HEADS]:
            tok = doc[i]
            start = tok.i
            modifiers = 0
            while start > sent.start and modifiers < 2:
                prev = doc[start - 1]
                if (not MODIFIER.match(prev.text) or prev.lower_ in NOT_MODIFIERS or prev.lower_ in PREPOSITIONS
                        or prev.lower_.endswith("ly")):
                    break
                if CUE_WORD.fullmatch(prev.lower_):
                    break  # "improves mesh quality": the verb that measures it, not a word of it
                if start - 2 >= sent.start and doc[start - 2].text == "-" and not doc[start - 2].whitespace_:
                    first = _compound_start(doc, start - 1, sent.start)
                    compound = span_text(doc[first:start]).lower() if first is not None else ""
                    if first is None or modifiers or EVALUATIVE_COMPOUND.search(compound) or compound in NOT_MODIFIERS:
                        break  # "state-of-the-art accuracy": the end of a compound adjective
                    start = first  # "goal-condition success", "pixel-level alignment": one modifier
                    break
                if prev.lower_.endswith("ing") and (start - 1 == sent.start
                                                    or doc[start - 2].lower_ not in NOT_MODIFIERS):
                    break  # "boosting accuracy" is a verb and its object; "of decoding accuracy" a name
                start -= 1
                modifiers += 1
            if tok.lower_ in ("score", "scores") and known_before.get(tok.i) == start:
                continue  # "an FID score", "the ROUGE scores": the known metric itself
            if start == tok.i and tok.lower_ in ("rate", "ratio", "usage", "success", "error", "score", "parameters",
                                                 "quality") and not (
                    tok.lower_ == "error" and PERCENT_BEFORE.search(text_of(doc)[sent.start_char:tok.idx])):
                # a bare "rate" names nothing; bare "quality" is vague (the guidelines' example);
                # "4.62% error" is the error the number measures
                continue
            before = text_of(doc)[sent.start_char:doc[start].idx]
            if not CUE_BEFORE.search(before) and not (found_before and re.search(r"\b(?:and|or)\s*$", before)):
                continue
            out.append(Candidate(doc[start:tok.i + 1], "METRIC", "metric_phrase", 0.5))
            found_before = True
    return out


@Language.factory("kg_metric_phrases")
def make_metric_phrases(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        add_candidates(doc, find_metric_phrases(doc))
        return doc

    return component
