import pytest

from kg.extract.abbreviations import is_short_form, match_long_form


def pairs(nlp, text):
    return [(a.long_text, a.short_text) for a in nlp("Title\n" + text)._.abbreviations]


def test_pairs_long_and_short_forms(nlp):
    text = ("We propose Gated Class-Attention (GCA) and a Cascaded Feature Drift Compensation (CFDC) "
            "module for class-incremental learning (CIL).")
    assert pairs(nlp, text) == [
        ("Gated Class-Attention", "GCA"),
        ("Cascaded Feature Drift Compensation", "CFDC"),
        ("class-incremental learning", "CIL"),
    ]


def test_an_acronym_whose_letters_start_the_words_before_it_takes_them_all(nlp):
    # letter-by-letter matching would find the second S inside "successor" and stop there
    text = "We introduce the substochastic successor representation (SSR) for exploration."
    assert pairs(nlp, text) == [("substochastic successor representation", "SSR")]


def test_hyphenated_short_form_and_long_long_form(nlp):
    text = "We introduce the Prototype Routing Network with Vector Quantization (PRN-VQ) here."
    assert pairs(nlp, text) == [("Prototype Routing Network with Vector Quantization", "PRN-VQ")]


def test_parentheses_without_an_abbreviation_are_ignored(nlp):
    assert pairs(nlp, "It runs fast (see Table 2) and accurately (e.g., on images).") == []
    assert pairs(nlp, "The error drops (from 3.1 to 2.4) overall.") == []


def test_short_form_must_match_the_words_before_it(nlp):
    assert pairs(nlp, "We train a large network (XYZ) on images.") == []


@pytest.mark.parametrize("text, ok", [("GCA", True), ("AM-Adapter", True), ("e.g.", False),
                                      ("2024", False), ("see Table 2", False), ("x", False)])
def test_short_form_shape(text, ok):
    assert is_short_form(text) is ok


def test_match_long_form_start():
    words = "we use single shot network pruning"
    assert words[match_long_form("SNP", words):] == "shot network pruning"


def test_short_form_before_its_long_form_in_parentheses(nlp):
    text = "Hence we propose TriMoE (Tri-level Mixture of Experts), which routes tokens."
    assert pairs(nlp, text) == [("Tri-level Mixture of Experts", "TriMoE")]


def test_capitalised_word_before_an_aside_is_not_a_short_form(nlp):
    assert pairs(nlp, "We use Transformers (a kind of sequence model) for this.") == []
    assert pairs(nlp, "It uses ResNet (see the appendix for details) as backbone.") == []


def test_a_short_form_before_a_colon_and_a_numbered_list_is_still_defined(extract_text):
    # spaCy reads "):" and "8)" as emoticons; here they close parentheses
    ex = extract_text("Seven Tricks", "We improve single image super resolution (SR): 1) more data, 2) larger "
                                      "dictionaries (see Section 8). We evaluate on standard SR benchmarks.")
    assert "SR" not in ex.metrics  # the paper's SR is super resolution, not the success rate
