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


def test_tasks_listed_together_are_kept_even_when_said_once(extract_text):
    ex = extract_text("Lattice Heads for Graph Learning",
                      "We study graph representation learning on dynamic graphs. Lattice Heads are evaluated on "
                      "edge tagging, subgraph counting and motif localization.")
    assert {"edgetagging", "subgraphcounting", "motiflocalization"} <= keys(ex)


def test_a_glued_compound_counts_as_one_modifier(extract_text):
    ex = extract_text("Prism: Layout Tokens for Sketch-Guided Text-to-Image Editing",
                      "We edit pictures from a sketch and a prompt.")
    assert "sketchguidedtexttoimageediting" in keys(ex)


def test_plurals_verbs_and_counts_do_not_start_a_task(extract_text):
    ex = extract_text("Quilt: one encoder for birds",
                      "Stacked adapters yields sharper out-of-domain generalization. Quilt spans 27 bird "
                      "recognition suites and fuses plumage-aware part segmentation.")
    found = keys(ex)
    assert not any(k.startswith(("adapters", "yields", "27", "fuses")) for k in found)


def test_one_generic_word_said_once_is_not_a_main_task(extract_text):
    ex = extract_text("Sparse Routers for Link Prediction and Node Classification",
                      "We study link prediction on citation graphs. Sparse routers also enhance its "
                      "interpretability.")
    assert {"linkprediction", "nodeclassification"} <= keys(ex)
    assert not {"interpretability", "modelinterpretability"} & keys(ex)


def test_a_time_series_task_keeps_its_modifier(extract_text):
    ex = extract_text("Flow Kernels for Irregular Time Series Modeling", "We model sparse clinical records.")
    assert "irregulartimeseriesmodeling" in keys(ex)


def test_a_task_named_only_as_a_means_is_not_a_main_task(extract_text):
    ex = extract_text("Tidal Nets for Link Prediction and Node Classification",
                      "We study link prediction and node classification. Tidal Nets learn the weights through "
                      "contrastive learning.")
    assert {"linkprediction", "nodeclassification"} <= keys(ex)
    assert "contrastivelearning" not in keys(ex)


def test_a_capitalised_task_with_its_acronym_in_background_is_a_task(extract_text):
    ex = extract_text("Prototype Drift for Continual Learning",
                      "Clinics may not keep old scans. Much recent work therefore studies Replay-Free Domain "
                      "Incremental Learning (RFDIL), in which each hospital arrives in turn. We propose "
                      "Prototype Drift, which moves stored prototypes.")
    assert "rfdil" in keys(ex) or "replayfreedomainincrementallearning" in keys(ex)
    assert "rfdil" not in {norm_key(m) for m in ex.methods}


def test_task_words_modifying_a_part_of_the_model_are_not_a_task(extract_text):
    ex = extract_text("Orbit Codes for Link Prediction and Node Classification",
                      "We study link prediction and node classification. Orbit Codes shape the joint embedding "
                      "space with a sparse training scheme.")
    assert {"linkprediction", "nodeclassification"} <= keys(ex)
    assert not {"jointembedding", "sparsetraining"} & keys(ex)


def test_every_occurrence_of_a_task_phrase_counts_and_the_running_text_spelling_is_kept(extract_text):
    ex = extract_text("Relay: Cross-Site Crop Yield Forecasting with One Model",
                      "Crop yield forecasting predicts a harvest from satellite images. Today, crop yield "
                      "forecasting needs one model per region. Relay pools regions for image retrieval.")
    assert "crop yield forecasting" in ex.tasks
    mentions = [m for m in ex.mentions if m.label == "TASK" and m.key == "cropyieldforecasting"]
    assert len(mentions) >= 2
