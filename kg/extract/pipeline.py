"""The extraction pipeline: ``spacy.blank("en")`` plus our registered components.

    sentencizer → kg_title_boundary → kg_urls → kg_abbreviations → kg_terms → kg_names
    → kg_tasks → kg_metric_phrases → kg_resolve → kg_proposed → kg_comparisons → kg_results
    → kg_claim_scorer → kg_result_scorer (the learned confidences, kg.learn)

Each component puts its results on the Doc; :func:`to_extraction` reads them into the record
that crosses module boundaries. No statistical model is needed.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import (  # noqa: F401
    abbreviations,
    claim_scorer,
    comparisons,
    metric_phrases,
    names,
    proposed,
    resolve,
    result_scorer,
    results,
    tasks,
    terms,
)

# Importing the modules registers their factories.
from kg.extract.candidates import span_text, text_of, tokens_of
from kg.extract.claims import proposed_name
from kg.extract.reported import reported_metrics
from kg.extract.urls import find_urls
from kg.models import Extraction, Mention, Paper

COMPONENTS = (
    "kg_title_boundary", "kg_urls", "kg_abbreviations", "kg_terms", "kg_names", "kg_tasks", "kg_metric_phrases",
    "kg_resolve", "kg_proposed",
    "kg_comparisons", "kg_results", "kg_claim_scorer", "kg_result_scorer",
)

if not Doc.has_extension("urls"):
    Doc.set_extension("urls", default=[])


@Language.component("kg_title_boundary")
def title_boundary(doc: Doc) -> Doc:
    """The title is a sentence of its own: it ends at the first newline."""
    newline = text_of(doc).find("\n")
    if newline < 0:
        return doc
    idx = tokens_of(doc).idx
    # the first token that starts after the newline
    after = next((i for i in range(len(idx)) if idx[i] > newline), None)
    if after is not None and after > 0:
        doc[after].is_sent_start = True
    return doc


@Language.component("kg_urls")
def url_component(doc: Doc) -> Doc:
    doc._.urls = find_urls(text_of(doc))
    return doc


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    nlp = spacy.blank("en")
    # "… on ADE20K." — split a sentence-final period from names ending in a capital or digit
    # (spaCy keeps "ADE20K." whole); abbreviations such as "e.g." are tokenizer exceptions and
    # are not affected.
    # "13.2fps": a rate written glued to its number is the metric it names (spaCy splits "10km"
    # by its own unit list, which has no frame rate)
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[A-Z0-9])\.$", r"(?<=[0-9])(?:fps|FPS)$"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # "Wortsman et al. (2020) proposed SupSup": "al." abbreviates, it ends no sentence (split
    # there, "(2020) proposed SupSup" lost the citation that makes it prior work)
    nlp.tokenizer.add_special_case("al.", [{ORTH: "al."}])
    # Two kinds of spaCy's exceptions go. Its emoticons ("):", "8)", ":(") are parentheses of
    # scientific text: in "super resolution (SR): 1) augmentation …" the token "):" hid the
    # parenthesis that closes "(SR". Its identity exceptions for "\n", "\t" and " " make it run
    # its special-case matcher over every document that contains one (every abstract: the title
    # ends in a newline) — nine tenths of the tokenizer's time; without them each whitespace run
    # is the same token.
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items()
                           if "(" not in k and ")" not in k and k not in ("\n", "\t", " ")}
    nlp.add_pipe("sentencizer")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


MAX_TASKS = 5
MIN_TASKS = 2
TITLE_TASK_CUES = {"for", "on", "of", "in", "to", "towards", "toward"}
TASK_CUES = {"for", "on", "in", "of", "towards", "toward", "address", "addresses", "tackle", "tackles", "solve", "solves"}


MEANS_CUES = {"via", "through", "using", "use", "uses", "with", "by", "leveraging", "leverage", "leverages",
              "from", "facilitate", "facilitates"}  # "… through contrastive learning": a tool, not the task
# "… embedding space", "… learning scheme": the task words name a part of what the paper
# builds ("methods", "models" after a task are about the task: "knowledge distillation methods")
MODIFIED_NOUNS = {"space", "spaces", "scheme", "network", "networks", "module", "modules", "layer", "layers",
                  "loss", "losses", "head", "heads", "periods", "objective", "objectives", "block", "blocks",
                  "theory"}
LIST_JOINS = {",", "and", "or"}


def _listed_tasks(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    """Start tokens of task mentions written in a list with another task mention ("image
    classification, object detection and segmentation"): a paper lists the tasks it works on."""
    start_of = {end: start for start, end in spans}
    listed = set()
    for start, _ in spans:
        join = start - 1
        if join >= 1 and doc[join].lower_ in ("and", "or") and doc[join - 1].text == ",":
            join -= 1  # the serial comma: "A, B, and C"
        if join >= 1 and doc[join].lower_ in LIST_JOINS and join in start_of:
            listed |= {start, start_of[join]}
    return listed


def main_tasks(doc: Doc) -> set[str]:
    """Keys of the paper's main tasks: named in the title, repeated, listed with other tasks, or
    defined with an acronym."""
    title_end = text_of(doc).find("\n")
    mentions = [(c.span.start, c.span.end) for e in doc._.entities if e.label == "TASK" for c in e.mentions]
    listed = _listed_tasks(doc, mentions)
    scored, passing = [], []
    for i, ent in enumerate(e for e in doc._.entities if e.label == "TASK"):
        score = 0.0
        in_title = [c for c in ent.mentions if c.span.start_char < title_end]
        if any(c.span.start == 0 or doc[c.span.start - 1].lower_ in TITLE_TASK_CUES for c in in_title):
            score += 2.0  # "… for Link Prediction": what the paper is for
        elif in_title:
            score += 1.0  # a title phrase elsewhere more often names the method
        score += 0.5 * (len(ent.mentions) - 1)
        if any(c.component == "abbreviation" for c in ent.mentions):
            score += 0.5
        single = " " not in ent.surface and "-" not in ent.surface
        if single:
            score -= 0.5  # one word ("clustering", "denoising", "PEFT")
        # a phrase that merely ends in a task word, one generic word ("its interpretability"), a
        # tool ("through contrastive learning") or part of the model ("the embedding space"),
        # said in passing: only when the paper names too few tasks otherwise
        weak = (single and ent.surface[1:].islower()
                or all(c.component == "task_phrase" for c in ent.mentions)
                or all(c.span.start > 0 and doc[c.span.start - 1].lower_ in MEANS_CUES
                       or c.span.end < len(doc) and doc[c.span.end].lower_ in MODIFIED_NOUNS
                       for c in ent.mentions))
        cued = any(c.span.start > 0 and doc[c.span.start - 1].lower_ in TASK_CUES or c.span.start in listed
                   for c in ent.mentions)
        if score <= 0 and weak and not cued:
            passing.append((-score, i, ent.key))
            continue
        scored.append((-score, i, ent.key))
    if len(scored) < MIN_TASKS:
        scored += sorted(passing)[: MIN_TASKS - len(scored)]
    return {key for _, _, key in sorted(scored)[:MAX_TASKS]}


def to_extraction(paper: Paper, doc: Doc) -> Extraction:
    ex = Extraction(paper=paper)
    keep_tasks = main_tasks(doc)
    keep_metrics = reported_metrics(doc)  # kg.extract.reported: the rules, or the learned model
    for ent in doc._.entities:
        if ent.label == "TASK" and ent.key not in keep_tasks:
            continue
        if ent.label == "METRIC" and ent.key not in keep_metrics:
            continue
        name = ent.surface  # the paper's spelling; mentions carry the canonical key and name
        if ent.label == "METHOD":
            (ex.methods_proposed if ent.proposed else ex.methods).append(name)
        elif ent.label == "DATASET":
            ex.datasets.append(name)
            if ent.proposed:
                ex.datasets_proposed.append(name)
        elif ent.label == "METRIC":
            ex.metrics.append(name)
        elif ent.label == "TASK":
            ex.tasks.append(name)
        for c in ent.mentions:
            ex.mentions.append(
                Mention(
                    text=span_text(c.span), label=ent.label, start=c.span.start_char, end=c.span.end_char,
                    key=ent.key, name=ent.name, component=c.component,
                    confidence=round(float(c.confidence), 2), proposed=ent.proposed,
                )
            )
    for url in doc._.urls:
        (ex.repos if url.is_repo else ex.urls).append(url.url)
        ex.mentions.append(
            Mention(text=text_of(doc)[url.start:url.end], label="REPO" if url.is_repo else "URL",
                    start=url.start, end=url.end, key=url.url.lower(), name=url.url,
                    component="urls", confidence=0.99)
        )
    ex.mentions.sort(key=lambda m: (m.start, m.end))
    ex.comparisons = list(doc._.comparisons)
    ex.results = list(doc._.results)
    ex.proposed = proposed_name(doc)
    return ex


def new_doc(nlp: Language, text: str) -> Doc:
    """The tokenised text, with the text itself kept for :func:`text_of` (spaCy's ``doc.text``
    rebuilds it from every token: a third of the tokenizer's time again)."""
    doc = nlp.make_doc(text)
    doc.user_data["kg_text"] = text
    return doc


def extract(paper: Paper) -> Extraction:
    """Extract everything from one paper."""
    nlp = build_nlp()
    return to_extraction(paper, nlp(new_doc(nlp, paper.text)))
