"""The embedded default store: LadybugDB (on disk, in process, Cypher, bulk COPY).

Layout of a store directory: ``graph.lbdb`` (the database), ``meta.json`` (schema version),
``write.lock`` (held by the one process that writes). Each batch of papers is written in one
transaction: papers already stored with the same content hash are skipped, changed papers are
replaced, new rows are bulk-loaded with ``COPY`` (MERGE slows with table size in Ladybug). The
alias index (``Alias`` nodes, ``NAMES`` relationships; see :mod:`kg.graph`) is written in the
same transaction as the entities it points at.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from kg.config import buffer_pool_mb
from kg.errors import QueryError, StoreError
from kg.graph import (
    ALIAS_LABEL,
    ALIAS_REL,
    ENTITY_LABELS,
    METADATA,
    NODE_COLUMNS,
    NODE_KEY,
    REL_PROPERTIES,
    RELATIONSHIPS,
)
from kg.queries import alias_lookup
from kg.stores.base import PlannedWriter, WriteStats, store_directory
from kg.stores.plan import StoredEntity, StoredPaper, WritePlan
from kg.stores.readonly import check_cypher
from kg.stores.values import plain_rows, stored_entity, stored_paper

SCHEMA_VERSION = 3  # 2: the alias index (Alias nodes, NAMES relationships); 3: Paper.arxiv_id, Paper.doi
RECYCLE_PAPERS = 50_000  # reopen the database after writing this many papers (see _recycle)
_TYPES = {
    "value": "DOUBLE", "confidence": "DOUBLE", "start_char": "INT64", "end_char": "INT64",
    "vs_sota": "BOOLEAN", "higher_is_better": "BOOLEAN", "aliases": "STRING[]", "keys": "STRING[]",
}


def _arrow_types() -> dict:
    import pyarrow as pa

    return {"STRING": pa.string, "DOUBLE": pa.float64, "INT64": pa.int64, "BOOLEAN": pa.bool_,
            "STRING[]": lambda: pa.list_(pa.string())}


def buffer_pool_bytes(db_file: Path | None = None, read_only: bool = False) -> int:
    """LadybugDB's page cache. Its own default is most of the machine's memory, which makes a
    build's memory grow with the corpus: writing, we cap it at 512 MB. Reading (queries), a cap
    below the store's size fails large answers with "buffer pool is full" (measured at 1M papers:
    2.2 GB store, 512 MB pool); there it is twice the database file, at least 512 MB and at most
    half the machine's memory (pages are only taken as queries touch them).
    ``KG_BUFFER_POOL_MB`` overrides both (checked: kg.config.buffer_pool_mb)."""
    setting = buffer_pool_mb()
    if setting is not None:
        return int(setting * 2**20)
    floor = 512 * 2**20
    if not read_only or db_file is None or not db_file.exists():
        return floor
    try:
        machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        machine = 4 * floor
    return int(max(floor, min(2 * db_file.stat().st_size, machine // 2)))


def schema_statements() -> list[str]:
    out = []
    for label, cols in NODE_COLUMNS.items():
        defs = [f"{c} {_TYPES.get(c, 'STRING')}" + (" PRIMARY KEY" if i == 0 else "")
                for i, c in enumerate(cols)]
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({', '.join(defs)})")
    pairs: dict[str, list[str]] = {}
    for rel, src, dst in RELATIONSHIPS:
        pairs.setdefault(rel, []).append(f"FROM {src} TO {dst}")
    for rel, fromto in pairs.items():
        props = [f"{p} STRING" for p in REL_PROPERTIES.get(rel, [])]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel}({', '.join(fromto + props)})")
    out.append(f"CREATE NODE TABLE IF NOT EXISTS {ALIAS_LABEL}(key STRING PRIMARY KEY)")
    fromto = [f"FROM {ALIAS_LABEL} TO {label}" for label in ENTITY_LABELS]
    out.append(f"CREATE REL TABLE IF NOT EXISTS {ALIAS_REL}({', '.join(fromto)})")
    return out


class LadybugStore(PlannedWriter):
    """An embedded graph store in ``path`` (created on first write): the property-graph side of
    a store directory, a writer and a Cypher reader (kg/stores/base.py)."""

    side = "graph"
    lang = "cypher"

    def __init__(self, path: str | os.PathLike, read_only: bool = False):
        self.path = store_directory(path, create=not read_only)
        self.read_only = read_only
        self._timeout: float | None = None
        self._spool: str | None = None  # temporary folder for COPY files
        self._lock_file = None
        self._db_file = self.path / "graph.lbdb"
        if read_only and not self._db_file.exists():
            raise StoreError(f"no graph store at {self.path} (build one with: kg build INPUT --store {self.path})")
        if not read_only:
            self._acquire_lock()
        self._check_meta()
        self._written = 0  # papers written since the database was opened
        self._pool = buffer_pool_bytes(self._db_file, read_only)
        self._open()
        if not read_only:
            for stmt in schema_statements():
                self.conn.execute(stmt)
            self._write_meta()

    # -- lifecycle ----------------------------------------------------------------------
    def _open(self) -> None:
        import ladybug

        try:
            self.db = ladybug.Database(str(self._db_file), read_only=self.read_only,
                                       buffer_pool_size=self._pool)
            self.conn = ladybug.Connection(self.db)
        except RuntimeError as exc:
            raise StoreError(f"cannot open the graph store at {self.path}: {exc}") from None
        if self._timeout:
            self.conn.set_query_timeout(int(self._timeout * 1000))

    def _close_db(self) -> None:
        for obj in ("conn", "db"):
            thing = getattr(self, obj, None)
            if thing is not None:
                thing.close()
                setattr(self, obj, None)

    def _recycle(self) -> None:
        """Close and reopen the database (the write lock stays held). An open LadybugDB database
        keeps native memory that grows with every batch written (measured: +1.7 MB per 1,000
        papers) and hands it back only when closed; a long build recycles it every
        RECYCLE_PAPERS papers. (What a single write costs still grows with the store: see
        bench/README.md, "Memory".)"""
        self._close_db()
        self._open()
        self._written = 0

    def _acquire_lock(self) -> None:
        self._lock_file = open(self.path / "write.lock", "w")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise StoreError(
                f"the store {self.path} is being written by another kg process; "
                "wait for it to finish and run again"
            ) from None

    def _check_meta(self) -> None:
        meta = self.path / "meta.json"
        if not meta.exists():
            return
        try:
            version = json.loads(meta.read_text()).get("schema_version")
        except (OSError, ValueError) as exc:
            raise StoreError(f"{meta} is unreadable ({exc}); rebuild the store") from None
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has schema version {version}; this kg reads version "
                f"{SCHEMA_VERSION}. Rebuild it: kg build INPUT --store NEW_DIR"
            )

    def _write_meta(self) -> None:
        meta = self.path / "meta.json"
        if not meta.exists():
            tmp = meta.with_suffix(".tmp")
            tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "engine": "ladybug"}))
            tmp.replace(meta)

    def close(self) -> None:
        self._close_db()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------
    def cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame:
        """Run a statement; on a store opened read-only, reading statements only (a CHECKPOINT
        there leaves the database unopenable read-only: kg.stores.readonly)."""
        if self.read_only:
            check_cypher(statement)
        try:
            result = self.conn.execute(statement, params or {})
        except RuntimeError as exc:
            message = str(exc)
            if message.strip() == "Interrupted." and self._timeout:
                raise QueryError(f"query stopped after {self._timeout:g} s (raise the limit with --timeout)") from None
            if "buffer pool is full" in message:
                # measured: some canned queries need more than the 512 MB default at 1M papers
                message += (f" (the store's memory is capped at {self._pool // 2**20} MB: "
                            "raise it with the environment variable KG_BUFFER_POOL_MB)")
            raise QueryError(message) from None
        if isinstance(result, list):
            result = result[-1]
        return result.get_as_df()

    def has_alias(self, key: str, label: str) -> bool:
        """Whether the alias index has ``key`` for a ``label`` node (a primary-key lookup; read
        without a DataFrame, which would cost more than the lookup)."""
        result = self.conn.execute(alias_lookup(label), {"key": key})
        return result.has_next() and result.get_next()[0] > 0

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from another thread)."""
        if self.conn is not None:
            self.conn.interrupt()

    def set_timeout(self, seconds: float) -> None:
        self._timeout = seconds
        self.conn.set_query_timeout(int(seconds * 1000))

    def counts(self) -> dict[str, int]:
        out = {}
        for label in NODE_COLUMNS:
            out[label] = int(self.cypher(f"MATCH (n:{label}) RETURN count(n) AS c")["c"].iloc[0])
        for rel in dict.fromkeys(r for r, _, _ in RELATIONSHIPS):
            out[rel] = int(self.cypher(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c")["c"].iloc[0])
        return out

    # -- writing ------------------------------------------------------------------------
    def stored_papers(self, ids: list[str], with_text: bool = False) -> dict[str, StoredPaper]:
        if not ids:
            return {}
        # UNWIND + a key match uses the primary-key index; `WHERE p.id IN $ids` scans every paper
        cols = ["hash", *METADATA, *(("title", "abstract") if with_text else ())]
        returns = ", ".join(f"p.{c} AS {c}" for c in cols)
        df = self.cypher(f"UNWIND $ids AS i MATCH (p:Paper {{id: i}}) RETURN p.id AS id, {returns}", {"ids": ids})
        return {row["id"]: stored_paper(row) for row in df.to_dict(orient="records")}

    def stored_entities(self, label: str, keys: list[str]) -> dict[str, StoredEntity]:
        if not keys:
            return {}
        return {row["key"]: stored_entity(row) for row in self._existing(label, keys).to_dict(orient="records")}

    def carry_out(self, plan: WritePlan, stats: WriteStats) -> None:
        """Carry out one batch's plan in one transaction."""
        tables = plan.tables
        self.conn.execute("BEGIN TRANSACTION")
        try:
            self._set_metadata(plan.metadata)
            if plan.replace:
                self._delete_papers(plan.replace)
            self._write_entities(plan, stats)
            for label in ("Paper", "Repository", "Comparison", "Result"):
                self._copy_new(label, tables.nodes[label], stats)
            for (rel, src, dst), df in tables.edges.items():
                if not df.empty:
                    self._copy_edges(rel, src, dst, df)
                    stats.edges_created[rel] = stats.edges_created.get(rel, 0) + len(df)
            self.conn.execute("COMMIT")
        except BaseException:
            try:
                self.conn.execute("ROLLBACK")
            except RuntimeError:
                pass  # the engine already rolled the failed transaction back
            raise
        self._written += len(tables.nodes["Paper"])
        if self._written >= RECYCLE_PAPERS:
            self._recycle()

    def _set_metadata(self, rows: list[dict]) -> None:
        if rows:
            self.conn.execute(f"UNWIND $rows AS r MATCH (p:Paper {{id: r.id}}) "
                              f"SET {', '.join(f'p.{key} = r.{key}' for key in METADATA)}", {"rows": rows})

    def _delete_papers(self, ids: list[str]) -> None:
        self.conn.execute("MATCH (:Method)-[b:BEATS]->(:Method) WHERE b.paper IN $ids DELETE b", {"ids": ids})
        for label in ("Comparison", "Result"):
            self.conn.execute(
                f"UNWIND $ids AS i MATCH (x:{label})-[:STATED_IN]->(p:Paper {{id: i}}) DETACH DELETE x",
                {"ids": ids},
            )
        self.conn.execute("UNWIND $ids AS i MATCH (p:Paper {id: i}) DETACH DELETE p", {"ids": ids})

    def _existing(self, label: str, keys: list[str]) -> pd.DataFrame:
        key = NODE_KEY[label]
        cols = ", ".join(f"n.{c} AS {c}" for c in NODE_COLUMNS[label])
        return self.cypher(f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN {cols}", {"keys": keys})

    def _copy_new(self, label: str, df: pd.DataFrame, stats: WriteStats) -> None:
        if df.empty:
            return
        key = NODE_KEY[label]
        existing = set(self._existing(label, list(df[key]))[key]) if label == "Repository" else set()
        new = df[~df[key].isin(existing)]
        if not new.empty:
            self._copy(label, new)
            stats.nodes_created[label] = stats.nodes_created.get(label, 0) + len(new)

    def _write_entities(self, plan: WritePlan, stats: WriteStats) -> None:
        for label in ENTITY_LABELS:
            new = plan.tables.nodes[label]
            if not new.empty:
                self._copy(label, new)
                stats.nodes_created[label] = stats.nodes_created.get(label, 0) + len(new)
            updates = plan.entity_updates.get(label)
            if updates is not None and not updates.empty:
                cols = [c for c in NODE_COLUMNS[label] if c != "key"]
                self.conn.execute(f"UNWIND $rows AS r MATCH (n:{label} {{key: r.key}}) "
                                  f"SET {', '.join(f'n.{c} = r.{c}' for c in cols)}", {"rows": plain_rows(updates)})
        self._write_alias_index(plan.alias_index)
        self._remove_curated(plan)

    def _remove_curated(self, plan: WritePlan) -> None:
        """A curation's removals (kg.curation): alias-index edges of split aliases, merged-away entities."""
        for label, df in plan.alias_removals.items():
            if not df.empty:
                rows = [{"alias": a, "key": k} for a, k in zip(df["from"], df["to"])]
                self.conn.execute(f"UNWIND $rows AS r MATCH (:{ALIAS_LABEL} {{key: r.alias}})-[x:{ALIAS_REL}]->"
                                  f"(n:{label} {{key: r.key}}) DELETE x", {"rows": rows})
        for label, keys in plan.entity_deletions.items():
            if keys:
                self.conn.execute(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) DETACH DELETE n", {"keys": keys})

    def _write_alias_index(self, pairs: dict[str, pd.DataFrame]) -> None:
        """Alias nodes for the keys not indexed yet, and one NAMES edge per new (key, entity)."""
        keys = sorted({k for df in pairs.values() for k in df["from"]})
        if not keys:
            return
        have = set(self.cypher(f"UNWIND $keys AS k MATCH (a:{ALIAS_LABEL} {{key: k}}) RETURN a.key AS key",
                               {"keys": keys})["key"])
        fresh = [k for k in keys if k not in have]
        if fresh:
            self._copy_via_file(ALIAS_LABEL, pd.DataFrame({"key": fresh}))
        for label, df in pairs.items():
            if not df.empty:
                self._copy_via_file(ALIAS_REL, df.reset_index(drop=True), f" (from='{ALIAS_LABEL}', to='{label}')")

    def _copy(self, label: str, frame: pd.DataFrame) -> None:
        frame = frame[NODE_COLUMNS[label]].reset_index(drop=True).copy()
        for col in frame.columns:
            if _TYPES.get(col, "STRING") == "STRING":
                # a column of missing values arrives as float NaN, which COPY would store as "nan"
                frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        self._copy_via_file(label, frame)

    def _copy_edges(self, rel: str, src: str, dst: str, df: pd.DataFrame) -> None:
        frame = df[["from", "to", *REL_PROPERTIES.get(rel, [])]].reset_index(drop=True)
        multi = sum(1 for r, _, _ in RELATIONSHIPS if r == rel) > 1
        self._copy_via_file(rel, frame, f" (from='{src}', to='{dst}')" if multi else "")

    def _copy_via_file(self, table: str, frame: pd.DataFrame, option: str = "") -> None:
        """COPY through a Parquet file: COPY from a DataFrame keeps memory it never releases
        (measured: +16 MB per 2,000 rows, growing with the corpus); from a file it stays flat."""
        if self._spool is None:
            self._spool = tempfile.mkdtemp(prefix="kg-copy-")
        path = os.path.join(self._spool, f"{table}.parquet")
        if "'" in path or "\\" in path:
            raise StoreError(f"temporary directory {self._spool!r} cannot be used by COPY; set TMPDIR")
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = _arrow_types()
        schema = pa.schema([(col, types[_TYPES.get(col, "STRING")]()) for col in frame.columns])
        pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), path)
        try:
            self.conn.execute(f"COPY {table} FROM '{path}'{option}")
        finally:
            os.unlink(path)
