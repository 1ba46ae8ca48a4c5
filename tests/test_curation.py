"""Corrections that survive rebuilds (issue 16, part 2; docs/curation.md): the curation file's
format and its errors, ``kg curate``, and builds on real stores (LadybugDB and Oxigraph in a store
directory) that end with the curated graph whether incremental or fresh, in any order and batch
size, with the same answers in Cypher and SPARQL."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.curation import Curation, CurationError, append_entry, read_entries
from kg.curation.file import parse

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "kg" / "data" / "sample" / "papers.jsonl"

# Corrections of the sample corpus, one of each kind, in the file's own words
CORRECTIONS = [
    {"merge": {"kind": "Method", "into": "ViT-B/16", "from": "DeiT-S"}},
    {"rename": {"kind": "Method", "entity": {"key": "gatedprototyperouting", "name": "GPR"},
                "name": "Gated Prototype Routing (GPR)"}},
    {"split": {"kind": "Dataset", "entity": "ImageNet", "alias": "ImageNet-1k"}},
    {"reject": {"claim": {"paper": "kgs-006", "winner": "SpectraDrop", "loser": "TideMix",
                          "dataset": "CIFAR-100"}, "reason": "test: the sample's contradiction, one side"}},
    {"add": {"claim": {"paper": "kgs-005", "winner": "TideMix", "loser": "Mixup", "dataset": "CIFAR-100",
                       "metric": "top-1 accuracy", "delta": "1.2%"},
             "evidence": "TideMix improves on Mixup by 1.2% top-1 accuracy on CIFAR-100 (checked by hand)."}},
    {"add": {"result": {"paper": "kgs-005", "method": "TideMix", "dataset": "CIFAR-100",
                        "metric": "top-1 accuracy", "value": 84.2, "unit": "%"},
             "evidence": "TideMix reaches 84.2% on CIFAR-100."}},
]


def run_kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          timeout=300, **kw)


def write_file(path: Path, entries: list[dict]) -> Path:
    for entry in entries:
        append_entry(path, entry)
    return path


def build(store: Path, curation: Path | None, inputs=(str(SAMPLE),), batch_size: int = 10_000) -> object:
    from kg.build import build as run_build
    from kg.stores.open import open_store

    warnings: list[str] = []
    cur = Curation.from_file(curation) if curation is not None else None
    with open_store(store, "write") as target:
        summary = run_build(list(inputs), target, workers=1, batch_size=batch_size, curation=cur,
                            on_warning=lambda source, message: warnings.append(f"{source}: {message}"))
    summary.warnings = warnings
    return summary


def hashes(store: Path) -> tuple[str, str]:
    """(the property graph's hash, the RDF side's hash): what `kg stats --hash` prints."""
    from kg.integrity import rdf_side_hash, store_hash
    from kg.stores.open import open_store

    with open_store(store) as reader:
        graph = store_hash(reader)
    return graph, rdf_side_hash(store)[0]


def cypher(store: Path, statement: str, **params):
    from kg.stores.open import open_store

    with open_store(store) as reader:
        return reader.cypher(statement, params)


def sparql(store: Path, query: str, **bindings):
    from kg.stores.open import open_store

    with open_store(store, lang="sparql") as reader:
        return reader.sparql(query, bindings)


def canned(store: Path, name: str, lang: str, **params):
    from kg.canned import run_canned
    from kg.stores.open import open_store

    with open_store(store, lang=lang) as reader:
        return run_canned(reader, name, params, lang)


# -- the file ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, words", [
    ("version: 1\ncorrections:\n- merge: {kind: Method, into: A, from: B\n", 4, "flow mapping that starts at line 3"),
    ("version: 2\ncorrections: []\n", 1, "'version: 1' is required"),
    ("version: 1\ncorrections:\n- merge: {kind: Method, into: A, from: B}\n- rename: {kind: Methd, entity: X, "
     "name: Y}\n", 4, "kind must be one of"),
    ("version: 1\ncorrections:\n- reject: {claim: {paper: p, winner: A}}\n", 3, "missing field 'loser'"),
    ("version: 1\ncorrections:\n- undo: {kind: Method}\n", 3, "an entry is one of"),
    ("version: 1\ncorrections:\n- add: {claim: {paper: p, winner: A, loser: B}}\n", 3, "missing field 'evidence'"),
    ("version: 1\ncorrections:\n- add: {result: {paper: p, method: A, value: .nan}, evidence: e}\n", 3,
     "finite number"),
    ("version: 1\nextra: 1\n", 2, "unknown top-level field 'extra'"),
    ("version: 1\ncorrections:\n- split: {kind: Dataset, entity: COCO, alias: coco}\n", 3, "own key"),
])
def test_a_broken_file_names_its_line(text, line, words, tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text(text)
    with pytest.raises(CurationError) as caught:
        Curation.from_file(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), caught.value
    assert words in str(caught.value)


def test_merges_that_contradict_each_other_are_refused():
    with pytest.raises(CurationError, match=r":3: .*in a circle .*lines 3, 4"):
        Curation.from_text("version: 1\ncorrections:\n- merge: {kind: Method, into: A, from: B}\n"
                           "- merge: {kind: Method, into: B, from: A}\n")
    with pytest.raises(CurationError, match=r":4: .*merged into two entities \(also line 3\)"):
        Curation.from_text("version: 1\ncorrections:\n- merge: {kind: Method, into: A, from: B}\n"
                           "- merge: {kind: Method, into: C, from: B}\n")


def test_yaml_is_read_safely(tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text("version: 1\ncorrections:\n- !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(CurationError, match=r":3: not valid YAML"):
        read_entries(path)


def test_entries_resolve_through_the_vocabulary_and_merge_chains():
    c = Curation.from_text("version: 1\ncorrections:\n- merge: {kind: Dataset, into: COCO, from: Zorb-Set}\n"
                           "- merge: {kind: Dataset, into: Zorb-Set, from: Blip Set}\n"
                           "- rename: {kind: Dataset, entity: MS COCO, name: Common Objects in Context}\n")
    assert c.resolve("Dataset", "blipset") == "coco" and c.resolve("Dataset", "zorbset") == "coco"
    assert c.names["Dataset"]["coco"] == "Common Objects in Context"  # "MS COCO" is the vocabulary's COCO


def test_the_order_of_entries_does_not_matter():
    texts = []
    for seed in range(3):
        entries = list(CORRECTIONS)
        random.Random(seed).shuffle(entries)
        import yaml

        texts.append(yaml.safe_dump({"version": 1, "corrections": entries}))
    curations = [Curation.from_text(t) for t in texts]
    assert len({c.entity_digest for c in curations}) == 1
    assert len({tuple(sorted(c.paper_digests.items())) for c in curations}) == 1


def test_appending_keeps_comments_and_checks_the_entry(tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text("# my corrections\nversion: 1\ncorrections:\n# the first one\n"
                    "- merge: {kind: Method, into: A, from: B}\n")
    entry = append_entry(path, {"rename": {"kind": "Method", "entity": "A", "name": "Ay"}})
    text = path.read_text()
    assert "# my corrections" in text and "# the first one" in text
    assert entry.line == 6 and [e.op for e in read_entries(path)] == ["merge", "rename"]
    with pytest.raises(CurationError, match="new entry"):
        append_entry(path, {"rename": {"kind": "Nope", "entity": "A", "name": "B"}})
    assert path.read_text() == text  # a refused entry leaves the file as it was
    flow = tmp_path / "flow.yaml"
    flow.write_text("version: 1\ncorrections: [{merge: {kind: Method, into: A, from: B}}]\n")
    append_entry(flow, {"rename": {"kind": "Method", "entity": "A", "name": "Ay"}})
    assert [e.op for e in read_entries(flow)] == ["merge", "rename"]  # rewritten whole


def test_a_broken_file_is_not_appended_to(tmp_path):
    path = tmp_path / "curation.yaml"
    path.write_text("version: 1\ncorrections:\n- merge: {kind: Method\n")
    before = path.read_text()
    with pytest.raises(CurationError, match=r"curation.yaml:\d+: not valid YAML"):
        append_entry(path, {"rename": {"kind": "Method", "entity": "A", "name": "B"}})
    assert path.read_text() == before


# -- builds on real stores ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    """The sample built without corrections, then the corrections written with `kg curate`-like
    entries and the same input built again (incremental): the store, the file, both summaries."""
    store = tmp_path_factory.mktemp("curated") / "store"
    first = build(store, None)
    file = write_file(store / "curation.yaml", CORRECTIONS)
    second = build(store, file)
    return store, file, first, second


@pytest.fixture(scope="module")
def fresh(curated, tmp_path_factory):
    """Stores built once with the corrections (written in the reverse order): from the sample in
    batches of 7, and from the sample's lines shuffled in batches of 11."""
    import yaml

    file = tmp_path_factory.mktemp("reversed") / "curation.yaml"
    file.write_text(yaml.safe_dump({"version": 1, "corrections": CORRECTIONS[::-1]}))
    lines = SAMPLE.read_text().splitlines()
    random.Random(16).shuffle(lines)
    shuffled = tmp_path_factory.mktemp("shuffled") / "papers.jsonl"
    shuffled.write_text("\n".join(lines) + "\n")
    stores = {}
    for name, source, size in (("batches", SAMPLE, 7), ("shuffled", shuffled, 11)):
        stores[name] = tmp_path_factory.mktemp(name) / "store"
        build(stores[name], file, inputs=(str(source),), batch_size=size)
    return stores


