"""Every canned query returns the same rows in Cypher (LadybugDB) and SPARQL (Oxigraph)."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from kg.api import KnowledgeGraph
from kg.queries import list_queries, load_query
from kg.rdf.query import run_sparql_query
from kg.stores.ladybug import LadybugStore
from kg.stores.oxigraph import OxigraphStore

QUERIES = list_queries("cypher")


def normalise(df: pd.DataFrame) -> list[tuple]:
    def cell(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if hasattr(v, "item"):  # numpy scalars
            v = v.item()
        if isinstance(v, float):
            return round(v, 6)
        return v

    return [tuple(cell(v) for v in row) for row in df.itertuples(index=False)]


def top(values, n=3) -> list:
    return [v for v, _ in Counter(values).most_common(n)]


def derived_params(tables) -> dict[str, list[dict]]:
    """Parameter sets taken from the graph itself, so each query has rows to compare whatever
    the extractor finds today."""
    e = tables.edges
    losers = top(e[("LOSER", "Comparison", "Method")]["to"])
    winners = top(e[("WINNER", "Comparison", "Method")]["to"])
    cmp_datasets = top(e[("ON_DATASET", "Comparison", "Dataset")]["to"])
    used = top(e[("USES_DATASET", "Paper", "Dataset")]["to"])
    proposed = top(e[("PROPOSES", "Paper", "Method")]["to"])
    mentioned = top(e[("MENTIONS", "Paper", "Method")]["to"])
    tasks = top(e[("ADDRESSES", "Paper", "Task")]["to"])
    res = e[("ON_DATASET", "Result", "Dataset")].merge(e[("BY_METRIC", "Result", "Metric")], on="from")
    boards = top(zip(res["to_x"], res["to_y"]), 4)
    beats = e[("BEATS", "Method", "Method")]
    two_hop = beats.merge(beats, left_on="to", right_on="from")
    two_hop = two_hop[two_hop["from_x"] != two_hop["to_y"]]
    chains = [(a, b) for a, b in zip(two_hop["from_x"], two_hop["to_y"])][:3]
    chains += [(a, b) for a, b in zip(beats["from"], beats["to"])][:2]
    return {
        "methods_beating": [{"baseline": lo} for lo in losers]
        + [{"baseline": lo, "dataset": d} for lo in losers[:2] for d in cmp_datasets[:2] + tasks[:1]],
        "sota_claims": [{"dataset": d} for d in cmp_datasets + tasks],
        "leaderboard": [{"dataset": d, "metric": m} for d, m in boards],
        "method_profile": [{"method": m} for m in losers + winners + proposed[:1]],
        "datasets_for_method": [{"method": m} for m in proposed + mentioned],
        "methods_on_dataset": [{"dataset": d} for d in used],
        "papers_with_code": [{"method": m} for m in proposed[:2]] + [{"dataset": d} for d in used[:2]],
        "top_datasets": [],
        "beats_chain": [{"winner": a, "loser": b} for a, b in chains]
        + [{"winner": a, "loser": b, "max_hops": 1} for a, b in chains[:1]],
    }


def sample_params(expected: dict) -> dict[str, list[dict]]:
    """Parameter sets from kg/data/sample/expected.json (what the sample corpus is about)."""
    chain = expected["chain"]
    contra = expected["contradiction"]
    return {
        "methods_beating": [
            {"baseline": "ResNet-50", "dataset": "ImageNet"}, {"baseline": "resnet50"},
            {"baseline": "ViT-B/16", "dataset": "imagenet"}, {"baseline": "SOTA"},
            {"baseline": "SOTA", "dataset": "ImageNet"}, {"baseline": "ResNet-50", "dataset": "ImageNet-R"},
            {"baseline": "ResNet-50", "dataset": "image classification"}, {"baseline": "NoSuchNet"},
        ],
        "sota_claims": [{"dataset": "ImageNet"}, {"dataset": contra["dataset"]},
                        {"dataset": "image classification"}],
        "leaderboard": [{"dataset": "ImageNet", "metric": "top-1 accuracy"},
                        {"dataset": contra["dataset"], "metric": "accuracy"}],
        "method_profile": [{"method": m} for m in ("ResNet-50", *chain[:2], *contra["methods"])],
        "datasets_for_method": [{"method": "ResNet-50"}, {"method": "HieraViT"}],
        "methods_on_dataset": [{"dataset": "ImageNet"}, {"dataset": "CIFAR-10"}],
        "papers_with_code": [{}, {"method": "RippleConv"}, {"dataset": "ImageNet"},
                             {"method": "ResNet-50", "dataset": "ImageNet"}],
        "top_datasets": [{}, {"limit": 1}, {"limit": 3}],
        "beats_chain": [{"winner": chain[0], "loser": chain[-1]},
                        {"winner": chain[0], "loser": chain[-1], "max_hops": 4},
                        {"winner": chain[0], "loser": chain[-1], "max_hops": 2},
                        {"winner": chain[1], "loser": chain[-1]}],
    }


SYNTHETIC_PARAMS: dict[str, list[dict]] = {
    "methods_beating": [{"baseline": "ResNet-50", "dataset": "ImageNet"}, {"baseline": "resnet50"},
                        {"baseline": "AlphaNet"}, {"baseline": "alphanet", "dataset": "COCO"},
                        {"baseline": "SOTA"}, {"baseline": "sota", "dataset": "image classification"},
                        {"baseline": "SOTA", "dataset": "CIFAR-10"}, {"baseline": "BetaNet", "dataset": "CIFAR-10"}],
    "sota_claims": [{"dataset": "CIFAR-10"}, {"dataset": "image classification"}, {"dataset": "ImageNet"}],
    "leaderboard": [{"dataset": "ImageNet", "metric": "top-1 accuracy"}, {"dataset": "ImageNet", "metric": "error rate"},
                    {"dataset": "COCO", "metric": "top1"}],
    "method_profile": [{"method": m} for m in ("ResNet-50", "AlphaNet", "BetaNet", "GammaNet", "DeltaNet")],
    "datasets_for_method": [{"method": m} for m in ("ResNet-50", "AlphaNet", "BetaNet", "DeltaNet")],
    "methods_on_dataset": [{"dataset": "ImageNet"}, {"dataset": "COCO"}, {"dataset": "CIFAR-10"}],
    "papers_with_code": [{}, {"method": "AlphaNet"}, {"dataset": "ImageNet"}, {"method": "DeltaNet", "dataset": "ImageNet"},
                         {"method": "NoSuchNet"}],
    "top_datasets": [{}, {"limit": 1}, {"limit": 2}],
    "beats_chain": [{"winner": "DeltaNet", "loser": "ResNet-50"}, {"winner": "DeltaNet", "loser": "ResNet-50", "max_hops": 4},
                    {"winner": "GammaNet", "loser": "AlphaNet", "max_hops": 2}, {"winner": "BetaNet", "loser": "AlphaNet"}],
}


def compare(store_dir, name: str, param_sets: list[dict]) -> tuple[list[str], int]:
    """Differences between the engines for each parameter set, and how many sets had rows.

    Same columns, same rows, same order."""
    problems, nonempty = [], 0
    with LadybugStore(store_dir, read_only=True) as lb, OxigraphStore(store_dir, read_only=True) as ox:
        g = KnowledgeGraph(lb)
        for params in param_sets:
            cy = g.query(name, **params)
            sp = run_sparql_query(ox, name, params)
            if list(cy.columns) != list(sp.columns):
                problems.append(f"{params}: columns {list(cy.columns)} != {list(sp.columns)}")
                continue
            # both runners shape rows the same way (kg.queries.shape_rows): compare exactly
            if normalise(cy) != normalise(sp):
                problems.append(f"{params}:\ncypher\n{cy.to_string()}\nsparql\n{sp.to_string()}")
            nonempty += not cy.empty
    return problems, nonempty


def test_every_cypher_query_has_a_sparql_twin_with_the_same_header():
    assert list_queries("sparql") == QUERIES
    for name in QUERIES:
        cy, sp = load_query(name, "cypher"), load_query(name, "sparql")
        assert [(p.name, p.kind, p.optional, p.default) for p in cy.params] == \
               [(p.name, p.kind, p.optional, p.default) for p in sp.params], name
        assert cy.columns == sp.columns, name
        assert cy.order == sp.order, name
        assert sp.description == cy.description, name


@pytest.mark.parametrize("name", QUERIES)
def test_sample_corpus_parity(name, sample_dual, sample_tables, expected):
    params = sample_params(expected)[name] + derived_params(sample_tables)[name]
    problems, _nonempty = compare(sample_dual, name, params)
    assert not problems, f"{name}: " + "\n\n".join(problems)


@pytest.mark.parametrize("name", QUERIES)
def test_synthetic_corpus_parity(name, synthetic_dual, synthetic_tables):
    params = SYNTHETIC_PARAMS[name] + derived_params(synthetic_tables)[name]
    problems, nonempty = compare(synthetic_dual, name, params)
    assert not problems, f"{name}: " + "\n\n".join(problems)
    assert nonempty >= 2, f"{name}: too few parameter sets with rows ({nonempty}) to prove anything"


def test_synthetic_answers_are_the_ones_written_into_the_corpus(synthetic_dual):
    """Not only equal, also right: the SPARQL side on facts we wrote by hand."""
    with OxigraphStore(synthetic_dual, read_only=True) as ox:
        chain = run_sparql_query(ox, "beats_chain", {"winner": "deltanet", "loser": "RESNET 50", "max_hops": 4})
        beating = run_sparql_query(ox, "methods_beating", {"baseline": "ResNet50", "dataset": "imagenet"})
        sota = run_sparql_query(ox, "methods_beating", {"baseline": "SOTA"})
        board = run_sparql_query(ox, "leaderboard", {"dataset": "ImageNet", "metric": "error rate"})
        top = run_sparql_query(ox, "top_datasets", {"limit": 1})
        on_imagenet = run_sparql_query(ox, "methods_on_dataset", {"dataset": "ImageNet"})
    assert "DeltaNet > GammaNet > BetaNet > AlphaNet > ResNet-50" in chain["chain"].tolist()
    assert chain["hops"].max() == 4
    assert set(beating["winner"]) == {"AlphaNet", "(unnamed method of “DeltaNet and an unnamed trick”)"}
    assert set(sota["winner"]) == {"AlphaNet", "GammaNet"} and set(sota["loser"]) == {"SOTA"}
    assert board["method"].tolist() == ["BetaNet", "AlphaNet"]  # error rate: lower is better, best first
    assert board["rank"].tolist() == [1, 2]
    assert board["value"].tolist() == [3.2, 4.5] and set(board["direction"]) == {"lower is better"}
    assert top.to_dict("records") == [{"dataset": "ImageNet", "papers": 4}]
    delta = on_imagenet.set_index("method").loc["DeltaNet"]
    assert (delta["papers"], delta["proposed_by"]) == (1, 2)  # proposes and mentions: counted twice
