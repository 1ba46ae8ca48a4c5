"""Comparison claims: "X outperforms Y on D by N% M", "achieves state-of-the-art on D1 and D2".

One claim per (loser, dataset) pair. An unnamed loser ("state-of-the-art methods", "baselines")
is ``SOTA``. Negated claims ("does not outperform") and ties ("comparable to") are not claims.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.claims import SOTA, entity_spans, name_of, subjects_before
from kg.models import Comparison

if not Doc.has_extension("comparisons"):
    Doc.set_extension("comparisons", default=[])

BEATS = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|out-perform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|"
    r"exceed(?:s|ed|ing)?|outstrip(?:s|ped|ping)?|outclass(?:es|ed|ing)?|outmatch(?:es|ed|ing)?|"
    r"improv(?:e|es|ed|ing) (?:over|upon|on)|improvements? (?:over|upon)|"
    r"(?:gains?|advantages?|superiority|margins?|boost) over|"
    r"superiority of (?:our|the proposed) \w+(?: \w+)? over|"
    r"(?:better|superior|stronger|higher|faster|greater|lower|fewer|smaller) (?:\w+ ){0,2}than|"
    r"superior (?:\w+ ){0,2}(?:to|over|compared (?:to|with))|"
    r"favou?rably (?:against|to|with)|"
    r"(?:achiev|obtain|deliver|show|demonstrat|yield)\w* (?:\w+ ){0,2}(?:superior|better) (?:\w+ ){0,2}"
    r"(?:performance|results|accuracy)|"
    r"(?:a|the) new state[- ]of[- ]the[- ]art)\b",
    re.IGNORECASE,
)
SOTA_ACHIEVED = re.compile(
    r"\b(?:achiev|set|establish|obtain|reach|attain|deliver|yield|report|demonstrat|show|"
    r"lead|advanc|push|acquir|produc|realiz|accomplish)\w*\b[^.;]{0,80}?"
    r"\b(?:state[- ]of[- ]the[- ]arts?|SOTA|SoTA|new records?|best(?:-in-class)? (?:results?|performance))\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|never|fail(?:s|ed)? to|cannot|can't|unable to|rarely|underperform\w*|"
    r"lag(?:s|ged)? behind)\b[^,;]{0,25}$",
    re.IGNORECASE,
)
UNNAMED_LOSER = re.compile(
    r"\b(?:state[- ]of[- ]the[- ]art|SOTA|SoTA|baselines?|existing|previous|prior|competing|"
    r"competitors?|counterparts?|alternatives?|other (?:methods|approaches|models)|"
    r"current|conventional|strong|recent|leading|standard)\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b", re.IGNORECASE)
DELTA = re.compile(
    r"\bby (?:up to |about |around |approximately |roughly |nearly |almost |over |more than |"
    r"an average of |on average |a (?:large |significant |clear )?margin of |a factor of )?"
    r"(?P<d1>\d+(?:\.\d+)?\s?(?:%|pp|percentage points?|points?|dB|x|×|times)?)"
    r"|(?P<d2>\d+(?:\.\d+)?\s?(?:%|pp|percentage points?|points?|dB))\s(?:absolute |relative |average )?"
    r"(?:higher|better|improvements?|gains?|increase|boost|lower|reduction|more|fewer|less)",
    re.IGNORECASE,
)


def find_delta(text: str) -> str | None:
    m = DELTA.search(text)
    if not m:
        return None
    return (m.group("d1") or m.group("d2")).strip()


def extract_comparisons(doc: Doc) -> list[Comparison]:
    claims: list[Comparison] = []
    seen: set[tuple] = set()
    for sent in doc.sents:
        text = sent.text
        base = sent.start_char
        for m in list(BEATS.finditer(text)) + list(SOTA_ACHIEVED.finditer(text)):
            if NEGATION.search(text[: m.start()]):
                continue
            is_sota_phrase = bool(re.search(r"state[- ]of[- ]the[- ]art|SOTA|record|best", m.group(0), re.I)) \
                and not re.match(r"(?:outperform|surpass|beat|exceed|improv)", m.group(0), re.I)
            trigger_start, trigger_end = base + m.start(), base + m.end()
            winners, conf = subjects_before(doc, sent, trigger_start)
            tail_end = sent.end_char
            clause = CLAUSE_END.search(doc.text, trigger_end, sent.end_char)
            if clause:
                tail_end = clause.start()
            losers = []
            if not is_sota_phrase:
                for span in entity_spans(sent, "METHOD"):
                    if trigger_end <= span.start_char < tail_end:
                        prev = doc[span.start - 1].lower_ if span.start > 0 else ""
                        if prev in ("on", "in", "using", "with", "via", "for"):
                            continue
                        name = name_of(doc, span)
                        if name not in winners and name not in losers:
                            losers.append(name)
            if not losers:
                losers = [SOTA]
                conf -= 0.1 if not UNNAMED_LOSER.search(doc.text[trigger_start:tail_end]) and not is_sota_phrase else 0
            datasets = [name_of(doc, s) for s in entity_spans(sent, "DATASET") if s.start_char >= trigger_start]
            if not datasets:
                datasets = [name_of(doc, s) for s in entity_spans(sent, "DATASET")]
            metrics = [name_of(doc, s) for s in entity_spans(sent, "METRIC")]
            delta = find_delta(doc.text[trigger_start:sent.end_char])
            for winner, loser in ((w, lo) for w in winners for lo in losers):
                for dataset in list(dict.fromkeys(datasets)) or [None]:
                    key = (winner, loser, dataset)
                    if key in seen:
                        continue
                    seen.add(key)
                    claims.append(
                        Comparison(
                            winner=winner,
                            loser=loser,
                            dataset=dataset,
                            metric=metrics[0] if metrics else None,
                            delta=delta,
                            sentence=text,
                            start=sent.start_char,
                            end=sent.end_char,
                            confidence=round(max(0.1, min(conf, 0.95)), 2),
                        )
                    )
    return claims


@Language.factory("kg_comparisons")
def make_comparisons(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.comparisons = extract_comparisons(doc)
        return doc

    return component