def tables_without_sources(store: Path) -> dict:
    """The graph read back, every table sorted; papers without ``source`` (a record's file:line,
    which a shuffled copy of the input changes)."""
    from kg.rdf.from_store import read_tables
    from kg.stores.open import open_store

    with open_store(store) as reader:
        tables = read_tables(reader)
    out = {}
    for name, df in [*tables.nodes.items(), *((str(k), v) for k, v in tables.edges.items())]:
        df = df.drop(columns=["source"]) if name == "Paper" else df
        df = df.astype(str)
        out[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return out


def test_an_incremental_build_writes_again_only_what_the_corrections_change(curated):
    _, _, first, second = curated
    assert first.writes.papers_new == 40
    # an entity correction can change any paper: all are written again, none extracted anew by hand
    assert second.writes.papers_updated == 40 and second.writes.papers_new == 0
    assert not [w for w in second.warnings if "rejects no" in w or "names no stored" in w], second.warnings


def test_incremental_and_fresh_builds_end_with_the_same_curated_graph(curated, fresh):
    store, _, _, _ = curated
    graph, rdf = hashes(store)
    assert (graph, rdf) == hashes(fresh["batches"])  # incremental or not, any batch size, entry order
    from kg.integrity import tables_ntriples_hash
    from kg.rdf.from_store import read_tables
    from kg.stores.open import open_store

    with open_store(store) as reader:
        assert tables_ntriples_hash(read_tables(reader)) == rdf  # the two sides hold one graph
    here, there = tables_without_sources(store), tables_without_sources(fresh["shuffled"])
    assert here.keys() == there.keys()
    for name in here:
        assert here[name].equals(there[name]), name  # any input order


def test_rebuilding_changes_nothing_and_keeps_the_corrections(curated, tmp_path):
    store, file, _, _ = curated
    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("write.lock"))
    before = hashes(copy)
    again = build(copy, file)
    assert again.writes.papers_unchanged == 40 and again.writes.papers_updated == 0
    assert hashes(copy) == before


