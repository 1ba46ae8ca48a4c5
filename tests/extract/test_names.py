"""Names found from context and shape, on sentences written for these tests."""

import pytest


def test_title_prefix_is_the_proposed_method(extract_text):
    ex = extract_text("FocalMix: Mixing Focal Regions for Robust Classification",
                      "We study robustness. FocalMix mixes regions of two images.")
    assert ex.methods_proposed == ["FocalMix"]
    assert ex.proposed == "FocalMix"


def test_title_with_two_colons_uses_the_first_prefix(extract_text):
    ex = extract_text("OrbitNet: Graphs in Orbit: Learning Rotational Structure", "We present it.")
    assert ex.methods_proposed == ["OrbitNet"]


def test_title_prefix_naming_a_dataset_is_a_proposed_dataset(extract_text):
    ex = extract_text("ShadowPlay: A Benchmark Dataset for Hand Shadow Recognition",
                      "We collect 8,000 images of hand shadows.")
    assert ex.datasets_proposed == ["ShadowPlay"]
    assert "ShadowPlay" not in ex.methods_proposed


def test_a_plain_word_before_a_subtitle_that_says_what_it_is_is_a_name(extract_text):
    # the abstract never repeats "Cortexa"; "A large-scale dataset of …" says what the word names
    ex = extract_text("Cortexa: A large-scale dataset of cortical surface scans for parcellation",
                      "This paper presents an annotated collection of surface scans from 300 adults.")
    assert ex.datasets_proposed == ["Cortexa"]
    assert ex.methods_proposed == []


def test_plain_title_words_are_not_a_name(extract_text):
    ex = extract_text("All but Nothing: Why Sparse Networks Generalize", "A theory paper.")
    assert ex.methods_proposed == []


def test_proposal_with_acronym_definition(extract_text):
    ex = extract_text("Routing prototypes for continual learning",
                      "In this paper, we propose Gated Prototype Routing (GPR), a memory-free method.")
    assert ex.methods_proposed == ["GPR"]
    # one entity, keyed by what the acronym stands for (so another paper's "GPR" for something
    # else is another entity), named by the acronym
    gpr = [m for m in ex.mentions if m.key == "gatedprototyperouting"]
    assert {m.text for m in gpr} == {"GPR", "Gated Prototype Routing"} and {m.name for m in gpr} == {"GPR"}


def test_called_and_dubbed(extract_text):
    ex = extract_text("Faster sampling", "We design a sampler called TurboStep that halves the steps.")
    assert "TurboStep" in ex.methods_proposed


def test_we_introduce_name_comma(extract_text):
    ex = extract_text("Agents that remember", "We introduce Mnemos, a web agent with episodic memory.")
    assert ex.methods_proposed == ["Mnemos"]


def test_dataset_list_before_head_noun(extract_text):
    ex = extract_text("A study", "We evaluate on the Foo10K, BarSet, and QuxBench datasets.")
    assert set(ex.datasets) >= {"Foo10K", "BarSet", "QuxBench"}


def test_the_x_dataset(extract_text):
    ex = extract_text("A study", "Results on the autonomous driving ZetaDrive dataset are strong.")
    assert "ZetaDrive" in ex.datasets


def test_concept_acronyms_are_not_methods(extract_text):
    ex = extract_text("A study", "Large language models (LLMs) and CNNs run on a GPU with SOTA results in NLP.")
    names = set(ex.methods) | set(ex.methods_proposed)
    assert not names & {"LLMs", "LLM", "CNNs", "GPU", "SOTA", "NLP"}


def test_shape_finds_unknown_camelcase_baselines(extract_text):
    ex = extract_text("A study", "Unlike SupSup and ReferenceNet, our model needs no extra memory.")
    assert {"SupSup", "ReferenceNet"} <= set(ex.methods)


def test_urls_are_not_names(extract_text):
    ex = extract_text("A study", "Code: https://github.com/SomeLab/CoolNet2.")
    assert ex.repos == ["https://github.com/SomeLab/CoolNet2"]
    assert all("github" not in m for m in ex.methods)


def test_latex_remnants_and_glued_words_are_not_names(extract_text):
    ex = extract_text("A study", "It is 10times faster with le13 labels per class, scaling from 22M to1.5B parameters.")
    names = set(ex.methods) | set(ex.methods_proposed)
    assert not names & {"10times", "le13", "to1.5B", "22M"}


