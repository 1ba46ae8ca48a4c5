"""Metrics: named where the paper reports them, as specifically as the paper names them."""

from kg.normalize import norm_key


def keys(ex):
    return {norm_key(m) for m in ex.metrics}


def test_metric_next_to_a_number_is_reported(extract_text):
    ex = extract_text("PatchMix: mixing patches", "PatchMix reaches an FID of 3.1 and 81.2% top-1 accuracy.")
    assert keys(ex) >= {"fid", "top1accuracy"}


def test_metric_word_in_a_background_sentence_is_not_reported(extract_text):
    ex = extract_text("PatchMix: mixing patches",
                      "Label noise hurts the accuracy of pseudo labels. We propose PatchMix, which mixes patches.")
    assert ex.metrics == []


def test_metric_in_a_comparison_is_reported(extract_text):
    ex = extract_text("PatchMix: mixing patches",
                      "PatchMix outperforms CutMix in terms of both mesh quality and runtime.")
    assert keys(ex) >= {"meshquality"}


def test_a_modified_metric_is_kept_whole(extract_text):
    ex = extract_text("NeuroDec: decoding speech",
                      "NeuroDec achieves a high level of decoding accuracy, surpassing subject-specific models. "
                      "It also reduces GPU memory usage by 45% compared to end-to-end training.")
    assert {"decodingaccuracy", "gpumemoryusage"} <= keys(ex)
    assert "accuracy" not in keys(ex)


def test_a_verb_before_a_metric_is_not_part_of_it(extract_text):
    ex = extract_text("PoseBoost: semi-supervised pose", "PoseBoost improves accuracy by 2.3 points over DualPose.")
    assert "accuracy" in keys(ex)
    assert "improvesaccuracy" not in keys(ex)


def test_coordinated_metrics_in_one_claim(extract_text):
    ex = extract_text("m3KD: modular distillation",
                      "We achieve significant improvements in IID accuracy on Tiny-ImageNet (up to 5.6%) and "
                      "label efficiency on CIFAR-10 (up to 2.2%).")
    assert {"iidaccuracy", "labelefficiency"} <= keys(ex)


def test_fewer_trainable_parameters_than_the_baselines(extract_text):
    ex = extract_text("LiteTry: try-on with adapters",
                      "LiteTry achieves superior results with fewer trainable parameters than baseline methods.")
    assert "trainableparameters" in keys(ex)


def test_model_size_in_billions_is_not_a_metric_phrase(extract_text):
    ex = extract_text("OmniJoin: joint embeddings",
                      "We present OmniJoin, models from 7 billion to 30 billion parameters that outperform ImageBind.")
    assert "billionparameters" not in keys(ex)


def test_a_metric_phrase_beats_a_task_phrase_on_the_same_words(extract_text):
    ex = extract_text("m3KD: modular distillation",
                      "We achieve significant improvements in OOD robustness on CIFAR-10 (up to 4.2%).")
    assert "oodrobustness" in keys(ex)
    assert "oodrobustness" not in {norm_key(t) for t in ex.tasks}


def test_half_the_parameters_of_the_baselines(extract_text):
    ex = extract_text("TryLite: virtual try-on",
                      "Compared with full-tuning diffusion methods, we only use about half of their tunable "
                      "parameters during training.")
    assert "tunableparameters" in keys(ex)


def test_a_superlative_or_in_terms_of_says_a_metric_is_measured(extract_text):
    for sentence in ("One of the proposed models achieves highest accuracy on Stanford Sentiment Treebank.",
                     "Our tagger is strong in terms of accuracy."):
        ex = extract_text("Tagging", sentence)
        assert "accuracy" in ex.metrics, sentence


def test_common_spellings_of_units_and_scores_are_the_metric(extract_text):
    ex = extract_text("FastDet: detection at speed", "FastDet adds a small overhead to Faster R-CNN, running at 5 fps.")
    assert keys(ex) >= {"fps"}  # the paper's spelling, keyed as the vocabulary's FPS
    ex = extract_text("SubwordMT", "We see improvements of 4.3 Bleu over our baseline systems on WMT 2016.")
    assert keys(ex) >= {"bleu"}


def test_bare_quality_is_vague_but_a_named_quality_is_measured(extract_text):
    ex = extract_text("A study", "Our generator yields 2x higher quality than GLIDE and improves mesh quality by 12%.")
    keys = {norm_key(m) for m in ex.metrics}
    assert "meshquality" in keys
    assert "quality" not in keys  # "higher quality" says how good, not what was measured


