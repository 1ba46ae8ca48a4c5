"""Every canned Cypher query, through the official neo4j driver, returns the embedded store's rows.

The sample corpus is written to LadybugDB and to each Bolt server (FalkorDB always; Neo4j when
KG_NEO4J_URI is set) from the same graph tables; each query file is bound with
``load_query(name).bind(params)`` and run unchanged on both. Rows are compared after sorting by
the query header's ``order:`` (a leading ``-`` means descending), as kg/api.py sorts them.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kg.queries import list_queries, load_query, shape_rows

# Parameters per query: the sample corpus's expected answers (kg/data/sample/expected.json),
# spelling variants, optional parameters left out, and names that match nothing.
CASES: dict[str, list[dict]] = {
    "methods_beating": [
        {"baseline": "ResNet-50", "dataset": "ImageNet"},
        {"baseline": "resnet50"},
        {"baseline": "ViT-B/16", "dataset": "imagenet"},
        {"baseline": "SOTA"},
        {"baseline": "SOTA", "dataset": "COCO"},
        {"baseline": "ResNet-50", "dataset": "image classification"},
        {"baseline": "NoSuchNet", "dataset": "ImageNet"},
    ],
    "sota_claims": [{"dataset": "ImageNet"}, {"dataset": "COCO"}, {"dataset": "CIFAR-100"},
                    {"dataset": "image classification"}, {"dataset": "nothing"}],
    "leaderboard": [{"dataset": "ImageNet", "metric": "top-1 accuracy"}, {"dataset": "ImageNet", "metric": "top-1"},
                    {"dataset": "COCO", "metric": "AP"}, {"dataset": "CIFAR-100", "metric": "accuracy"}],
    "method_profile": [{"method": "ResNet-50"}, {"method": "HieraViT"}, {"method": "LatticeFormer"},
                       {"method": "nothing"}],
    "datasets_for_method": [{"method": "ResNet-50"}, {"method": "HieraViT"}],
    "methods_on_dataset": [{"dataset": "ImageNet"}, {"dataset": "CIFAR-100"}, {"dataset": "MS-COCO"}],
    "papers_with_code": [{}, {"method": "HieraViT"}, {"dataset": "ImageNet"},
                         {"method": "RippleConv", "dataset": "ImageNet"}],
    "top_datasets": [{}, {"limit": 3}],
    "beats_chain": [{"winner": "StrataNet", "loser": "ResNet-50"},
                    {"winner": "StrataNet", "loser": "ResNet-50", "max_hops": 4},
                    {"winner": "StrataNet", "loser": "ResNet-50", "max_hops": 1},
                    {"winner": "HieraViT", "loser": "resnet50", "max_hops": 2}],
}
ALL_CASES = [(name, params) for name, cases in CASES.items() for params in cases]


def _id(case) -> str:
    name, params = case
    return name + "[" + ",".join(f"{k}={v}" for k, v in params.items()) + "]"


def _plain(value):
    """Engine-independent cell values: NaN/None alike, numpy scalars as Python, floats rounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, str)):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return tuple(_plain(v) for v in list(value))
    return value


def run_canned(store, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    """Columns and rows of a canned query, shaped as every runner shapes them
    (:func:`kg.queries.shape_rows`: the header's order, ties broken by the other columns)."""
    q = load_query(name)
    bound = q.bind(params)
    statement = q.statement(bound, names=store.names)  # what kg.api runs: the branches that can match
    df = store.cypher(statement, bound) if statement else pd.DataFrame(columns=q.columns)
    missing = [c for c in q.columns if c not in df.columns and c != "rank"]
    assert not missing, f"{name}: result lacks documented columns {missing} (got {list(df.columns)})"
    df = shape_rows(df, q.columns, q.order)
    rows = [tuple(_plain(v) for v in row) for row in df.itertuples(index=False, name=None)]
    return list(df.columns), rows


def _sort_key(v):
    return (v is None, str(type(v).__name__) if v is not None else "", v if v is not None else 0)


def test_every_canned_query_has_cases():
    assert set(CASES) == set(list_queries("cypher")), "add cases for new canned queries here"


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_return_rows_on_the_embedded_store(ladybug_sample, name):
    """The comparison means something: some case of every query finds rows in the sample."""
    assert any(run_canned(ladybug_sample, name, p)[1] for p in CASES[name])


@pytest.mark.parametrize("case", ALL_CASES, ids=[_id(c) for c in ALL_CASES])
def test_canned_query_matches_the_embedded_store(loaded_store, ladybug_sample, case):
    name, params = case
    expected_cols, expected_rows = run_canned(ladybug_sample, name, params)
    cols, rows = run_canned(loaded_store, name, params)
    assert cols == expected_cols
    assert rows == expected_rows


def test_methods_beating_answers_the_sample_question(loaded_store, expected):
    _, rows = run_canned(loaded_store, "methods_beating", {"baseline": "resnet50", "dataset": "imagenet"})
    winners = {r[0] for r in rows}
    assert set(expected["beats_resnet50_imagenet"]) <= winners
    assert not set(expected["not_beating_resnet50_imagenet"]) & winners


def test_beats_chain_finds_the_sample_chain(loaded_store, expected):
    _, rows = run_canned(loaded_store, "beats_chain", {"winner": "StrataNet", "loser": "ResNet-50"})
    assert (3, " > ".join(expected["chain"])) in rows


def test_a_query_error_is_one_line(loaded_store):
    from kg.errors import StoreError

    with pytest.raises(StoreError) as err:
        loaded_store.cypher("MATCH (n:Paper RETURN n")
    assert "\n" not in str(err.value)


def test_results_are_dataframes_with_the_returned_columns(loaded_store):
    df = loaded_store.cypher("MATCH (p:Paper) WHERE p.id = $id RETURN p.id AS id, p.title AS title",
                             {"id": "kgs-001"})
    assert isinstance(df, pd.DataFrame) and list(df.columns) == ["id", "title"] and len(df) == 1
    empty = loaded_store.cypher("MATCH (p:Paper) WHERE p.id = $id RETURN p.id AS id", {"id": "none"})
    assert list(empty.columns) == ["id"] and empty.empty


def run_full(store, name: str, params: dict) -> list[tuple]:
    """Rows of the whole query, every UNION branch included (what a user pasting the file runs;
    without its comments, which would take the methods_beating file over the size at which
    FalkorDB's Bolt server crashes, see docs/neo4j.md)."""
    q = load_query(name)
    df = shape_rows(store.cypher(q.body, q.bind(params)), q.columns, q.order)
    return [tuple(_plain(v) for v in row) for row in df.itertuples(index=False, name=None)]


@pytest.mark.parametrize("case", ALL_CASES, ids=[_id(c) for c in ALL_CASES])
def test_leaving_out_branches_changes_no_rows(ladybug_sample, case):
    """The `// when` guards only drop branches that cannot match: the pruned statement the API
    runs and the whole file give the same rows."""
    name, params = case
    assert run_canned(ladybug_sample, name, params)[1] == run_full(ladybug_sample, name, params)


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c[0] in ("methods_beating", "papers_with_code")],
                         ids=[_id(c) for c in ALL_CASES if c[0] in ("methods_beating", "papers_with_code")])
def test_the_whole_file_runs_unchanged_on_the_bolt_server(loaded_store, ladybug_sample, case):
    name, params = case
    assert run_full(loaded_store, name, params) == run_canned(ladybug_sample, name, params)[1]
