"""User strings never change a query's structure: they travel as parameters, come back intact,
and no query text in the code is built from user values."""

import ast
import re

import pytest
from conftest import ROOT

import kg
from kg.graph import build_tables
from kg.models import Comparison, Extraction, Mention, Paper
from kg.stores.ladybug import LadybugStore

EVIL = [
    'Evil"Net', "O'Reilly-Net", "Back\\slash\\Net", "{brace}Net", "}) DETACH DELETE n //",
    '" } ; DROP', "> } INSERT DATA { <a> <b> <c> }", "new\nline", "\\u0041 esc", "🚀-Net",
    "'; MATCH (n) DETACH DELETE n; //",
]


def evil_extraction(i: int, name: str) -> Extraction:
    paper = Paper(id=f"evil-{i}", title=f"{name}: a paper", abstract=f"{name} outperforms ResNet-50 on ImageNet.")
    ex = Extraction(paper=paper, methods_proposed=[name], methods=["ResNet-50"], datasets=["ImageNet"])
    ex.mentions = [Mention(text=name, label="METHOD", start=0, end=len(name), key=f"evil{i}", name=name)]
    ex.comparisons = [Comparison(winner=name, loser="ResNet-50", dataset="ImageNet", metric=None, delta=None,
                                 sentence=paper.abstract, start=len(paper.title) + 1, end=len(paper.text),
                                 confidence=0.9)]
    return ex


@pytest.fixture
def evil_store(tmp_path):
    path = tmp_path / "store"
    with LadybugStore(path) as store:
        store.write(build_tables([evil_extraction(i, n) for i, n in enumerate(EVIL)]))
    return path


def test_hostile_names_are_stored_and_returned_intact(evil_store):
    with kg.open(str(evil_store)) as g:
        before = g.stats()
        names = set(g.cypher("MATCH (m:Method) RETURN m.name AS name")["name"])
        assert set(EVIL) <= names
        for name in EVIL:
            rows = g.cypher("MATCH (m:Method {name: $name}) RETURN m.name AS name", name=name)
            assert rows["name"].tolist() == [name]
            g.methods_beating(name, name)  # as canned-query parameters: no error, no effect
            g.query("method_profile", method=name)
        assert g.stats() == before
        winners = set(g.methods_beating("ResNet-50", "ImageNet")["winner"])
    assert set(EVIL) <= winners


def test_hostile_parameters_in_the_cli(evil_store):
    import json

    from test_contract import run_kg

    for name in EVIL:
        proc = run_kg("cypher", "--store", str(evil_store), "-p", f"x={json.dumps(name)}", "-e",
                      "MATCH (m:Method) WHERE m.name = $x RETURN m.name AS name", "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert [row["name"] for row in json.loads(proc.stdout)] == [name]
    proc = run_kg("stats", "--store", str(evil_store), "--format", "json")
    assert json.loads(proc.stdout)["Method"] == len(EVIL) + 1  # nothing deleted, nothing added


# Names that may appear inside query text: schema identifiers from our own model constants.
ALLOWED = {"label", "rel", "src", "dst", "key", "cols", "returns", "extra", "defs", "option", "props",
           "fromto", "skey", "dkey", "ident", "graph", "prop", "tail", "head", "self", "i", "n", "k",
           "where", "order", "prefixes", "var", "field", "col", "c", "name", "p", "kind", "pattern",
           "cond", "conds", "chain", "match", "limit", "table",
           "path"}  # path: a file kg creates in its own temporary folder (COPY needs a literal)
QUERY_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|DELETE|UNWIND|COPY|SELECT|INSERT|CONSTRUCT|WHERE|SET)\b")


def _root(node: ast.AST) -> str:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def test_no_query_text_is_built_from_user_values():
    offenders = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            lowered = literal.lower()
            if not QUERY_WORDS.search(literal) or any(w in lowered for w in ("error", "usage", "get ", "curl")):
                continue
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    expr = ast.unparse(part.value)
                    root = _root(part.value)
                    constant = root.isupper()  # NODE_KEY[src], RELATIONSHIPS: our own model constants
                    if (root not in ALLOWED and not constant and root not in {"_ident", "len", "str", "int"}
                            and not expr.startswith("', '.join")):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {{{expr}}}")
    assert not offenders, "\n".join(offenders)


def test_queries_files_use_parameters_only():
    for path in (ROOT / "kg" / "queries" / "cypher").glob("*.cypher"):
        text = path.read_text()
        assert "{{" not in text and "%s" not in text and "format(" not in text, path
        assert "$" in text or "top_datasets" in path.name, path
