"""Which metrics a paper reports as measured, as opposed to naming in passing.

The rule: a metric named in a sentence that makes a claim or reports a result, that says how
well something does ("achieves", "competitive", "in terms of"), or right next to a number
("75.9% accuracy", "FID of 2.1"). With the ``metric_reported`` model (:mod:`kg.learn`) the
same evidence, one feature per cue, is weighed by a model fitted on annotated abstracts.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.extract.candidates import mentions, sentences, span_text, text_of
from kg.extract.comparisons import BACKGROUND
from kg.learn.model import active_model

MODEL = "metric_reported"

NUMBER_NEAR = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:%|x|×|dB|points?|pp)?\W{0,3}$|^\W{0,3}(?:of|=|:)?\s?[+-]?\d|"
                         r"\d\s?(?:%|x|×|dB|points?|pp)\s+(?:[\w-]+\s+){0,3}$")  # "5.4% gain in X"


EVALUATION = re.compile(r"\b(?:we (?:report|measure|evaluate)|(?:evaluation )?metrics? (?:such as|like|including)|"
                        # a sentence that says how well something does reports what it measures
                        r"achiev\w*|obtain\w*|attain\w*|reach\w*|competitive|comparable|on par|in terms of|"
                        r"state[- ]?of[- ]?the[- ]?art|record|highest|best)\b",
                        re.IGNORECASE)


# What a metric's name is when it is not a measurement: a training objective ("the MMD loss",
# "MMD-GAN", "cross-entropy (CE) as the loss function") ...
OBJECTIVE_AFTER = re.compile(r"^(?:\s?-\s?|\s)(?:loss|losses|objective|regulari[sz]\w*|penalty|GAN)\b|"
                             r"^\)?\s+as (?:the|an?) (?:[\w-]+ )?(?:loss|objective)\b", re.IGNORECASE)
# ... a phase of a model's life ("at inference time", "during training time") ...
PHASE_BEFORE = re.compile(r"\b(?:at|during)\s+$", re.IGNORECASE)
# ... a problem a method keeps away ("preventing forgetting", "suffers from catastrophic forgetting") ...
PROBLEM_BEFORE = re.compile(r"\b(?:prevent|avoid|mitigat|alleviat|overcom|combat|counteract|suffer\w* from)\w*\s+"
                            r"(?:the\s+)?(?:[a-z-]+\s+)?$", re.IGNORECASE)
# ... or a model's own parameters ("the texture parameters", "adjusting the network parameters"),
# which are a measured quantity only where the text counts them.
# ("number of parameters" and "parameter count" say that they count)
PARAMETERS = re.compile(r"^(?!number\b)(?:[\w-]+\s){0,2}(?:parameters|params)$", re.IGNORECASE)
COUNTED_BEFORE = re.compile(r"(?:\d|\b(?:fewer|more|less|number|numbers|half|fraction|million|billion|thousand|"
                            r"smaller|larger|reduc\w*|increas\w*|decreas\w*|scal\w*))\b(?:\W*[\w-]+){0,6}\W*$",
                            re.IGNORECASE)


def names_a_measurement(text: str, start: int, end: int) -> bool:
    """Whether the metric named at ``text[start:end]`` is a measured quantity there, not a
    training objective, a problem avoided, a phase of a model's life or the model's own parameters."""
    surface = text[start:end]
    if OBJECTIVE_AFTER.search(text[end:end + 40]):
        return False
    if PROBLEM_BEFORE.search(text[max(0, start - 40):start]):
        return False
    if surface.lower().endswith(" time") and PHASE_BEFORE.search(text[max(0, start - 8):start]):
        return False
    if PARAMETERS.match(surface):
        return bool(COUNTED_BEFORE.search(text[max(0, start - 50):start]) or NUMBER_NEAR.search(text[end:end + 12]))
    return True


def _claimed_spans(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    claims = doc.user_data.get("kg_claim_spans", []) + [(r.start, r.end) for r in doc._.results]
    # (a sentence about others' work — "Recent detectors achieve state-of-the-art accuracy" — reports nothing measured here)
    evaluative = [(s.start_char, s.end_char) for s in sentences(doc)
                  if mentions(EVALUATION, t := span_text(s)) and not mentions(BACKGROUND, t)]
    return claims, evaluative


def reported_metrics(doc: Doc) -> set[str]:
    """Keys of the metrics the paper reports as measured: named in a sentence that makes a
    comparison or reports a result, or right next to a number ("75.9% accuracy", "FID of 2.1")."""
    learned = reported_metrics_learned(doc)
    if learned is not None:
        return learned
    claims, evaluative = _claimed_spans(doc)
    claimed = claims + evaluative
    text = text_of(doc)
    keys = set()
    for ent in doc._.entities:
        if ent.label != "METRIC" or ent.surface.lower().endswith((" loss", " losses")):
            continue
        if any(c.component == "proposal" for c in ent.mentions):
            keys.add(ent.key)  # a metric the paper introduces ("the FRESCO score, a metric …")
            continue
        for c in ent.mentions:
            s, e = c.span.start_char, c.span.end_char
            if not names_a_measurement(text, s, e):
                continue
            if any(a <= s < b for a, b in claimed) or NUMBER_NEAR.search(text[max(0, s - 40):s]) \
                    or NUMBER_NEAR.search(text[e:e + 12]):
                keys.add(ent.key)
                break
    return keys


CUES = {
    "cue_achieve": re.compile(r"\b(?:achiev|obtain|attain|reach)\w*", re.IGNORECASE),
    "cue_compare": re.compile(r"\b(?:higher|lower|better|worse|outperform\w*|surpass\w*|than)\b", re.IGNORECASE),
    "cue_change": re.compile(r"\b(?:improv|increas|reduc|boost|decreas|drop)\w*", re.IGNORECASE),
    "cue_tie": re.compile(r"\b(?:competitive|comparable|on par|similar)\b", re.IGNORECASE),
    "cue_terms": re.compile(r"\bin terms of\b", re.IGNORECASE),
    "cue_sota": re.compile(r"\b(?:state[- ]?of[- ]?the[- ]?art|record|best|highest)\b", re.IGNORECASE),
    "cue_report": re.compile(r"\b(?:report|measur|evaluat|metric)\w*", re.IGNORECASE),
    "cue_we": re.compile(r"\b(?:we|our)\b", re.IGNORECASE),
    "cue_number": re.compile(r"\d"),
}


def metric_features(doc: Doc, ent, claims: list[tuple[int, int]]) -> dict[str, float]:
    """Features of one METRIC entity: the cues of the sentences it is named in."""
    text = text_of(doc)
    title_end = text.find("\n")
    f: dict[str, float] = {"mentions": min(len(ent.mentions), 4) / 4, "in_vocabulary": float(ent.in_vocabulary),
                           "phrase": float(all(c.component == "metric_phrase" for c in ent.mentions)),
                           "one_word": float(" " not in ent.surface and "-" not in ent.surface),
                           "acronym": float(ent.surface.isupper())}
    for c in ent.mentions:
        s, e = c.span.start_char, c.span.end_char
        sent = next((x for x in sentences(doc) if x.start_char <= s < x.end_char), None)
        words = span_text(sent) if sent is not None else ""
        for name, rx in CUES.items():
            if rx.search(words):
                f[name] = 1.0
        if any(a <= s < b for a, b in claims):
            f["in_claim_or_result"] = 1.0
        if NUMBER_NEAR.search(text[max(0, s - 40):s]) or NUMBER_NEAR.search(text[e:e + 12]):
            f["number_next_to_it"] = 1.0
        if s < title_end:
            f["in_title"] = 1.0
    return f


def metric_rows(doc: Doc) -> list[tuple[object, dict[str, float]]]:
    claims, _ = _claimed_spans(doc)
    return [(ent, metric_features(doc, ent, claims)) for ent in doc._.entities if ent.label == "METRIC"]


def reported_metrics_learned(doc: Doc) -> set[str] | None:
    model = active_model(MODEL)
    if model is None:
        return None
    return {ent.key for ent, f in metric_rows(doc) if model.prob(f) >= model.threshold}
