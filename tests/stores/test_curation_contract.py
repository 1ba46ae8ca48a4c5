"""Curation (kg.curation) on every backend of the contract suite, through the one upsert plan:
a store written without corrections and then with them (incremental: the papers replaced, the
entity rows set at the end), in other orders and batch sizes, holds the graph LadybugDB holds
when it is written once with the corrections."""

from __future__ import annotations

import random

from kg.curation import Curation
from kg.graph import ENTITY_LABELS

from .test_contract import corpus

CURATION = """
version: 1
corrections:
- merge: {kind: Method, into: Quuxformer, from: Grault}
- rename: {kind: Method, entity: Zorbnet, name: Zorb Network}
- split: {kind: Dataset, entity: COCO, alias: MS COCO}
- reject: {claim: {paper: c9, winner: Grault, loser: Frobnet, dataset: ImageNet}}
- add: {result: {paper: c12, method: ZorbNet, dataset: CIFAR-10, metric: accuracy, value: 91.5, unit: '%'},
        evidence: ZorbNet reaches 91.5% on CIFAR-10.}
"""


def write(store, extractions, size: int, curation: Curation | None) -> None:
    from kg.graph import build_tables

    for i in range(0, len(extractions), size):
        batch = extractions[i:i + size]
        store.write(build_tables(batch) if curation is None else curation.build_tables(batch))
    if curation is not None:
        stored = {label: store.stored_entities(label, curation.entity_keys(label)) for label in ENTITY_LABELS}
        store.write(curation.plan_entities(stored))


def test_curation_gives_one_graph_on_every_backend(backend, fresh, tmp_path):
    from kg.stores.ladybug import LadybugStore

    from .conftest import _cypher_fingerprint

    curation = Curation.from_text(CURATION)
    with LadybugStore(tmp_path / "reference") as ref:
        write(ref, corpus(), 100, curation)
        expected = _cypher_fingerprint(ref)
        gone = ref.cypher("MATCH (m:Method) WHERE m.key = 'grault' RETURN m.key AS k")
        assert gone.empty

    papers = corpus()
    random.Random(3).shuffle(papers)
    incremental = fresh()
    write(incremental, papers, 5, None)
    random.Random(4).shuffle(papers)
    write(incremental, papers, 3, Curation.from_text(CURATION))
    assert backend.fingerprint(incremental) == expected
    assert backend.entity(incremental, "Method", "grault") is None
    zorb = backend.entity(incremental, "Method", "zorbnet")
    assert zorb["name"] == "Zorb Network" and "Zorbnet" in zorb["aliases"]
    assert "MS COCO" not in backend.entity(incremental, "Dataset", "coco")["aliases"]

    once = fresh()
    write(once, papers[::-1], 1, Curation.from_text(CURATION))
    assert backend.fingerprint(once) == expected
