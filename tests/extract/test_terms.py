"""Vocabulary matching: spelling variants merge, genuinely different variants stay apart."""

from kg.normalize import norm_key


def canonical(ex, label):
    return {m.name for m in ex.mentions if m.label == label}


def test_spelling_variants_share_one_canonical_name(extract_text):
    ex = extract_text("A study", "We train on CIFAR10 and cifar-100 and test on MS COCO.")
    assert ex.datasets == ["CIFAR10", "cifar-100", "MS COCO"]  # as the paper writes them
    assert canonical(ex, "DATASET") == {"CIFAR-10", "CIFAR-100", "COCO"}
    assert {m.key for m in ex.mentions if m.label == "DATASET"} == {"cifar10", "cifar100", "coco"}


def test_variants_stay_apart(extract_text):
    ex = extract_text("A study", "We test on ImageNet, ImageNet-R and ImageNet-A with ResNet-50 and ResNet-101.")
    assert {"ImageNet", "ImageNet-R", "ImageNet-A"} <= canonical(ex, "DATASET")
    assert {"ResNet-50", "ResNet-101"} <= canonical(ex, "METHOD")


def test_metrics_from_vocabulary(extract_text):
    ex = extract_text("A study", "We report top-1 accuracy, mIoU and FID.")
    assert {norm_key(m) for m in ex.metrics} >= {"top1accuracy", "miou", "fid"}


def test_offsets_slice_to_the_mention(extract_text):
    ex = extract_text("A study", "We fine-tune BERT on SQuAD.")
    text = "A study\nWe fine-tune BERT on SQuAD."
    for m in ex.mentions:
        assert text[m.start:m.end] == m.text


def test_a_variant_of_a_known_dataset_is_a_dataset_not_the_dataset(extract_text):
    ex = extract_text("Modular distillation",
                      "We improve OOD robustness on Tiny-ImageNet-R by 4.2% and accuracy on ImageNet.")
    assert "Tiny-ImageNet-R" in ex.datasets
    assert "ImageNet-R" not in ex.datasets
    assert "ImageNet" in ex.datasets


def test_long_tail_benchmarks_and_their_long_forms_are_datasets(extract_text):
    # Benchmarks outside the headline few (face, person re-id, VQA, graph) are named
    # by their vocabulary entries, and a spelled-out form lands on the same entity.
    ex = extract_text("A study", "We evaluate on DAQUAR, CUHK01 and the IARPA Janus Benchmark A, "
                                 "and on Extended Yale B for clustering.")
    assert {"DAQUAR", "CUHK01", "IJB-A", "Extended Yale B"} <= canonical(ex, "DATASET")


def test_a_challenge_or_competition_names_a_dataset_and_its_edition_is_that_dataset(extract_text):
    ex = extract_text("SegUNet: segmenting cells",
                      "SegUNet outperforms the prior best method on the ISBI challenge. "
                      "An ensemble of it placed first in the COCO 2016 challenge and the ILSVRC-2012 competition.")
    assert "ISBI" in canonical(ex, "DATASET") and "ISBI" not in canonical(ex, "METHOD")
    assert {"COCO", "ImageNet"} <= canonical(ex, "DATASET")
    assert "COCO" in ex.datasets  # written as the paper writes the dataset, not the edition
    assert {(c.winner, c.loser, c.dataset) for c in ex.comparisons} >= {("SegUNet", "SOTA", "ISBI")}


def test_an_acronym_named_dataset_written_as_a_proper_noun_is_that_dataset(extract_text):
    # "Kitti" mid-sentence is KITTI; the same word opening a sentence could be anything
    ex = extract_text("Depth from Motion", "We train on Cityscapes and Kitti, and test on Kitti.")
    assert [d.upper() for d in ex.datasets] == ["CITYSCAPES", "KITTI"]
    ex = extract_text("Depth from Motion", "Multiple cues help. Kitti is a name we give our robot.")
    assert not ex.datasets



def test_a_lowercase_quantity_is_not_the_benchmark_it_spells(extract_text):
    ex = extract_text("Fast Text Tagging", "We train our tagger on more than one billion words in ten minutes.")
    assert ex.datasets == []
    ex = extract_text("Fast Text Tagging", "We report perplexity on the One Billion Word benchmark.")
    assert [d.lower() for d in ex.datasets] == ["one billion word"]


def test_an_acronym_of_a_task_before_dataset_names_the_task_not_a_dataset(extract_text):
    ex = extract_text("Aging Faces", "We also test on a popular general face verification (GFV) dataset, LFW, "
                                     "and on the GFV track of IJB-C.")
    assert "GFV" not in ex.datasets and "general face verification" not in [d.lower() for d in ex.datasets]
    assert "LFW" in ex.datasets


def test_the_acronym_of_an_adjective_is_neither_method_nor_dataset(extract_text):
    ex = extract_text("ChainFuse", "Multimodal (MM) models fuse images and text. We run ChainFuse on four "
                                   "benchmark MM datasets and on MS COCO.")
    assert ex.datasets == ["MS COCO"]
    assert "MM" not in ex.methods and "Multimodal" not in ex.methods


def test_a_named_track_right_after_a_known_dataset_is_part_of_it(extract_text):
    ex = extract_text("Polygon Text", "We reach competitive results on the ICDAR2015 Incidental Scene Text "
                                      "benchmark and on the Total-Text dataset.")
    assert ex.datasets == ["ICDAR2015", "Total-Text"]
    ex = extract_text("Speech at Scale", "Our system reaches 16.0% error on the full Switchboard Hub5'00 test set, "
                                         "the best published result.")
    assert ex.datasets == ["Switchboard"] and ex.methods == []  # the track is no method either


def test_one_ordinary_word_keeps_its_dataset_head(extract_text):
    # "News" alone names nothing; "the Cityscapes dataset" is Cityscapes
    ex = extract_text("Back-Translation at Scale", "We back-translate the monolingual News corpus and "
                                                   "evaluate segmentation transfer on the Cityscapes dataset.")
    assert ex.datasets == ["News corpus", "Cityscapes"]
