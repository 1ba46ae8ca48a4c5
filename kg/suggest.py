"""Names a user typed that the graph does not know, and the closest names it does know.

One piece for every surface that takes a name: canned queries (`kg query`, the Python helpers,
the console's `:run`), `kg find` / `g.find()`, and the analyses and plots. A name is known
when the alias index has its key for some entity; suggestions are the entities whose name or
alias is closest to it (difflib over keys, then over display names).
"""

from __future__ import annotations

import difflib
from urllib.parse import unquote

import pandas as pd

from kg.graph import ENTITY_LABELS
from kg.normalize import norm_key

FIND_COLUMNS = ["kind", "name", "aliases", "papers", "key"]
# the paper -> entity relationships that count a paper as naming the entity
_PAPER_RELS = {"Method": ("PROPOSES", "MENTIONS"), "Dataset": ("USES_DATASET", "INTRODUCES_DATASET"),
               "Metric": ("USES_METRIC",), "Task": ("ADDRESSES",)}


def entity_names(store, labels=ENTITY_LABELS, papers: bool = True) -> pd.DataFrame:
    """Every entity of ``labels``: kind, name, aliases, keys, and (unless ``papers`` is false: a
    scan of every paper's relationships) how many papers name it, from a store that answers
    Cypher or from the RDF store (``kg serve``'s workers hold only that)."""
    cypher = hasattr(store, "cypher")
    frames = []
    for label in labels:
        df = (_cypher_entities if cypher else _rdf_entities)(store, label)
        if papers:
            df = df.merge((_cypher_papers if cypher else _rdf_papers)(store, label), on="key", how="left")
        df["kind"] = label
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*FIND_COLUMNS, "keys"])
    if papers:
        out["papers"] = out["papers"].fillna(0).astype(int)
    for col in ("aliases", "keys"):
        out[col] = out[col].map(lambda v: [] if v is None or isinstance(v, float) else list(v))
    return out


def _cypher_entities(store, label: str) -> pd.DataFrame:
    return store.cypher(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases, "
                        f"n.keys AS keys")


def _cypher_papers(store, label: str) -> pd.DataFrame:
    rel = "|".join(_PAPER_RELS[label])  # relationship types from the schema table above
    return store.cypher(f"MATCH (p:Paper)-[:{rel}]->(n:{label}) RETURN n.key AS key, "
                        f"count(DISTINCT p) AS papers")


def _rdf_entities(store, label: str) -> pd.DataFrame:
    """The same frame from the RDF mapping: skos:prefLabel/altLabel and kg:key of each entity;
    the key is the IRI's last segment."""
    from kg.rdf.mapping import CLASS_OF

    rows = store.sparql("SELECT ?cls ?n ?name ?alias ?key WHERE { ?n a ?cls ; skos:prefLabel ?name . "
                        "OPTIONAL { ?n skos:altLabel ?alias } OPTIONAL { ?n kg:key ?key } }",
                        {"cls": CLASS_OF[label]})
    entities: dict[str, dict] = {}
    for n, name, alias, key in rows[["n", "name", "alias", "key"]].itertuples(index=False):
        e = entities.setdefault(n, {"key": unquote(n.rsplit("/", 1)[-1]), "name": name,
                                    "aliases": set(), "keys": set()})
        e["name"] = min(e["name"], name)
        e["aliases"].update([alias] if isinstance(alias, str) else [])
        e["keys"].update([key] if isinstance(key, str) else [])
    return pd.DataFrame([{**e, "aliases": sorted(e["aliases"]), "keys": sorted(e["keys"])}
                         for e in entities.values()], columns=["key", "name", "aliases", "keys"])


def _rdf_papers(store, label: str) -> pd.DataFrame:
    """Papers per entity by the predicates of ``_PAPER_RELS``: the (paper, entity) pairs of each
    predicate, bound as a parameter, counted once per paper (a paper may both propose and
    mention a method)."""
    from kg.rdf.mapping import CLASS_OF
    from kg.stores.oxigraph import REL_PREDICATES

    cls = {"cls": CLASS_OF[label]}
    frames = [store.sparql("SELECT ?cls ?rel ?n ?p WHERE { ?p ?rel ?n . ?n a ?cls }", {**cls, "rel": pred})
              for rel in _PAPER_RELS[label] for pred in REL_PREDICATES[rel]]
    pairs = {(n, p) for f in frames if len(f) for n, p in zip(f["n"], f["p"])}
    per_node = pd.Series([n for n, _ in pairs], dtype=object).value_counts()
    return pd.DataFrame({"key": [unquote(n.rsplit("/", 1)[-1]) for n in per_node.index],
                         "papers": per_node.to_numpy(dtype=int)})


