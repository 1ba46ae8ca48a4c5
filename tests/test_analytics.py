"""Graph analytics on the sample corpus built into a real store (kg/analytics.py, kg analyze,
kg export-graph)."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys

import click
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT

from kg import analytics as ka
from kg.errors import UsageError
from kg.graph import GraphTables


@pytest.fixture(scope="module")
def tables(sample_store) -> GraphTables:
    return ka.load_tables(sample_store)


@pytest.fixture(scope="module")
def shuffled(tables) -> GraphTables:
    """The same graph with every table's rows in another order."""
    out = GraphTables()
    out.nodes = {k: df.sample(frac=1, random_state=3).reset_index(drop=True) for k, df in tables.nodes.items()}
    out.edges = {k: df.sample(frac=1, random_state=5).reset_index(drop=True) for k, df in tables.edges.items()}
    return out


# -- contradictions -----------------------------------------------------------------------------

def test_beats_contradiction_tidemix_spectradrop(sample_store, expected):
    df = ka.contradictions(sample_store)
    beats = df[df["kind"] == "beats"]
    want = expected["contradiction"]
    assert len(beats) == 1, beats  # the corpus holds exactly one deliberate contradiction
    row = beats.iloc[0]
    assert row["dataset"] == want["dataset"]
    assert {row["method_a"], row["method_b"]} == set(want["methods"])
    assert {row["paper_a"], row["paper_b"]} == set(want["papers"])
    # each side is the claim of its own paper, with the sentence that makes it
    assert row["claim_a"].startswith(f"{row['method_a']} beats {row['method_b']}")
    assert row["claim_b"].startswith(f"{row['method_b']} beats {row['method_a']}")
    assert row["method_a"] in row["sentence_a"] and row["method_b"] in row["sentence_a"]
    assert row["method_a"] in row["sentence_b"] and row["method_b"] in row["sentence_b"]


def test_value_conflict_resnet50_imagenet(sample_store, expected):
    df = ka.contradictions(sample_store)
    values = df[(df["kind"] == "value") & (df["method_a"] == "ResNet-50") & (df["dataset"] == "ImageNet")]
    assert len(values) == 1, df
    row = values.iloc[0]
    assert row["metric"] == "top-1 accuracy" and row["method_b"] == "ResNet-50"
    reported = {row["paper_a"]: row["value_a"], row["paper_b"]: row["value_b"]}
    assert reported == expected["resnet50_imagenet_top1"]
    assert "76.1" in row["sentence_a"] + row["sentence_b"] and "76.5" in row["sentence_a"] + row["sentence_b"]


def test_value_conflicts_need_two_papers(sample_store):
    df = ka.contradictions(sample_store)
    values = df[df["kind"] == "value"]
    assert (values["paper_a"] != values["paper_b"]).all()
    assert (values["value_a"] != values["value_b"]).all()


def test_contradictions_filtered_by_dataset(sample_store):
    assert set(ka.contradictions(sample_store, dataset="cifar100")["kind"]) == {"beats"}
    assert set(ka.contradictions(sample_store, dataset="imagenet")["kind"]) == {"value"}
    assert ka.contradictions(sample_store, dataset="COCO").empty


def test_trade_off_on_two_metrics_is_not_a_contradiction(tables):
    claims = ka.beats_table(tables, "CIFAR-100")
    a = claims[(claims["winner"] == "TideMix") & (claims["loser"] == "SpectraDrop")].iloc[0].to_dict()
    b = claims[(claims["winner"] == "SpectraDrop") & (claims["loser"] == "TideMix")].iloc[0].to_dict()
    assert len(ka._beats_conflicts(pd.DataFrame([a, b]))) == 1
    b.update(metric_key="fid", metric="FID")
    assert ka._beats_conflicts(pd.DataFrame([a, b])) == []


# -- ranking ------------------------------------------------------------------------------------

