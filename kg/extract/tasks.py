"""Task phrases that no vocabulary lists: "accelerated MRI reconstruction", "model merging".

A task is a short noun phrase ending in a task head word (reconstruction, segmentation,
learning, …) with up to three modifiers before it: lowercase words, hyphenated compounds or
acronyms (MRI, 3D). Phrases in the title, or named after "for", "on" or "task of", count most;
only the best few per paper are kept.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import Candidate, add_candidates, text_of, tokens_of
from kg.extract.names import TASK_HEADS

EXTRA_HEADS = {"merging", "ensembling", "pruning", "fine-tuning", "pre-training", "pretraining",
               "inference", "editing", "estimation", "try-on", "captioning", "grokking",
               "decomposition", "regression", "synthesis", "translation", "answering",
               "stylization", "robustness", "decoding", "interpolation", "rescaling", "profiling",
               "erasing", "erasure", "customization", "visualization", "forgetting", "embedding",
               "control", "analysis", "transfer", "discovery", "search", "modeling", "modelling",
               "counting", "anticipation", "identification", "condensation", "debiasing", "tracing",
               "fitting", "patching", "inversion", "perception"}
HEADS = (TASK_HEADS | EXTRA_HEADS) - {"matching", "alignment"}
# Modifiers that describe the paper's method or quality, not the task.
NOT_MODIFIERS = set(
    """a an the this that these those our their its his her we they it which who whose of for to
    in on at by with from into via and or but as is are was were be been being can could may
    might will would should must not no novel new proposed existing previous prior current recent
    various different several many more most less better improved strong simple effective
    efficient robust fast scalable accurate general generic unified powerful large small deep
    further such other same both each all any some how what when where while also only than then
    based using towards toward across over under between among without within through about
    however thus hence first second two three one high low key main standard conventional
    traditional typical significant extensive comprehensive state-of-the-art sota good careful
    final original enable enables learn learns call calls make makes use uses show shows allow
    allows perform performs improve improves achieve achieves provide provides require requires
    during after before via per why simulate demanding encoding whole extra
    theoretical practical systematic systematical statistical preceding unsatisfying alternative
    minimalistic certain full diverse seamless negative positive single user potential possible
    enhance enhances have has mitigate mitigates facilitate facilitates compare compares
    disentangle disentangles process processes prevent prevents avoid avoids support supports
    study studies address addresses tackle tackles handle handles solve solves reduce reduces
    boost boosts transfers inject injects design designs enable exhibit exhibits display displays
    share shares involve involves shown bridge bridges begin begins like tasks mean best expensive
    inferior faithful transparent iterative mathematical external next art four five six seven
    eight nine ten particular human modern classical select selects either neither superior""".split()
)
# "-ed" words that are part of task names ("self-supervised learning", "federated learning")
ED_MODIFIERS = {"supervised", "unsupervised", "self-supervised", "semi-supervised",
                "weakly-supervised", "constrained", "guided", "conditioned", "distributed",
                "federated", "embedded", "augmented", "accelerated", "grounded", "structured",
                "reinforced", "labeled", "labelled", "unlabeled", "unlabelled", "based",
                "exemplar-based", "text-guided", "model-based", "graph-based", "automated",
                "controlled", "mixed", "shared", "masked", "generalized", "personalized",
                "imbalanced", "long-tailed", "fine-grained", "unseen", "open-ended"}
# adverbs inside task names: "weakly supervised person search", "fully test-time adaptation"
ADVERB_MODIFIERS = {"weakly", "fully", "partially", "semi"}
VAGUE = {"deep learning", "machine learning", "learning", "representation", "training",
         "inference", "optimization", "analysis", "generation", "prediction", "estimation",
         "classification", "detection", "regression", "reasoning", "search", "modeling",
         "model training", "network training", "end-to-end learning", "joint learning",
         "control", "transfer", "discovery", "robustness", "embedding", "decoding",
         "further analysis", "theoretical analysis", "empirical analysis", "ablation analysis",
         "style transfer learning", "knowledge transfer", "information transfer"}
_WORD = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$|^(?=.*[A-Z])[A-Z0-9]{2,5}$|^\d?[A-Z]{1,3}$|^[a-z][A-Z]{2,4}$")
MAX_TASKS = 5
MAX_MODIFIERS = 3  # words before the head: "weakly supervised person search"


def _modifier(word: str, in_title: bool = False) -> bool:
    low = word.lower()
    if in_title and re.fullmatch(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*", word):
        word = low  # titles capitalise every word
    if not _WORD.match(word) or low in NOT_MODIFIERS or (low.endswith("ly") and low not in ADVERB_MODIFIERS):
        return False
    if low.endswith("s") and not low.endswith(("ss", "us", "is", "ics", "ous", "series")) and "-" not in low and len(low) > 3:
        return False  # plural nouns and verbs ("networks", "integrates") do not modify a task
    if low.endswith("ing") and in_title:
        return False  # "Representing", "Towards Understanding": title verbs
    if low.endswith("ed") and low not in ED_MODIFIERS and not low.endswith(("-based", "-guided", "-supervised")):
        return False  # "presented", "utilized": verbs, not part of a task's name
    return True


def find_task_phrases(doc: Doc) -> list[tuple[list[tuple[int, int]], float]]:
    """Task phrases, best first: the (start, end) tokens of each occurrence, and the score of the
    best placed one."""
    table = tokens_of(doc)
    newline = text_of(doc).find("\n")
    title_end = next((i for i, x in enumerate(table.idx) if x > newline), len(doc)) if newline >= 0 else len(doc)
    spans: dict[str, list[tuple[int, int]]] = {}  # every occurrence of a phrase (lowercased)
    best: dict[str, float] = {}
    for i in [i for i, low in enumerate(table.lower) if low in HEADS]:
        tok = doc[i]
        # the head must end the phrase: not followed by a noun-ish word of the same compound
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and not tok.whitespace_ and nxt.text == "-":
            continue
        start, words = tok.i, 0
        while start > 0 and words < MAX_MODIFIERS:
            prev = doc[start - 1]
            if prev.text == "-" and start > 1 and not prev.whitespace_ and not doc[start - 2].whitespace_:
                start -= 2  # a hyphenated compound: "class - incremental"
                continue
            if not _modifier(prev.text, in_title=tok.i < title_end or bool(prev.is_sent_start)):
                break
            start -= 1
            if prev.whitespace_ or start + 1 == tok.i:
                words += 1  # "text-to-image" is one modifier, not five tokens
        while start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
                and not doc[start - 2].whitespace_:
            start -= 2  # the rest of a glued compound: "end-to-end", "Exocentric-to-Egocentric"
        if doc[start].text == "-":
            start += 1
        while start < tok.i and doc[start].lower_.endswith("ing") and doc[start].whitespace_:
            start += 1  # "avoiding catastrophic forgetting": a verb, then the task
        if start == tok.i:
            continue
        phrase = doc[start : tok.i + 1].text
        key = phrase.lower()
        if key in VAGUE or len(phrase) < 6:
            continue
        before = doc[start - 1].lower_ if start > 0 else ""
        score = 1.0
        task_cue = before in ("for", "on", "of", "in", "to", "towards", "toward", "address", "tackle")
        if tok.i < title_end:
            # "… for Weakly Supervised Person Search" names the task; a title's opening phrase
            # ("Bootstrap Masked Visual Modeling via …") more often names the method
            score += 2.0 if task_cue or start == 0 else 1.0
        if task_cue:
            score += 0.5
        if tok.lower_ in ("learning",) and tok.i >= title_end:
            score -= 0.5
        spans.setdefault(key, []).append((start, tok.i + 1))
        best[key] = max(best.get(key, score), score)
    ranked = sorted(spans, key=lambda k: -(best[k] + 0.5 * (len(spans[k]) - 1)))
    return [(spans[k], best[k]) for k in ranked]


@Language.factory("kg_tasks")
def make_tasks(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        found = []
        for occurrences, score in find_task_phrases(doc)[: MAX_TASKS]:
            for start, end in occurrences:
                found.append(Candidate(doc[start:end], "TASK", "task_phrase", round(min(0.9, 0.4 + 0.1 * score), 2)))
        add_candidates(doc, found)
        return doc

    return component
