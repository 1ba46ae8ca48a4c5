"""The Neo4j store: the same graph model as the embedded store, over Bolt with the official driver.

Writes are idempotent, batched upserts (``UNWIND $rows AS row MERGE …``), one managed write
transaction per batch of ``batch_size`` rows (the driver retries transient failures and lost
connections). ``write`` carries out the plan every backend carries out (:mod:`kg.stores.plan`):

- merged metadata is set on skipped papers;
- replaced papers are deleted with their Comparison/Result nodes and BEATS edges, then written
  again;
- new entities are created, stored ones that change get their merged row (name, aliases, keys);
- the alias index (``(:Alias {key})-[:NAMES]->(entity)``, see :mod:`kg.graph`) gets the keys of
  new entities and the new keys of existing ones, in the same batch as the entities.

A paper's ``hash`` is written last, after all of its nodes and relationships: an interrupted load
leaves papers without a hash, and the next build of the same input replaces them.

Schema (created on first write): uniqueness constraints on every label's key on Neo4j 5; on
FalkorDB (which speaks Bolt but has no Cypher constraints) plain indexes, see docs/neo4j.md.
Labels, relationship types and property names come only from :mod:`kg.graph`'s constants;
values are always bound as parameters.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import time
from collections.abc import Iterator
from typing import Self
from urllib.parse import urlsplit

import pandas as pd

from kg.errors import StoreError
from kg.graph import (
    ALIAS_LABEL,
    ALIAS_REL,
    ENTITY_LABELS,
    METADATA,
    NODE_COLUMNS,
    NODE_KEY,
    REL_PROPERTIES,
    RELATIONSHIPS,
    alias_pairs,
)
from kg.queries import alias_lookup
from kg.stores.base import PlannedWriter, WriteStats
from kg.stores.plan import StoredEntity, StoredPaper, WritePlan
from kg.stores.values import plain as _py
from kg.stores.values import stored_entity, stored_paper

# The driver logs connection failures and retries as warnings; kg reports them as one StoreError.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

DEFAULT_BATCH_SIZE = 5000
FALKORDB_MAX_PARAM_BYTES = 3000
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
URI_HINT = "(set KG_NEO4J_URI)"
AUTH_HINT = "(set KG_NEO4J_USER/KG_NEO4J_PASSWORD)"


def _ident(name: str) -> str:
    """A label, relationship type or property name from our own model, checked anyway."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


# -- statements (all built from kg.graph constants) -------------------------------------------

def constraint_statements() -> list[str]:
    """Neo4j 5: one uniqueness constraint per node label key (each is backed by a range index),
    plus a relationship index for replacing a paper's BEATS edges."""
    out = []
    for label, key in [*NODE_KEY.items(), (ALIAS_LABEL, "key")]:
        out.append(
            f"CREATE CONSTRAINT kg_{_ident(label).lower()}_{_ident(key)} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"
        )
    for label in ENTITY_LABELS:
        out.append(f"CREATE INDEX kg_{label.lower()}_name IF NOT EXISTS FOR (n:{_ident(label)}) ON (n.name)")
    out.append("CREATE INDEX kg_beats_paper IF NOT EXISTS FOR ()-[r:BEATS]-() ON (r.paper)")
    return out


def falkordb_indexes() -> list[tuple[str, str, str]]:
    """(entity type, label or relationship type, property) indexes created on FalkorDB."""
    out = [("NODE", label, key) for label, key in [*NODE_KEY.items(), (ALIAS_LABEL, "key")]]
    out += [("NODE", label, "keys") for label in ENTITY_LABELS]  # FalkorDB indexes list members
    out += [("NODE", label, "name") for label in ENTITY_LABELS]
    out.append(("RELATIONSHIP", "BEATS", "paper"))
    return out


def falkordb_index_statement(kind: str, label: str, prop: str) -> str:
    label, prop = _ident(label), _ident(prop)
    if kind == "NODE":
        return f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"
    return f"CREATE INDEX FOR ()-[r:{label}]-() ON (r.{prop})"


