"""One node per real thing, and candidates that are never a method or dataset (sentences
written for these tests)."""

import pytest

from kg.build import build
from kg.graph import build_tables
from kg.models import Paper
from kg.stores.ladybug import LadybugStore


@pytest.mark.parametrize("text", ["51.2mAP", "+1.3%", "bbAP", "mAP/", "APbox", "HZRS16", "wang2017sample",
                                  "Mikolajczyk2005", "abs-1711-03953", "TheUniversityofEdinburgh",
                                  "CarnegieMellonUniversity", "ResNet-like", "EM-based", "attention-free"])
def test_numbers_units_glued_metrics_and_citation_keys_are_not_names(text):
    from kg.extract.not_names import why_not_a_name
    from kg.vocab import load_vocabulary

    assert why_not_a_name(text, load_vocabulary()) is not None


@pytest.mark.parametrize("text", ["ResNet-50", "VGG16", "SODA10M", "3DMM", "GPT-4o", "YOLOv3", "T5", "node2vec",
                                  "EfficientNetV2", "GoogLeNet", "StyleGAN2"])
def test_real_names_with_digits_stay_names(text):
    from kg.extract.not_names import why_not_a_name
    from kg.vocab import load_vocabulary

    assert why_not_a_name(text, load_vocabulary()) is None


def test_a_number_glued_to_a_metric_is_no_loser(extract_text):
    ex = extract_text("PrismDet: Sharper Boxes",
                      "PrismDet reaches 51.2mAP and outperforms HZRS16 and bbAP baselines on COCO.")
    names = set(ex.methods) | set(ex.methods_proposed) | {c.loser for c in ex.comparisons}
    assert not names & {"51.2mAP", "HZRS16", "bbAP"}


def test_organisations_and_modalities_are_not_methods(extract_text):
    ex = extract_text("Scanning brains faster",
                      "We collect scans with Magnetic Resonance Imaging (MRI) at Google, released under "
                      "the Apache-2.0 licence, and compare with DeepScan on the BraTS dataset.")
    assert not {"Google", "Apache-2.0", "MRI", "Magnetic Resonance Imaging"} & set(ex.methods + ex.methods_proposed)


def test_an_organisation_named_as_a_dataset_is_that_dataset(extract_text):
    # "the Tencent and Alibaba datasets": the text itself says these are the data's names
    ex = extract_text("Profiling users", "We evaluate on the Tencent and Alibaba datasets.")
    assert {"Tencent", "Alibaba"} <= set(ex.datasets)


def test_a_vocabulary_spelling_found_by_context_is_the_vocabulary_entity(extract_text):
    ex = extract_text("Smaller Vision Models", "We train on the ImageNet-1K dataset and test on ImageNet-R.")
    keys = {m.text: m.key for m in ex.mentions if m.label == "DATASET"}
    assert keys["ImageNet-1K"] == "imagenet"
    assert keys["ImageNet-R"] == "imagenetr"  # a variant that is different data stays apart


def test_plural_and_singular_of_a_name_are_one_entity(extract_text):
    ex = extract_text("Shrinking EfficientNets",
                      "EfficientNets are strong. We prune EfficientNet and beat ViTs and ViT-B on CIFAR-10.")
    keys = {m.key for m in ex.mentions if m.text in ("EfficientNets", "EfficientNet")}
    assert keys == {"efficientnet"}


def test_a_phrase_written_plural_and_singular_is_one_entity_named_as_the_paper_names_it(extract_text):
    ex = extract_text("Factoring Images with Deep Gaussian Mixture Models",
                      "In this paper we propose a new deep generative model for images, called the Deep Gaussian "
                      "Mixture Model (Deep GMM). The Deep Gaussian Mixture Models scale well.")
    own = [m for m in ex.mentions if "Gaussian" in m.text or m.text == "Deep GMM"]
    assert len({m.key for m in own}) == 1
    assert ex.methods_proposed == ["Deep GMM"] or ex.methods_proposed == ["Deep Gaussian Mixture Model"]


def test_a_name_with_a_known_acronym_inside_is_its_spelled_out_form(extract_text):
    ex = extract_text("Scaling mixtures",
                      "We propose a scalable deep model, called the Deep Gaussian Mixture Model, that generalises "
                      "shallow mixtures. The parametrization of a Deep GMM captures products of variations.")
    keys = {m.key for m in ex.mentions if m.text in ("Deep GMM", "Deep Gaussian Mixture Model")}
    assert len(keys) == 1
    assert "Deep GMM" not in ex.methods


def test_and_and_ampersand_spell_one_name(extract_text):
    ex = extract_text("Mix & Match Diffusion Models: composing images",
                      'We call the general class of models "Mix and Match Diffusion Models". They compose images.')
    assert len(ex.methods_proposed) == 1
    assert not [m for m in ex.methods + ex.methods_proposed if m.startswith("Match")]