def test_possessive_and_plural_forms(extract_text):
    ex = extract_text("MultiModN: modular fusion",
                      "We show that MultiModN's sequential fusion beats PTMs and VAEs on MIP-based tasks.")
    assert ex.methods_proposed == ["MultiModN"]
    assert not {"MultiModN's", "PTMs", "MIP-based"} & (set(ex.methods) | set(ex.methods_proposed))


def test_decimals_are_values_not_names(extract_text):
    ex = extract_text("FlowNet3: faster flow", "FlowNet3 reaches 91.25% accuracy and 0.5 EPE on Sintel.")
    assert 91.25 in {r.value for r in ex.results}
    assert not {"91.25", "0.5"} & set(ex.methods)


def test_names_ending_in_plus_plus(extract_text):
    ex = extract_text("A study", "Agents are evaluated on MiniWoB++ and FaceForensics++.")
    assert {m.name for m in ex.mentions if m.label == "DATASET"} >= {"MiniWoB++", "FaceForensics++"}


def test_a_title_prefix_naming_a_problem_is_a_task(extract_text):
    ex = extract_text("Convergent Learning: Do Different Networks Agree?",
                      "We study convergent learning across networks trained from different seeds.")
    assert ex.methods_proposed == []
    assert any(t.lower() == "convergent learning" for t in ex.tasks)


def test_title_prefix_sharing_a_vocabulary_dataset_name_is_the_papers_method(extract_text):
    # "Synapse" is also a known segmentation dataset; the subtitle and abstract say it's a method
    ex = extract_text("Synapse: Memory-Augmented Prompting for Web Agents",
                      "We introduce Synapse, an agent that stores past trajectories. "
                      "We evaluate Synapse on MiniWoB++.")
    assert "Synapse" in ex.methods_proposed
    assert "Synapse" not in ex.datasets


def test_dataset_word_inside_a_task_name_does_not_make_the_prefix_a_dataset(extract_text):
    ex = extract_text("Gradient Echoes: Improving Dataset Distillation with Echo Matching",
                      "We show that Gradient Echoes improves distilled images.")
    assert ex.methods_proposed == ["Gradient Echoes"]
    assert ex.datasets_proposed == []


def test_plain_title_prefix_named_by_its_acronym_in_the_abstract(extract_text):
    ex = extract_text("Slow & Steady Memory Networks: Continual Learning without Replay",
                      "SSMNs keep a slow memory and a fast one. SSMNs forget less.")
    assert any(m.lower().startswith("slow & steady") or m == "SSMNs" for m in ex.methods_proposed)


def test_plain_title_prefix_named_by_its_repository(extract_text):
    ex = extract_text("Quiet Gradient Synthesis: Fewer Steps for Dataset Condensation",
                      "We condense datasets faster. Code: https://github.com/someone/Quiet-Gradient-Synthesis.")
    assert "Quiet Gradient Synthesis" in ex.methods_proposed


def test_opening_title_phrase_is_a_fallback_name(extract_text):
    ex = extract_text("Harmonic Weight Folding for Faster Language Model Inference",
                      "We propose to fold attention weights into harmonic bases, which halves latency.")
    assert ex.methods_proposed == ["Harmonic Weight Folding"]


def test_opening_title_phrase_gives_way_to_a_name_the_abstract_gives(extract_text):
    ex = extract_text("Harmonic Weight Folding for Faster Language Model Inference",
                      "We propose FoldLM, which folds attention weights into harmonic bases.")
    assert ex.methods_proposed == ["FoldLM"]


def test_opening_title_phrase_ending_in_a_known_name_is_not_a_guess(extract_text):
    # a describing word among the modifiers: an instance of U-Net, not a new name
    ex = extract_text("Lightweight Sparse 3D U-Net for Tumour Segmentation",
                      "We propose reversible blocks that cut memory use in half.")
    assert "Lightweight Sparse 3D U-Net" not in ex.methods_proposed


def test_a_title_naming_a_variant_of_a_known_family_names_the_papers_method(extract_text):
    # modifiers of its own before a method family: the variant the paper builds, even when the
    # abstract never proposes it in words and says only "our method"
    ex = extract_text("Twin-Path Recurrent Neural Networks for Speech Tagging",
                      "Tagging speech remains hard. Our biologically motivated architecture reads two "
                      "streams at once. On the Switchboard corpus our method outperforms all previous "
                      "taggers.")
    assert ex.methods_proposed == ["Twin-Path Recurrent Neural Networks"]
    assert [c.winner for c in ex.comparisons] == ["Twin-Path Recurrent Neural Networks"]


