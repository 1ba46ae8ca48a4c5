"""Fixtures of the RDF tests: the sample corpus and a small hand-made corpus, each built into a
real LadybugDB store and a real Oxigraph store in the same directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.graph import GraphTables, build_tables
from kg.models import Comparison, Extraction, Mention, Paper, Result

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "kg" / "data" / "sample" / "papers.jsonl"
EXPECTED = ROOT / "kg" / "data" / "sample" / "expected.json"

# Every character that could break a serialisation or a query if it were spliced into text.
NASTY = 'He said "yes" \\ no\nsecond line\t> } INSERT DATA { <urn:x> <urn:y> "z" } # \' \u00e9\u2603 ; DROP ALL'


def extract_file(path: Path) -> GraphTables:
    from kg.extract.runner import extract_papers
    from kg.ingest import read_papers

    return build_tables(list(extract_papers(read_papers([str(path)]), workers=1)))


def _cmp(w, lo, ds, metric, delta, sentence, start=0, conf=0.8):
    return Comparison(winner=w, loser=lo, dataset=ds, metric=metric, delta=delta, sentence=sentence,
                      start=start, end=start + len(sentence), confidence=conf)


def _res(m, ds, metric, value, sentence, unit="%", start=0):
    return Result(method=m, dataset=ds, metric=metric, value=value, unit=unit, raw=f"{value}{unit or ''}",
                  sentence=sentence, start=start, end=start + len(sentence), confidence=0.7)


def with_mentions(ex: Extraction) -> Extraction:
    """A mention for every name the extraction uses, as the real extractor produces."""
    from kg.models import SOTA, THIS_PAPER
    from kg.normalize import norm_key

    names = [("METHOD", n) for n in ex.methods_proposed + ex.methods]
    names += [("DATASET", n) for n in ex.datasets + ex.datasets_proposed]
    names += [("METRIC", n) for n in ex.metrics] + [("TASK", n) for n in ex.tasks]
    for c in ex.comparisons:
        names += [("METHOD", c.winner), ("METHOD", c.loser), ("DATASET", c.dataset), ("METRIC", c.metric)]
    for r in ex.results:
        names += [("METHOD", r.method), ("DATASET", r.dataset), ("METRIC", r.metric)]
    have = {(m.label, m.name) for m in ex.mentions}
    for label, name in dict.fromkeys(names):
        if name and name not in (SOTA, THIS_PAPER) and (label, name) not in have:
            ex.mentions.append(Mention(name, label, 0, len(name), norm_key(name), name))
    return ex


def synthetic_extractions(title_s5: str = NASTY) -> list[Extraction]:
    return [with_mentions(ex) for ex in _synthetic(title_s5)]


def _synthetic(title_s5: str) -> list[Extraction]:
    """A corpus written for the queries: a 4-hop beats chain, SOTA claims with and without a
    dataset, a task, a lower-is-better metric, an unnamed method, an alias, duplicate beats
    pairs in two papers, a paper that both proposes and mentions a method, awkward literals."""
    p = Paper
    return [
        Extraction(
            paper=p("s1", "AlphaNet: a backbone", "AlphaNet outperforms ResNet-50 on ImageNet.", "2023-03-14",
                    None, "synthetic:1"),
            methods_proposed=["AlphaNet"], methods=["ResNet-50", "ViT-B/16"],
            datasets=["ImageNet", "CIFAR-10"], metrics=["top-1 accuracy"], tasks=["image classification"],
            repos=["https://github.com/a/alphanet"],
            comparisons=[
                _cmp("AlphaNet", "ResNet-50", "ImageNet", "top-1 accuracy", "2.1%", "AlphaNet beats ResNet-50."),
                _cmp("AlphaNet", "SOTA", "CIFAR-10", "top-1 accuracy", None, "AlphaNet sets a new SOTA.", 40),
            ],
            results=[_res("AlphaNet", "ImageNet", "top-1 accuracy", 81.2, "AlphaNet reaches 81.2%."),
                     _res("ResNet-50", "ImageNet", "top-1 accuracy", 76.1, "ResNet-50 reaches 76.1%.", start=30)],
            mentions=[Mention("ResNet50", "METHOD", 20, 28, "resnet50", "ResNet-50")],
        ),
        Extraction(
            paper=p("s2", "BetaNet", "BetaNet outperforms AlphaNet.", "2024-01-02", "https://example.org/s2", "synthetic:2"),
            methods_proposed=["BetaNet"], methods=["AlphaNet", "ResNet-50"], datasets=["ImageNet"],
            metrics=["top-1 accuracy", "error rate"], repos=["https://github.com/b/betanet"],
            comparisons=[
                _cmp("BetaNet", "AlphaNet", "ImageNet", "top-1 accuracy", "0.8", "BetaNet beats AlphaNet."),
                _cmp("BetaNet", "ResNet-50", None, None, None, "BetaNet also beats ResNet-50.", 30),
            ],
            results=[_res("BetaNet", "ImageNet", "top-1 accuracy", 82.0, "BetaNet reaches 82.0%."),
                     _res("BetaNet", "ImageNet", "error rate", 3.2, "An error rate of 3.2.", start=25),
                     _res("AlphaNet", "ImageNet", "error rate", 4.5, "AlphaNet errs 4.5%.", start=40)],
        ),
        Extraction(
            paper=p("s3", "GammaNet", "GammaNet outperforms BetaNet.", "--06-30", None, "synthetic:3"),
            methods_proposed=["GammaNet"], methods=["BetaNet"], datasets=["ImageNet"],
            tasks=["image classification"],
            comparisons=[
                _cmp("GammaNet", "BetaNet", "ImageNet", "top-1 accuracy", "1.0%", "GammaNet beats BetaNet."),
                _cmp("GammaNet", "SOTA", None, None, None, "GammaNet is state of the art.", 30, 0.6),
            ],
        ),
        Extraction(
            paper=p("s4", "DeltaNet and an unnamed trick", "Our method outperforms ResNet-50.", None, None,
                    "synthetic:4"),
            methods_proposed=["DeltaNet"], methods=["DeltaNet", "GammaNet"], datasets=["ImageNet"],
            repos=["https://gitlab.com/d/deltanet"],
            comparisons=[
                _cmp("DeltaNet", "GammaNet", "ImageNet", None, None, "DeltaNet beats GammaNet."),
                _cmp("THIS_PAPER", "ResNet-50", "ImageNet", None, "3 points", "Our method beats ResNet-50.", 25),
            ],
        ),
        Extraction(
            paper=p("s5", title_s5, "BetaNet outperforms AlphaNet again, says " + title_s5, "2022-02-30", None,
                    "synthetic:5"),
            methods=["BetaNet", "AlphaNet"], datasets=["COCO"],
            comparisons=[_cmp("BetaNet", "AlphaNet", "COCO", None, None, title_s5)],
            results=[_res("BetaNet", "COCO", "top-1 accuracy", 1e-7, title_s5)],
        ),
    ]


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(EXPECTED.read_text())


@pytest.fixture(scope="session")
def sample_tables() -> GraphTables:
    return extract_file(SAMPLE)


@pytest.fixture(scope="session")
def synthetic_tables() -> GraphTables:
    return build_tables(synthetic_extractions())


def write_both(path: Path, tables: GraphTables) -> Path:
    from kg.stores.ladybug import LadybugStore
    from kg.stores.oxigraph import OxigraphStore

    with LadybugStore(path) as lb:
        lb.write(tables)
    with OxigraphStore(path) as ox:
        ox.write(tables)
    return path


@pytest.fixture(scope="session")
def sample_dual(tmp_path_factory, sample_tables) -> Path:
    """The sample corpus in a LadybugDB store and an Oxigraph store (read-only use)."""
    return write_both(tmp_path_factory.mktemp("rdf-sample") / "store", sample_tables)


@pytest.fixture(scope="session")
def synthetic_dual(tmp_path_factory, synthetic_tables) -> Path:
    return write_both(tmp_path_factory.mktemp("rdf-synthetic") / "store", synthetic_tables)
