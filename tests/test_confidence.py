"""--min-confidence: every answer that carries claims or results can be cut by how likely they
are to be right, the same way in Cypher, SPARQL, the helpers, analytics and plots."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

import kg
from kg.analytics import beats_table, confident, rank_methods, results_table


def _query(store, *args) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", *args, "--store", str(store), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_helpers_leave_out_claims_below_the_cut(sample_store):
    g = kg.open(sample_store)
    everything = g.methods_beating("ResNet-50", min_confidence=0)
    cut = float(everything["confidence"].median())
    kept = g.methods_beating("ResNet-50", min_confidence=cut)
    assert 0 < len(kept) < len(everything)
    assert (kept["confidence"] >= cut).all()
    assert len(g.methods_beating("ResNet-50")) == len(g.methods_beating("ResNet-50", min_confidence=0.3))


@pytest.fixture(scope="module")
def both_sides(tmp_path_factory):
    """The sample built by `kg build`: the property graph and its RDF side."""
    store = tmp_path_factory.mktemp("both") / "store"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "--store", str(store)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return store


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_kg_query_cuts_the_same_rows_in_both_languages(both_sides, lang):
    args = ["methods_beating", "-p", "baseline=SOTA", "--lang", lang]
    everything = _query(both_sides, *args, "--min-confidence", "0")
    cut = sorted(r["confidence"] for r in everything)[len(everything) // 2]
    kept = _query(both_sides, *args, "--min-confidence", str(cut))
    assert kept == [r for r in everything if r["confidence"] >= cut]
    assert 0 < len(kept) < len(everything)


def test_a_cut_outside_zero_to_one_is_a_usage_error(sample_store):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", "sota_claims", "-p", "dataset=ImageNet",
                           "--store", str(sample_store), "--min-confidence", "1.5"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_analytics_see_the_graph_through_the_cut(sample_store):
    claims = beats_table(sample_store)
    comparisons = kg.open(sample_store).cypher("MATCH (c:Comparison) RETURN c.id AS id, c.confidence AS confidence")
    conf = dict(zip(comparisons["id"], comparisons["confidence"]))
    cut = sorted(conf[c] for c in claims["comparison"])[len(claims) // 2]
    through = beats_table(confident(sample_store, cut))
    assert set(through["comparison"]) == {c for c in claims["comparison"] if conf[c] >= cut}
    ranked_all, ranked_cut = rank_methods(sample_store), rank_methods(confident(sample_store, cut))
    assert ranked_cut["beats"].sum() < ranked_all["beats"].sum()
    assert len(results_table(confident(sample_store, 1.0))) == 0 < len(results_table(sample_store))


def test_kg_analyze_takes_the_cut(sample_store):
    def ranked(cut: str) -> list[dict]:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "analyze", "rank", "--store", str(sample_store),
                               "--format", "json", "--min-confidence", cut], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    assert sum(r["beats"] for r in ranked("0.99")) < sum(r["beats"] for r in ranked("0"))