def test_a_known_metric_with_rate_after_it_is_that_rate(extract_text):
    ex = extract_text("SelfEns: ensembling", "SelfEns reduces the classification error rate from 18.4% to 7.1% on "
                      "SVHN and reaches top-5 error rates of 17.0%.")
    assert {"classificationerrorrate", "top5errorrate"} <= keys(ex)
    assert "classificationerror" not in keys(ex)


def test_a_metric_modifier_before_a_known_metric_is_one_metric(extract_text):
    ex = extract_text("ReidNet: re-identification", "ReidNet gives a 4.4% improvement in rank-1 precision over "
                      "the baseline CNN on Market-1501.")
    assert "rank1precision" in keys(ex)
    assert not {"rank1", "precision"} & keys(ex)


def test_score_after_a_known_metric_reports_that_metric(extract_text):
    ex = extract_text("RepGAN: repulsive GANs", "RepGAN achieves an FID score of 16.21 on CIFAR-10.")
    assert "fid" in keys(ex)
    assert "fidscore" not in keys(ex)


def test_a_frame_rate_glued_to_its_number_is_a_metric_and_no_other_metrics_value(extract_text):
    ex = extract_text("FlowLite: fast optical flow", "FlowLite runs at 140fps with accuracy matching FlowNet, and "
                      "at 13.2fps at 720p resolution.")
    assert "fps" in keys(ex)
    assert "fpswithaccuracy" not in keys(ex)
    assert not [r for r in ex.results if r.metric == "accuracy" or r.value == 720]


def test_a_preposition_is_no_part_of_a_metric(extract_text):
    ex = extract_text("HandCraft: features", "HandCraft outperforms approaches based on hand-crafted features with "
                      "accuracies ranging from 65.6% to 79.7%.")
    assert not [k for k in keys(ex) if k.startswith("features")]


def test_a_percentage_names_the_error_it_measures(extract_text):
    ex = extract_text("DeepVoice: speech", "DeepVoice outperforms published results on Hub5, achieving 16.0% error "
                      "on the full test set.")
    assert "error" in keys(ex)
    assert [r for r in ex.results if r.metric == "error" and r.value == 16.0]


def test_a_known_metric_is_written_as_the_paper_writes_it(extract_text):
    ex = extract_text("AttnSpeech: phonemes", "AttnSpeech reaches a competitive 18.7% phoneme error rate (PER) on "
                      "TIMIT, and lowers the PER to 17.6%.")
    assert "PER" in ex.metrics or "phoneme error rate" in ex.metrics
    assert "phone error rate" not in ex.metrics


def test_common_measures_of_other_fields_are_metrics(extract_text):
    ex = extract_text("FluentGEC: error correction", "FluentGEC achieves a GLEU of 62.4 on JFLEG, reduces the "
                      "wall-time by half, and in the human evaluation it was the best system.")
    assert {"gleu", "walltime", "humanevaluation"} <= keys(ex)


def test_metrics_compared_with_each_other_are_reported(extract_text):
    ex = extract_text("SyncRate: two learning rates for GANs",
                      "We propose SyncRate. To evaluate GANs we introduce the Frechet Inception Distance (FID), "
                      "which captures image similarity better than the Inception Score.")
    assert {"fid", "inceptionscore"} <= keys(ex)


def test_a_known_metric_in_the_plural_is_that_metric(extract_text):
    # the vocabulary lists "perplexity" and "word error rate"; the paper reports them in the plural
    ex = extract_text("", "Our topic model reaches the lowest perplexities on two news corpora and lower "
                          "word error rates than every earlier recogniser.")
    assert set(ex.metrics) == {"perplexity", "word error rate"}


def test_a_metric_phrase_after_decreases_is_found_like_after_reduces(extract_text):
    ex = extract_text("FlowLite", "FlowLite is slightly slower than FlowNet but decreases the endpoint drift by 40%.")
    assert "endpoint drift" not in ex.metrics  # "drift" is no measurement word
    ex = extract_text("FlowLite", "FlowLite is slightly slower than FlowNet but decreases the alignment error by 40%.")
    assert "alignment error" in ex.metrics


