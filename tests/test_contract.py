"""The extraction JSON Lines contract, produced by the real CLI on real files."""

import json
import subprocess
import sys

from conftest import ROOT

FIELDS = {"id", "title", "methods_proposed", "methods", "datasets", "datasets_proposed", "metrics",
          "tasks", "repos", "urls", "comparisons", "results", "mentions"}
COMPARISON = {"winner", "loser", "dataset", "metric", "delta", "sentence", "start", "end", "confidence"}
RESULT = {"method", "dataset", "metric", "value", "unit", "raw", "sentence", "start", "end", "confidence"}
MENTION = {"text", "label", "start", "end", "key"}


def run_kg(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT, **kw)


def test_extract_writes_the_contract(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({
        "id": "p1", "title": "HieraViT: Hierarchical vision transformers",
        "abstract": "We propose HieraViT. HieraViT outperforms ResNet-50 on ImageNet by 2.1% and reaches "
                    "81.2% top-1 accuracy on ImageNet. Code: github.com/lab/hieravit.",
    }) + "\n")
    out = tmp_path / "out.jsonl"
    proc = run_kg("extract", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    [rec] = [json.loads(line) for line in out.read_text().splitlines()]
    assert FIELDS <= set(rec)
    assert rec["id"] == "p1"
    assert rec["methods_proposed"] == ["HieraViT"]
    assert rec["repos"] == ["https://github.com/lab/hieravit"]
    text = rec["title"] + "\n" + json.loads(src.read_text())["abstract"]
    for c in rec["comparisons"]:
        assert COMPARISON <= set(c)
        assert text[c["start"]:c["end"]] == c["sentence"]
        assert 0 <= c["confidence"] <= 1
    for r in rec["results"]:
        assert RESULT <= set(r)
        assert isinstance(r["value"], float)
        assert 0 <= r["start"] < r["end"] <= len(text)
    for m in rec["mentions"]:
        assert MENTION <= set(m)
        assert text[m["start"]:m["end"]] == m["text"]
    assert {(c["winner"], c["loser"], c["dataset"]) for c in rec["comparisons"]} == {("HieraViT", "ResNet-50", "ImageNet")}


def test_extract_to_stdout_and_from_stdin():
    line = json.dumps({"id": "s1", "title": "A title", "abstract": "We use BERT on SQuAD."})
    proc = run_kg("extract", "-", "-o", "-", "--quiet", input=line + "\n")
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    assert rec["id"] == "s1" and "BERT" in rec["methods"] and "SQuAD" in rec["datasets"]
