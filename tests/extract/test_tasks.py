"""Tasks: the problems a paper addresses, as specific as the paper names them."""

from kg.normalize import norm_key


def keys(ex):
    return {norm_key(t) for t in ex.tasks}


def test_task_in_the_title_after_for(extract_text):
    ex = extract_text("Scale Bridges for Weakly Supervised Person Search",
                      "We match people across cameras with box labels only.")
    assert "weaklysupervisedpersonsearch" in keys(ex)


def test_a_more_specific_task_phrase_beats_the_vocabulary_task_inside_it(extract_text):
    ex = extract_text("Patch Routing for Exemplar-Guided Image Translation",
                      "We translate images guided by an exemplar.")
    assert "exemplarguidedimagetranslation" in keys(ex)
    assert "imagetranslation" not in keys(ex)


def test_glued_compound_is_taken_whole(extract_text):
    ex = extract_text("Bridging views", "We study exocentric-to-egocentric transfer for action segmentation. "
                      "Exocentric-to-egocentric transfer is hard.")
    assert "exocentrictoegocentrictransfer" in keys(ex)
    assert "toegocentrictransfer" not in keys(ex)


def test_verbs_and_evaluative_words_do_not_start_a_task(extract_text):
    ex = extract_text("GrokNet: a study", "GrokNet exhibits grokking. We avoid catastrophic forgetting. "
                      "It needs expensive analysis.")
    assert not {"exhibitsgrokking", "avoidingcatastrophicforgetting", "expensiveanalysis"} & keys(ex)


def test_a_phrase_said_once_in_passing_is_dropped_when_the_paper_has_main_tasks(extract_text):
    ex = extract_text("Sparse Graph Transformers for Link Prediction and Node Classification",
                      "We study link prediction and node classification. Unlike costly tensor sketch estimation "
                      "pipelines, our sparse attention is cheap.")
    assert {"linkprediction", "nodeclassification"} <= keys(ex)
    assert "tensorsketchestimation" not in keys(ex)


def test_bare_modifier_text_to_image_is_not_a_task(extract_text):
    ex = extract_text("Erasing concepts", "We erase concepts from text-to-image diffusion models.")
    assert "texttoimage" not in keys(ex)
