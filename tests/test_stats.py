"""`kg stats` says whether one real thing became several nodes: spellings two entities share."""

import json

from test_contract import run_kg


def test_the_sample_graph_has_one_node_per_dataset_and_method(sample_store):
    stats = json.loads(run_kg("stats", "--store", str(sample_store), "--format", "json").stdout)
    assert stats["Dataset names shared"] == 0 and stats["Method names shared"] == 0
    assert stats["Dataset"] > 5  # the count is over a graph that has datasets


def test_a_spelling_two_entities_answer_to_is_listed(tmp_path):
    # One acronym, two different things in two papers: both keep their node; stats says so.
    papers = tmp_path / "p.jsonl"
    papers.write_text(
        json.dumps({"id": "a", "title": "Replay for continual learning",
                    "abstract": "We study continual learning (CL) with replay. CL forgets less with our buffer."}) + "\n"
        + json.dumps({"id": "b", "title": "Views for contrastive learning",
                      "abstract": "We study contrastive learning (CL) with new views. CL improves with them."}) + "\n")
    store = tmp_path / "s"
    assert run_kg("build", str(papers), "--store", str(store), "-q").returncode == 0
    proc = run_kg("stats", "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "shared Task spelling 'cl': continual learning, contrastive learning" in proc.stdout
    stats = json.loads(run_kg("stats", "--store", str(store), "--format", "json").stdout)
    assert stats["Task names shared"] == 1
    assert stats["shared_names"] == [{"kind": "Task", "key": "cl",
                                      "names": ["continual learning", "contrastive learning"]}]


def test_two_nodes_of_one_name_are_told_apart_by_their_keys(tmp_path):
    # "Compressed Sensing (CS)" in one paper, a bare "CS" in another: a paper-local acronym is not
    # made a global alias, so two nodes answer to "CS" (docs/design.md) and stats shows both.
    papers = tmp_path / "p.jsonl"
    papers.write_text(
        json.dumps({"id": "a", "title": "Faster reconstruction",
                    "abstract": "We propose RecNet. RecNet reconstructs knee images faster than "
                                "Compressed Sensing (CS) on fastMRI."}) + "\n"
        + json.dumps({"id": "b", "title": "Another reconstruction",
                      "abstract": "We propose FlowRec. FlowRec outperforms CS on fastMRI by 2 dB."}) + "\n")
    store = tmp_path / "s"
    assert run_kg("build", str(papers), "--store", str(store), "-q").returncode == 0
    stats = json.loads(run_kg("stats", "--store", str(store), "--format", "json").stdout)
    assert stats["Method names shared"] == 1
    assert {"kind": "Method", "key": "cs", "names": ["CS [compressedsensing]", "CS [cs]"]} in stats["shared_names"]