def test_a_phrasal_verb_is_not_the_metric_it_spells(extract_text):
    ex = extract_text("Zero-Mean Units", "Zero-mean units speed up learning and reach 94.1% accuracy on CIFAR-10.")
    assert "speedup" not in [m.lower().replace(" ", "") for m in ex.metrics]
    ex = extract_text("Zero-Mean Units", "Zero-mean units give a 3x speedup and reach 94.1% accuracy on CIFAR-10.")
    assert "speedup" in ex.metrics


def test_a_hyphenated_compound_modifies_a_metric_head_as_one_word(extract_text):
    ex = extract_text("PlanAgent", "On ALFRED, we achieve a 12.6% improvement in goal-condition success "
                                   "and state-of-the-art accuracy.")
    assert "goal-condition success" in ex.metrics
    assert not [m for m in ex.metrics if "state-of-the-art" in m or m == "art accuracy"]


def test_a_metric_the_paper_introduces_is_reported(extract_text):
    ex = extract_text("GLIMPSE", "We then introduce the GLIMPSE score, a metric derived from the framework's "
                                 "output that tracks change in imagery over time.")
    assert ex.metrics == ["GLIMPSE score"]


def test_coordinated_metrics_share_their_head_words(extract_text):
    # "top-1" alone is the vocabulary's top-1 accuracy; before "and top-5 error rates" it is an error rate
    ex = extract_text("DeepConv", "On the test set, DeepConv reaches top-1 and top-5 error rates of 36.1% and "
                                  "15.2%, better than the previous state of the art.")
    assert set(ex.metrics) == {"top-1 error rate", "top-5 error rate"}
    ex = extract_text("DeepConv", "DeepConv reports top-1 accuracy of 76.2% on ImageNet.")
    assert ex.metrics == ["top-1 accuracy"]


def test_a_metric_named_as_a_training_objective_is_not_reported(extract_text):
    ex = extract_text("Repel-GAN", "We replace the MMD loss with a repulsive loss, which improves over the MMD "
                                   "loss on CIFAR-10 and reaches an FID of 16.2.")
    assert ex.metrics == ["FID"]
    ex = extract_text("Repel-GAN", "Repel-GAN reaches an MMD of 0.012 between real and generated CIFAR-10 images.")
    assert ex.metrics == ["MMD"]


def test_at_inference_time_is_a_phase_not_a_measurement(extract_text):
    ex = extract_text("FastDec", "By decoding in parallel at inference time, FastDec achieves 27.1 BLEU on WMT14 En-De.")
    assert ex.metrics == ["BLEU"]
    ex = extract_text("FastDec", "FastDec achieves 27.1 BLEU on WMT14 En-De with a 40% lower inference time.")
    assert set(ex.metrics) == {"BLEU", "inference time"}


def test_parameters_are_a_metric_only_where_the_text_counts_them(extract_text):
    ex = extract_text("FaceMorph", "An encoder estimates the shape and texture parameters, and FaceMorph "
                                   "achieves state-of-the-art reconstruction error on AFLW2000.")
    assert "parameters" not in ex.metrics
    ex = extract_text("TinyFlow", "TinyFlow achieves state-of-the-art endpoint error on Sintel with 30x fewer "
                                  "parameters than FlowNet2.")
    assert "parameters" in ex.metrics


def test_a_problem_a_method_prevents_is_not_a_measurement(extract_text):
    ex = extract_text("MaskNet", "MaskNet outperforms strong continual learning methods on Split CIFAR-100 while "
                                 "preventing forgetting.")
    assert "forgetting" not in [m.lower() for m in ex.metrics]
    ex = extract_text("MaskNet", "MaskNet outperforms strong continual learning methods on Split CIFAR-100 with "
                                 "3.1% lower forgetting.")
    assert "forgetting" in [m.lower() for m in ex.metrics]


def test_a_sentence_about_earlier_work_reports_no_metric_of_this_paper(extract_text):
    ex = extract_text("SplineNet", "Spline networks have been shown to achieve accuracy comparable to MLPs with "
                                   "fewer parameters. We propose SplineNet, which reaches 98.2% accuracy on MNIST.")
    assert ex.metrics == ["accuracy"]
    ex = extract_text("SplineNet", "SplineNet achieves accuracy comparable to MLPs with fewer parameters.")
    assert set(ex.metrics) == {"accuracy", "parameters"}
