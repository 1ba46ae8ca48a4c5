"""CSV files for ``neo4j-admin database import full``: headers, encoding, and a round trip.

No neo4j-admin runs here (no Neo4j installable); the files are read back with a parser that
follows neo4j-admin's rules (quoted fields, doubled quotes, multi-line fields, empty unquoted
field = no property, ``""`` = empty string, typed columns, arrays split on the array delimiter)
and compared with the graph tables they came from.
"""

from __future__ import annotations

import math
import shlex
import subprocess

import pandas as pd
import pytest

from kg.graph import (
    ALIAS_LABEL,
    ALIAS_REL,
    ENTITY_LABELS,
    NODE_COLUMNS,
    NODE_KEY,
    REL_PROPERTIES,
    RELATIONSHIPS,
    GraphTables,
)
from kg.stores.neo4j_import import ARRAY_DELIMITER, encode, export_store, write_import_csvs

MISSING = object()


def parse_csv(text: str) -> list[list[object]]:
    """Rows of fields; an unquoted empty field is MISSING, a quoted one the empty string."""
    rows, row, field, quoted, in_quotes, i = [], [], [], False, False, 0
    started = False
    while i < len(text):
        ch = text[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < len(text) and text[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                field.append(ch)
        elif ch == '"':
            in_quotes, quoted, started = True, True, True
        elif ch == ",":
            row.append("".join(field) if quoted or field else MISSING)
            field, quoted = [], False
        elif ch == "\n":
            row.append("".join(field) if quoted or field else MISSING)
            rows.append(row)
            row, field, quoted, started = [], [], False, False
        else:
            field.append(ch)
            started = True
        i += 1
    assert not in_quotes, "unterminated quoted field"
    if row or started:
        row.append("".join(field) if quoted or field else MISSING)
        rows.append(row)
    return rows


def convert(value, kind: str | None):
    if value is MISSING:
        return None
    if kind == "string[]":
        return value.split(ARRAY_DELIMITER)
    if kind == "boolean":
        assert value in ("true", "false")
        return value == "true"
    if kind == "long":
        return int(value)
    if kind == "double":
        return float(value)
    return value


def read_import_dir(files) -> tuple[GraphTables, dict]:
    """Graph tables back from the CSVs, plus each file's header."""
    tables, headers = GraphTables(), {}
    for path in files.nodes:
        header, *rows = parse_csv(path.read_text(encoding="utf-8"))
        headers[path.name] = header
        names = [h.split(":")[0] for h in header[:-1]]
        kinds = [h.split(":")[1] if ":" in h and "(" not in h else None for h in header[:-1]]
        label = path.stem
        assert all(r[-1] == label for r in rows)
        tables.nodes[label] = pd.DataFrame([[convert(v, k) for v, k in zip(r[:-1], kinds)] for r in rows],
                                           columns=names)
    for path in files.relationships:
        header, *rows = parse_csv(path.read_text(encoding="utf-8"))
        headers[path.name] = header
        rel, src, dst = path.stem.split("__")
        props = REL_PROPERTIES.get(rel, [])
        assert all(r[-1] == rel for r in rows)
        tables.edges[(rel, src, dst)] = pd.DataFrame([[convert(v, None) for v in r[:-1]] for r in rows],
                                                     columns=["from", "to", *props])
    return tables, headers


def _cells(df: pd.DataFrame) -> list[tuple]:
    def plain(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, (list, tuple)) or (hasattr(v, "tolist") and not isinstance(v, str)):
            v = list(v)
            return tuple(v) if v else None  # an empty array is written as "no property"
        return v.item() if hasattr(v, "item") else v

    return sorted((tuple(plain(v) for v in row) for row in df.itertuples(index=False, name=None)), key=repr)


def tricky_tables(sample_tables) -> GraphTables:
    """The sample plus values that break naive CSV writers."""
    t = GraphTables(nodes={k: v.copy() for k, v in sample_tables.nodes.items()}, edges=dict(sample_tables.edges))
    papers = t.nodes["Paper"]
    papers.loc[0, "title"] = 'A "quoted", comma\'d title\nwith a newline and a tab\t and \\ backslash'
    papers.loc[1, "url"] = None
    papers.loc[2, "date"] = ""
    methods = t.nodes["Method"]
    methods.at[0, "aliases"] = ["semi;colon", "com,ma", 'qu"ote', "unit\x1fsep"]
    return t


def test_headers_follow_neo4j_admin(tmp_path, sample_tables):
    files = write_import_csvs(sample_tables, tmp_path)
    _, headers = read_import_dir(files)
    assert headers["Paper.csv"] == ["id:ID(Paper)", "title", "abstract", "date", "url", "source", "arxiv_id", "doi",
                                    "hash", ":LABEL"]
    assert headers["Method.csv"] == ["key:ID(Method)", "name", "aliases:string[]", "keys:string[]", ":LABEL"]
    assert headers["Metric.csv"][-2:] == ["higher_is_better:boolean", ":LABEL"]
    assert headers["Comparison.csv"] == ["id:ID(Comparison)", "delta", "vs_sota:boolean", "sentence",
                                         "start_char:long", "end_char:long", "confidence:double", "component",
                                         ":LABEL"]
    assert headers["Result.csv"][1] == "value:double"
    assert headers["Repository.csv"][0] == "url:ID(Repository)"
    assert headers["PROPOSES__Paper__Method.csv"] == [":START_ID(Paper)", ":END_ID(Method)", ":TYPE"]
    assert headers["BEATS__Method__Method.csv"] == [":START_ID(Method)", ":END_ID(Method)", "comparison", "paper",
                                                    "dataset", ":TYPE"]
    assert headers["Alias.csv"] == ["key:ID(Alias)", ":LABEL"]
    assert headers["NAMES__Alias__Dataset.csv"] == [":START_ID(Alias)", ":END_ID(Dataset)", ":TYPE"]
    assert {p.stem for p in files.nodes} == {*NODE_COLUMNS, ALIAS_LABEL}
    assert {tuple(p.stem.split("__")) for p in files.relationships} == \
        {*RELATIONSHIPS, *((ALIAS_REL, ALIAS_LABEL, label) for label in ENTITY_LABELS)}


def test_alias_index_files_name_every_key_of_every_entity(tmp_path, sample_tables):
    back, _ = read_import_dir(write_import_csvs(sample_tables, tmp_path))
    assert back.nodes[ALIAS_LABEL]["key"].is_unique
    for label in ENTITY_LABELS:
        named = set(zip(back.edges[(ALIAS_REL, ALIAS_LABEL, label)]["from"], back.edges[(ALIAS_REL, ALIAS_LABEL, label)]["to"]))
        df = sample_tables.nodes[label]
        assert named == {(k, key) for key, keys in zip(df["key"], df["keys"]) for k in {*keys, key}}, label


def test_csvs_read_back_as_the_same_tables(tmp_path, sample_tables):
    tables = tricky_tables(sample_tables)
    files = write_import_csvs(tables, tmp_path)
    back, _ = read_import_dir(files)
    expected_aliases = ["semi;colon", "com,ma", 'qu"ote', "unit sep"]  # U+001F cannot survive
    tables.nodes["Method"].at[0, "aliases"] = expected_aliases
    for label in NODE_COLUMNS:
        assert _cells(back.nodes[label]) == _cells(tables.nodes[label]), label
    for spec in RELATIONSHIPS:
        assert _cells(back.edges[spec]) == _cells(tables.edges[spec]), spec
    assert back.nodes["Paper"].loc[back.nodes["Paper"]["id"] == tables.nodes["Paper"]["id"][2], "date"].item() == ""
    assert files.rows["Paper"] == len(tables.nodes["Paper"])


def test_every_relationship_endpoint_is_a_node(tmp_path, sample_tables):
    """neo4j-admin drops (or fails on) relationships whose ends are not in the node files."""
    back, _ = read_import_dir(write_import_csvs(sample_tables, tmp_path))
    key_of = {**NODE_KEY, ALIAS_LABEL: "key"}
    ids = {label: set(df[key_of[label]]) for label, df in back.nodes.items()}
    for label, df in back.nodes.items():
        assert df[key_of[label]].is_unique, label
    for (rel, src, dst), df in back.edges.items():
        assert set(df["from"]) <= ids[src], (rel, src)
        assert set(df["to"]) <= ids[dst], (rel, dst)


def test_import_script_runs_the_documented_command(tmp_path, sample_tables):
    files = write_import_csvs(sample_tables, tmp_path / "out")
    script = files.script.read_text()
    assert script.startswith("#!/bin/sh\n")
    fake = tmp_path / "neo4j-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    proc = subprocess.run(["sh", str(files.script), "kgdb"], env={"NEO4J_ADMIN": str(fake), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    args = proc.stdout.splitlines()
    assert args[:4] == ["database", "import", "full", "kgdb"]
    assert "--array-delimiter=U+001F" in args and "--multiline-fields=true" in args
    assert "--legacy-style-quoting=false" in args
    assert [a for a in args if a.startswith("--nodes=")] == [f"--nodes=nodes/{p.name}" for p in files.nodes]
    assert len([a for a in args if a.startswith("--relationships=")]) == len(RELATIONSHIPS) + len(ENTITY_LABELS)
    assert files.command("neo4j")[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    shlex.split(" ".join(files.command("neo4j")))


def test_export_from_a_built_store(tmp_path, ladybug_sample, sample_tables):
    files = export_store(ladybug_sample, tmp_path)
    back, _ = read_import_dir(files)
    for label in NODE_COLUMNS:
        assert _cells(back.nodes[label]) == _cells(sample_tables.nodes[label]), label


@pytest.mark.parametrize("value, kind, field", [
    (None, None, ""), ("", None, '""'), ('a"b', None, '"a""b"'), (float("nan"), "double", ""),
    (True, "boolean", "true"), (3, "long", "3"), (0.5, "double", "0.5"), ([], "string[]", ""),
    (["a", "b"], "string[]", '"a\x1fb"'), (None, "string[]", ""),
])
def test_field_encoding(value, kind, field):
    assert encode(value, kind) == field
