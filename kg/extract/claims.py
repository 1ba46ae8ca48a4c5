"""Who the claims are about: the paper's own method, and the sentence's subject.

Shared by comparisons and results: "our method", "we", "the proposed approach" resolve to the
paper's proposed method (or ``THIS_PAPER`` when it has no name).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract.candidates import span_text, text_of
from kg.models import SOTA, THIS_PAPER  # noqa: F401 (re-exported)

INSTRUMENT = {"using", "with", "on", "via", "of", "to", "from", "in", "into", "by", "like", "as",
              "than", "over", "against", "unlike", "including"}
COORDINATION = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|/|&)?\s*", re.IGNORECASE)
# Confidence of a claim whose subject is implied (nothing named, no "we/our"): the paper's method.
IMPLIED = 0.6
SELF_MENTION = re.compile(
    r"\b(?:we|our|ours|the (?:proposed|presented|introduced)|this (?:method|approach|model|framework|work|paper|technique|"
    r"system|architecture)|the (?:method|approach|model|framework|resulting \w+))\b",
    re.IGNORECASE,
)


def proposed_name(doc: Doc) -> str:
    """The paper's main proposed method: the title's name first, else the first proposed one."""
    methods = [e for e in doc._.entities if e.label == "METHOD" and e.proposed]
    if not methods:
        return THIS_PAPER
    if all(e.proposed_p is not None for e in methods):  # the learned model ranks them
        return max(methods, key=lambda e: e.proposed_p).surface
    in_title = [e for e in methods if any(c.component == "title_prefix" for c in e.mentions)]
    return (in_title or methods)[0].surface


def entity_spans(sent: Span, label: str) -> list[Span]:
    """Resolved entities of one label inside a sentence (from the list kg_resolve keeps)."""
    ents = sent.doc.user_data.get("kg_ents")
    if ents is None:
        ents = sent.doc.user_data["kg_ents"] = list(sent.doc.ents)
    return [e for e in ents if e.label_ == label and sent.start <= e.start and e.end <= sent.end]


def name_of(doc: Doc, span: Span) -> str:
    for ent in doc._.entities:
        if ent.key == span.kb_id_ and ent.label == span.label_:
            return ent.surface
    return span_text(span)


# what may open a clause before its subject: "In experiments, ", "On ImageNet, ", "Moreover, the "
CLAUSE_OPENING = re.compile(r"\W*(?:[\w'’-]+(?:\s+[\w'’-]+){0,3}\s*,\s*)?(?:(?:the|our|a|an)\s+)?")


def main_subject(doc: Doc, sent: Span, char: int, after: int | None = None) -> str | None:
    """The method a clause opens with, before ``char``: the subject a participle claim refers back
    to ("TTUR improves learning for DCGANs and WGAN-GP, outperforming …" is TTUR's win, not
    WGAN-GP's); None when the clause does not open with a method."""
    lo = sent.start_char if after is None else after
    first = next((e for e in entity_spans(sent, "METHOD") if lo <= e.start_char and e.end_char <= char), None)
    if first is None or not CLAUSE_OPENING.fullmatch(text_of(doc)[lo:first.start_char]):
        return None
    return name_of(doc, first)


def subjects_before(doc: Doc, sent: Span, char: int, after: int | None = None) -> tuple[list[str], float]:
    """The methods a claim at ``char`` is about, and how sure we are.

    The nearest method named before the claim in the same sentence — with the methods
    coordinated with it ("NCN and NCNC outperform …") — unless "our/we/the proposed" comes after
    it; with neither, the paper's own method (less sure).
    """
    # a method used as an instrument ("using ResNet-50", "on BERT") is not the claim's subject
    lo = sent.start_char if after is None else after
    methods = [e for e in entity_spans(sent, "METHOD") if lo <= e.start_char and e.end_char <= char
               and not _after_preposition(doc, sent, e) and not _in_examples(doc, sent, e)]
    last_method = methods[-1] if methods else None
    own = _own_instrument(doc, lo, char)
    if own is not None and (last_method is None or own.start_char > last_method.end_char):
        # "the V-MoE-Base model trained using m2mKD achieves …": the paper's method is what wins
        return [name_of(doc, own)], 0.8
    self_refs = [m for m in SELF_MENTION.finditer(text_of(doc), lo, char)]
    if self_refs and (last_method is None or self_refs[-1].start() > last_method.end_char
                      or _object_of_verb(doc, last_method, self_refs[-1].end())):
        return [proposed_name(doc)], 0.85
    if last_method is None:
        return [proposed_name(doc)], IMPLIED
    group = [last_method]
    for prev in reversed(methods[:-1]):
        between = text_of(doc)[prev.end_char:group[-1].start_char]
        if not COORDINATION.fullmatch(between):
            break
        group.append(prev)
    names = list(dict.fromkeys(name_of(doc, e) for e in reversed(group)))
    return names, 0.8


def _after_preposition(doc: Doc, sent: Span, method: Span) -> bool:
    """The method is the object of a preposition ("using ResNet-50", "than the original FlowNet",
    "on BERT"), so not a subject; up to two lowercase words (an article, "original") between."""
    k = method.start - 1
    for _ in range(3):
        if k < sent.start:
            return False
        word = doc[k].lower_
        if word in INSTRUMENT:
            return True
        if not (doc[k].is_alpha and doc[k].is_lower) or word in CLAUSE_WORDS:
            return False
        k -= 1
    return False


CLAUSE_WORDS = {"and", "or", "but", "while", "that", "which", "we", "our", "it", "is", "are", "was", "were"}
EXAMPLES_OPEN = re.compile(r"\((?:i\.\s?e\.|e\.\s?g\.|such as|including|like)[^()]*$", re.IGNORECASE)


def _in_examples(doc: Doc, sent: Span, method: Span) -> bool:
    """Named inside a parenthesised list of examples ("… and methods (i.e. A+, SR-CNN, ANR) and
    achieve …"): something the sentence's subject works on, never the subject."""
    return bool(EXAMPLES_OPEN.search(text_of(doc), sent.start_char, method.start_char))


def _own_instrument(doc: Doc, lo: int, char: int) -> Span | None:
    """The paper's proposed method, named as the means of a subject before a claim ("X trained
    with OurMethod", "X equipped with OurMethod")."""
    own = {e.key for e in doc._.entities if e.label == "METHOD" and e.proposed}
    for e in reversed([e for e in doc.user_data.get("kg_ents") or doc.ents
                       if e.label_ == "METHOD" and lo <= e.start_char and e.end_char <= char]):
        if e.kb_id_ in own and e.start > 0 and doc[e.start - 1].lower_ in ("using", "with", "by", "via"):
            return e
    return None


def _object_of_verb(doc: Doc, method: Span, after: int) -> bool:
    """ "we can reconstruct DS better than …": the method right after our verb is its object,
    not the claim's subject (a clause — "we show that X …" — would make it the subject)."""
    if method.start == 0:
        return False
    prev = doc[method.start - 1]
    between = text_of(doc)[after:prev.idx]
    return (prev.is_alpha and prev.is_lower and prev.lower_ not in NOT_VERBS
            and not re.search(r"\b(?:that|which|where|whether|how)\b|,", between))


NOT_VERBS = {"that", "which", "and", "or", "the", "a", "an", "our", "their", "its", "while", "when",
             "proposed", "new", "novel", "resulting", "both", "also", "then", "thus", "hence"}


def subject_before(doc: Doc, sent: Span, char: int) -> tuple[str, float]:
    """The single method a claim is about (the last of a coordinated group)."""
    names, conf = subjects_before(doc, sent, char)
    return names[-1], conf