def test_rank_chain_on_imagenet(sample_store, expected):
    chain = expected["chain"]  # StrataNet > LatticeFormer > RippleConv > ResNet-50
    df = ka.rank_methods(sample_store, dataset="ImageNet")
    rank = dict(zip(df["method"], df["rank"]))
    assert df["method"].head(2).tolist() == chain[:2]
    assert [rank[m] for m in chain] == sorted(rank[m] for m in chain)
    row = df.set_index("method")
    # StrataNet reaches every method below it through the chain
    assert row.loc["StrataNet", "transitive"] >= len(chain) - 1
    assert row.loc["ResNet-50", "beats"] == 0
    assert row.loc["ResNet-50", "beaten_by"] == len(expected["beats_resnet50_imagenet"])
    graph = ka.beats_graph(sample_store, "ImageNet")
    for winner, loser in itertools.pairwise(chain):
        assert graph.has_edge(winner, loser)
        assert loser in nx.descendants(graph, chain[0])


def test_rank_top5_is_deterministic(tables, shuffled, sample_store):
    first = ka.rank_methods(tables, top=5)
    assert first["rank"].tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(first, ka.rank_methods(shuffled, top=5))
    pd.testing.assert_frame_equal(first, ka.rank_methods(sample_store, top=5))
    assert first["method"].iloc[0] == "StrataNet"
    assert list(first.columns) == ka.RANK_COLUMNS
    # sorted by transitive count, then direct wins
    keys = list(zip(-first["transitive"], -first["beats"]))
    assert keys == sorted(keys)


def test_rank_direct_only(tables):
    df = ka.rank_methods(tables, dataset="ImageNet", transitive=False)
    assert "transitive" not in df.columns and "pagerank" not in df.columns
    assert df["method"].iloc[0] == "LatticeFormer"  # beats DeiT-S, RippleConv and ViT-B/16
    assert df["beats"].is_monotonic_decreasing


def test_pagerank_sums_to_one_and_favours_winners(tables):
    graph = ka.beats_graph(tables).reverse()
    pr = ka.pagerank(graph)
    assert abs(sum(pr.values()) - 1.0) < 1e-9
    assert pr["StrataNet"] > pr["LatticeFormer"] > pr["DeiT-S"]
    star = nx.DiGraph([("a", "b"), ("c", "b")])
    assert {k: round(v, 3) for k, v in ka.pagerank(star).items()} == {"a": 0.213, "b": 0.574, "c": 0.213}


def test_pagerank_matches_networkx_reference(tables):
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")._pagerank_python
    graph = ka.beats_graph(tables).reverse()
    ours, theirs = ka.pagerank(graph), reference(graph, tol=1e-12, max_iter=1000)
    assert max(abs(ours[k] - theirs[k]) for k in theirs) < 1e-9


def test_unknown_dataset_names_the_known_ones(tables):
    with pytest.raises(UsageError) as err:
        ka.rank_methods(tables, dataset="NoSuchSet")
    message = str(err.value)
    assert "NoSuchSet" in message and "ImageNet" in message and "CIFAR-100" in message


def test_dataset_aliases_resolve(tables):
    assert ka.resolve_dataset(tables, "cifar100") == (frozenset({"cifar100"}), "CIFAR-100")
    assert ka.resolve_dataset(tables, "MS-COCO")[1] == "COCO"


# -- communities --------------------------------------------------------------------------------

def test_communities_group_families(tables, shuffled, expected):
    df = ka.communities(tables)
    assert df["community"].tolist() == list(range(1, len(df) + 1))
    assert df["size"].is_monotonic_decreasing and (df["size"] >= 2).all()
    family = {m: row.community for row in df.itertuples() for m in row.methods}
    assert len({family[m] for m in expected["chain"]}) == 1
    assert family["TideMix"] == family["SpectraDrop"]
    assert family["TideMix"] != family["StrataNet"]
    assert all(row.hub == row.methods[0] for row in df.itertuples())
    pd.testing.assert_frame_equal(df, ka.communities(shuffled))


# -- trends -------------------------------------------------------------------------------------

