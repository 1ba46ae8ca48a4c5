"""Did-you-mean: a name the graph does not know is said so, with the closest names it knows."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

import kg
from kg.api import UnknownNameWarning


def _kg(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("suggest") / "store"
    proc = _kg("build", SAMPLE, "--store", store)
    assert proc.returncode == 0, proc.stderr
    return store


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_a_misspelt_baseline_is_named_with_suggestions_and_exit_0(built, lang):
    proc = _kg("query", "methods_beating", "-p", "baseline=RezNet-50", "-p", "dataset=ImageNet",
               "--lang", lang, "--store", built)
    assert proc.returncode == 0, proc.stderr
    assert "warning: no method, dataset, metric or task is known as baseline='RezNet-50'; did you mean ResNet-50" \
        in proc.stderr
    assert "dataset=" not in proc.stderr  # ImageNet is known: only the unknown name is reported


def test_the_helpers_warn_and_say_which_names_are_unknown(built):
    g = kg.open(built)
    with pytest.warns(UnknownNameWarning, match="did you mean ImageNet"):
        df = g.sota_claims("ImagNet")
    assert df.empty and len(df.attrs["unknown"]) == 1


def test_a_known_name_with_no_answer_is_not_called_unknown(built, recwarn):
    g = kg.open(built)
    methods = set(g.cypher("MATCH (m:Method) RETURN m.name AS n")["n"])
    quiet = next(m for m in sorted(methods) if g.methods_beating(m).empty)
    assert not [w for w in recwarn if issubclass(w.category, UnknownNameWarning)], quiet


def test_kg_find_lists_kind_name_aliases_and_papers(built):
    proc = _kg("find", "resnet50", "--store", built, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows[0]["name"] == "ResNet-50" and rows[0]["kind"] == "Method" and rows[0]["papers"] >= 2
    assert "ResNet50" in rows[0]["aliases"]
    assert kg.open(built).find("resnet 50").iloc[0]["name"] == "ResNet-50"


def test_a_misspelt_dataset_in_a_plot_suggests_the_close_ones(built, tmp_path):
    proc = _kg("plot", "leaderboard", "-d", "ImagNet", "-m", "top-1", "-o", tmp_path / "x.png", "--store", built)
    assert proc.returncode == 2 and "did you mean ImageNet" in proc.stderr and "Traceback" not in proc.stderr


def test_the_console_run_says_which_name_is_unknown(built):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "cypher", "--store", str(built)],
                          input=":run methods_beating baseline=RezNet-50\n", capture_output=True, text=True, cwd=ROOT)
    assert "warning: no method, dataset, metric or task is known as baseline='RezNet-50'; did you mean ResNet-50" \
        in proc.stdout + proc.stderr
    assert "UnknownNameWarning" not in proc.stderr
