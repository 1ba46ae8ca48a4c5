"""Hostile input: a record is either kept or skipped with a ``file:line`` warning, never the
end of a build; special files are not read from directories; standard input says how it was
read; records of one id with different texts settle on the same winner in any order or run."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.ingest import IngestReport, read_papers
from kg.integrity import ntriples_hash, store_hash
from kg.stores.ladybug import LadybugStore


def read(paths) -> tuple[list, IngestReport]:
    report = IngestReport()
    return list(read_papers([str(p) for p in paths], report=report)), report


def lines(path: Path, *records: object) -> Path:
    """A JSON Lines file: dicts as JSON, str and bytes as they are (one line each)."""
    out = b""
    for r in records:
        if isinstance(r, dict):
            r = json.dumps(r)
        out += (r if isinstance(r, bytes) else r.encode("utf-8", "surrogatepass")) + b"\n"
    path.write_bytes(out)
    return path


def good(i: int) -> dict:
    return {"id": f"good-{i}", "title": f"HieraNet{i}: hierarchical vision transformers",
            "abstract": f"HieraNet{i} outperforms ResNet-50 on ImageNet by {i}.5% top-1 accuracy."}


def build_into(store: Path, inputs: list, **kw):
    with LadybugStore(store) as s:
        return build([str(x) for x in inputs], s, workers=1, **kw)


def stored(store: Path, statement: str) -> list[dict]:
    with LadybugStore(store, read_only=True) as s:
        return s.cypher(statement).to_dict(orient="records")


def graph_hashes(store: Path) -> tuple[str, str]:
    """What ``kg stats --hash`` prints (graph_sha256, ntriples_sha256)."""
    with LadybugStore(store, read_only=True) as s:
        return store_hash(s), ntriples_hash(s)


# -- part 3: one bad record never aborts the build --------------------------------------------
def test_lone_surrogates_become_u_fffd_and_the_records_are_kept(tmp_path):
    path = lines(tmp_path / "s.jsonl", good(0),
                 r'{"id": "s1", "title": "Bad \ud800 title", "abstract": "SurNet beats BERT."}',
                 r'{"id": "s2", "title": "T", "abstract": "An abstract \udfff with one."}',
                 r'{"id": "s\ud83d", "title": "T3", "abstract": "Third one."}',
                 good(1))
    summary = build_into(tmp_path / "store", [path])
    assert summary.report.papers == 5 and summary.report.skipped == 0
    rows = {r["id"]: r for r in stored(tmp_path / "store", "MATCH (p:Paper) RETURN p.id AS id, "
                                                           "p.title AS title, p.abstract AS abstract")}
    assert set(rows) == {"good-0", "good-1", "s1", "s2", "s\ufffd"}
    assert rows["s1"]["title"] == "Bad \ufffd title"
    assert rows["s2"]["abstract"] == "An abstract \ufffd with one."


def test_a_file_name_that_is_not_utf8_is_stored_with_u_fffd(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines(Path(os.fsdecode(os.path.join(os.fsencode(folder), b"\xffname.jsonl"))), good(0))
    build_into(tmp_path / "store", [folder])
    [row] = stored(tmp_path / "store", "MATCH (p:Paper) RETURN p.source AS source")
    assert row["source"] == f"{folder}/\ufffdname.jsonl:1"


def test_a_5000_digit_integer_skips_only_its_record(tmp_path):
    huge = "9" * 5000
    jsonl = lines(tmp_path / "big.jsonl", good(0), '{"id": "b", "title": "B", "abstract": "A.", "n": '
                  + huge + "}", good(1))
    array = tmp_path / "big.json"
    array.write_text(f'[{json.dumps(good(2))}, {{"id": "c", "abstract": "A.", "n": {huge}}}, '
                     f"{json.dumps(good(3))}]")
    summary = build_into(tmp_path / "store", [jsonl, array])
    assert summary.report.papers == 4 and summary.report.skipped == 2
    message = "not valid JSON: a number of more than 4,300 digits"
    assert (f"{jsonl}:2", message) in summary.report.warnings
    assert (f"{array}:1", message) in summary.report.warnings


def test_a_changed_paper_that_gains_a_date_is_stored_and_re_runs_succeed(tmp_path):
    v1 = lines(tmp_path / "v1.jsonl", {"id": "p", "title": "AlphaSeg", "abstract": "AlphaSeg beats DETR."})
    v2 = lines(tmp_path / "v2.jsonl", {"id": "p", "title": "AlphaSeg", "date": "2024-01-02",
                                       "abstract": "AlphaSeg outperforms Mask R-CNN on ADE20K."})
    build_into(tmp_path / "store", [v1])
    for _ in range(2):  # the stored twin has no date: NaN from the store met a string
        build_into(tmp_path / "store", [v2])
    [row] = stored(tmp_path / "store", "MATCH (p:Paper) RETURN p.date AS date, p.abstract AS abstract")
    assert row == {"date": "2024-01-02", "abstract": "AlphaSeg outperforms Mask R-CNN on ADE20K."}


# -- part 4: one bad element, standard input, special files -----------------------------------
def test_a_deeply_nested_element_in_a_one_line_array_skips_only_itself(tmp_path):
    path = tmp_path / "deep.json"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(f"[{json.dumps(good(0))}, {deep}, {{\"x\": {deep}}}, {json.dumps(good(1))}]")
    papers, report = read([path])
    assert [p.id for p in papers] == ["good-0", "good-1"]
    assert report.warnings == [(f"{path}:1", "not valid JSON: nested too deeply")] * 2


def test_concatenated_values_on_one_line_skip_only_the_bad_one(tmp_path):
    path = tmp_path / "values.json"
    path.write_text(f'{json.dumps(good(0))} {{"id": oops, "s": "}}"}} {json.dumps(good(1))}')
    papers, report = read([path])
    assert [p.id for p in papers] == ["good-0", "good-1"]
    assert report.warnings == [(f"{path}:1", "not valid JSON: Expecting value")]


def test_a_jsonl_file_whose_first_line_is_an_array_is_still_json_lines(tmp_path):
    path = lines(tmp_path / "a.jsonl", "[1, 2]", good(0), good(1))
    papers, report = read([path])
    assert [p.id for p in papers] == ["good-0", "good-1"]
    assert report.warnings == [(f"{path}:1", "not a JSON object (got array)")]


def set_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_json_lines_after_a_bad_first_line_are_read_as_json_lines(monkeypatch):
    body = b"garbage, not JSON\n" + b"".join(json.dumps(good(i)).encode() + b"\n" for i in range(3))
    set_stdin(monkeypatch, body)
    papers, report = read(["-"])
    assert [p.id for p in papers] == ["good-0", "good-1", "good-2"]
    assert report.warnings == [
        ("<stdin>", "read as JSON Lines (the first line is not JSON, most lines after it are)"),
        ("<stdin>:1", "not valid JSON: Expecting value"),
    ]


def test_stdin_says_how_it_was_read(monkeypatch):
    set_stdin(monkeypatch, json.dumps(good(0)).encode())
    _, report = read(["-"])
    assert report.warnings == [("<stdin>", "read as JSON (it starts with '{')")]
    set_stdin(monkeypatch, b"Plain words, not a page\n\nNor anything else.\n")
    papers, report = read(["-"])  # a title and a paragraph, as far as a page goes: now it shows
    assert [p.title for p in papers] == ["Plain words, not a page"]
    assert report.warnings[0] == (
        "<stdin>", "read as Hugging Face daily-papers page text (it does not start with '{' or '[')")


def test_a_named_pipe_in_a_directory_is_skipped_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines(folder / "a.jsonl", good(0))
    os.mkfifo(folder / "pipe.jsonl")  # no writer: opening it for reading would wait for ever
    script = ("import sys; from kg.ingest import read_papers, IngestReport; r = IngestReport(); "
              "ids = [p.id for p in read_papers([sys.argv[1]], report=r)]; print((ids, r.warnings))")
    proc = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(
        (["good-0"], [(str(folder / "pipe.jsonl"), "file skipped: not a regular file (a named pipe)")]))


def test_a_device_named_as_an_input_is_refused(tmp_path):
    from kg.errors import UsageError

    (tmp_path / "null.jsonl").symlink_to("/dev/null")
    with pytest.raises(UsageError, match="it is a character device, not a file"):
        read([tmp_path / "null.jsonl"])


# -- part 8: one winner among records of one id -----------------------------------------------
SHORT = {"id": "p", "title": "AlphaSeg", "abstract": "AlphaSeg beats DETR on COCO.", "date": "2024-05-05"}
LONG = {"id": "p", "title": "AlphaSeg", "abstract": "AlphaSeg outperforms Mask R-CNN on ADE20K by 2%.",
        "url": "https://example.org/b"}
SAME_LENGTH = {"id": "p", "title": "AlphaSeg", "abstract": "AlphaSeg outperforms Mask R-CNN on ADE20K by 3%.",
               "date": "2021-01-01"}


@pytest.mark.parametrize("plan", [
    "abc", "cba", "bac", "a|b|c", "c|b|a", "b|a|c", "ab|c|ba", "c|ab|c",
])
def test_one_text_wins_whatever_the_order_or_runs(tmp_path, plan):
    from kg.build import text_rank

    files = {k: lines(tmp_path / f"{k}.jsonl", rec) for k, rec in zip("abc", (SHORT, LONG, SAME_LENGTH))}
    for run in plan.split("|"):
        build_into(tmp_path / "store", [files[k] for k in run])
    [row] = stored(tmp_path / "store", "MATCH (p:Paper) RETURN p.abstract AS abstract, p.date AS date, "
                                       "p.url AS url")
    # the longest abstract wins; LONG and SAME_LENGTH tie on length: the greater text hash decides
    winner = max((LONG, SAME_LENGTH), key=lambda r: text_rank(r["title"], r["abstract"]))
    assert row["abstract"] == winner["abstract"]
    assert row["date"] == "2021-01-01" and row["url"] == "https://example.org/b"  # all metadata merges


def test_duplicates_within_one_file_settle_on_the_same_winner(tmp_path):
    rows = []
    for name, order, said in (("fwd", (SHORT, LONG), "this one replaces it"),
                              ("rev", (LONG, SHORT), "that one is kept")):
        path = lines(tmp_path / f"{name}.jsonl", *order)
        summary = build_into(tmp_path / name, [path])
        rows.append(stored(tmp_path / name, "MATCH (p:Paper) RETURN p.abstract AS a, p.date AS d"))
        assert summary.report.duplicates == 1
        [(source, message)] = summary.report.warnings  # the later record, by file and line
        assert source == f"{path}:2" and said in message
    assert rows[0] == rows[1] == [{"a": LONG["abstract"], "d": "2024-05-05"}]


def test_metadata_of_duplicates_merges_into_both_stores(tmp_path):
    from kg.stores.oxigraph import OxigraphStore
    from kg.stores.tee import TeeStore

    late = lines(tmp_path / "late.jsonl", {**SHORT, "date": "2024-05-05"})
    early = lines(tmp_path / "early.jsonl", {**SHORT, "date": "2021-01-01"})
    store = tmp_path / "store"
    with LadybugStore(store) as graph, OxigraphStore(store) as rdf:
        build([str(late), str(early)], TeeStore(graph, rdf), workers=1)
        dates = rdf.sparql("SELECT ?d WHERE { ?p <http://purl.org/dc/terms/issued> ?d }")["d"].tolist()
        assert dates == ["2021-01-01"]
        assert graph.cypher("MATCH (p:Paper) RETURN p.date AS d")["d"].tolist() == ["2021-01-01"]


# -- the property: hostile records among good ones ---------------------------------------------
GOOD = [good(i) for i in range(4)]
SLOTS = 3  # junk lines between good lines: good records keep their line numbers in every example

_NASTY = st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\x85", "\u2028", "\ufeff", "\u202e",
                          "{", "}", "[", "]", '"', "\\", ",", ":", "\r", "\t"])
# (st.text would drop the surrogates: build the strings from characters)
UNICODE = st.lists(st.one_of(st.characters(), _NASTY), max_size=40).map("".join)
# JSON values that can never be a paper (no abstract) but may hold any of the above
KEYS = UNICODE.filter(lambda k: k not in ("abstract", "summary", "paper"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | UNICODE,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
JSON_TEXT = st.builds(lambda v, ascii_: json.dumps(v, ensure_ascii=ascii_), JSON_VALUES, st.booleans())
BALANCED = st.one_of(  # junk whose brackets balance: what a one-line array can skip
    JSON_TEXT,
    st.integers(1_000, 30_000).map(lambda n: "[" * n + "]" * n),
    st.integers(4_301, 6_000).map(lambda n: '{"id": "big", "n": ' + "7" * n + "}"),
    st.just('{"id": oops}'),
)
LINE_JUNK = st.one_of(
    st.binary(max_size=120).map(lambda b: b.replace(b"\n", b"")),
    UNICODE.map(lambda t: t.replace("\n", "").encode("utf-8", "surrogatepass")),
    BALANCED.map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def _write_inputs(folder: Path, line_junk: list[bytes], array_junk: list[str]) -> None:
    out = b""
    for i, record in enumerate(GOOD):
        out += json.dumps(record).encode() + b"\n"
        for slot in range(SLOTS):
            k = i * SLOTS + slot
            out += (line_junk[k] if k < len(line_junk) else b"") + b"\n"
    (folder / "papers.jsonl").write_bytes(out)
    # a one-line array: every element is at line 1, junk or not
    extra = [good(i + 10) for i in range(2)]
    elements = [json.dumps(extra[0]), *array_junk, json.dumps(extra[1])]
    (folder / "array.json").write_bytes(("[" + ", ".join(elements) + "]").encode("utf-8", "surrogatepass"))


def _build_in(folder: Path) -> IngestReport:
    with contextlib.chdir(folder):  # relative inputs: sources (file:line) equal across folders
        return build_into(Path("store"), ["papers.jsonl", "array.json"]).report


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("clean")
    _write_inputs(folder, [], [])
    report = _build_in(folder)
    assert report.papers == len(GOOD) + 2 and not report.warnings
    return graph_hashes(folder / "store")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(line_junk=st.lists(LINE_JUNK, max_size=len(GOOD) * SLOTS),
       array_junk=st.lists(BALANCED, max_size=4))
def test_hostile_records_never_cost_a_good_one(line_junk, array_junk, clean_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    _write_inputs(folder, line_junk, array_junk)
    report = _build_in(folder)  # never raises
    assert report.papers == len(GOOD) + 2  # every good record, and no junk, is stored
    assert report.records == report.papers + report.duplicates + report.skipped
    for source, _ in report.warnings:
        assert source.startswith(("papers.jsonl", "array.json"))
    assert graph_hashes(folder / "store") == clean_build  # `kg stats --hash` of a clean build


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pid=UNICODE, title=UNICODE, abstract=UNICODE)
def test_any_unicode_in_a_record_is_kept_or_skipped_never_fatal(pid, title, abstract, tmp_path_factory):
    from kg.stores.oxigraph import OxigraphStore
    from kg.stores.tee import TeeStore

    folder = tmp_path_factory.mktemp("unicode")
    record = json.dumps({"id": pid, "title": title, "abstract": abstract}, ensure_ascii=True)
    path = lines(folder / "u.jsonl", good(0), record, good(1))
    with LadybugStore(folder / "store") as graph, OxigraphStore(folder / "store") as rdf:
        report = build([str(path)], TeeStore(graph, rdf), workers=1).report
        ids = set(graph.cypher("MATCH (p:Paper) RETURN p.id AS id")["id"])
    assert {"good-0", "good-1"} <= ids
    assert report.papers + report.duplicates + report.skipped == 3
    if report.skipped:
        assert report.warnings[-1][0] == f"{path}:2"