def test_a_merge_survives_on_both_sides(curated):
    store, _, _, _ = curated
    assert cypher(store, "MATCH (m:Method) WHERE m.key = 'deits' RETURN m.key AS k").empty
    vit = cypher(store, "MATCH (m:Method {key: 'vitb16'}) RETURN m.name AS name, m.aliases AS aliases, m.keys AS keys")
    assert vit["name"][0] == "ViT-B/16" and "DeiT-S" in list(vit["aliases"][0]) and "deits" in list(vit["keys"][0])
    assert sparql(store, "ASK { ?m kg:key 'deits' ; skos:prefLabel 'DeiT-S' }")["ask"][0] == False  # noqa: E712 (numpy bool)
    # the canned query by the merged-away name: the same rows in both languages, all against ViT-B/16
    rows = {lang: canned(store, "methods_beating", lang, baseline="DeiT-S", dataset="ImageNet")
            for lang in ("cypher", "sparql")}
    assert len(rows["cypher"]) >= 3 and set(rows["cypher"]["loser"]) == {"ViT-B/16"}
    assert rows["cypher"].reset_index(drop=True).equals(rows["sparql"].reset_index(drop=True))
    # LatticeFormer beat DeiT-S (kgs-003): now it beats ViT-B/16 in that paper
    assert "kgs-003" in set(rows["cypher"]["paper"])


