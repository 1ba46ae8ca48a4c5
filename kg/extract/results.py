"""Numeric results: "75.9% top-1 accuracy on ImageNet", "an mIoU of 48.2", "FID of 2.1".

A result is a number bound to a metric mention next to it, attributed to the sentence's subject
method and to the dataset named after it (else anywhere in the sentence). Improvements
("by 2.3%") are deltas of comparisons, not results.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import sentences, span_text, text_of
from kg.extract.claims import entity_spans, name_of, subject_before
from kg.models import Result
from kg.normalize import norm_key

if not Doc.has_extension("results"):
    Doc.set_extension("results", default=[])

NUMBER = re.compile(
    r"(?<![\w.])(?P<value>\d+(?:\.\d+)?)(?:\s?(?P<unit>%|pp|dB|ms|FPS|fps)(?!\w)|(?P<scale>[KMBGT])(?![\w.]))?"
    r"(?![\w.]\d)"
)
# the scale a metric's own spelling carries ("3.1 GFLOPs"): the value's unit, as "380M FLOPs" has "M"
SCALED_METRIC = re.compile(r"^(?P<scale>[KMGT])(?:FLOPs|FLOPS|MACs)$")
# between a number and its metric ("75.9% top-1 accuracy") or a metric and its number ("mIoU of 48.2")
NUM_THEN_METRIC = re.compile(r"^\s?(?:\w+\s)?$")
METRIC_THEN_NUM = re.compile(
    r"^\s?(?:of|=|:|at|is|was|reaches|reached|achieves|achieved|score of|scores of|around|about|"
    r"to|by|up to)?\s?(?:of|about|around|approximately|only|just)?\s?$",
    re.IGNORECASE,
)
DELTA_AFTER = re.compile(
    r"\s*(?:%|points?|pp|percentage points?)?\s*(?:absolute |relative |average )?"
    r"(?:higher|lower|better|worse|more|less|fewer|improvements?|gains?|increase|decrease|reduction|"
    r"boost|drop)\b",
    re.IGNORECASE,
)
# a number after these is a difference: "by 2.3%", "gains ~3%", "adds fewer than 4% parameters",
# "the improvement grows to 2.6 mask AP" (but "improves accuracy to 80.1%" reports a value)
DELTA_BEFORE = re.compile(
    r"\b(?:by|improv\w*|gains?|increase[sd]?|boost\w*|margin of|adds?|adding|"
    r"improvements? (?:grows?|rises?|increases?|widens?|reaches) to)\s?"
    r"(?:(?:up to|about|around|over|of|roughly|nearly|almost|approximately|fewer than|less than|more than"
    r"|only|just)\s|~\s?|≈\s?|\$\\sim\$\s?)*$",
    re.I,
)


def extract_results(doc: Doc) -> list[Result]:
    out: list[Result] = []
    for sent in sentences(doc):
        metrics = entity_spans(sent, "METRIC")
        if not metrics:
            continue
        datasets = entity_spans(sent, "DATASET")
        for m in NUMBER.finditer(text_of(doc), sent.start_char, sent.end_char):
            start, end = m.start(), m.end()
            if text_of(doc)[end:end + 1].isalnum():
                continue  # "720p", "3D": a number that is part of a word is no value
            if text_of(doc)[max(sent.start_char, start - 2):start].strip()[-1:] in ("+", "±", "−", "-"):
                continue  # "+1.3% mIoU", "−0.4 FID": a signed number is a difference, not a value
            if DELTA_BEFORE.search(text_of(doc)[max(sent.start_char, start - 40):start]):
                continue
            if DELTA_AFTER.match(text_of(doc)[end:end + 40]):
                continue  # "0.9% higher top-1 accuracy": a difference, not a reported value
            metric = None
            for span in metrics:
                if span.start_char >= end and NUM_THEN_METRIC.match(text_of(doc)[end:span.start_char]):
                    metric = span
                    break
                if span.end_char <= start and METRIC_THEN_NUM.match(text_of(doc)[span.end_char:start]):
                    metric = span
            if metric is None:
                continue
            if (m.group("unit") or "").lower() == "fps" and norm_key(metric.text) != "fps":
                continue  # "140fps with accuracy matching …": a frame rate, not an accuracy
            after = [d for d in datasets if d.start_char >= end]
            dataset = after[0] if after else (datasets[0] if datasets else None)
            method, conf = subject_before(doc, sent, min(start, metric.start_char))
            out.append(
                Result(
                    method=method,
                    dataset=name_of(doc, dataset) if dataset is not None else None,
                    metric=name_of(doc, metric),
                    value=float(m.group("value")),
                    unit=m.group("unit") or m.group("scale") or _metric_scale(metric.text),
                    raw=text_of(doc)[min(start, metric.start_char):max(end, metric.end_char)],
                    sentence=span_text(sent),
                    start=min(start, metric.start_char),
                    end=max(end, metric.end_char),
                    confidence=round(conf * 0.9, 2),
                )
            )
    return out


def _metric_scale(surface: str) -> str | None:
    found = SCALED_METRIC.match(surface)
    return found.group("scale") if found else None


@Language.factory("kg_results")
def make_results(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.results = extract_results(doc)
        return doc

    return component
