"""Bulk export for first loads: CSV files for ``neo4j-admin database import full``.

``write_import_csvs(tables, out_dir)`` writes one node file per label and one relationship file
per (type, from label, to label), with neo4j-admin headers, and an ``import.sh`` holding the
exact command. Layout::

    out_dir/
      nodes/Paper.csv           id:ID(Paper),title,abstract,date,url,source,arxiv_id,doi,hash,:LABEL
      nodes/Method.csv          key:ID(Method),name,aliases:string[],keys:string[],:LABEL
      …
      relationships/PROPOSES__Paper__Method.csv   :START_ID(Paper),:END_ID(Method),:TYPE
      relationships/BEATS__Method__Method.csv     :START_ID(Method),:END_ID(Method),comparison,paper,dataset,:TYPE
      …
      nodes/Alias.csv           key:ID(Alias),:LABEL            (the alias index, from the entities' keys)
      relationships/NAMES__Alias__Method.csv      :START_ID(Alias),:END_ID(Method),:TYPE
      …
      import.sh

Encoding (RFC 4180 with neo4j-admin's rules):

- every string is quoted, inner ``"`` doubled (and ``--legacy-style-quoting=false``, the default,
  so a backslash before a quote is just a backslash); texts keep their newlines, so the command
  passes ``--multiline-fields=true``;
- a missing value is an empty *unquoted* field (no property); an empty string is ``""``;
- arrays (``string[]``) are joined with U+001F (the ASCII unit separator, which never occurs in
  our texts; it is removed from values if it does) and passed as ``--array-delimiter=U+001F``.
  An empty array is written as a missing value: the property is absent (reads give null, which
  kg's readers treat as an empty list);
- ID spaces are per label (``:ID(Paper)``), so keys only need to be unique within a label; the
  key column is also stored as the node's key property (``id``, ``key``, ``url``).

The graph is the one :class:`kg.stores.neo4j.Neo4jStore` writes (same labels, properties,
relationship types, BEATS properties, ``Paper.hash``), so incremental ``kg build --neo4j`` runs
can follow a bulk import. Create the constraints after the import (``ensure_schema``; the
store also does it on its first write).
"""

from __future__ import annotations

import math
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg.graph import (
    ALIAS_LABEL,
    ALIAS_REL,
    ENTITY_LABELS,
    NODE_COLUMNS,
    NODE_KEY,
    REL_PROPERTIES,
    GraphTables,
    alias_pairs,
)

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
TYPES = {
    "aliases": "string[]", "keys": "string[]", "higher_is_better": "boolean", "vs_sota": "boolean",
    "start_char": "long", "end_char": "long", "confidence": "double", "value": "double",
}


@dataclass
class ImportFiles:
    out_dir: Path
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    script: Path | None = None
    rows: dict[str, int] = field(default_factory=dict)

    def command(self, database: str = "neo4j", admin: str = "neo4j-admin", base: str | None = None) -> list[str]:
        """The neo4j-admin command line (file paths relative to ``base`` when given)."""
        def path(p: Path) -> str:
            return os.path.relpath(p, base) if base else str(p)

        return [admin, "database", "import", "full", database,
                *import_options(),
                *(f"--nodes={path(p)}" for p in self.nodes),
                *(f"--relationships={path(p)}" for p in self.relationships)]


def import_options() -> list[str]:
    # --legacy-style-quoting=false (the default since 4.x) makes \" an ordinary backslash + quote
    return [f"--array-delimiter={ARRAY_DELIMITER_OPTION}", "--multiline-fields=true",
            "--legacy-style-quoting=false", "--id-type=string"]


def node_header(label: str) -> list[str]:
    cols = NODE_COLUMNS[label]
    key = NODE_KEY[label]
    return [f"{key}:ID({label})" if c == key else _typed(c) for c in cols] + [":LABEL"]


def rel_header(rel: str, src: str, dst: str) -> list[str]:
    return [f":START_ID({src})", f":END_ID({dst})", *(_typed(p) for p in REL_PROPERTIES.get(rel, [])), ":TYPE"]


def _typed(col: str) -> str:
    t = TYPES.get(col)
    return f"{col}:{t}" if t else col


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def encode(value: object, kind: str | None = None) -> str:
    """One CSV field as neo4j-admin reads it (``kind`` is the header type, None for string)."""
    if kind == "string[]":
        if value is None or (not isinstance(value, (list, tuple)) and not hasattr(value, "tolist")):
            return ""
        items = [str(v).replace(ARRAY_DELIMITER, " ") for v in list(value) if not _missing(v)]
        return _quote(ARRAY_DELIMITER.join(items)) if items else ""
    if _missing(value):
        return ""
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "long":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    return _quote(str(value))


def _write_csv(path: Path, header: list[str], rows) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for fields in rows:
            f.write(",".join(fields) + "\n")
            n += 1
    return n