def test_a_variant_the_abstract_names_only_in_passing_is_still_the_papers(extract_text):
    # the concept rule drops a title name the abstract uses without proposing it ("identity
    # mappings"); a variant of a known family named in the title is made by the paper
    ex = extract_text("Warped Convolutional Networks for Texture Recognition",
                      "This article explores the use of warped convolutional networks for texture "
                      "recognition. We show that they reach state-of-the-art accuracy on DTD.")
    assert ex.methods_proposed == ["Warped Convolutional Networks"]


def test_lowercase_name_after_dubbed(extract_text):
    ex = extract_text("Better proximal operators",
                      "We show how a new training strategy, dubbed proximal rounding, recovers exact operators.")
    assert "proximal rounding" in ex.methods_proposed


def test_lowercase_phenomenon_after_called_is_not_a_method(extract_text):
    ex = extract_text("On collapse", "We study a phenomenon called representation collapse, in deep nets.")
    assert ex.methods_proposed == []


def test_short_name_merges_with_the_title_phrase_it_abbreviates(extract_text):
    ex = extract_text("Learning Meshes via Convex Plane Assembly Networks",
                      "We devise CPA-Net, a network that assembles convex planes. CPA-Net outputs meshes.")
    assert ex.methods_proposed == ["CPA-Net"]


def test_title_prefix_the_abstract_calls_a_benchmark_is_a_dataset(extract_text):
    ex = extract_text("HalluProbe: Evaluating Hallucinations in Video Models",
                      "This work introduces HalluProbe, the first comprehensive benchmark for hallucination "
                      "detection in video-language models.")
    assert ex.datasets_proposed == ["HalluProbe"]
    assert ex.methods_proposed == []


def test_proposed_name_ending_in_benchmark_is_a_dataset(extract_text):
    ex = extract_text("RelInv: relation inversion",
                      "To evaluate this new task, we contribute RelInv Benchmark, which provides exemplar images.")
    assert "RelInv Benchmark" in ex.datasets_proposed
    assert "RelInv Benchmark" not in ex.methods_proposed


def test_a_statement_title_is_not_a_name(extract_text):
    ex = extract_text("Sparse Transformers Beat Dense CNNs on Small Data",
                      "We propose a study of sparse attention and show where it wins.")
    assert ex.methods_proposed == []


def test_hyphenated_long_form_of_a_developed_component(extract_text):
    ex = extract_text("SlideCL: continual learning for slides",
                      "The Split-Merge (SpMe) rehearsal method is developed for data replay.")
    assert "SpMe" in ex.methods_proposed


def test_shaped_name_after_our_and_before_a_method_word(extract_text):
    ex = extract_text("Hallucinations in video models",
                      "These analyses instruct the development of our self-VRF framework, improving robustness.")
    assert "self-VRF" in ex.methods_proposed


def test_introduced_capitalised_component_ending_in_its_head_noun(extract_text):
    ex = extract_text("Scale-invariant person search",
                      "We introduce a Multi-scale Exemplar Branch to guide the network toward the foreground.")
    assert "Multi-scale Exemplar Branch" in ex.methods_proposed


def test_previously_acquired_knowledge_is_not_prior_work(extract_text):
    ex = extract_text("Supermask training",
                      "Furthermore, we propose a novel KNN-based Knowledge Transfer (KKT) module that uses "
                      "previously acquired knowledge to learn new tasks faster.")
    assert "KKT" in ex.methods_proposed


def test_an_acronym_the_paper_proposes_is_its_method_whatever_its_long_form(extract_text):
    ex = extract_text("Reading Faster with Spans",
                      "This paper proposes shallow span reader (SSR), an end-to-end model for reading comprehension.")
    assert ex.methods_proposed == ["SSR"]


def test_a_known_name_in_the_title_that_the_abstract_proposes_is_the_papers_own(extract_text):
    # the vocabulary knows the name because this kind of paper made it known
    ex = extract_text("Semi-Supervised Node Labelling with Graph Convolutional Networks",
                      "We propose Graph Convolutional Networks, a layer-wise propagation rule for graphs.")
    assert ex.methods_proposed == ["Graph Convolutional Networks"]
    used = extract_text("Node Labelling at Scale", "We propose to label nodes with Graph Convolutional Networks.")
    assert used.methods_proposed == []


