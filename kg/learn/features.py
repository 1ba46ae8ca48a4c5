"""What the learned models look at: features of a method entity found in one paper.

Every feature is about structure and evidence (which finder proposed the name, where it
appears, what surrounds it, its shape), never about the name itself, so that the model
generalises to names it has never seen.
"""

from __future__ import annotations

import math
import re

from spacy.tokens import Doc

from kg.extract.candidates import sentences, text_of
from kg.extract.shapes import has_name_shape, is_acronym

_PROPOSE = re.compile(r"\b(?:we|this (?:paper|work)|here)\b[^.;]{0,40}?\b(?:propos|introduc|present|develop|"
                      r"design|devis|build|creat|formulat|describ|offer)\w*\b[^.;]*$", re.IGNORECASE)
_NAMING = re.compile(r"\b(?:called|named|termed|dubbed|coined|namely|which we call|we call)\W*$", re.IGNORECASE)
OUR_BEFORE = re.compile(r"\b(?:our|the proposed|this)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:than|over|compared (?:to|with)|such as|like|e\.g\.|including|versus|vs\.?|against|"
                       r"unlike|based on|built on|on top of|using|with|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
                       re.IGNORECASE)
_PRIOR = re.compile(r"\b(?:recent|previous|prior|existing|popular|standard|conventional|baseline|"
                    r"state-of-the-art|classic|traditional)\b", re.IGNORECASE)
_WINS_AFTER = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:outperform|surpass|achiev|improv|beat|exceed|set|obtain|yield)",
                         re.IGNORECASE)
_HEADS = re.compile(r"(?:net|network|networks|model|former|gan|bert|former|er|module|attention|loss|"
                    r"learning|training|pooling|embedding|embeddings|regularization)$", re.IGNORECASE)
_PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]s$")

COMPONENTS = ("title_prefix", "title_phrase", "title_guess", "naming_cue", "proposal", "vocabulary",
              "abbreviation", "titlecase", "shape", "dataset_context")


def method_features(doc: Doc, ent, order: int, n_methods: int) -> dict[str, float]:
    """Features of one METHOD entity (``kg.extract.resolve.Entity``) of ``doc``."""
    text = text_of(doc)
    title_end = text.find("\n")
    if title_end < 0:
        title_end = len(text)
    f: dict[str, float] = {}
    comps = {c.component for c in ent.mentions}
    for comp in COMPONENTS:
        if comp in comps:
            f[f"found:{comp}"] = 1.0
    f["rule_proposed"] = float(ent.proposed)
    f["in_vocabulary"] = float(ent.in_vocabulary)
    f["vocabulary_only"] = float(comps == {"vocabulary"})
    n = len(ent.mentions)
    f["log_mentions"] = math.log1p(n)
    f["single_mention"] = float(n == 1)
    in_title = [c for c in ent.mentions if c.span.start_char < title_end]
    f["in_title"] = float(bool(in_title))
    f["untitled_paper"] = float(title_end == 0)
    sents = sentences(doc)
    first = min(c.span.start_char for c in ent.mentions)
    sent_index = next((i for i, s in enumerate(sents) if s.start_char <= first < s.end_char), 0)
    f["first_sentence_rank"] = min(sent_index, 8) / 8
    f["first_method"] = float(order == 0)
    f["only_method"] = float(n_methods == 1)
    surface = ent.surface
    words = surface.split()
    f["acronym"] = float(is_acronym(surface))
    f["name_shape"] = float(all(has_name_shape(w) for w in words) if words else 0.0)
    f["lowercase"] = float(surface.islower())
    f["multiword"] = float(len(words) > 1)
    f["long_phrase"] = float(len(words) > 4)
    f["has_digit"] = float(any(ch.isdigit() for ch in surface))
    f["method_head"] = float(bool(_HEADS.search(surface.replace(" ", ""))))
    f["plural_acronym"] = float(bool(_PLURAL_ACRONYM.match(surface)))
    propose = naming = our = compared = prior = wins = 0
    for c in ent.mentions:
        start, end = c.span.start_char, c.span.end_char
        sent = next((s for s in sents if s.start_char <= start < s.end_char), None)
        before = text[sent.start_char if sent is not None else 0:start]
        propose |= bool(_PROPOSE.search(before))
        naming |= bool(_NAMING.search(before[-40:]))
        our |= bool(OUR_BEFORE.search(before[-40:]))
        compared |= bool(_COMPARED.search(before[-40:]))
        prior |= bool(_PRIOR.search(before[-30:]))
        wins |= bool(_WINS_AFTER.match(text[end:end + 60]))
    f["after_proposal_verb"] = float(propose)
    f["after_naming_cue"] = float(naming)
    f["after_our"] = float(our)
    f["after_comparison_word"] = float(compared)
    f["after_prior_word"] = float(prior)
    f["subject_of_win"] = float(wins)
    f["abbreviation_defined"] = float("abbreviation" in comps)
    return f
