"""Graph analytics over a built graph: networkx export, method rankings, contradictions, families.

Every public function takes a *source*: :class:`~kg.graph.GraphTables`, an open store (anything
with ``.cypher``: ``LadybugStore``, ``Neo4jStore``), a :class:`kg.api.KnowledgeGraph`, or a store
directory (opened read-only). Functions return pandas DataFrames (or networkx graphs) whose row
order is fixed: everything is sorted and nothing is random, so the same graph gives the same
answer on every run.

>>> import kg.analytics as ka
>>> ka.rank_methods("kg-data", dataset="ImageNet").head(3)[["rank", "method", "beats"]]  # doctest: +SKIP
   rank         method  beats
0     1      StrataNet      3
1     2  LatticeFormer      3
2     3       HieraViT      2
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from kg.errors import UsageError
from kg.graph import NODE_COLUMNS, NODE_KEY, REL_PROPERTIES, RELATIONSHIPS, GraphTables
from kg.normalize import norm_key
from kg.output import atomic_path  # noqa: F401 (re-exported for plots)

__all__ = [
    "atomic_path",
    "beats_graph",
    "beats_table",
    "communities",
    "contradictions",
    "export_graph",
    "leaderboard",
    "load_tables",
    "mentions_per_year",
    "method_graph",
    "pagerank",
    "paper_year",
    "rank_methods",
    "resolve_dataset",
    "resolve_metric",
    "results_table",
    "to_networkx",
]

GRAPH_FORMATS = ("graphml", "gexf")
_YEAR = re.compile(r"^(\d{4})(?:-|$)")

# What each analysis reads from a store (label → columns, None = all), so that big stores are not
# read whole (paper abstracts stay in the store).
_ENTITIES: dict[str, list[str] | None] = {"Method": None, "Dataset": None, "Metric": None}
_BEATS_NODES = {**_ENTITIES, "Comparison": ["id", "delta", "sentence"]}
_BEATS_RELS = [("BEATS", "Method", "Method"), ("BY_METRIC", "Comparison", "Metric")]
_RESULT_NODES = {**_ENTITIES, "Paper": ["id", "title", "date"],
                 "Result": ["id", "value", "unit", "raw", "sentence", "confidence"]}
_RESULT_RELS = [("OF_METHOD", "Result", "Method"), ("ON_DATASET", "Result", "Dataset"),
                ("BY_METRIC", "Result", "Metric"), ("STATED_IN", "Result", "Paper")]
_MENTION_RELS = [("PROPOSES", "Paper", "Method"), ("MENTIONS", "Paper", "Method")]
_DATASET_RELS = [("USES_DATASET", "Paper", "Dataset"), ("INTRODUCES_DATASET", "Paper", "Dataset")]


# -- reading ------------------------------------------------------------------------------------

def _listify(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _read_nodes(store, label: str, columns: list[str] | None) -> pd.DataFrame:
    from kg.rdf.from_store import read_nodes

    if columns is None:
        return read_nodes(store, label)
    key = NODE_KEY[label]
    cols = [key, *(c for c in columns if c != key)]
    returns = ", ".join(f"n.{c} AS {c}" for c in cols)
    df = store.cypher(f"MATCH (n:{label}) RETURN {returns} ORDER BY n.{key}").reindex(columns=cols)
    for col in ("aliases", "keys"):
        if col in df.columns:
            df[col] = df[col].map(_listify)
    return df.reset_index(drop=True)


def _read(store, nodes: dict[str, list[str] | None] | None,
          rels: Iterable[tuple[str, str, str]] | None) -> GraphTables:
    from kg.rdf.from_store import read_edges

    nodes = {label: None for label in NODE_COLUMNS} if nodes is None else nodes
    rels = RELATIONSHIPS if rels is None else list(rels)
    tables = GraphTables()
    for label, columns in nodes.items():
        tables.nodes[label] = _read_nodes(store, label, columns)
    for spec in rels:
        tables.edges[spec] = read_edges(store, *spec)
    return tables


@dataclass(frozen=True)
class Confident:
    """A graph source seen through a confidence cut: claims (Comparison) and results below
    ``min_confidence`` are not there, nor their relationships and BEATS. Every analysis and plot
    reads through :func:`load_tables`, so ``rank_methods(confident(store, 0.6))`` ranks on the
    claims right about 75% of the time or more (docs/evaluation.md)."""

    source: object
    min_confidence: float


def confident(source, min_confidence: float | None) -> object:
    """``source`` seen through a confidence cut (``source`` itself for 0 or None)."""
    return Confident(source, float(min_confidence)) if min_confidence else source


def _with_confidence(nodes, rels) -> tuple[dict[str, list[str] | None], list[tuple[str, str, str]]]:
    """What to read so that facts can be cut by confidence: the Comparison and Result nodes'
    confidence whenever their relationships (or BEATS) are read."""
    nodes = {label: None for label in NODE_COLUMNS} if nodes is None else dict(nodes)
    rels = RELATIONSHIPS if rels is None else list(rels)
    for label in ("Comparison", "Result"):
        if label in nodes or any(label in (a, b) for _, a, b in rels) or (label == "Comparison" and any(
                r == "BEATS" for r, _, _ in rels)):
            columns = nodes.get(label, ["id"])
            nodes[label] = None if columns is None else list(dict.fromkeys([*columns, "confidence"]))
    return nodes, rels


def _cut(tables: GraphTables, min_confidence: float) -> GraphTables:
    low: dict[str, set] = {}
    for label in ("Comparison", "Result"):
        df = tables.nodes.get(label)
        if df is None or df.empty:
            continue
        values = pd.to_numeric(df["confidence"], errors="coerce")
        low[label] = set(df.loc[values < min_confidence, "id"])
        tables.nodes[label] = df[~df["id"].isin(low[label])].reset_index(drop=True)
    for spec, df in list(tables.edges.items()):
        rel, start, _ = spec
        if rel == "BEATS" and low.get("Comparison"):
            tables.edges[spec] = df[~df["comparison"].isin(low["Comparison"])].reset_index(drop=True)
        elif low.get(start):
            tables.edges[spec] = df[~df["from"].isin(low[start])].reset_index(drop=True)
    return tables


def load_tables(source, nodes: dict[str, list[str] | None] | None = None,
                rels: Iterable[tuple[str, str, str]] | None = None) -> GraphTables:
    """The graph tables of ``source`` (GraphTables, store, KnowledgeGraph, store directory, or
    any of these seen through :func:`confident`).

    ``nodes`` maps the labels to read to their columns (``None``: all columns); ``rels`` lists the
    (type, from, to) relationships to read. Both default to everything. GraphTables are returned
    as they are.
    """
    from kg.api import KnowledgeGraph

    if isinstance(source, Confident):
        nodes, rels = _with_confidence(nodes, rels)
        return _cut(copy.deepcopy(load_tables(source.source, nodes, rels)), source.min_confidence)
    if isinstance(source, GraphTables):
        return source
    store = source.store if isinstance(source, KnowledgeGraph) else source
    if hasattr(store, "cypher"):
        return _read(store, nodes, rels)
    if isinstance(source, (str, os.PathLike)):  # a store directory or a Neo4j URI
        from kg.stores.open import open_store

        with open_store(source) as opened:
            return _read(opened, nodes, rels)
    raise TypeError(f"not a graph source: {type(source).__name__} "
                    "(pass GraphTables, a store, a KnowledgeGraph or a store directory)")


def _node_frame(tables: GraphTables, label: str) -> pd.DataFrame:
    df = tables.nodes.get(label)
    return df if df is not None else pd.DataFrame(columns=NODE_COLUMNS[label])


def _edge_frame(tables: GraphTables, spec: tuple[str, str, str]) -> pd.DataFrame:
    df = tables.edges.get(spec)
    return df if df is not None else pd.DataFrame(columns=["from", "to", *REL_PROPERTIES.get(spec[0], [])])


def _names(tables: GraphTables, label: str) -> dict[str, str]:
    df = _node_frame(tables, label)
    return dict(zip(df["key"], df["name"])) if not df.empty else {}


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN, pd.NA) become ''."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


# -- names the user types -----------------------------------------------------------------------

def _fact_datasets(tables: GraphTables) -> list[str]:
    """Names of the datasets with beats claims or results, most used first."""
    counts: Counter = Counter()
    beats = _edge_frame(tables, ("BEATS", "Method", "Method"))
    counts.update(k for k in beats["dataset"].map(_text) if k)
    counts.update(_edge_frame(tables, ("ON_DATASET", "Result", "Dataset"))["to"].map(_text))
    counts.pop("", None)
    names = _names(tables, "Dataset")
    return [names.get(k, k) for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))]


def _unknown(kind: str, name: str, known: list[str], what: str) -> UsageError:
    from kg.suggest import nearest

    if not known:
        return UsageError(f"unknown {kind} {name!r}: the store has no {what} (is it built?)")
    near = nearest(name, known)
    if near:
        return UsageError(f"unknown {kind} {name!r}; did you mean {', '.join(near)}? ({len(known)} {what})")
    shown = ", ".join(known[:25]) + (f", … ({len(known)} in all)" if len(known) > 25 else "")
    return UsageError(f"unknown {kind} {name!r}; {what}: {shown}")


def _resolve(tables: GraphTables, label: str, name: str) -> tuple[frozenset[str], str]:
    df = _node_frame(tables, label)
    key = norm_key(name)
    if df.empty:
        return frozenset(), ""
    hit = df["keys"].map(lambda ks: key in ks) | (df["key"] == key)
    hits = df[hit]
    if hits.empty:
        return frozenset(), ""
    exact = hits[hits["key"] == key]
    display = (exact if len(exact) else hits)["name"].iloc[0]
    return frozenset(hits["key"]), str(display)


def resolve_dataset(source, name: str) -> tuple[frozenset[str], str]:
    """The keys of the Dataset nodes ``name`` stands for (any alias, any case) and a display name.

    Raises :class:`~kg.errors.UsageError` naming the datasets that exist when nothing matches.

    >>> resolve_dataset(tables, "cifar100")            # doctest: +SKIP
    (frozenset({'cifar100'}), 'CIFAR-100')
    """
    tables = load_tables(source, {"Dataset": None}, _BEATS_RELS[:1] + _RESULT_RELS[1:2])
    keys, display = _resolve(tables, "Dataset", name)
    if not keys:
        raise _unknown("dataset", name, _fact_datasets(tables), "datasets with claims or results")
    return keys, display


def resolve_metric(source, name: str, dataset: str | None = None) -> tuple[frozenset[str], str]:
    """The keys of the Metric nodes ``name`` stands for and a display name (like
    :func:`resolve_dataset`; the error lists the metrics reported on ``dataset`` when given)."""
    tables = load_tables(source, _RESULT_NODES, _RESULT_RELS)
    keys, display = _resolve(tables, "Metric", name)
    if not keys:
        res = results_table(tables, dataset=dataset)
        known = sorted(set(res["metric"]), key=str.lower)
        where = f"metrics reported on {res['dataset'].iloc[0]}" if dataset and len(res) else "metrics with results"
        raise _unknown("metric", name, known, where)
    return keys, display


# -- fact tables --------------------------------------------------------------------------------

BEATS_COLUMNS = ["winner", "loser", "dataset", "metric", "paper", "delta", "sentence", "comparison",
                 "winner_key", "loser_key", "dataset_key", "metric_key"]
RESULT_COLUMNS = ["method", "dataset", "metric", "value", "unit", "higher_is_better", "direction", "paper", "title",
                  "date", "raw", "sentence", "confidence", "result", "method_key", "dataset_key", "metric_key"]
DIRECTIONS = {True: "higher is better", False: "lower is better", None: "unknown"}
# A result's scale unit ("380M FLOPs", "3.1 GFLOPs"): values compare after scaling.
UNIT_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}


def beats_table(source, dataset: str | None = None) -> pd.DataFrame:
    """One row per BEATS claim (winner, loser, dataset, metric, paper, delta, sentence, …).

    ``dataset`` keeps the claims on that dataset (any alias). Rows are sorted by winner, loser,
    dataset and paper.

    >>> beats_table(store, "CIFAR-100")[["winner", "loser", "paper"]]      # doctest: +SKIP
            winner        loser    paper
    0  SpectraDrop    DropBlock  kgs-006
    1  SpectraDrop      TideMix  kgs-006
    ...
    """
    tables = load_tables(source, _BEATS_NODES, _BEATS_RELS + _RESULT_RELS[1:2])
    beats = _edge_frame(tables, ("BEATS", "Method", "Method"))
    if dataset is not None:
        keys, _ = resolve_dataset(tables, dataset)
        beats = beats[beats["dataset"].map(_text).isin(keys)]
    methods, datasets, metrics = (_names(tables, x) for x in ("Method", "Dataset", "Metric"))
    comp = _node_frame(tables, "Comparison")
    delta = dict(zip(comp["id"], comp["delta"].map(_text)))
    sentence = dict(zip(comp["id"], comp["sentence"].map(_text)))
    by_metric = _edge_frame(tables, ("BY_METRIC", "Comparison", "Metric"))
    metric_of = dict(zip(by_metric["from"], by_metric["to"]))
    rows = []
    for w, lo, cid, paper, ds in beats[["from", "to", "comparison", "paper", "dataset"]].itertuples(index=False):
        ds, mk = _text(ds), _text(metric_of.get(cid))
        rows.append({"winner": methods.get(w, w), "loser": methods.get(lo, lo), "dataset": datasets.get(ds, ds),
                     "metric": metrics.get(mk, mk), "paper": _text(paper), "delta": delta.get(cid, ""),
                     "sentence": sentence.get(cid, ""), "comparison": cid, "winner_key": w, "loser_key": lo,
                     "dataset_key": ds, "metric_key": mk})
    df = pd.DataFrame(rows, columns=BEATS_COLUMNS)
    return df.sort_values(["winner", "loser", "dataset", "paper", "comparison"], kind="stable").reset_index(drop=True)


def results_table(source, dataset: str | None = None, metric: str | None = None) -> pd.DataFrame:
    """One row per Result node: method, dataset, metric, value, unit, the metric's direction
    (``higher_is_better``: True, False or None when unknown; ``direction`` in words), paper, its
    title and date, the sentence. ``dataset``/``metric`` filter by name (any alias).

    >>> results_table(store, "ImageNet", "top-1")[["method", "value", "paper"]]   # doctest: +SKIP
    """
    tables = load_tables(source, _RESULT_NODES, _RESULT_RELS + _BEATS_RELS[:1])
    res = _node_frame(tables, "Result")
    one = {spec[0]: dict(zip(_edge_frame(tables, spec)["from"], _edge_frame(tables, spec)["to"]))
           for spec in _RESULT_RELS}
    methods, datasets, metrics = (_names(tables, x) for x in ("Method", "Dataset", "Metric"))
    mt = _node_frame(tables, "Metric")
    higher = dict(zip(mt["key"], mt["higher_is_better"])) if not mt.empty else {}
    pp = _node_frame(tables, "Paper")
    dates = dict(zip(pp["id"], pp["date"].map(_text))) if not pp.empty else {}
    titles = dict(zip(pp["id"], pp["title"].map(_text))) if not pp.empty else {}
    rows = []
    for r in res.itertuples(index=False):
        mk, dk, xk = (_text(one[rel].get(r.id)) for rel in ("OF_METHOD", "ON_DATASET", "BY_METRIC"))
        paper = _text(one["STATED_IN"].get(r.id))
        hib = higher.get(xk)
        hib = None if hib is None or _text(hib) == "" else bool(hib)
        rows.append({"method": methods.get(mk, mk), "dataset": datasets.get(dk, dk), "metric": metrics.get(xk, xk),
                     "value": float(r.value) if _text(r.value) else math.nan, "unit": _text(r.unit),
                     "higher_is_better": hib, "direction": DIRECTIONS[hib],
                     "paper": paper, "title": titles.get(paper, ""), "date": dates.get(paper, ""), "raw": _text(r.raw),
                     "sentence": _text(r.sentence), "confidence": r.confidence, "result": r.id,
                     "method_key": mk, "dataset_key": dk, "metric_key": xk})
    df = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    if dataset is not None:
        keys, _ = resolve_dataset(tables, dataset)
        df = df[df["dataset_key"].isin(keys)]
    if metric is not None:
        keys, _ = resolve_metric(tables, metric, dataset)
        df = df[df["metric_key"].isin(keys)]
    return df.sort_values(["dataset", "metric", "method", "paper", "value", "result"], kind="stable").reset_index(drop=True)


LEADERBOARD_COLUMNS = ["rank", "method", "value", "unit", "metric", "direction", "title", "paper", "confidence",
                       "evidence", "dataset", "higher_is_better"]


def leaderboard(source, dataset: str, metric: str) -> pd.DataFrame:
    """The values reported for ``metric`` on ``dataset``, best first: the rows of the canned
    ``leaderboard`` query (``kg query leaderboard``), plus ``dataset`` and ``higher_is_better``.

    One row per Result node (a method reported by two papers has two rows, each with its
    paper's title). Results are absolute values; gains are comparison deltas and never appear.
    Best first by the metric's direction (a scale unit counts: 380M before 3.1G FLOPs); a metric without one (``direction`` "unknown") is
    listed high to low with ``rank`` None, as nothing says which end is best. Ties by method,
    then paper. Unknown names raise :class:`~kg.errors.UsageError` listing what exists; so does
    a metric with no value on that dataset.

    >>> leaderboard(store, "ImageNet", "top-1")[["rank", "method", "value", "unit"]].head(2)  # doctest: +SKIP
       rank    method  value unit
    0     1  HieraViT   83.4    %
    1     2  PolyConv-T 82.9    %
    """
    tables = load_tables(source, _RESULT_NODES, _RESULT_RELS + _BEATS_RELS[:1])
    _, ds_name = resolve_dataset(tables, dataset)
    _, metric_name = resolve_metric(tables, metric, dataset)
    df = results_table(tables, dataset, metric)
    df = df[df["value"].notna()]
    if df.empty:
        on = sorted(set(results_table(tables, dataset)["metric"]), key=str.lower)
        hint = f"metrics reported on {ds_name}: {', '.join(on)}" if on else f"{ds_name} has no reported values"
        raise UsageError(f"no {metric_name} values reported on {ds_name}; {hint}")
    hib = df["higher_is_better"].iloc[0]  # one metric: one direction
    hib = None if hib is None else bool(hib)
    df = df.assign(_scaled=[v * UNIT_SCALE.get(u, 1.0) for v, u in zip(df["value"], df["unit"])])
    df = df.sort_values(["_scaled", "method", "paper"], ascending=[hib is False, True, True], kind="stable")
    df = df.rename(columns={"sentence": "evidence"}).reset_index(drop=True)
    df["rank"] = pd.Series([None] * len(df), dtype=object) if hib is None else range(1, len(df) + 1)
    return df[LEADERBOARD_COLUMNS]


# -- rankings -----------------------------------------------------------------------------------

def pagerank(graph: nx.DiGraph, alpha: float = 0.85, tol: float = 1e-12, max_iter: int = 1000) -> dict:
    """PageRank by power iteration in pure Python (networkx's own needs scipy).

    Dangling nodes spread their score evenly; nodes are visited in sorted order so the result
    is the same on every run.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> {k: round(v, 3) for k, v in pagerank(g).items()}
    {'a': 0.213, 'b': 0.574, 'c': 0.213}
    """
    nodes = sorted(graph)
    n = len(nodes)
    if n == 0:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / n)
    out = {u: sorted(graph.successors(u)) for u in nodes}
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if not out[u]) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if out[u]:
                share = alpha * rank[u] / len(out[u])
                for v in out[u]:
                    new[v] += share
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def beats_graph(source, dataset: str | None = None) -> nx.DiGraph:
    """The distinct "A beats B" pairs as a DiGraph on method names (edge attribute ``claims``:
    how many claims, ``papers``: which papers).

    >>> sorted(beats_graph(store, "CIFAR-100").edges())          # doctest: +SKIP
    [('SpectraDrop', 'DropBlock'), ('SpectraDrop', 'TideMix'), ('TideMix', 'CutMix'), ...]
    """
    claims = beats_table(source, dataset)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(set(claims["winner"]) | set(claims["loser"])))
    for (w, lo), group in claims.groupby(["winner", "loser"], sort=True):
        graph.add_edge(w, lo, claims=len(group), papers=sorted(set(group["paper"])))
    return graph


RANK_COLUMNS = ["rank", "method", "beats", "beaten_by", "transitive", "pagerank", "claims", "papers", "datasets"]


def rank_methods(source, dataset: str | None = None, transitive: bool = True,
                 top: int | None = None) -> pd.DataFrame:
    """Methods ranked by how many others they beat, on ``dataset`` or overall.

    Columns: ``beats`` (distinct methods it beats directly: out-degree on BEATS), ``beaten_by``
    (distinct methods beating it), ``transitive`` (methods it beats directly or through a chain,
    A > B > C: reachability in the beats graph), ``pagerank`` (PageRank over the reversed beats
    graph, where a loser passes its score to its winners, so beating a strong method counts
    more), ``claims`` (claims it wins), ``papers`` (papers making them), ``datasets``.

    Order: transitive count, then direct count, PageRank, name (with ``transitive=False``: direct
    count, claims, name; the transitive columns are left out). Overall ("no dataset") chains may
    cross datasets.

    >>> rank_methods(store, "ImageNet", top=2)[["rank", "method", "beats", "transitive"]]  # doctest: +SKIP
       rank         method  beats  transitive
    0     1      StrataNet      2           6
    1     2  LatticeFormer      3           4
    """
    claims = beats_table(source, dataset)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(set(claims["winner"]) | set(claims["loser"])))
    graph.add_edges_from(sorted(set(zip(claims["winner"], claims["loser"]))))
    wins = claims.groupby("winner")
    n_claims = wins.size().to_dict()
    n_papers = wins["paper"].nunique().to_dict()
    ds_of = wins["dataset"].agg(lambda s: sorted({d for d in s if d}, key=str.lower)).to_dict()
    pr = pagerank(graph.reverse(copy=True)) if transitive else {}
    rows = []
    for m in graph.nodes:
        rows.append({"method": m, "beats": graph.out_degree(m), "beaten_by": graph.in_degree(m),
                     "transitive": len(nx.descendants(graph, m)) if transitive else 0,
                     "pagerank": round(pr.get(m, 0.0), 6), "claims": n_claims.get(m, 0),
                     "papers": n_papers.get(m, 0), "datasets": ds_of.get(m, [])})
    df = pd.DataFrame(rows, columns=RANK_COLUMNS[1:])
    if transitive:
        keys, asc = ["transitive", "beats", "pagerank", "method"], [False, False, False, True]
    else:
        keys, asc = ["beats", "claims", "method"], [False, False, True]
        df = df.drop(columns=["transitive", "pagerank"])
    df = df.sort_values(keys, ascending=asc, kind="stable").reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df.head(top) if top else df


# -- contradictions -----------------------------------------------------------------------------

CONTRADICTION_COLUMNS = ["kind", "dataset", "metric", "method_a", "method_b", "paper_a", "claim_a",
                         "paper_b", "claim_b", "value_a", "value_b", "sentence_a", "sentence_b"]


def _beats_claim(row) -> str:
    by = f" by {row['delta']}" if row["delta"] else ""
    return f"{row['winner']} beats {row['loser']}{by}"


def _beats_conflicts(claims: pd.DataFrame) -> list[dict]:
    by_pair: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in claims.to_dict("records"):
        by_pair[(row["winner_key"], row["loser_key"], row["dataset_key"])].append(row)
    rows, seen = [], set()
    for (w, lo, ds), forward in sorted(by_pair.items()):
        for a in forward:
            for b in by_pair.get((lo, w, ds), []):
                if a["metric_key"] and b["metric_key"] and a["metric_key"] != b["metric_key"]:
                    continue  # a trade-off on two metrics, not a contradiction
                if (a["paper"], a["winner"]) > (b["paper"], b["winner"]):
                    a, b = b, a
                pair = (a["comparison"], b["comparison"])
                if pair in seen:
                    continue
                seen.add(pair)
                rows.append({"kind": "beats", "dataset": a["dataset"], "metric": a["metric"] or b["metric"],
                             "method_a": a["winner"], "method_b": b["winner"], "paper_a": a["paper"],
                             "claim_a": _beats_claim(a), "paper_b": b["paper"], "claim_b": _beats_claim(b),
                             "value_a": math.nan, "value_b": math.nan,
                             "sentence_a": a["sentence"], "sentence_b": b["sentence"]})
    return rows


def _value(row) -> str:
    unit = row["unit"]
    return f"{row['value']:g}{unit if unit in ('%', '') else ' ' + unit}"


def _value_conflicts(results: pd.DataFrame, rel_tol: float) -> list[dict]:
    rows, seen = [], set()
    full = results[(results["method_key"] != "") & (results["dataset_key"] != "") & (results["metric_key"] != "")
                   & results["value"].notna()]
    for _, group in full.groupby(["method_key", "dataset_key", "metric_key"], sort=True):
        recs = group.sort_values(["paper", "value", "result"], kind="stable").to_dict("records")
        for a, b in combinations(recs, 2):
            if a["paper"] == b["paper"]:
                continue  # one paper's different settings, not two sources disagreeing
            if a["unit"] and b["unit"] and a["unit"] != b["unit"]:
                continue
            if math.isclose(a["value"], b["value"], rel_tol=rel_tol, abs_tol=rel_tol):
                continue
            ident = (a["method_key"], a["dataset_key"], a["metric_key"], a["paper"], a["value"], b["paper"], b["value"])
            if ident in seen:
                continue
            seen.add(ident)
            rows.append({"kind": "value", "dataset": a["dataset"], "metric": a["metric"],
                         "method_a": a["method"], "method_b": b["method"], "paper_a": a["paper"],
                         "claim_a": _value(a), "paper_b": b["paper"], "claim_b": _value(b),
                         "value_a": a["value"], "value_b": b["value"],
                         "sentence_a": a["sentence"], "sentence_b": b["sentence"]})
    return rows


def contradictions(source, dataset: str | None = None, rel_tol: float = 1e-9) -> pd.DataFrame:
    """Claims in the graph that cannot all be true, with both sources.

    - ``kind == "beats"``: A beats B and B beats A on the same dataset (claims without a dataset
      are compared with each other) and the same metric when both name one. ``method_a`` beats
      ``method_b`` in ``paper_a``; the reverse is claimed in ``paper_b``.
    - ``kind == "value"``: two papers report different values (beyond ``rel_tol``) for the same
      method, dataset and metric (Result nodes; units must agree when both give one).

    ``claim_a``/``claim_b`` say what each paper states; ``sentence_a``/``sentence_b`` are the
    evidence. Sorted by kind, dataset, metric, methods and papers.

    >>> contradictions(store)[["kind", "dataset", "method_a", "method_b", "paper_a", "paper_b"]]  # doctest: +SKIP
        kind    dataset method_a     method_b  paper_a  paper_b
    0  beats  CIFAR-100  TideMix  SpectraDrop  kgs-005  kgs-006
    1  value   ImageNet  ResNet-50  ResNet-50  kgs-002  kgs-009
    """
    tables = load_tables(source, {**_BEATS_NODES, **_RESULT_NODES}, _BEATS_RELS + _RESULT_RELS)
    rows = _beats_conflicts(beats_table(tables, dataset)) + _value_conflicts(results_table(tables, dataset), rel_tol)
    df = pd.DataFrame(rows, columns=CONTRADICTION_COLUMNS)
    order = ["kind", "dataset", "metric", "method_a", "method_b", "paper_a", "paper_b", "claim_a", "claim_b"]
    return df.sort_values(order, kind="stable").reset_index(drop=True)


# -- communities --------------------------------------------------------------------------------

COMMUNITY_COLUMNS = ["community", "size", "hub", "methods", "datasets", "papers"]


_METHOD_GRAPH_NODES = {**_BEATS_NODES, "Paper": ["id"]}
_METHOD_GRAPH_RELS = _BEATS_RELS + _MENTION_RELS + _DATASET_RELS + _RESULT_RELS[1:2]


def method_graph(source, dataset: str | None = None) -> nx.Graph:
    """The undirected, weighted method graph behind :func:`communities`: an edge per pair of
    methods that one beats the other (weight 1 per claim) or that one paper names together
    (weight 1 per paper). ``dataset`` keeps the beats claims on it and the papers using it.
    Nodes are method names; node attribute ``papers`` is the set of papers naming it.
    """
    tables = load_tables(source, _METHOD_GRAPH_NODES, _METHOD_GRAPH_RELS)
    claims = beats_table(tables, dataset)
    methods = _names(tables, "Method")
    mentions = pd.concat([_edge_frame(tables, spec) for spec in _MENTION_RELS], ignore_index=True)
    if dataset is not None:
        keys, _ = resolve_dataset(tables, dataset)
        uses = pd.concat([_edge_frame(tables, spec) for spec in _DATASET_RELS], ignore_index=True)
        mentions = mentions[mentions["from"].isin(set(uses[uses["to"].isin(keys)]["from"]))]
    weights: Counter = Counter()
    papers_of: dict[str, set[str]] = defaultdict(set)
    for w, lo, paper in claims[["winner", "loser", "paper"]].itertuples(index=False):
        weights[tuple(sorted((w, lo)))] += 1
        papers_of[w].add(paper)
        papers_of[lo].add(paper)
    for paper, group in mentions.groupby("from", sort=True):
        names = sorted({methods.get(k, k) for k in group["to"]})
        for m in names:
            papers_of[m].add(paper)
        for pair in combinations(names, 2):
            weights[pair] += 1
    graph = nx.Graph()
    for m in sorted(papers_of):
        graph.add_node(m, papers=papers_of[m])
    for (a, b), w in sorted(weights.items()):
        graph.add_edge(a, b, weight=w)
    return graph


def communities(source, dataset: str | None = None, min_size: int = 2,
                top: int | None = None) -> pd.DataFrame:
    """Families of methods: greedy modularity communities (Clauset–Newman–Moore) of the
    undirected graph of beats claims and co-mentions (:func:`method_graph`). A family never
    spans two connected components.

    Columns: ``community`` (1 = largest), ``size``, ``hub`` (the member with the most weighted
    links), ``methods`` (members, hub first, then by weighted degree and name), ``datasets`` (up
    to three datasets of the beats claims inside the family, most used first), ``papers``
    (papers naming a member). Families smaller than ``min_size`` are left out.

    >>> communities(store).head(1)[["community", "size", "hub"]]          # doctest: +SKIP
    """
    tables = load_tables(source, _METHOD_GRAPH_NODES, _METHOD_GRAPH_RELS)
    graph = method_graph(tables, dataset)
    claims = beats_table(tables, dataset)
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=COMMUNITY_COLUMNS)
    found = nx.community.greedy_modularity_communities(graph, weight="weight")
    degree = dict(graph.degree(weight="weight"))
    families = []
    for members in found:
        if len(members) < min_size:
            continue
        ordered = sorted(members, key=lambda m: (-degree[m], m.lower(), m))
        inside = claims[claims["winner"].isin(members) & claims["loser"].isin(members)]
        ds = Counter(d for d in inside["dataset"] if d)
        families.append({"size": len(members), "hub": ordered[0], "methods": ordered,
                         "datasets": [d for d, _ in sorted(ds.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
                         "papers": len(set().union(*(graph.nodes[m]["papers"] for m in members)))})
    families.sort(key=lambda f: (-f["size"], -f["papers"], f["hub"].lower(), f["hub"]))
    df = pd.DataFrame(families, columns=COMMUNITY_COLUMNS[1:])
    df.insert(0, "community", range(1, len(df) + 1))
    return df.head(top) if top else df


# -- trends -------------------------------------------------------------------------------------

def paper_year(date: object) -> int | None:
    """The year of a paper date: ``2024-05-16`` → 2024, ``2024`` → 2024; ``--05-16`` (a month
    and day without a year, from daily-papers pages) and missing dates → None.

    >>> paper_year("2024-05-16"), paper_year("--05-16"), paper_year(None)
    (2024, None, None)
    """
    match = _YEAR.match(_text(date).strip())
    return int(match.group(1)) if match else None


def mentions_per_year(source, top: int = 5) -> pd.DataFrame:
    """Papers per year naming each of the ``top`` most named datasets and methods.

    Columns ``kind`` (``dataset`` or ``method``), ``name``, ``year``, ``papers``; every (name,
    year) of the dated range is present (0 when none). Papers whose date has no year are
    skipped. Datasets count USES_DATASET and INTRODUCES_DATASET, methods PROPOSES and MENTIONS.
    """
    tables = load_tables(source, {"Paper": ["id", "date"], "Method": None, "Dataset": None},
                         _MENTION_RELS + _DATASET_RELS)
    pp = _node_frame(tables, "Paper")
    year = {pid: y for pid, date in zip(pp["id"], pp["date"]) if (y := paper_year(date)) is not None}
    frames = []
    for kind, label, specs in (("dataset", "Dataset", _DATASET_RELS), ("method", "Method", _MENTION_RELS)):
        names = _names(tables, label)
        edges = pd.concat([_edge_frame(tables, s) for s in specs], ignore_index=True).drop_duplicates(["from", "to"])
        edges = edges[edges["from"].isin(year)]
        if edges.empty:
            continue
        totals = edges.groupby("to")["from"].nunique()
        chosen = sorted(totals.index, key=lambda k: (-totals[k], names.get(k, k).lower()))[:top]
        years = range(min(year.values()), max(year.values()) + 1)
        for key in chosen:
            per = Counter(year[p] for p in edges[edges["to"] == key]["from"])
            frames.extend({"kind": kind, "name": names.get(key, key), "year": y, "papers": per.get(y, 0)}
                          for y in years)
    return pd.DataFrame(frames, columns=["kind", "name", "year", "papers"])


# -- files --------------------------------------------------------------------------------------



# -- networkx export ----------------------------------------------------------------------------

_DISPLAY = {"Paper": "title", "Repository": "url", "Comparison": "sentence", "Result": "raw"}


def _node_id(label: str, key: object) -> str:
    return f"{label}:{key}"


def _attrs(row: dict, label: str) -> dict:
    """Node attributes: ``kind`` (the graph label), ``label`` (text to show), ``node_key``, properties."""
    key_col = NODE_KEY[label]
    out = {"kind": label, "label": _text(row.get(_DISPLAY.get(label, "name"))) or _text(row[key_col]),
           "node_key": _text(row[key_col])}
    for col, value in row.items():
        if col == key_col:
            continue
        out[col] = value
    return out


def _dataset_part(tables: GraphTables, keys: frozenset[str]) -> set[str]:
    """Node ids of the part of the graph about the datasets ``keys`` (see :func:`to_networkx`)."""
    keep = {_node_id("Dataset", k) for k in keys}
    facts = {label: set() for label in ("Comparison", "Result")}
    for (rel, src, _dst), df in tables.edges.items():
        if rel == "ON_DATASET":
            facts[src] |= set(df[df["to"].isin(keys)]["from"])
        elif rel in ("USES_DATASET", "INTRODUCES_DATASET"):
            keep |= {_node_id("Paper", p) for p in df[df["to"].isin(keys)]["from"]}
    for label, ids in facts.items():
        keep |= {_node_id(label, i) for i in ids}
    for (rel, src, dst), df in tables.edges.items():
        if src in facts and rel != "ON_DATASET":
            keep |= {_node_id(dst, t) for t in df[df["from"].isin(facts[src])]["to"]}
    return keep


def to_networkx(source, dataset: str | None = None, *, view: str = "full") -> nx.MultiDiGraph:
    """The property graph (or a part of it) as a networkx MultiDiGraph.

    Node ids are ``"Label:key"`` (``"Method:resnet50"``). Node attributes: ``kind`` (the graph
    label, ``Method``), ``label`` (text to show: name, title, URL, sentence), ``node_key`` and the
    node's properties. Edge attributes: ``kind`` and ``label`` (the relationship type,
    ``BEATS``) and its properties; BEATS edges also carry ``metric``, ``delta`` and ``sentence``.

    ``view="beats"``: only Method nodes and BEATS edges. ``dataset``: only the part about that
    dataset — the Dataset node, the papers that use or introduce it, the Comparison and Result
    nodes on it with their methods, metrics and papers; BEATS edges only for claims on it.

    >>> g = to_networkx(store, "CIFAR-100", view="beats")              # doctest: +SKIP
    >>> g.nodes["Method:tidemix"]["label"], g.number_of_edges()         # doctest: +SKIP
    ('TideMix', 4)
    """
    if view not in ("full", "beats"):
        raise UsageError(f"unknown view {view!r}: use 'full' or 'beats'")
    if view == "beats":
        tables = load_tables(source, {**_BEATS_NODES}, _BEATS_RELS + _RESULT_RELS[1:2])
    else:
        tables = load_tables(source)
    keys = resolve_dataset(tables, dataset)[0] if dataset is not None else None
    claims = beats_table(tables, dataset)
    graph = nx.MultiDiGraph(name=f"kg {view}" + (f" {dataset}" if dataset else ""))
    labels = ["Method"] if view == "beats" else list(NODE_COLUMNS)
    keep = None
    if view == "beats":
        keep = {_node_id("Method", k) for k in set(claims["winner_key"]) | set(claims["loser_key"])}
    elif keys is not None:
        keep = _dataset_part(tables, keys) | {_node_id("Method", k) for k in
                                              set(claims["winner_key"]) | set(claims["loser_key"])}
    for label in labels:
        for row in _node_frame(tables, label).to_dict("records"):
            nid = _node_id(label, row[NODE_KEY[label]])
            if keep is None or nid in keep:
                graph.add_node(nid, **_attrs(row, label))
    if view == "full":
        for (rel, src, dst), df in tables.edges.items():
            if rel == "BEATS":
                continue
            for u, v in df[["from", "to"]].itertuples(index=False):
                a, b = _node_id(src, u), _node_id(dst, v)
                if a in graph and b in graph:
                    graph.add_edge(a, b, key=rel, kind=rel, label=rel)
    for row in claims.to_dict("records"):
        a, b = _node_id("Method", row["winner_key"]), _node_id("Method", row["loser_key"])
        if a in graph and b in graph:
            graph.add_edge(a, b, key=f"BEATS:{row['comparison']}", kind="BEATS", label="BEATS",
                           comparison=row["comparison"], paper=row["paper"], dataset=row["dataset_key"],
                           metric=row["metric_key"], delta=row["delta"], sentence=row["sentence"])
    return graph


def _portable(value: object) -> object:
    """An attribute value GraphML and GEXF can hold: str, int, float or bool (lists as JSON)."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple, set, frozenset)):
        return json.dumps(sorted(value) if isinstance(value, (set, frozenset)) else list(value), ensure_ascii=False)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    text = _text(value)
    return text if text or value == "" else None


def portable_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attribute values are all scalars (missing values dropped)."""
    out = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if _portable(v) is not None})
    for n, data in graph.nodes(data=True):
        out.add_node(n, **{k: p for k, v in data.items() if (p := _portable(v)) is not None})
    for u, v, k, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{a: p for a, x in data.items() if (p := _portable(x)) is not None})
    return out


def graph_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    """``graphml`` or ``gexf``, from ``fmt`` or the file's extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if fmt is None:
        if suffix not in GRAPH_FORMATS:
            raise UsageError(f"cannot tell the graph format of {path}: use a .graphml or .gexf file "
                             "or --format graphml|gexf")
        return suffix
    fmt = fmt.lower()
    if fmt not in GRAPH_FORMATS:
        raise UsageError(f"unsupported graph format {fmt!r}: use graphml or gexf")
    if suffix in GRAPH_FORMATS and suffix != fmt:
        raise UsageError(f"{path} has a .{suffix} extension but the format is {fmt}")
    return fmt


def export_graph(source, path: str | os.PathLike, fmt: str | None = None, dataset: str | None = None,
                 view: str = "full") -> nx.MultiDiGraph:
    """Write :func:`to_networkx` as GraphML or GEXF 1.2 (for Gephi, yEd, Cytoscape), atomically.

    Lists (``aliases``, ``keys``) are written as JSON text; missing values are left out.
    Returns the graph written.

    >>> export_graph(store, "kg.graphml")                         # doctest: +SKIP
    >>> nx.read_graphml("kg.graphml").nodes["Method:resnet50"]["kind"]   # doctest: +SKIP
    'Method'
    """
    fmt = graph_format(path, fmt)
    graph = portable_graph(to_networkx(source, dataset, view=view))
    with atomic_path(path) as tmp:
        if fmt == "graphml":
            nx.write_graphml(graph, tmp, encoding="utf-8")
        else:
            nx.write_gexf(graph, tmp, encoding="utf-8", version="1.2draft")
    return graph