def write_import_csvs(tables: GraphTables, out_dir: str | os.PathLike, database: str = "neo4j",
                      force: bool = False, store: str | os.PathLike | None = None) -> ImportFiles:
    """Write the node and relationship CSVs and ``import.sh`` for a first load into Neo4j.

    As every directory export (kg.export_target): written beside ``out_dir`` and put in place by
    rename; a previous export there is replaced, a directory holding anything else refused
    unless ``force``, a kg store (``store`` included) never written to."""
    from kg.export_target import export_directory

    with export_directory(out_dir, "neo4j-import", force=force, store=store) as tmp:
        files = _write_import_files(tables, tmp, database)
    out = Path(out_dir)

    def moved(p: Path) -> Path:
        return out / p.relative_to(tmp)

    return ImportFiles(out_dir=out, nodes=[moved(p) for p in files.nodes],
                       relationships=[moved(p) for p in files.relationships],
                       script=moved(files.script) if files.script else None, rows=files.rows)


def _write_import_files(tables: GraphTables, out: Path, database: str) -> ImportFiles:
    (out / "nodes").mkdir(parents=True, exist_ok=True)
    (out / "relationships").mkdir(parents=True, exist_ok=True)
    files = ImportFiles(out_dir=out)
    for label, cols in NODE_COLUMNS.items():
        df = tables.nodes.get(label)
        if df is None:
            df = pd.DataFrame(columns=cols)
        key = NODE_KEY[label]
        df = df.drop_duplicates(subset=[key])
        kinds = [TYPES.get(c) for c in cols]
        rows = ([encode(v, k) for v, k in zip(row, kinds)] + [label]
                for row in df[cols].itertuples(index=False, name=None))
        path = out / "nodes" / f"{label}.csv"
        files.rows[label] = _write_csv(path, node_header(label), rows)
        files.nodes.append(path)
    for (rel, src, dst), df in tables.edges.items():
        props = REL_PROPERTIES.get(rel, [])
        cols = ["from", "to", *props]
        kinds = [None, None, *(TYPES.get(p) for p in props)]
        rows = ([encode(v, k) for v, k in zip(row, kinds)] + [rel]
                for row in df[cols].drop_duplicates().itertuples(index=False, name=None))
        path = out / "relationships" / f"{rel}__{src}__{dst}.csv"
        files.rows[f"{rel}({src}->{dst})"] = _write_csv(path, rel_header(rel, src, dst), rows)
        files.relationships.append(path)
    _write_alias_index(tables, out, files)
    files.script = out / "import.sh"
    files.script.write_text(import_script(files, database), encoding="utf-8")
    files.script.chmod(0o755)
    return files


def _write_alias_index(tables: GraphTables, out: Path, files: ImportFiles) -> None:
    """The alias index the canned queries start from (kg.graph): one Alias node per key, one
    NAMES relationship per (key, entity)."""
    pairs = {}
    for label in ENTITY_LABELS:
        df = tables.nodes.get(label)
        if df is not None and not df.empty:
            pairs[label] = alias_pairs(label, df)
    keys = sorted({k for df in pairs.values() for k in df["from"]})
    path = out / "nodes" / f"{ALIAS_LABEL}.csv"
    files.rows[ALIAS_LABEL] = _write_csv(path, [f"key:ID({ALIAS_LABEL})", ":LABEL"],
                                         ([encode(k), ALIAS_LABEL] for k in keys))
    files.nodes.append(path)
    for label, df in pairs.items():
        path = out / "relationships" / f"{ALIAS_REL}__{ALIAS_LABEL}__{label}.csv"
        rows = ([encode(a), encode(k), ALIAS_REL] for a, k in df[["from", "to"]].itertuples(index=False, name=None))
        files.rows[f"{ALIAS_REL}({ALIAS_LABEL}->{label})"] = _write_csv(
            path, [f":START_ID({ALIAS_LABEL})", f":END_ID({label})", ":TYPE"], rows)
        files.relationships.append(path)


def import_script(files: ImportFiles, database: str = "neo4j") -> str:
    """A POSIX shell script running the import from the directory it lives in."""
    args = files.command(database, base=str(files.out_dir))[5:]
    lines = ['"${NEO4J_ADMIN:-neo4j-admin}" database import full "$DB" \\']
    lines += [f"  {_shell_arg(a)} \\" for a in args]
    lines[-1] = lines[-1][:-2]
    return "\n".join([
        "#!/bin/sh",
        "# Generated by kg: bulk-load this graph into a new, empty Neo4j 5 database with neo4j-admin",
        "# (run it where Neo4j is installed, with the database stopped or not yet created):",
        f"#   NEO4J_ADMIN=/path/to/neo4j/bin/neo4j-admin ./import.sh [DATABASE]    (default {database})",
        "# Then start Neo4j and create kg's constraints: kg neo4j schema --neo4j bolt://HOST:7687",
        "# (any kg build --neo4j also creates them). To replace an existing database, add",
        "# --overwrite-destination=true to the command below.",
        "set -eu",
        'cd "$(dirname "$0")"',
        f'DB="${{1:-{database}}}"',
        *lines,
        "",
    ])


def _shell_arg(arg: str) -> str:
    opt, sep, value = arg.partition("=")
    return f"{opt}={shlex.quote(value)}" if sep else shlex.quote(arg)


def export_store(store, out_dir: str | os.PathLike, database: str = "neo4j", force: bool = False) -> ImportFiles:
    """CSV files for neo4j-admin from a built store (anything with ``.cypher``, e.g. LadybugStore)."""
    from kg.rdf.from_store import read_tables

    return write_import_csvs(read_tables(store), out_dir, database, force=force,
                             store=getattr(store, "path", None))