def test_a_describing_compound_is_no_method(extract_text):
    ex = extract_text("Resolution matters",
                      "We propose a ResNet-like architecture and a new EM-based algorithm for detection.")
    assert not {"ResNet-like", "EM-based"} & set(ex.methods + ex.methods_proposed)


def test_a_name_ending_in_s_is_not_a_plural_unless_its_stem_ends_like_a_name(extract_text):
    ex = extract_text("ElasticRes: input-adaptive depth", "ElasticRes skips residual blocks on ImageNet.")
    assert "ElasticRes" in ex.methods_proposed  # not "ElasticRe"


def _tables(*abstracts):
    from kg.extract.pipeline import extract

    papers = [Paper(id=f"p{i}", title=t, abstract=a) for i, (t, a) in enumerate(abstracts)]
    return build_tables([extract(p) for p in papers])


def test_spellings_across_papers_make_one_node_and_variants_stay_apart():
    tables = _tables(
        ("TinyNet: small", "TinyNet outperforms EfficientNets on ImageNet-1K and on CIFAR-100."),
        ("WideNet: wide", "WideNet outperforms EfficientNet on ILSVRC-2012 and on CIFAR-10."),
        ("RobustNet2: robust", "RobustNet2 outperforms EfficientNet on ImageNet-R and MS COCO."),
    )
    datasets = set(tables.nodes["Dataset"]["name"])
    assert {"ImageNet", "ImageNet-R", "CIFAR-10", "CIFAR-100", "COCO"} <= datasets
    assert not {"ImageNet-1K", "ILSVRC-2012", "MS COCO"} & datasets
    methods = list(tables.nodes["Method"]["name"])
    assert methods.count("EfficientNet") == 1 and "EfficientNets" not in methods
    shared = {}
    for row in tables.nodes["Dataset"].itertuples():
        for key in row.keys:
            assert shared.setdefault(key, row.key) == row.key, f"{key} names two Dataset nodes"


def test_a_query_finds_the_same_rows_under_any_alias(tmp_path):
    import json

    import kg

    rows = [{"id": "a1", "title": "TinyNet: small", "abstract": "TinyNet outperforms EfficientNets on ImageNet-1K."},
            {"id": "a2", "title": "WideNet: wide", "abstract": "WideNet outperforms EfficientNet on ILSVRC-2012."}]
    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with LadybugStore(tmp_path / "store") as store:
        build([str(src)], store)
    g = kg.open(tmp_path / "store")
    answers = [set(g.methods_beating("EfficientNet", d)["winner"]) for d in ("ImageNet", "ImageNet-1K", "ILSVRC")]
    assert answers[0] == answers[1] == answers[2] == {"TinyNet", "WideNet"}


def test_a_dataset_named_with_its_year_is_written_as_that_edition(extract_text):
    ex = extract_text("Segmenting tumours", "We evaluate on BraTS 2015 and translate on WMT'14 and on COCO.")
    assert {"BraTS 2015", "WMT'14", "COCO"} <= set(ex.datasets)
    keys = {m.text: m.key for m in ex.mentions if m.label == "DATASET"}
    assert keys["BraTS 2015"] == "brats"  # one benchmark, whatever the edition the paper names


def test_an_acronym_in_one_paper_and_its_long_form_in_another_are_one_node():
    tables = _tables(
        ("Prototype drift", "We propose Gated Prototype Network (GPN), which outperforms iCaRL on CIFAR-100."),
        ("ShiftNet: shifting", "ShiftNet outperforms Gated Prototype Network on CIFAR-100."),
    )
    methods = tables.nodes["Method"]
    gpn = methods[methods["keys"].map(lambda keys: "gpn" in keys or "gatedprototypenetwork" in keys)]
    assert len(gpn) == 1 and {"gpn", "gatedprototypenetwork"} <= set(gpn.iloc[0]["keys"])
    beats = tables.edges[("BEATS", "Method", "Method")]
    assert ("shiftnet", gpn.iloc[0]["key"]) in set(zip(beats["from"], beats["to"]))


def test_an_acronym_two_papers_expand_differently_joins_nothing():
    tables = _tables(
        ("Sensing", "We propose Compressed Sparse Coding (CSC), which beats OMP on Set5."),
        ("Search", "We propose Contrastive Sequence Completion (CSC), which beats BeamSearch on WMT."),
        ("Both", "CSC outperforms OMP on Set14."),
    )
    keys = list(tables.nodes["Method"]["keys"])
    assert any("compressedsparsecoding" in k for k in keys) and any("contrastivesequencecompletion" in k for k in keys)
    assert not any("compressedsparsecoding" in k and "contrastivesequencecompletion" in k for k in keys)


