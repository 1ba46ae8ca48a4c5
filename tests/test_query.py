"""Canned queries on the sample corpus, through the Python helpers and the CLI."""

import json

import pytest

import kg
from kg.errors import UsageError
from kg.queries import list_queries, load_query


def test_methods_beating_resnet50_on_imagenet(sample_store, expected):
    with kg.open(str(sample_store)) as g:
        df = g.methods_beating("ResNet-50", "ImageNet")
    assert set(expected["beats_resnet50_imagenet"]) <= set(df["winner"])
    assert set(df["loser"]) == {"ResNet-50"}
    assert set(df["dataset"]) == {"ImageNet"}
    assert list(df.columns) == load_query("methods_beating").columns


@pytest.mark.parametrize("baseline, dataset", [("resnet50", "imagenet"), ("RESNET-50", "ImageNet"),
                                               ("ResNet 50", "IMAGENET")])
def test_names_match_any_alias_and_case(sample_store, expected, baseline, dataset):
    with kg.open(str(sample_store)) as g:
        df = g.methods_beating(baseline, dataset)
    assert set(expected["beats_resnet50_imagenet"]) <= set(df["winner"])


def test_sota_baseline_lists_claims_against_unnamed_state_of_the_art(sample_store):
    with kg.open(str(sample_store)) as g:
        df = g.methods_beating("SOTA")
    assert len(df) > 0 and set(df["loser"]) == {"SOTA"}


def test_unknown_names_give_no_rows(sample_store):
    with kg.open(str(sample_store)) as g:
        assert g.methods_beating("NoSuchNet", "ImageNet").empty


def test_query_parameters_are_checked():
    q = load_query("methods_beating")
    with pytest.raises(UsageError, match="needs --param baseline"):
        q.bind({})
    with pytest.raises(UsageError, match="no parameter 'bogus'"):
        q.bind({"baseline": "x", "bogus": "y"})
    with pytest.raises(UsageError, match="no canned cypher query"):
        load_query("nope")


def test_every_canned_query_documents_params_and_columns():
    for name in list_queries("cypher"):
        q = load_query(name)
        assert q.columns, name
        assert q.description, name


def test_cli_query_formats(sample_store):
    from test_contract import run_kg

    proc = run_kg("query", "methods_beating", "--param", "baseline=resnet50", "--param", "dataset=ImageNet",
                  "--format", "json", "--store", str(sample_store))
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and {"winner", "loser", "paper"} <= set(rows[0])
    proc = run_kg("query", "methods_beating", "-p", "baseline=resnet50", "--format", "csv",
                  "--store", str(sample_store))
    assert proc.stdout.splitlines()[0].startswith("winner,loser,dataset")
    proc = run_kg("query", "methods_beating", "-p", "baseline=resnet50", "--store", str(sample_store))
    assert "winner" in proc.stdout.splitlines()[0] and "row" in proc.stdout.splitlines()[-1]


def test_one_helper_per_canned_query(sample_store, expected):
    import inspect

    with kg.open(str(sample_store)) as g:
        for name in list_queries("cypher"):
            assert callable(getattr(g, name, None)), f"kg.open(...).{name} is missing"
            assert inspect.getdoc(getattr(g, name))
        chain = g.beats_chain(expected["chain"][0], expected["chain"][-1])
        assert " > ".join(expected["chain"]) in chain["chain"].tolist()
        board = g.leaderboard("ImageNet", "top-1")
        assert board["rank"].tolist() == list(range(1, len(board) + 1))
        assert board["value"].tolist() == sorted(board["value"], reverse=True)
        assert len(g.top_datasets(limit=3)) == 3
        assert not g.papers_with_code(dataset="ImageNet").empty
        assert set(g.method_profile("ResNet-50")["relation"]) >= {"mentioned_in", "beaten_by"}
        sota_dataset = next(d for d in g.methods_beating("SOTA")["dataset"] if d)
        assert not g.sota_claims(sota_dataset).empty
        assert not g.datasets_for_method("ResNet-50").empty
        assert "ResNet-50" in set(g.methods_on_dataset("ImageNet")["method"])


def test_a_named_baseline_never_returns_sota_rows_and_sota_only_sota(sample_store):
    with kg.open(str(sample_store)) as g:
        named = g.methods_beating("ResNet-50")
        sota = g.methods_beating("sota", "")
    assert len(named) and "SOTA" not in set(named["loser"])
    assert len(sota) and set(sota["loser"]) == {"SOTA"}


def test_guards_leave_out_the_branches_that_cannot_match():
    q = load_query("methods_beating")
    assert len(q.branches) == 6 and all(b.guard for b in q.branches)

    def names(key, label):
        return (key, label) in {("resnet50", "Method"), ("imagenet", "Dataset")}

    named = q.statement(q.bind({"baseline": "ResNet-50", "dataset": "ImageNet"}), names=names)
    assert named.count("MATCH (:Alias {key: $baseline})") == 1 and "vs_sota" not in named
    sota = q.statement(q.bind({"baseline": "SOTA", "dataset": "ImageNet"}), names=names)
    assert "vs_sota" in sota and "$baseline})" not in sota
    assert q.statement(q.bind({"baseline": "NoSuchNet"}), names=names) is None
    assert q.statement(q.bind({"baseline": "SOTA"})).count("UNION") == 5  # no lookups: every branch may match
    chain = load_query("beats_chain")
    assert chain.statement(chain.bind({"winner": "a", "loser": "b", "max_hops": 2})).count("UNION") == 1


def test_a_guard_that_cannot_be_read_is_an_error():
    from kg.queries import _parse

    text = "// q — a query\n// param x (name): a name\n// columns: n\n// when $x names Method or $y = 1\nRETURN 1 AS n\n"
    with pytest.raises(UsageError, match="cannot read the guard"):
        _parse("q", "cypher", text)
    with pytest.raises(UsageError, match="not a parameter"):
        _parse("q", "cypher", text.replace(" or $y = 1", " and $y = 1"))