def falkordb_constraint_commands(graph: str = "falkordb") -> list[str]:
    """The Redis commands (not Cypher) that add unique constraints on FalkorDB, for the docs and
    for whoever runs ``redis-cli``; each needs the exact-match index created by ``ensure_schema``."""
    return [f"GRAPH.CONSTRAINT CREATE {graph} UNIQUE NODE {label} PROPERTIES 1 {key}"
            for label, key in [*NODE_KEY.items(), (ALIAS_LABEL, "key")]]


def node_statement(label: str) -> str:
    """Upsert one label's rows. Entities and repositories keep what is stored (ON CREATE);
    papers and facts take the new values. ``Paper.hash`` is set separately, last."""
    key = _ident(NODE_KEY[label])
    props = [_ident(c) for c in NODE_COLUMNS[label][1:] if not (label == "Paper" and c == "hash")]
    assignments = ", ".join(f"n.{p} = row.{p}" for p in props)
    keep = label in ENTITY_LABELS or label == "Repository"
    return (f"UNWIND $rows AS row MERGE (n:{_ident(label)} {{{key}: row.{key}}}) "
            + ("ON CREATE SET " if keep else "SET ") + assignments)


def entity_update_statement(label: str) -> str:
    """Set a stored entity's merged row (name, aliases, keys…: kg.stores.plan.merge_entity)."""
    cols = [_ident(c) for c in NODE_COLUMNS[label] if c != "key"]
    return (f"UNWIND $rows AS row MATCH (n:{_ident(label)} {{key: row.key}}) "
            f"SET {', '.join(f'n.{c} = row.{c}' for c in cols)}")


def metadata_statement() -> str:
    """Set papers' merged metadata (every field of kg.graph.METADATA)."""
    cols = [_ident(f) for f in METADATA]
    return f"UNWIND $rows AS row MATCH (n:Paper {{id: row.id}}) SET {', '.join(f'n.{c} = row.{c}' for c in cols)}"


def alias_statement(label: str) -> str:
    """Index rows ``{alias, key}``: the Alias node (created once) and its NAMES edge to the entity."""
    return (f"UNWIND $rows AS row MERGE (a:{_ident(ALIAS_LABEL)} {{key: row.alias}}) "
            f"WITH a, row MATCH (n:{_ident(label)} {{key: row.key}}) MERGE (a)-[:{_ident(ALIAS_REL)}]->(n)")


def alias_removal_statement(label: str) -> str:
    """Index rows ``{alias, key}`` to remove: a curation split the alias off the entity."""
    return (f"UNWIND $rows AS row MATCH (:{_ident(ALIAS_LABEL)} {{key: row.alias}})-[x:{_ident(ALIAS_REL)}]->"
            f"(n:{_ident(label)} {{key: row.key}}) DELETE x")


def entity_deletion_statement(label: str) -> str:
    """Rows ``{key}`` of entities a curation merged into another: deleted with their edges."""
    return f"UNWIND $rows AS row MATCH (n:{_ident(label)} {{key: row.key}}) DETACH DELETE n"


def edge_statement(rel: str, src: str, dst: str) -> str:
    skey, dkey = _ident(NODE_KEY[src]), _ident(NODE_KEY[dst])
    head = (f"UNWIND $rows AS row MATCH (a:{_ident(src)} {{{skey}: row.src}}) "
            f"MATCH (b:{_ident(dst)} {{{dkey}: row.dst}}) ")
    props = [_ident(p) for p in REL_PROPERTIES.get(rel, [])]
    if not props:
        return head + f"MERGE (a)-[r:{_ident(rel)}]->(b)"
    # one BEATS per comparison claim: the comparison id identifies it, the rest is data
    ident, rest = props[0], props[1:]
    tail = (" SET " + ", ".join(f"r.{p} = row.{p}" for p in rest)) if rest else ""
    return head + f"MERGE (a)-[r:{_ident(rel)} {{{ident}: row.{ident}}}]->(b)" + tail