def test_a_known_name_after_a_naming_cue_for_the_papers_own_method_is_proposed(extract_text):
    # the vocabulary knows "Mask R-CNN" because the paper that introduced it made it known
    ex = extract_text("Instance segmentation made simple",
                      "We present a general framework for instance segmentation. The method, called "
                      "Mask R-CNN, extends Faster R-CNN with a mask branch.")
    assert ex.methods_proposed == ["Mask R-CNN"]
    assert "Faster R-CNN" in ex.methods


def test_a_known_name_used_after_a_weak_cue_is_not_proposed(extract_text):
    ex = extract_text("Better detection heads",
                      "We propose a lighter detection head. Our baseline, i.e. Faster R-CNN, is kept as is.")
    assert "Faster R-CNN" not in ex.methods_proposed


def test_a_title_that_is_a_known_method_name_is_the_papers_own(extract_text):
    ex = extract_text("Wide Residual Networks",
                      "We study the width of residual networks and train wide residual networks on CIFAR-10.")
    assert [n.lower() for n in ex.methods_proposed] == ["wide residual networks"]


def test_the_one_acronym_a_paper_coins_and_reuses_is_its_method(extract_text):
    ex = extract_text("Exemplar-based style synthesis for domain generalization",
                      "We build a style synthesis pipeline, i.e., cross-source style mixing (CSSM), that "
                      "diversifies training data. CSSM is model-agnostic. It improves the recent state-of-the-art "
                      "solution RobustNet by 3% mIoU.")
    assert ex.methods_proposed == ["CSSM"]
    assert ("CSSM", "RobustNet") in {(c.winner, c.loser) for c in ex.comparisons}


def test_an_acronym_of_prior_work_in_a_paper_whose_title_names_its_method_is_not_proposed(extract_text):
    ex = extract_text("Faster learning by Exponential Linear Units",
                      "Unlike leaky rectified units (LRUs), exponential linear units give negative values. "
                      "LRUs do not saturate.")
    assert "LRUs" not in ex.methods_proposed and "LRU" not in ex.methods_proposed


def test_a_naming_cue_with_an_article_still_names_the_papers_own(extract_text):
    ex = extract_text("Pyramids for detection",
                      "We build multi-scale features cheaply. This architecture, called a Feature Pyramid "
                      "Network (FPN), improves Faster R-CNN.")
    assert ex.methods_proposed == ["FPN"]


def test_an_appositive_after_the_proposed_description_names_the_papers_own(extract_text):
    # a known name too: the paper that made it known is the one being read
    ex = extract_text("Attention for sequence transduction",
                      "Recurrent models dominate. We propose a new simple network architecture, the Transformer, "
                      "built on attention alone. Our model reaches 28.4 BLEU on WMT 2014.")
    assert ex.methods_proposed == ["Transformer"]
    assert {c.winner for c in ex.comparisons} <= {"Transformer"}


def test_an_appositive_description_after_the_name_names_the_papers_own(extract_text):
    ex = extract_text("Speech from text", "This paper describes Tacotron 2, a neural network architecture for "
                                          "speech synthesis directly from text.")
    assert ex.methods_proposed == ["Tacotron 2"]
    # an appositive about someone else's work proposes nothing
    ex = extract_text("Speech from text", "Prior systems such as Tacotron 2, a neural network architecture for "
                                          "speech synthesis, need paired data. We study data needs.")
    assert ex.methods_proposed == []


def test_a_title_prefix_with_a_version_or_without_a_subtitle_is_the_name(extract_text):
    ex = extract_text("FlowNet 2.0: Evolution of Optical Flow Estimation",
                      "The original FlowNet was slow. FlowNet 2.0 halves the error of FlowNet.")
    assert ex.methods_proposed == ["FlowNet 2.0"] and "FlowNet" in ex.methods
    ex = extract_text("FractalNet:", "Ultra-deep networks without residuals. FractalNet matches residual networks.")
    assert ex.methods_proposed == ["FractalNet"]


def test_the_one_method_a_title_names_as_its_means_is_the_papers_own(extract_text):
    ex = extract_text("Semi-Supervised Classification with Graph Convolutional Networks",
                      "We present a scalable approach for semi-supervised learning on graphs. Our model "
                      "outperforms related methods by a significant margin on Cora.")
    assert ex.methods_proposed == ["Graph Convolutional Networks"]
    assert {c.winner for c in ex.comparisons} == {"Graph Convolutional Networks"}
    # a method the title revisits, or learns for, is someone else's
    for title in ("Revisiting the ResNet Model for Visual Recognition",
                  "Structured Losses for Sequence to Sequence Learning"):
        ex = extract_text(title, "We study this model. Our analysis outperforms prior analyses on ImageNet.")
        assert ex.methods_proposed == [], title