def test_paper_year_skips_dates_without_year():
    assert ka.paper_year("2024-05-16") == 2024
    assert ka.paper_year("2021") == 2021
    assert ka.paper_year("--05-16") is None
    assert ka.paper_year(None) is None and ka.paper_year("") is None


def _tiny_tables(dates: dict[str, str]) -> GraphTables:
    t = GraphTables()
    t.nodes["Paper"] = pd.DataFrame({"id": list(dates), "date": list(dates.values())})
    t.nodes["Dataset"] = pd.DataFrame({"key": ["d1"], "name": ["D1"], "aliases": [[]], "keys": [["d1"]]})
    t.nodes["Method"] = pd.DataFrame({"key": ["m1"], "name": ["M1"], "aliases": [[]], "keys": [["m1"]]})
    t.edges[("USES_DATASET", "Paper", "Dataset")] = pd.DataFrame({"from": list(dates), "to": "d1"})
    t.edges[("MENTIONS", "Paper", "Method")] = pd.DataFrame({"from": list(dates), "to": "m1"})
    return t


def test_mentions_per_year_counts_dated_papers_only():
    t = _tiny_tables({"p1": "2022-01-02", "p2": "2024-03-04", "p3": "--05-06", "p4": "2024-12-01"})
    df = ka.mentions_per_year(t)
    d1 = df[df["name"] == "D1"].set_index("year")["papers"].to_dict()
    assert d1 == {2022: 1, 2023: 0, 2024: 2}
    assert set(df["kind"]) == {"dataset", "method"}


def test_mentions_per_year_on_the_sample(tables):
    df = ka.mentions_per_year(tables, top=3)
    top = df[df["kind"] == "dataset"].groupby("name", sort=False)["papers"].sum()
    assert top.index[0] == "ImageNet" and len(top) == 3


# -- networkx export ----------------------------------------------------------------------------

def test_to_networkx_full_and_beats(tables):
    full = ka.to_networkx(tables)
    assert full.number_of_nodes() == sum(len(df) for df in tables.nodes.values())
    assert full.nodes["Method:resnet50"]["kind"] == "Method"
    assert full.nodes["Paper:kgs-001"]["label"].startswith("HieraViT")
    beats = ka.to_networkx(tables, view="beats")
    assert {d["kind"] for _, _, d in beats.edges(data=True)} == {"BEATS"}
    assert beats.number_of_edges() == len(tables.edges[("BEATS", "Method", "Method")])