PAPER_HASH_STATEMENT = "UNWIND $rows AS row MATCH (n:Paper {id: row.id}) SET n.hash = row.hash"
DELETE_STATEMENTS = [
    "MATCH (:Method)-[b:BEATS]->(:Method) WHERE b.paper IN $ids DELETE b",
    "MATCH (x:Comparison)-[:STATED_IN]->(p:Paper) WHERE p.id IN $ids DETACH DELETE x",
    "MATCH (x:Result)-[:STATED_IN]->(p:Paper) WHERE p.id IN $ids DETACH DELETE x",
    "MATCH (p:Paper) WHERE p.id IN $ids DETACH DELETE p",
]


# -- values ----------------------------------------------------------------------------------

def frame_rows(df: pd.DataFrame, columns: list[str], rename: dict[str, str] | None = None) -> list[dict]:
    names = [(rename or {}).get(c, c) for c in columns]
    return [dict(zip(names, (_py(v) for v in row))) for row in df[columns].itertuples(index=False, name=None)]


def _chunks(items: list, size: int, max_bytes: int | None = None) -> Iterator[list]:
    """Runs of at most ``size`` items and (when given) about ``max_bytes`` of parameter data."""
    if not max_bytes:
        for i in range(0, len(items), size):
            yield items[i:i + size]
        return
    chunk: list = []
    used = 0
    for item in items:
        n = _size(item)
        if n > max_bytes:
            raise StoreError(
                f"one row is {n:,} bytes, over this server's {max_bytes:,}-byte limit for query "
                "parameters (FalkorDB's Bolt server crashes on parameters over 4 KiB; load large "
                "texts into Neo4j, or into FalkorDB with its own client)")
        if chunk and (len(chunk) >= size or used + n > max_bytes):
            yield chunk
            chunk, used = [], 0
        chunk.append(item)
        used += n
    if chunk:
        yield chunk


def _size(value: object) -> int:
    """About the bytes a value takes as a parameter (an over-estimate, quotes escaped)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return len(text.encode("utf-8")) + text.count("'") + 8


def falkordb_escape(value: object) -> object:
    """FalkorDB 4.16's Bolt server pastes string parameters into the query text between single
    quotes without escaping them: ``it's`` fails and ``x' RETURN 1 //`` changes the query.
    Escaping backslashes and quotes first makes every string arrive unchanged (tested)."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'").replace("\x00", "")
    if isinstance(value, list):
        return [falkordb_escape(v) for v in value]
    if isinstance(value, tuple):
        return [falkordb_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: falkordb_escape(v) for k, v in value.items()}
    return value


# -- errors ----------------------------------------------------------------------------------

