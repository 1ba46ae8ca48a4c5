"""Names a user typed that the graph does not know, and the closest names it does know.

One piece for every surface that takes a name: canned queries (`kg query`, the Python helpers,
the console's `:run`), `kg find` / `g.find()`, and the analyses and plots. A name is known
when the alias index has its key for some entity; suggestions are the entities whose name or
alias is closest to it (difflib over keys, then over display names).
"""

from __future__ import annotations

import difflib

import pandas as pd

from kg.graph import ENTITY_LABELS
from kg.normalize import norm_key

FIND_COLUMNS = ["kind", "name", "aliases", "papers", "key"]
# the paper -> entity relationships that count a paper as naming the entity
_PAPER_RELS = {"Method": ("PROPOSES", "MENTIONS"), "Dataset": ("USES_DATASET", "INTRODUCES_DATASET"),
               "Metric": ("USES_METRIC",), "Task": ("ADDRESSES",)}


def entity_names(store, labels=ENTITY_LABELS) -> pd.DataFrame:
    """Every entity of ``labels``: kind, name, aliases, keys, and how many papers name it."""
    frames = []
    for label in labels:
        df = store.cypher(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases, "
                          f"n.keys AS keys")
        rel = "|".join(_PAPER_RELS[label])  # relationship types from the schema table above
        counts = store.cypher(f"MATCH (p:Paper)-[:{rel}]->(n:{label}) RETURN n.key AS key, "
                              f"count(DISTINCT p) AS papers")
        df = df.merge(counts, on="key", how="left")
        df["kind"] = label
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*FIND_COLUMNS, "keys"])
    out["papers"] = out["papers"].fillna(0).astype(int)
    for col in ("aliases", "keys"):
        out[col] = out[col].map(lambda v: [] if v is None or isinstance(v, float) else list(v))
    return out


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