def closest(text: str, entities: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The entities whose names are closest to ``text``: every one whose key contains it or is
    contained in it, then difflib's nearest keys; most papers first within each group."""
    key = norm_key(text)
    if entities.empty or not key:
        return entities.head(0)
    scores = []
    for i, row in enumerate(entities.itertuples(index=False)):
        score = similarity(key, set(row.keys) | {row.key})
        if score:
            scores.append((-score, -row.papers, row.name, i))
    picked = [i for *_, i in sorted(scores)[:limit]]
    return entities.iloc[picked].reset_index(drop=True)


def similarity(key: str, keys: set[str]) -> float:
    """How close a typed key is to an entity's keys: 3 equal, 2 one contains the other, else
    difflib's ratio when at least 0.6, else 0."""
    if key in keys:
        return 3.0
    if any(key in k or (len(k) >= 3 and k in key) for k in keys):
        return 2.0
    ratio = max((difflib.SequenceMatcher(None, key, k).ratio() for k in keys), default=0.0)
    return ratio if ratio >= 0.6 else 0.0


def nearest(text: str, names: list[str], limit: int = 8) -> list[str]:
    """The names closest to ``text`` (for messages that list what exists)."""
    key = norm_key(text)
    ranked = sorted((-similarity(key, {norm_key(n)}), n) for n in names)
    return [n for score, n in ranked if score][:limit]


def find(store, text: str, limit: int = 20) -> pd.DataFrame:
    """``kg find TEXT``: matching entities with kind, canonical name, aliases and paper counts."""
    return closest(text, entity_names(store), limit)[FIND_COLUMNS]


def shared_names(entities: pd.DataFrame) -> pd.DataFrame:
    """Spellings (keys) that more than one entity of a kind answers to — "two nodes for one
    thing" when the build merged too little. ``entities`` as :func:`entity_names` gives them;
    one row per shared key: kind, key, the entities' names."""
    owners: dict[tuple[str, str], dict[str, str]] = {}  # (kind, spelling) -> {node key: name}
    for kind, node, name, aliases, keys in entities[["kind", "key", "name", "aliases", "keys"]].itertuples(index=False):
        for key in {norm_key(s) for s in [name, *aliases]} | set(keys):
            if key:
                owners.setdefault((kind, key), {})[node] = name
    rows = [{"kind": kind, "key": key, "names": sorted(_labelled(nodes))}
            for (kind, key), nodes in sorted(owners.items()) if len(nodes) > 1]
    return pd.DataFrame(rows, columns=["kind", "key", "names"])


def _labelled(nodes: dict[str, str]) -> list[str]:
    """Display names of nodes, with the node key where two share a name ("CS [cs]")."""
    names = list(nodes.values())
    return [f"{name} [{node}]" if names.count(name) > 1 else name for node, name in nodes.items()]


def unknown_names(store, query, params: dict[str, object], bound: dict[str, object]) -> list[str]:
    """One message per name parameter of a canned query (``params`` as the user wrote them,
    ``bound`` normalised) that names no entity, with the closest known names ("SOTA" and empty
    values are not names)."""
    messages = []
    entities = None
    for p in query.params:
        key = bound.get(p.name)
        if p.kind != "name" or not key or key == "sota":
            continue
        if any(store.names(str(key), label) for label in ENTITY_LABELS):
            continue
        if entities is None:
            entities = entity_names(store)
        written = str(params.get(p.name, key))
        near = closest(written, entities)
        hint = f"; did you mean {', '.join(near['name'])}?" if len(near) else " (kg find lists names)"
        messages.append(f"no method, dataset, metric or task is known as {p.name}={written!r}{hint}")
    return messages
