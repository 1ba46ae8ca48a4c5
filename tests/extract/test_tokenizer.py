"""The tokenizer the pipeline builds: spaCy's English rules with our changes."""

from __future__ import annotations

import spacy


def test_whitespace_tokens_are_spacys_without_its_whitespace_exceptions(nlp):
    # the pipeline drops spaCy's exceptions for "\n", "\t" and " " (they make the tokenizer run
    # its special-case matcher over every abstract); each whitespace run must stay the token it was
    text = "A Title\nWe  propose\tX-Net (XN):\n\n 1) faster,\r\n2) e.g. smaller \u00a0 nets, et al. (2020)."
    reference = spacy.blank("en").tokenizer
    reference.rules = {k: v for k, v in reference.rules.items() if "(" not in k and ")" not in k}
    reference.add_special_case("al.", [{"ORTH": "al."}])
    ours = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
    assert ours == [(t.text, t.whitespace_) for t in reference(text)]
    assert ("\n", "") in ours and ("\n\n ", "") in ours and ("al.", " ") in ours


def test_a_title_ends_its_own_sentence(nlp):
    doc = nlp("Wide Nets\nWide nets beat deep ones. They train fast.")
    assert [s.text.strip() for s in doc.sents] == ["Wide Nets", "Wide nets beat deep ones.", "They train fast."]