def _first_line(text: str | None) -> str:
    """Server messages can carry a multi-line caret diagram; errors are one line."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[0] if lines else "unknown error"


def _reason(exc: Exception) -> str:
    """The cause of a connection failure in a few words."""
    text = str(exc)
    if "encrypted connection" in text or "SSL" in text:
        return "the TLS handshake failed (does the server have TLS on? bolt:// connects without TLS)"
    m = re.search(r"\(reason ([^)]*)\)", text)
    if m:
        text = m.group(1)
    elif "handshake" in text:
        return "no Bolt handshake (is that a Bolt port?)"
    elif "DNS resolve" in text or "resolve address" in text:
        return "the host name does not resolve"
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text.strip().splitlines()[-1] if text.strip() else text)
    return text[:1].lower() + text[1:] if text else type(exc).__name__


class Neo4jStore(PlannedWriter):
    """A graph in a Neo4j database (or any Bolt server speaking enough Cypher: FalkorDB): a
    writer and a Cypher reader (kg/stores/base.py).

    >>> store = Neo4jStore("bolt://localhost:7687", "neo4j", "secret")   # doctest: +SKIP
    >>> store.write(tables); store.counts()                               # doctest: +SKIP
    """

    side = "graph"
    lang = "cypher"

    def __init__(
        self,
        uri: str,
        user: str | None = "neo4j",
        password: str | None = None,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        *,
        connect_timeout: float = 15.0,
        connect_attempts: int = 3,
        max_retry_time: float = 30.0,
        flavor: str | None = None,
        max_param_bytes: int | None = None,
    ):
        import neo4j
        from neo4j import GraphDatabase

        if not uri:
            raise StoreError(f"no Neo4j URI given {URI_HINT}, e.g. bolt://localhost:7687")
        scheme = urlsplit(uri).scheme if "://" in uri else ""
        if scheme not in BOLT_SCHEMES or not urlsplit(uri).hostname:
            raise StoreError(f"{uri!r} is not a Bolt URI; use bolt://HOST:7687 or neo4j://HOST:7687 "
                             f"(+s/+ssc for TLS) {URI_HINT}")
        self.uri = uri
        self.user = user or "neo4j"
        self.database = database or None
        self.batch_size = max(1, int(batch_size))
        self._connect_attempts = max(1, connect_attempts)
        self._timeout: float | None = None
        self._schema_ready = False
        self.max_param_bytes: int | None = None
        auth = None if password is None else neo4j.basic_auth(self.user, password)
        self._password_given = password is not None
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=auth, connection_timeout=connect_timeout,
                connection_acquisition_timeout=connect_timeout, max_transaction_retry_time=max_retry_time,
                user_agent="kg",
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise StoreError(f"{uri!r} is not a Neo4j URI ({exc}); use bolt://HOST:7687 or neo4j://HOST:7687 "
                             f"{URI_HINT}") from None
        try:
            self._connect()
            self.flavor = flavor or self._detect_flavor()
        except BaseException:
            self.driver.close()
            raise
        # FalkorDB 4.16's Bolt server crashes (stack smashing) when one RUN's parameters exceed
        # about 4 KiB, so batches sent to it are bounded by size as well as by row count.
        self.max_param_bytes = max_param_bytes or (FALKORDB_MAX_PARAM_BYTES if self.flavor == "falkordb" else None)

    # -- lifecycle ----------------------------------------------------------------------
    def _connect(self) -> None:
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

        delay = 0.2
        for attempt in range(1, self._connect_attempts + 1):
            try:
                self.driver.verify_connectivity()
                return
            except AuthError:
                if not self._password_given:
                    raise StoreError(f"Neo4j at {self.uri} needs a password for user '{self.user}' "
                                     f"{AUTH_HINT}") from None
                raise StoreError(f"Neo4j at {self.uri} rejected the credentials for user '{self.user}' "
                                 f"{AUTH_HINT}") from None
            except (ServiceUnavailable, SessionExpired, OSError) as exc:
                if attempt == self._connect_attempts:
                    raise StoreError(f"cannot connect to Neo4j at {self.uri}: {_reason(exc)} — "
                                     f"is the server running? {URI_HINT}") from None
                time.sleep(delay)
                delay *= 3
            except Neo4jError as exc:
                # (FalkorDB answers a wrong password this way, with no message)
                detail = _first_line(exc.message) if exc.message and "unknown error" not in exc.message else ""
                raise StoreError(f"the Bolt server at {self.uri} refused the session for user '{self.user}'"
                                 + (f" ({detail})" if detail else "") + f" — wrong credentials? {AUTH_HINT}") from None

    def _detect_flavor(self) -> str:
        """'neo4j' when ``dbms.components()`` names a Neo4j kernel, else 'falkordb' if it has the
        FalkorDB procedures. (FalkorDB's Bolt server calls itself "Neo4j/5.13.0", so the agent
        string cannot tell them apart.)"""
        from neo4j.exceptions import Neo4jError

        try:
            df = self._run_read("CALL dbms.components() YIELD name RETURN name")
            if any("neo4j" in str(n).lower() for n in df["name"]):
                return "neo4j"
        except (Neo4jError, StoreError):
            pass
        try:
            df = self._run_read("CALL dbms.procedures() YIELD name RETURN name")
            if any(str(n).startswith("algo.") for n in df["name"]):
                return "falkordb"
        except (Neo4jError, StoreError):
            pass
        return "neo4j"

    def close(self) -> None:
        driver = getattr(self, "driver", None)
        if driver is None:
            return
        address = self._server_address() if getattr(self, "flavor", None) == "falkordb" else None
        driver.close()
        self.driver = None
        if address:
            _absorb_falkordb_goodbye(address)

    def _server_address(self) -> tuple[str, int] | None:
        parts = urlsplit(self.uri)
        return (parts.hostname or "localhost", parts.port or 7687)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- running statements -------------------------------------------------------------
    def _session(self):
        return self.driver.session(database=self.database,
                                   bookmark_manager=self.driver.execute_query_bookmark_manager)

    def _query(self, statement: str):
        from neo4j import Query

        return Query(statement, timeout=self._timeout) if self._timeout else statement

    def _params(self, params: dict | None) -> dict:
        if not params:
            return {}
        return falkordb_escape(params) if getattr(self, "flavor", None) == "falkordb" else params

    def _run_read(self, statement: str, params: dict | None = None) -> pd.DataFrame:
        from neo4j import RoutingControl

        return self._execute(statement, params, RoutingControl.READ)

    def _execute(self, statement: str, params: dict | None, routing) -> pd.DataFrame:
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable

        try:
            records, _, keys = self.driver.execute_query(
                self._query(statement), self._params(params), database_=self.database, routing_=routing,
            )
        except ServiceUnavailable as exc:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}: {_reason(exc)}") from None
        except Neo4jError as exc:
            raise StoreError(f"cypher: {_first_line(exc.message or exc.code)}") from None
        except DriverError as exc:
            raise StoreError(f"neo4j driver: {_first_line(str(exc))}") from None
        return pd.DataFrame([list(r.values()) for r in records], columns=list(keys))

    def cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame:
        """Run one statement as a DataFrame; values go as parameters, never into the text."""
        from neo4j import RoutingControl

        return self._execute(statement, params, RoutingControl.WRITE)

    def read_cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame:
        """A user's statement (``kg cypher``, ``kg.open().cypher``, canned queries), in a READ
        transaction: Neo4j refuses writes there whatever the text (kg.stores.readonly checks
        the text first, for every engine)."""
        return self._run_read(statement, params)

    def set_timeout(self, seconds: float) -> None:
        """Statements sent after this carry a transaction timeout (the server stops them)."""
        self._timeout = float(seconds)

    def interrupt(self) -> None:
        """For ``kg cypher``'s Ctrl-C: the synchronous driver cannot cancel a running statement
        from another thread; the transaction timeout (``set_timeout``) bounds it instead."""

    def _write(self, session, statement: str, params: dict):
        """One managed write transaction (retried by the driver on transient errors)."""
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable

        query = self._query(statement)
        params = self._params(params)

        def work(tx):
            return tx.run(query, params).consume().counters

        try:
            return session.execute_write(work)
        except ServiceUnavailable as exc:
            raise StoreError(f"lost the connection to Neo4j at {self.uri}: {_reason(exc)} "
                             "(run the build again: finished papers are skipped)") from None
        except Neo4jError as exc:
            raise StoreError(f"Neo4j write failed: {_first_line(exc.message or exc.code)}") from None
        except DriverError as exc:
            raise StoreError(f"Neo4j write failed: {_first_line(str(exc))}") from None

    def _write_rows(self, session, statement: str, rows: list[dict]) -> tuple[int, int]:
        """Rows in batches of ``batch_size``, one transaction each; (nodes, rels) created."""
        nodes = rels = 0
        for chunk in _chunks(rows, self.batch_size, self.max_param_bytes):
            counters = self._write(session, statement, {"rows": chunk})
            nodes += counters.nodes_created
            rels += counters.relationships_created
        return nodes, rels

    # -- schema -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Constraints and indexes, created once (idempotent; cheap when they exist)."""
        if self._schema_ready:
            return
        with self._session() as session:
            if self.flavor == "falkordb":
                have = self._falkordb_indexes()
                for kind, label, prop in falkordb_indexes():
                    if (kind, label, prop) not in have:
                        self._write(session, falkordb_index_statement(kind, label, prop), {})
            else:
                for stmt in constraint_statements():
                    self._write(session, stmt, {})
            self._index_aliases(session)
        self._schema_ready = True

    def _index_aliases(self, session) -> None:
        """A graph written before the alias index existed (by an older kg or neo4j-admin import
        files) gets it from its entities' keys; the canned queries start from it."""
        if not self._run_read(f"MATCH (a:{_ident(ALIAS_LABEL)}) RETURN a.key AS k LIMIT 1").empty:
            return
        for label in ENTITY_LABELS:
            df = self._run_read(f"MATCH (n:{_ident(label)}) RETURN n.key AS key, n.keys AS keys")
            if df.empty:
                continue
            index = alias_pairs(label, df.assign(keys=[_py(k) for k in df["keys"]]))
            self._write_rows(session, alias_statement(label),
                             frame_rows(index, ["from", "to"], rename={"from": "alias", "to": "key"}))

    def _falkordb_indexes(self) -> set[tuple[str, str, str]]:
        df = self._run_read("CALL db.indexes() YIELD label, properties, entitytype "
                            "RETURN label, properties, entitytype")
        out = set()
        for label, props, kind in df.itertuples(index=False, name=None):
            for p in props or []:
                out.add((str(kind).upper(), label, p))
        return out

    # -- reading ------------------------------------------------------------------------
    def stored_papers(self, ids: list[str], with_text: bool = False) -> dict[str, StoredPaper]:
        """Stored papers among ``ids`` (hash None: interrupted before the paper was complete)."""
        cols = ["hash", *METADATA, *(("title", "abstract") if with_text else ())]
        returns = ", ".join(f"p.{_ident(c)} AS {_ident(c)}" for c in cols)
        out: dict[str, StoredPaper] = {}
        for chunk in _chunks([str(i) for i in ids], self.batch_size, self.max_param_bytes):
            df = self._run_read(f"MATCH (p:Paper) WHERE p.id IN $ids RETURN p.id AS id, {returns}", {"ids": chunk})
            for row in df.to_dict(orient="records"):
                out[row["id"]] = stored_paper(row)
        return out

    def has_alias(self, key: str, label: str) -> bool:
        """Whether the alias index has ``key`` for a ``label`` node."""
        df = self._run_read(alias_lookup(label), {"key": key})
        return bool(len(df)) and int(df["n"].iloc[0]) > 0

    def counts(self) -> dict[str, int]:
        out = {}
        for label in NODE_COLUMNS:
            out[label] = int(self._run_read(f"MATCH (n:{_ident(label)}) RETURN count(n) AS c")["c"].iloc[0])
        for rel in dict.fromkeys(r for r, _, _ in RELATIONSHIPS):
            out[rel] = int(self._run_read(f"MATCH ()-[r:{_ident(rel)}]->() RETURN count(r) AS c")["c"].iloc[0])
        return out

    def stored_entities(self, label: str, keys: list[str]) -> dict[str, StoredEntity]:
        cols = [c for c in NODE_COLUMNS[label] if c != "key"]
        returns = ", ".join(f"n.{_ident(c)} AS {_ident(c)}" for c in cols)
        out = {}
        for chunk in _chunks(keys, self.batch_size, self.max_param_bytes):
            df = self._run_read(f"MATCH (n:{_ident(label)}) WHERE n.key IN $keys RETURN n.key AS key, {returns}",
                                {"keys": chunk})
            for row in df.to_dict(orient="records"):
                out[row["key"]] = stored_entity(row)
        return out

    # -- writing ------------------------------------------------------------------------
    def carry_out(self, plan: WritePlan, stats: WriteStats) -> None:
        """Carry out one batch's plan (module docs): each step in batches of managed write
        transactions, each written paper's hash last."""
        self.ensure_schema()
        tables = plan.tables
        with self._session() as session:
            if plan.metadata:
                self._write_rows(session, metadata_statement(), plan.metadata)
            for chunk in _chunks(plan.replace, self.batch_size, self.max_param_bytes):
                for stmt in DELETE_STATEMENTS:
                    self._write(session, stmt, {"ids": chunk})
            self._write_entities(session, plan, stats)
            for label in ("Paper", "Repository", "Comparison", "Result"):
                df = tables.nodes[label]
                if df.empty:
                    continue
                cols = [c for c in NODE_COLUMNS[label] if not (label == "Paper" and c == "hash")]
                created, _ = self._write_rows(session, node_statement(label), frame_rows(df, cols))
                if created:
                    stats.nodes_created[label] = stats.nodes_created.get(label, 0) + created
            for (rel, src, dst), df in tables.edges.items():
                if df.empty:
                    continue
                cols = ["from", "to", *REL_PROPERTIES.get(rel, [])]
                rows = frame_rows(df, cols, rename={"from": "src", "to": "dst"})
                _, created = self._write_rows(session, edge_statement(rel, src, dst), rows)
                if created:
                    stats.edges_created[rel] = stats.edges_created.get(rel, 0) + created
            # last: the content hash marks each paper as completely written
            self._write_rows(session, PAPER_HASH_STATEMENT, frame_rows(tables.nodes["Paper"], ["id", "hash"]))

    def _write_entities(self, session, plan: WritePlan, stats: WriteStats) -> None:
        for label in ENTITY_LABELS:
            new = plan.tables.nodes[label]
            if not new.empty:
                created, _ = self._write_rows(session, node_statement(label), frame_rows(new, NODE_COLUMNS[label]))
                if created:
                    stats.nodes_created[label] = stats.nodes_created.get(label, 0) + created
            updates = plan.entity_updates.get(label)
            if updates is not None and not updates.empty:
                self._write_rows(session, entity_update_statement(label), frame_rows(updates, NODE_COLUMNS[label]))
            index = plan.alias_index.get(label)
            if index is not None and not index.empty:
                self._write_rows(session, alias_statement(label),
                                 frame_rows(index, ["from", "to"], rename={"from": "alias", "to": "key"}))
            removals = plan.alias_removals.get(label)  # a curation's (kg.curation)
            if removals is not None and not removals.empty:
                self._write_rows(session, alias_removal_statement(label),
                                 frame_rows(removals, ["from", "to"], rename={"from": "alias", "to": "key"}))
            if plan.entity_deletions.get(label):
                self._write_rows(session, entity_deletion_statement(label),
                                 [{"key": k} for k in plan.entity_deletions[label]])

    def clear(self) -> None:
        """Delete every node and relationship of the kg model (tests; re-imports)."""
        with self._session() as session:
            for label in [*NODE_COLUMNS, ALIAS_LABEL]:
                while True:
                    counters = self._write(
                        session, f"MATCH (n:{_ident(label)}) WITH n LIMIT $n DETACH DELETE n",
                        {"n": self.batch_size})
                    if counters.nodes_deleted < self.batch_size:
                        break