def test_a_rename_and_a_split_survive_on_both_sides(curated):
    store, _, _, _ = curated
    gpr = cypher(store, "MATCH (m:Method {key: 'gatedprototyperouting'}) RETURN m.name AS name, m.aliases AS a")
    assert gpr["name"][0] == "Gated Prototype Routing (GPR)" and "GPR" in list(gpr["a"][0])
    assert sparql(store, "SELECT ?n WHERE { ?m kg:key 'gatedprototyperouting' ; skos:prefLabel ?n }")["n"].tolist() \
        == ["Gated Prototype Routing (GPR)"]
    imagenet = cypher(store, "MATCH (d:Dataset {key: 'imagenet'}) RETURN d.keys AS keys, d.aliases AS a")
    assert "imagenet1k" not in list(imagenet["keys"][0]) and "ImageNet-1k" not in list(imagenet["a"][0])
    names = cypher(store, "MATCH (:Alias {key: 'imagenet1k'})-[:NAMES]->(d:Dataset) RETURN d.key AS key")
    assert list(names["key"]) == ["imagenet1k"]  # the split alias is an entity of its own
    assert sparql(store, "ASK { ?d kg:key 'imagenet' , 'imagenet1k' }")["ask"][0] == False  # noqa: E712 (numpy bool)


def test_a_rejected_claim_stays_gone(curated):
    store, _, _, _ = curated
    found = cypher(store, "MATCH (w:Method {key: 'spectradrop'})<-[:WINNER]-(c:Comparison)-[:LOSER]->"
                          "(l:Method {key: 'tidemix'}) MATCH (c)-[:STATED_IN]->(p:Paper) RETURN p.id AS paper")
    assert found.empty
    beats = cypher(store, "MATCH (:Method {key: 'spectradrop'})-[b:BEATS]->(:Method {key: 'tidemix'}) RETURN b.paper AS p")
    assert beats.empty
    assert sparql(store, "ASK { ?c kg:winner/kg:key 'spectradrop' ; kg:loser/kg:key 'tidemix' }")["ask"][0] == False  # noqa: E712 (numpy bool)
    # the paper's other claim (SpectraDrop beats DropBlock) is still there
    assert len(canned(store, "methods_beating", "cypher", baseline="DropBlock", dataset="CIFAR-100")) == 1


def test_an_added_claim_carries_its_source_in_both_languages(curated):
    store, _, _, _ = curated
    added = cypher(store, "MATCH (c:Comparison {component: 'curation'})-[:WINNER]->(w:Method), (c)-[:LOSER]->(l:Method), "
                          "(c)-[:STATED_IN]->(p:Paper) RETURN w.name AS w, l.name AS l, p.id AS paper, "
                          "c.confidence AS confidence, c.sentence AS sentence")
    assert added.to_dict("records") == [{"w": "TideMix", "l": "Mixup", "paper": "kgs-005", "confidence": 1.0,
                                         "sentence": CORRECTIONS[4]["add"]["evidence"]}]
    rdf = sparql(store, "SELECT ?w ?conf ?who ?paper WHERE { ?c kg:component 'curation' ; a kg:Comparison ; "
                        "kg:winner/skos:prefLabel ?w ; kg:confidence ?conf ; prov:wasAttributedTo ?who ; "
                        "prov:wasDerivedFrom ?paper }")
    assert rdf.to_dict("records") == [{"w": "TideMix", "conf": 1.0, "who": "https://w3id.org/kg-ml/vocab#curation",
                                       "paper": "https://w3id.org/kg-ml/paper/kgs-005"}]
    rows = {lang: canned(store, "methods_beating", lang, baseline="Mixup", dataset="CIFAR-100")
            for lang in ("cypher", "sparql")}
    assert list(rows["cypher"]["winner"]) == ["TideMix"] and rows["cypher"]["confidence"][0] == 1.0
    assert rows["cypher"].reset_index(drop=True).equals(rows["sparql"].reset_index(drop=True))
    board = {lang: canned(store, "leaderboard", lang, dataset="CIFAR-100", metric="top-1 accuracy")
             for lang in ("cypher", "sparql")}
    assert 84.2 in set(board["cypher"]["value"])
    assert board["cypher"].reset_index(drop=True).equals(board["sparql"].reset_index(drop=True))