def test_named_as_a_word_of_a_name_is_no_naming_cue(extract_text):
    ex = extract_text("Neural Architectures for Named Entity Recognition",
                      "We introduce two neural architectures for named entity recognition. Our models "
                      "obtain state-of-the-art results in four languages.")
    assert ex.methods_proposed == [] and "Entity Recognition" not in ex.methods
    ex = extract_text("Fast tagging", "We design a tagger named QuickTag that runs in linear time.")
    assert ex.methods_proposed == ["QuickTag"]


def test_a_title_that_studies_something_or_names_data_guesses_no_method(extract_text):
    abstract = "We propose to compare label embeddings. Our study shows which embedding works best on CUB."
    ex = extract_text("Evaluation of Output Embeddings for Fine-Grained Image Classification", abstract)
    assert ex.methods_proposed == []
    ex = extract_text("A Large-Scale Car Dataset for Fine-Grained Categorization",
                      "We present a collection of car images. Our baselines reach 70% accuracy.")
    assert ex.methods_proposed == []
    # the opening phrase of a title still names the contribution when it is a method
    ex = extract_text("A Deep Conjugate Direction Method for Solving Linear Systems",
                      "We present a learned solver. Our method converges in fewer iterations than CG.")
    assert ex.methods_proposed == ["Deep Conjugate Direction Method"]


def test_an_ampersand_name_opening_a_sentence_is_kept_whole(extract_text):
    ex = extract_text("Iterative generation of images",
                      "We study generators. Plug & Play Generative Networks are composed of a generator and a "
                      "condition network. Our models produce better images than DGN-AM.")
    assert "Plug & Play Generative Networks" in ex.methods
    assert "Play Generative Networks" not in ex.methods + ex.methods_proposed


def test_a_long_title_prefix_whose_acronym_the_abstract_uses_is_the_name(extract_text):
    ex = extract_text("Plug & Play Generative Networks: Conditional Iterative Generation of Images",
                      "We extend prior work. Plug & Play Generative Networks (PPGNs) are composed of a generator. "
                      "PPGNs outperform DGN-AM on ImageNet.")
    assert ex.methods_proposed == ["PPGNs"]  # one entity, named by the short form the paper uses


def test_capitalised_words_before_a_known_method_name_a_variant_of_it(extract_text):
    ex = extract_text("Sample-efficient agents",
                      "We present Reactor. Reactor is more sample-efficient than Prioritized Dueling DQN on Atari 2600. "
                      "Results In Speech Recognition Learning Jasper are reported as well.")
    assert "Prioritized Dueling DQN" in ex.methods
    assert {(c.winner, c.loser) for c in ex.comparisons} >= {("Reactor", "Prioritized Dueling DQN")}
    assert not [m for m in ex.methods if m.endswith("Jasper") and m != "Jasper"]  # a heading-like run


def test_a_title_name_the_abstract_uses_only_as_a_concept_is_not_proposed(extract_text):
    # the abstract repeats the title's phrase as something it builds on, never as its own
    ex = extract_text("Identity Mappings in Deep Residual Networks",
                      "In this paper, we analyze the propagation formulations behind residual blocks, "
                      "which suggest that signals propagate directly when using identity mappings as "
                      "the skip connections. We propose a new residual unit.")
    assert "Identity Mappings" not in ex.methods_proposed + ex.methods


def test_a_title_name_the_abstract_makes_win_is_proposed(extract_text):
    # never "we propose" it, but the abstract's claims have it as their subject
    ex = extract_text("Adaptive Replay for Streaming Speech Recognizers",
                      "We describe a way of using adaptive replay with streaming recognizers. "
                      "Adaptive replay outperforms fixed replay buffers on LibriSpeech.")
    assert ex.methods_proposed == ["Adaptive Replay"]
    assert [(c.winner, c.loser) for c in ex.comparisons] == [("Adaptive Replay", "SOTA")]


def test_a_study_noun_title_names_the_technique_the_abstract_repeats(extract_text):
    # "X Evaluation of Y": a study of Y in general, but the abstract uses "X evaluation" as a name
    ex = extract_text("Online Calibration of Speech Recognizers",
                      "We present a recipe for using online calibration to adapt recognizers. "
                      "Online calibration improves the state of the art word error rates on LibriSpeech.")
    assert ex.methods_proposed == ["Online Calibration"]
    assert ("Online Calibration", "SOTA", "LibriSpeech") in {(c.winner, c.loser, c.dataset) for c in ex.comparisons}