def _absorb_falkordb_goodbye(address: tuple[str, int]) -> None:
    """FalkorDB (4.16) leaves the next Bolt connection after a client's GOODBYE without a handshake
    answer until the client times out. A bare TCP connect-and-close takes that hit instead, so
    the next kg process connects at once. Harmless if nothing is listening."""
    try:
        socket.create_connection(address, timeout=1.0).close()
    except OSError:
        pass


def open_neo4j_from_env(uri: str | None = None, user: str | None = None, password: str | None = None,
                        **kwargs) -> Neo4jStore:
    """A :class:`Neo4jStore` from arguments, else ``KG_NEO4J_URI``/``KG_NEO4J_USER``/
    ``KG_NEO4J_PASSWORD`` (see :func:`kg.config.neo4j_settings`); the database from
    ``KG_NEO4J_DATABASE`` (default: the server's default database)."""
    from kg.config import neo4j_settings

    s = neo4j_settings(uri, user, password)
    if not s["uri"]:
        raise StoreError(f"no Neo4j URI: pass --neo4j bolt://HOST:7687 {URI_HINT}")
    kwargs.setdefault("database", os.environ.get("KG_NEO4J_DATABASE") or None)
    return Neo4jStore(s["uri"], s["user"], s["password"], **kwargs)