def test_to_networkx_dataset_part(tables, expected):
    part = ka.to_networkx(tables, "CIFAR-100")
    kinds = {d["kind"] for _, d in part.nodes(data=True)}
    assert {"Dataset", "Paper", "Method", "Comparison", "Result", "Metric"} <= kinds
    assert {f"Paper:{p}" for p in expected["contradiction"]["papers"]} <= set(part)
    assert "Paper:kgs-001" not in part  # an ImageNet paper
    beats = [d for _, _, d in part.edges(data=True) if d["kind"] == "BEATS"]
    assert beats and {d["dataset"] for d in beats} == {"cifar100"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trip(tables, tmp_path, fmt):
    path = tmp_path / f"kg.{fmt}"
    written = ka.export_graph(tables, path)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == written.number_of_nodes()
    assert back.number_of_edges() == written.number_of_edges()
    node = back.nodes["Method:resnet50"]
    assert node["kind"] == "Method" and node["label"] == "ResNet-50" and node["name"] == "ResNet-50"
    assert "resnet50" in json.loads(node["keys"])
    assert back.nodes["Metric:accuracy"]["higher_is_better"] is True
    result = next(d for _, d in back.nodes(data=True) if d["kind"] == "Result")
    assert isinstance(result["value"], float)
    beats = [d for u, v, d in back.edges(data=True) if u == "Method:tidemix" and v == "Method:spectradrop"]
    assert beats and beats[0]["label"] == "BEATS" and beats[0]["paper"] == "kgs-005"
    assert beats[0]["dataset"] == "cifar100" and "TideMix" in beats[0]["sentence"]


def test_export_rejects_unknown_extension(tables, tmp_path):
    with pytest.raises(UsageError, match="graphml or .gexf"):
        ka.export_graph(tables, tmp_path / "kg.xml")
    with pytest.raises(UsageError, match="extension"):
        ka.export_graph(tables, tmp_path / "kg.graphml", fmt="gexf")
    assert not list(tmp_path.iterdir())


# -- leaderboards -------------------------------------------------------------------------------
# tests/data/leaderboard/papers.jsonl: three made-up papers on "FooBench" with accuracies (higher
# is better), error rates (lower is better), a metric no vocabulary knows ("glyph consistency")
# and four differences that must never become values: "gains ~2.1% accuracy", "the improvement
# grows to 3.4% accuracy", "improves accuracy by +1.3%", "adds less than 2% parameters".

BOARD_PAPERS = ROOT / "tests" / "data" / "leaderboard" / "papers.jsonl"
BOARD_TITLES = {json.loads(line)["id"]: json.loads(line)["title"] for line in BOARD_PAPERS.read_text().splitlines()}
BOARD_COLUMNS = ["rank", "method", "value", "unit", "metric", "direction", "title", "paper", "confidence", "evidence"]


def _kg(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def board_store(tmp_path_factory):
    """The leaderboard papers built by `kg build` into a LadybugDB store and its RDF store."""
    store = tmp_path_factory.mktemp("board") / "store"
    proc = _kg("build", BOARD_PAPERS, "--store", store)
    assert proc.returncode == 0, proc.stderr
    return store


def _board(store, metric: str, lang: str, dataset: str = "foobench") -> list[dict]:
    proc = _kg("query", "leaderboard", "-p", f"dataset={dataset}", "-p", f"metric={metric}", "--lang", lang,
               "--format", "json", "--store", store)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_leaderboard_rows_name_method_title_unit_and_direction(board_store, lang):
    rows = _board(board_store, "acc", lang)
    assert [list(r) for r in rows] == [BOARD_COLUMNS] * 3
    assert [(r["rank"], r["method"], r["value"], r["unit"]) for r in rows] == [
        (1, "WidgetNet", 91.2, "%"), (2, "BarNet", 89.9, "%"), (3, "QuuxNet", 88.4, "%")]
    assert {r["direction"] for r in rows} == {"higher is better"}
    assert [r["title"] for r in rows] == [BOARD_TITLES[r["paper"]] for r in rows]  # the title, not the id
    assert all(str(r["value"]) in r["evidence"] for r in rows)


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_leaderboard_never_ranks_a_gain(board_store, lang):
    accuracy = _board(board_store, "accuracy", lang)
    assert {r["value"] for r in accuracy} == {91.2, 89.9, 88.4}  # not 2.1, 3.4 or 1.3
    assert _board(board_store, "parameters", lang) == []  # "adds less than 2% parameters" is no value
    # nor anywhere else in the graph: every Result is an absolute value written as one
    values = sorted(ka.results_table(board_store)["value"])
    assert values == [0.82, 0.91, 10.1, 11.6, 88.4, 89.9, 91.2]


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_leaderboard_lower_is_better_ranks_the_smallest_first(board_store, lang):
    rows = _board(board_store, "error rate", lang)
    assert [(r["rank"], r["method"], r["value"]) for r in rows] == [(1, "BarNet", 10.1), (2, "QuuxNet", 11.6)]
    assert {r["direction"] for r in rows} == {"lower is better"}


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_leaderboard_of_a_metric_without_direction_says_so_and_ranks_nothing(board_store, lang):
    rows = _board(board_store, "glyph consistency", lang)
    assert [(r["method"], r["value"]) for r in rows] == [("BarNet", 0.91), ("WidgetNet", 0.82)]  # high to low
    assert {r["direction"] for r in rows} == {"unknown"}
    assert [r["rank"] for r in rows] == [None, None]  # no guess at which end is best


def test_analytics_leaderboard_is_the_canned_query(board_store, sample_store):
    """kg plot's rows (kg.analytics.leaderboard) are kg query's rows, on both corpora."""
    import kg

    for store, dataset, metrics in ((board_store, "FooBench", ["accuracy", "error rate", "glyph consistency"]),
                                    (sample_store, "ImageNet", ["top-1", "FLOPs"]),
                                    (sample_store, "FFHQ", ["FID"])):
        g = kg.open(store)
        for metric in metrics:
            ours = ka.leaderboard(ka.confident(store, 0.3), dataset, metric)
            canned = g.leaderboard(dataset, metric)
            assert len(ours) == len(canned) > 0, (dataset, metric)
            for column in ("rank", "method", "value", "unit", "direction", "title", "paper"):
                assert ours[column].tolist() == canned[column].tolist(), (dataset, metric, column)


def test_a_vocabulary_metric_matched_by_its_exact_spelling_keeps_its_direction(sample_store):
    """'parameters' is an ambiguous vocabulary entry (also an ordinary word): matched only as
    spelled, it still carries the vocabulary's direction (lower is better)."""
    board = ka.leaderboard(sample_store, "ImageNet", "parameters")
    assert set(board["direction"]) == {"lower is better"}
    assert board["value"].tolist() == sorted(board["value"]) and board["rank"].tolist() == [1, 2]


def test_ranks_are_numbered_again_after_the_confidence_cut():
    from kg.queries import keep_confident

    rows = pd.DataFrame({"rank": [1, 2, 3], "method": ["a", "b", "c"], "confidence": [0.9, 0.2, 0.8]})
    assert keep_confident(rows, 0.5)[["rank", "method"]].values.tolist() == [[1, "a"], [2, "c"]]
    unranked = pd.DataFrame({"rank": [None, None], "method": ["a", "b"], "confidence": [0.9, 0.9]})
    assert keep_confident(unranked, 0.5)["rank"].tolist() == [None, None]


# -- command line -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kg_cli() -> click.Group:
    from kg.cli_analytics import register

    group = click.Group("kg")
    register(group)
    return group


def test_cli_rank_json(kg_cli, sample_store):
    result = CliRunner().invoke(kg_cli, ["analyze", "rank", "--store", str(sample_store), "--dataset", "ImageNet",
                                         "--top", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["method"] for r in rows] == ["StrataNet", "LatticeFormer", rows[2]["method"]] and len(rows) == 3


def test_cli_contradictions_table(kg_cli, sample_store):
    result = CliRunner().invoke(kg_cli, ["analyze", "contradictions", "--store", str(sample_store)])
    assert result.exit_code == 0, result.output
    assert "TideMix beats SpectraDrop" in result.output and "76.5%" in result.output
    assert "sentence_a" not in result.output  # evidence only in json/csv


def test_cli_communities_csv(kg_cli, sample_store):
    result = CliRunner().invoke(kg_cli, ["analyze", "communities", "--store", str(sample_store), "--format", "csv",
                                         "--top", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ",".join(ka.COMMUNITY_COLUMNS)
    assert len(pd.read_csv(io.StringIO(result.output))) == 2


def test_cli_unknown_dataset_is_a_usage_error(kg_cli, sample_store):
    result = CliRunner().invoke(kg_cli, ["analyze", "rank", "--store", str(sample_store), "--dataset", "Nope"])
    assert isinstance(result.exception, UsageError) and result.exception.exit_code == 2
    assert "datasets with claims or results" in str(result.exception)


def test_cli_export_graph(kg_cli, sample_store, tmp_path):
    out = tmp_path / "beats.gexf"
    result = CliRunner().invoke(kg_cli, ["export-graph", "-o", str(out), "--beats-only", "--dataset", "cifar-100",
                                         "--store", str(sample_store)])
    assert result.exit_code == 0, result.output
    back = nx.read_gexf(out)
    assert sorted(back.nodes[n]["label"] for n in back) == ["CutMix", "DropBlock", "SpectraDrop", "TideMix"]