def test_the_rdf_export_validates_with_curated_facts(curated, tmp_path):
    pyshacl = pytest.importorskip("pyshacl")
    import rdflib

    from kg.rdf.export import export_rdf

    store, _, _, _ = curated
    out = tmp_path / "kg.nt"
    from kg.stores.open import open_store

    with open_store(store) as reader:
        export_rdf(reader, "nt", str(out))
    data = rdflib.Graph().parse(out, format="nt")
    shapes = rdflib.Graph().parse(ROOT / "kg" / "rdf" / "shapes.ttl")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert conforms, report


def test_a_reject_that_matches_nothing_is_reported(curated, tmp_path):
    store, _, _, _ = curated
    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("write.lock"))
    file = write_file(tmp_path / "c.yaml", [*CORRECTIONS, {"reject": {"claim": {
        "paper": "kgs-001", "winner": "HieraViT", "loser": "AlexNet"}}}])
    summary = build(copy, file)
    assert summary.writes.papers_updated == 1  # only the paper the new entry names is written again
    assert any("c.yaml:" in w and "rejects no claim of paper 'kgs-001'" in w for w in summary.warnings)


# -- the command line ---------------------------------------------------------------------------------

def test_kg_curate_writes_checked_entries_and_suggests_names(curated, tmp_path):
    store, _, _, _ = curated
    file = tmp_path / "mine.yaml"
    bad = run_kg("curate", "merge", "ViT-B/16", "DieT-S", "--store", str(store), "--file", str(file))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "no Method is known as 'DieT-S'" in bad.stderr and "did you mean" in bad.stderr
    assert not file.exists()
    ok = run_kg("curate", "rename", "LatticeFormer", "Lattice Former", "--store", str(store), "--file", str(file))
    assert ok.returncode == 0, ok.stderr
    paper = run_kg("curate", "reject", "claim", "--paper", "kgs_003", "--winner", "LatticeFormer", "--loser",
                   "RippleConv", "--store", str(store), "--file", str(file))
    assert paper.returncode == 2 and "did you mean kgs-003," in paper.stderr
    # a name kept by key when the name alone would find another entity (an acronym keyed by its long form)
    key = run_kg("curate", "rename", "Gated Prototype Routing (GPR)", "GPR-2", "--store", str(store), "--file", str(file))
    assert key.returncode == 0, key.stderr
    added = run_kg("curate", "add", "result", "--paper", "kgs-003", "--method", "LatticeFormer", "--dataset",
                   "ImageNet", "--metric", "top-1", "--value", "83.1", "--unit", "%", "--evidence", "83.1% top-1.",
                   "--store", str(store), "--file", str(file))
    assert added.returncode == 0, added.stderr
    listed = run_kg("curate", "list", "--file", str(file), "--format", "json")
    import json

    entries = json.loads(listed.stdout)
    assert [next(k for k in e if k != "line") for e in entries] == ["rename", "rename", "add"]
    assert entries[1]["rename"]["entity"] == {"key": "gatedprototyperouting", "name": "Gated Prototype Routing (GPR)"}
    assert Curation.from_file(file).names["Method"] == {"latticeformer": "Lattice Former",
                                                        "gatedprototyperouting": "GPR-2"}


def test_kg_build_refuses_a_broken_curation_file_without_a_traceback(tmp_path):
    file = tmp_path / "broken.yaml"
    file.write_text("version: 1\ncorrections:\n- merge: {kind: Method, into: A}\n")
    proc = run_kg("build", str(SAMPLE), "--store", str(tmp_path / "s"), "--curation", str(file), "-q")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{file}:3: merge: missing field 'from'" in proc.stderr
    assert not (tmp_path / "s").exists()  # refused before the store was touched
    missing = run_kg("build", str(SAMPLE), "--store", str(tmp_path / "s"), "--curation", str(tmp_path / "no.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_kg_build_applies_the_stores_curation_file(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    write_file(store / "curation.yaml", [CORRECTIONS[0]])
    proc = run_kg("build", str(SAMPLE), "--store", str(store), "-q", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert cypher(store, "MATCH (m:Method {key: 'deits'}) RETURN m.key AS k").empty


def test_parse_keeps_lines_of_each_entry():
    entries = parse("version: 1\n\ncorrections:\n\n- merge: {kind: Method, into: A, from: B}\n"
                    "- rename:\n    kind: Method\n    entity: A\n    name: Ay\n")
    assert [(e.op, e.line) for e in entries] == [("merge", 5), ("rename", 6)]
