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


def test_caseless_search_keeps_the_texts_offsets():
    import re

    from kg.extract.candidates import finditer_caseless

    rx = re.compile(r"outperform\w*", re.IGNORECASE)
    text = "X-Net OUTPERFORMS ResNet and Outperforms ViT."
    assert [text[m.start():m.end()] for m in finditer_caseless(rx, text)] == ["OUTPERFORMS", "Outperforms"]
    # "İ" lowercases to two characters: the search falls back to the pattern itself
    text = "İzmir-Net outperforms ResNet."
    assert [(m.start(), m.end()) for m in finditer_caseless(rx, text)] == [(10, 21)]


def test_a_claim_after_a_character_whose_lowercase_is_longer_is_still_read(extract_text):
    ex = extract_text("İzmirNet", "İzmirNet outperforms ResNet-50 on ImageNet by 2.1% top-1 accuracy.")
    assert [(c.winner, c.loser, c.dataset) for c in ex.comparisons] == [("İzmirNet", "ResNet-50", "ImageNet")]