def test_a_title_name_joined_by_and_to_an_introduced_one_is_proposed_too(extract_text):
    # the abstract introduces only the first ("we propose …"), then names both together
    ex = extract_text("Continual Detection via Anchored Query Replay and Drift-Aware Distillation",
                      "We first propose anchored query replay to keep old queries alive. The combination of "
                      "anchored query replay and drift-aware distillation limits forgetting on COCO.")
    assert set(ex.methods_proposed) == {"Anchored Query Replay", "Drift-Aware Distillation"}


def test_a_title_name_the_abstract_introduces_is_proposed(extract_text):
    ex = extract_text("Asymmetric Tri-training for Unsupervised Domain Adaptation",
                      "Labelled target data is scarce. In this paper, we propose an asymmetric "
                      "tri-training method for unsupervised domain adaptation.")
    assert ex.methods_proposed == ["Asymmetric Tri-training"]


def test_an_all_caps_title_name_is_written_as_the_abstract_introduces_it(extract_text):
    ex = extract_text("HIERARCHICAL MULTISCALE RECURRENT NEURAL NETWORKS",
                      "Multiscale recurrent neural networks are promising. In this paper, we propose a "
                      "novel multiscale approach, called the hierarchical multiscale recurrent neural "
                      "network, that captures latent structure.")
    assert ex.methods_proposed == ["hierarchical multiscale recurrent neural network"]


def test_a_title_name_written_in_the_singular_by_the_abstract_is_named_in_the_singular(extract_text):
    # titles pluralise by convention ("… Networks"); the abstract names the one thing it makes
    ex = extract_text("Twin-Path Recurrent Neural Networks for Speech Tagging",
                      "We study the twin-path recurrent neural network for speech tagging. On the "
                      "Switchboard corpus our method outperforms all previous taggers.")
    assert ex.methods_proposed == ["Twin-Path Recurrent Neural Network"]
    assert [c.winner for c in ex.comparisons] == ["Twin-Path Recurrent Neural Network"]


def test_a_plural_title_variant_of_a_known_method_takes_the_abstracts_singular(extract_text):
    ex = extract_text("Factoring Speech with Deep Hidden Markov Models",
                      "Shallow models such as the Hidden Markov Model remain competitive. In this paper "
                      "we propose a new deep generative model, called the Deep Hidden Markov Model, that "
                      "generalises HMMs to many layers. The parametrization of a Deep HMM captures "
                      "products of variations.")
    assert ex.methods_proposed == ["Deep Hidden Markov Model"]


def test_a_known_method_opening_the_title_of_a_paper_that_introduces_its_method_is_its_own(extract_text):
    # the vocabulary knows the name because this paper made it known; "our method" is that name
    ex = extract_text("MEAN TEACHER FOR SEMI-SUPERVISED SPEECH TAGGING",
                      "We present a simple method that averages model weights over training steps. "
                      "Using our method, we set new records on two tagging benchmarks.")
    assert [m.lower() for m in ex.methods_proposed] == ["mean teacher"]
    assert [c.winner.lower() for c in ex.comparisons] == ["mean teacher"]


def test_a_title_that_states_or_names_a_task_without_something_guesses_no_method(extract_text):
    abstract = "We propose a network that needs no landmarks. Our method outperforms earlier work."
    for title in ("Sentiment Tagging Improved by Integrating Two Encoders",
                  "Fine-Grained Gaze Estimation Without Landmarks"):
        ex = extract_text(title, abstract)
        assert ex.methods_proposed == [], title


def test_a_title_prefix_that_is_never_a_method_is_not_the_papers_method(extract_text):
    # a venue's name read as a pun on the subtitle ("ICML: In-Context Memory Learning")
    ex = extract_text("ICML: In-Context Memory Learning",
                      "We study how language models keep facts seen in context. Our analysis shows "
                      "that larger models retain more.")
    assert "ICML" not in ex.methods + ex.methods_proposed


def test_known_methods_after_a_title_prefix_are_what_the_paper_builds_on(extract_text):
    # "NAME: subtitle": the paper's method is NAME; a known name in the subtitle is not its own
    ex = extract_text("ZorbGCN: Graph Convolutional Networks with Categorical Node Features",
                      "Recent studies on Graph Convolutional Networks (GCNs) show that input features "
                      "matter. In this paper, we propose a new GCN model named ZorbGCN, which is "
                      "tailored to categorical node features.")
    assert ex.methods_proposed == ["ZorbGCN"]


