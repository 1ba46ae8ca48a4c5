"""The alias index on the embedded store (``Alias`` nodes, ``NAMES`` relationships): it holds
exactly the keys of every entity through incremental builds, and canned queries find an entity
by any of them."""

from __future__ import annotations

import json

import pytest

import kg
from kg.errors import StoreError
from kg.graph import ALIAS_LABEL, ALIAS_REL, ENTITY_LABELS, build_tables
from kg.models import Comparison, Extraction, Mention, Paper
from kg.normalize import norm_key
from kg.stores.ladybug import LadybugStore


def extraction(pid: str, *, beats=(), aliases=(), sota=(), **fields) -> Extraction:
    """A hand-made extraction: ``beats`` are (winner, loser, dataset) claims, ``sota`` (winner,
    dataset) claims against the state of the art, ``aliases`` (label, text, canonical name)."""
    claims = [*beats, *((w, "SOTA", d) for w, d in sota)]
    comparisons = [Comparison(winner=w, loser=lo, dataset=d, metric=None, delta=None,
                              sentence=f"{w} outperforms {lo} on {d}.", start=i, end=i + 10, confidence=0.9)
                   for i, (w, lo, d) in enumerate(claims)]
    names = [("METHOD", n) for w, lo, _ in claims for n in (w, lo) if n != "SOTA"]
    names += [("DATASET", d) for _, _, d in claims] + [("METHOD", n) for n in fields.get("methods", [])]
    mentions = [Mention(text=n, label=label, start=0, end=len(n), key=norm_key(n), name=n)
                for label, n in dict.fromkeys(names)]
    mentions += [Mention(text=text, label=label, start=0, end=len(text), key=norm_key(name), name=name)
                 for label, text, name in aliases]
    return Extraction(paper=Paper(id=pid, title=f"Paper {pid}", abstract="An abstract.", source="test"),
                      comparisons=comparisons, mentions=mentions, **fields)


def index(store: LadybugStore) -> set[tuple[str, str, str]]:
    """(alias key, label, entity key) for every NAMES relationship."""
    out = set()
    for label in ENTITY_LABELS:
        df = store.cypher(f"MATCH (a:{ALIAS_LABEL})-[:{ALIAS_REL}]->(n:{label}) RETURN a.key AS a, n.key AS k")
        out |= {(a, label, k) for a, k in zip(df["a"], df["k"])}
    return out


def entity_keys(store: LadybugStore) -> set[tuple[str, str, str]]:
    """What the index must hold: each entity's `keys` (and its own key)."""
    out = set()
    for label in ENTITY_LABELS:
        df = store.cypher(f"MATCH (n:{label}) RETURN n.key AS key, n.keys AS keys")
        out |= {(k, label, key) for key, keys in zip(df["key"], df["keys"]) for k in {*keys, key}}
    return out


def alias_nodes(store: LadybugStore) -> list[str]:
    return store.cypher(f"MATCH (a:{ALIAS_LABEL}) RETURN a.key AS k ORDER BY k")["k"].tolist()


def test_a_new_alias_of_a_stored_entity_is_indexed_by_the_next_build(tmp_path):
    path = tmp_path / "store"
    with LadybugStore(path) as s:
        s.write(build_tables([extraction("a", beats=[("Quuxformer", "Zorbnet", "Zorbset")])]))
        assert index(s) == entity_keys(s)
        assert ("zn1", "Method", "zorbnet") not in index(s)
    with LadybugStore(path) as s:  # a later, incremental build
        stats = s.write(build_tables([extraction("b", beats=[("Blipnet", "Zorbnet", "Zorbset")],
                                                 aliases=[("METHOD", "ZN-1", "Zorbnet")])]))
        assert stats.nodes_created.get("Method") == 1  # Blipnet; Zorbnet only gains an alias
        assert ("zn1", "Method", "zorbnet") in index(s)
        assert index(s) == entity_keys(s)
        assert len(alias_nodes(s)) == len(set(alias_nodes(s)))
    with kg.open(str(path)) as g:
        by_new_alias = g.methods_beating("zn 1", "ZORBSET")
        assert sorted(by_new_alias["winner"]) == ["Blipnet", "Quuxformer"]
        assert set(by_new_alias["loser"]) == {"Zorbnet"}
        assert g.method_profile("ZN-1")["method"].unique().tolist() == ["Zorbnet"]


def test_writing_the_same_batch_again_adds_nothing_to_the_index(tmp_path):
    tables = build_tables([extraction("a", beats=[("Quuxformer", "Zorbnet", "Zorbset")],
                                      aliases=[("METHOD", "ZN", "Zorbnet")])])
    with LadybugStore(tmp_path / "s") as s:
        s.write(tables)
        before = (alias_nodes(s), sorted(index(s)))
        s.write(build_tables([extraction("a2", beats=[("Quuxformer", "Zorbnet", "Zorbset")],
                                         aliases=[("METHOD", "ZN", "Zorbnet")])]))  # same entities, other paper
        s.write(tables)
        edges = s.cypher(f"MATCH (:{ALIAS_LABEL})-[r:{ALIAS_REL}]->() RETURN count(r) AS n")["n"][0]
        assert (alias_nodes(s), sorted(index(s))) == before
        assert edges == len(before[1])


def test_one_alias_can_name_entities_of_several_labels(tmp_path):
    path = tmp_path / "s"
    with LadybugStore(path) as s:
        s.write(build_tables([extraction("a", beats=[("Orbit", "Lunar", "Crater")],
                                         sota=[("Orbit", "Lunar")])]))
        assert ("lunar", "Method", "lunar") in index(s) and ("lunar", "Dataset", "lunar") in index(s)
        assert alias_nodes(s).count("lunar") == 1
    with kg.open(str(path)) as g:
        assert g.methods_beating("lunar")["dataset"].tolist() == ["Crater"]  # Lunar the method
        assert g.sota_claims("lunar")["method"].tolist() == ["Orbit"]        # Lunar the dataset
        assert g.methods_beating("lunar", "lunar").empty


def test_named_baselines_and_sota_are_separate_answers(tmp_path):
    path = tmp_path / "s"
    with LadybugStore(path) as s:
        s.write(build_tables([extraction("a", beats=[("Quuxformer", "Zorbnet", "Zorbset")],
                                         sota=[("Blipnet", "Zorbset")])]))
    with kg.open(str(path)) as g:
        named = g.methods_beating("Zorbnet", "Zorbset")
        sota = g.methods_beating("SOTA", "zorbset")
        assert named[["winner", "loser"]].values.tolist() == [["Quuxformer", "Zorbnet"]]
        assert sota[["winner", "loser"]].values.tolist() == [["Blipnet", "SOTA"]]
        assert g.methods_beating("SOTA")["winner"].tolist() == ["Blipnet"]
        assert g.methods_beating("nothing at all", "zorbset").empty


def test_a_store_of_the_previous_schema_is_refused_with_a_way_out(tmp_path):
    path = tmp_path / "s"
    with LadybugStore(path):
        pass
    (path / "meta.json").write_text(json.dumps({"schema_version": 1, "engine": "ladybug"}))
    with pytest.raises(StoreError, match="schema version 1.*Rebuild"):
        LadybugStore(path, read_only=True)