def test_a_lowercase_kind_after_a_dataset_name_is_no_part_of_its_name(extract_text):
    # "the Cityscapes dataset" names Cityscapes; a capitalised "Dataset" belongs to the name
    ex = extract_text("ZorbNet: sharper features",
                      "We propose ZorbNet and test it on the Cityscapes dataset and the Caltech "
                      "Pedestrian Dataset.")
    assert "Cityscapes" in ex.datasets and "Cityscapes dataset" not in ex.datasets


def test_the_cifar_pair_named_as_one_is_a_dataset_of_its_own(extract_text):
    ex = extract_text("ZorbNet: sharper features",
                      "We propose ZorbNet. It sets new records on CIFAR and SVHN, and on CIFAR-10.")
    assert {"CIFAR", "SVHN", "CIFAR-10"} <= set(ex.datasets)


def test_an_image_size_after_a_dataset_is_that_dataset_as_the_paper_writes_it(extract_text):
    # "ImageNet 224 x 224" is ImageNet at its usual size; a size the vocabulary lists apart
    # ("ImageNet 64x64", the downsampled set) stays its own dataset
    ex = extract_text("ZorbNet: sharper features",
                      "We propose ZorbNet and test it on ImageNet 224 x 224 and ImageNet 64x64.")
    names = {m.text: m.name for m in ex.mentions if m.label == "DATASET"}
    assert names["ImageNet 224 x 224"] == "ImageNet"
    assert names["ImageNet 64x64"] != "ImageNet"


def test_of_two_spellings_the_paper_writes_the_one_the_field_names_it_by_is_shown(extract_text):
    # the paper spells LoRA out first and abbreviates it later: one entity, shown as "LoRA"
    ex = extract_text("ZorbNet: sharper features",
                      "We propose ZorbNet, which improves Low-Rank Adaptation. Unlike LoRA, ZorbNet "
                      "keeps the weights sparse.")
    assert "LoRA" in ex.methods and "Low-Rank Adaptation" not in ex.methods


def test_words_of_a_shouted_heading_are_not_acronyms(extract_text):
    # an all-capital run is typography; an acronym beside ordinary words is still a name
    ex = extract_text("", "TO DRAW SAMPLES WITH APPLICATION TO AMORTIZED MLE We propose ZorbNet and "
                          "compare it with PSENN on CIFAR-10.")
    assert not {"DRAW", "SAMPLES", "AMORTIZED", "MLE"} & set(ex.methods + ex.methods_proposed)
    assert "PSENN" in ex.methods


def test_a_language_before_a_known_dataset_is_no_part_of_its_name(extract_text):
    # "the English MS-MARCO dataset" is MS MARCO; a modifier that makes other data stays
    ex = extract_text("ZorbNet: sharper reading",
                      "We propose ZorbNet. It achieves the best results on the English MS-MARCO "
                      "dataset and the Chinese DuReader dataset, and on the Rotated MNIST dataset.")
    assert {"MS-MARCO", "DuReader", "Rotated MNIST"} <= set(ex.datasets)
    assert not {"English MS-MARCO", "Chinese DuReader"} & set(ex.datasets)


@pytest.mark.parametrize("written", ["WMT 2014 English-to-German", "WMT 2014 English-German", "WMT'14 En-De",
                                     "WMT-14 EN-DE", "WMT14 English – German"])
def test_every_spelling_of_an_edition_and_its_language_pair_is_one_dataset(written):
    # the data file lists each spelling of "WMT14" and of "En-De" once; the combinations are one entry
    from kg.vocab import load_vocabulary

    entry = load_vocabulary().lookup(written, "DATASET")
    assert entry is not None and entry.name == "WMT14 En-De"


def test_a_language_pair_written_out_stays_with_its_edition(extract_text):
    ex = extract_text("Sparse Translators", "Our model reaches 28.4 BLEU on the WMT 2014 English-to-German "
                                            "translation task and 41.0 BLEU on WMT'14 En-Fr.")
    assert ex.datasets == ["WMT 2014 English-to-German", "WMT'14 En-Fr"]


def test_whole_word_occurrences_agree_with_the_regular_expression():
    import re

    from kg.extract.resolve import _whole_word_occurrences

    text = "ViT and ViTs; Sparse ViT, ViT-B, pre-ViT, vit (ViT) ViT_2 ViTViT ViT. İ ViT"
    for name, caseless in [("ViT", False), ("vit", True), ("Sparse ViT", True), ("ViTViT", False), ("İ", True)]:
        flags = re.IGNORECASE if caseless else 0
        expected = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags)]
        assert _whole_word_occurrences(text, name, caseless) == expected, name
    assert _whole_word_occurrences(text, "ViT", False) == [(0, 3), (21, 24), (47, 50), (65, 68), (72, 75)]