def test_a_capitalised_long_form_is_the_papers_own_only_where_our_introduces_it(extract_text):
    ex = extract_text("ZorbKD: Knowledge Distillation for Modular Networks",
                      "We evaluate the effectiveness of ZorbKD on two modular architectures: Vision "
                      "Mixture-of-Gadgets (V-MoG) and Binary Space Partitioning (BSP). Moreover, our "
                      "Past Token Regularization (PTR) method lowers perplexity.")
    assert "V-MoG" in ex.methods and "V-MoG" not in ex.methods_proposed
    assert "BSP" not in ex.methods_proposed
    assert "PTR" in ex.methods_proposed


def test_an_acronym_renamed_right_away_is_not_the_name_but_one_before_another_name_is(extract_text):
    # "a … (GMP) method, named GraNet" renames the thing; "develop … (LPN), …, dubbed proximal
    # matching" names two things (the sentence is not the first: offsets are the sentence's own)
    ex = extract_text("Sparse Training with Regrowth",
                      "Sparse training is costly. We design a novel gradual magnitude shrinking (GMS) "
                      "method, named ZorbNet, that advances the state of the art.")
    assert ex.methods_proposed == ["ZorbNet"]
    ex = extract_text("Learned Priors for Inverse Problems",
                      "Inverse problems are hard. Herein we develop learned proximal widgets (LPW), and "
                      "show how a new training strategy, dubbed proximal matching, promotes recovery.")
    assert {"LPW", "proximal matching"} <= set(ex.methods_proposed)


def test_a_method_proposed_by_cited_authors_is_prior_work(extract_text):
    # "et al." ends no sentence: split there, "(2020) proposed … ZupZup" read as the paper's own
    ex = extract_text("Exclusive Masks for Continual Learning",
                      "Wortsman et al. (2020) proposed a continual learning method, ZupZup, which finds "
                      "a supermask per task. We propose ExMask, which learns the weights too.")
    assert ex.methods_proposed == ["ExMask"]
    assert "ZupZup" in ex.methods


def test_capitalised_phrases_beside_the_named_proposal_or_given_as_examples_are_not_proposed(extract_text):
    ex = extract_text("ZorX: Shapes from Slices",
                      "In this paper, we present ZorX, a method for shape reconstruction from slices, "
                      "featuring a Neural Field as the interpolation prior.")
    assert ex.methods_proposed == ["ZorX"]
    ex = extract_text("Complex Embeddings for Link Prediction",
                      "Compared to models such as Neural Tensor Network and Holographic Embeddings, our "
                      "approach is simpler. We propose three parts: the Global Encoder, the Exemplar "
                      "Network and the Exemplar Attention Module.")
    assert "Neural Tensor Network" not in ex.methods_proposed
    assert "Holographic Embeddings" not in ex.methods_proposed
    assert {"Global Encoder", "Exemplar Network", "Exemplar Attention Module"} <= set(ex.methods_proposed)


def test_a_task_name_before_a_plural_data_head_qualifies_it_and_names_no_dataset(extract_text):
    ex = extract_text("Open-World Question Answering",
                      "Current Visual Question Answering (VQA) systems answer questions about known "
                      "content. Two major OCL challenges are forgetting and imbalance. Our model improves "
                      "over earlier models on the new Zorb-QA dataset and on standard VQA datasets.")
    assert "VQA" not in ex.datasets and "OCL" not in ex.datasets
    assert "Zorb-QA" in ex.datasets
    ex = extract_text("Question Answering", "We evaluate on the VQA dataset and on COCO.")
    assert "VQA" in ex.datasets  # one named dataset: the task's namesake benchmark


def test_a_translation_direction_is_neither_a_method_nor_a_dataset(extract_text):
    ex = extract_text("Rare Words in Translation",
                      "We show that subword models improve over a dictionary baseline for the WMT 15 "
                      "tasks English→German and German-Russian by up to 1.1 BLEU.")
    assert not {"English→German", "German-Russian"} & set(ex.methods + ex.datasets)
    assert all(c.loser not in ("English→German", "German-Russian") for c in ex.comparisons)


def test_a_lowercase_name_a_proposal_verb_takes_without_an_article_is_proposed(extract_text):
    ex = extract_text("Sharper Keypoints for Detection",
                      "We introduce ridge pooling, a new pooling layer that finds object corners. "
                      "We also propose tilewise mixing, which blends neighbouring patches.")
    assert {"ridge pooling", "tilewise mixing"} <= {m.lower() for m in ex.methods_proposed}
    # an article, a plural or a verb that only explores: no name
    ex = extract_text("Sharper Keypoints for Detection",
                      "We introduce a ridge pooling, which finds corners. We propose learnable offsets, "
                      "which move samples. We explore patch mixing, a form of augmentation.")
    assert not {"ridge pooling", "learnable offsets", "patch mixing"} & {m.lower() for m in ex.methods_proposed}


def test_a_naming_cue_followed_by_a_comma_still_names(extract_text):
    ex = extract_text("Orthogonal Feature Splitting for Age-Invariant Face Recognition",
                      "In this paper we propose a novel approach (namely, Split Embedding CNNs, or SE-CNNs) "
                      "to learn age-invariant face features. We split face features into two parts.")
    assert "Split Embedding CNNs" in ex.methods_proposed or "SE-CNNs" in ex.methods_proposed
    assert "Orthogonal Feature Splitting" not in ex.methods_proposed


def test_a_task_acronym_that_also_names_a_dataset_is_the_dataset_where_used_as_data(extract_text):
    ex = extract_text("Co-Attention for Visual Question Answering",
                      "Attention models for Visual Question Answering (VQA) generate spatial maps. We "
                      "present a co-attention model for VQA. Our model improves the state of the art on "
                      "the VQA dataset from 60.3% to 60.5%.")
    assert "VQA" in ex.datasets
    assert any(c.dataset == "VQA" for c in ex.comparisons)
    ex = extract_text("Memory for Visual Question Answering",
                      "We address Visual Question Answering (VQA). We evaluate on two published datasets, "
                      "DAQUAR and VQA.")
    assert {"DAQUAR", "VQA"} <= set(ex.datasets)
    # the task alone, never used as data: no dataset
    ex = extract_text("Memory for Visual Question Answering",
                      "We address Visual Question Answering (VQA) with a memory network for VQA.")
    assert "VQA" not in ex.datasets


def test_a_size_written_apart_from_its_number_stays_in_the_name(extract_text):
    ex = extract_text("Wider Blocks", "We also train on an ImageNet-5 K set and on the COCO detection set.")
    assert "ImageNet-5" not in ex.datasets
    assert any(d.replace(" ", "") == "ImageNet-5K" for d in ex.datasets)


# (title, abstract, the methods the paper proposes): each row a rule of reading titles
TITLE_NAMES = {
    "a leading article is no part of the name": (
        "The Harvester: A sample-efficient actor-critic agent for Atari",
        "Harvester reaches state-of-the-art scores on Atari 2600.", ["Harvester"]),
    "a gerund phrase before a described subtitle names nothing": (
        "Learning to Rank Faster: A Simple Framework", "We rank items.", []),
    "a title guess ends before 'of'": (
        "Box-Embeddings of Words and Images",
        "We propose to embed words and images as boxes. We show that the boxes help retrieval.", ["Box-Embeddings"]),
    "'X of Y' with one plain word before 'of' names nothing": (
        "Bag of Heuristics for Fast Text Tagging",
        "We propose a few heuristics that make a linear tagger fast and accurate.", []),
    "'Learning of Y' is a way of learning": (
        "Backward Learning of Graph Neural Networks",
        "We propose to train graph neural networks without backpropagation through layers.", []),
    "a quoted phrase after 'our' is a name being coined": (
        "Averaging Checkpoints by Curvature",
        'We show that our "curvature averaging" technique beats uniform averaging on GLUE. '
        "Their 'soup' recipe is simpler.", ["curvature averaging"]),
    "a plain prefix the abstract uses as a setting": (
        "Federated Exploration: Efficient, Private, Continual Robot Learning",
        "In federated exploration, robots share what they learn without sharing data. We "
        "benchmark five methods for federated exploration and find that replay helps.", []),
    "the same prefix made the subject of a win": (
        "Federated Explorer: Efficient Robot Learning",
        "Federated explorer shares what robots learn. Federated Explorer outperforms replay.", ["Federated Explorer"]),
}


@pytest.mark.parametrize(("title", "abstract", "proposed"), TITLE_NAMES.values(), ids=TITLE_NAMES.keys())
def test_the_name_a_title_gives_the_paper(extract_text, title, abstract, proposed):
    assert extract_text(title, abstract).methods_proposed == proposed
