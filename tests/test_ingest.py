"""Tests for kg.ingest: every input format, ids, dates, cleaning, bad records, errors."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError, UsageError
from kg.ingest import IngestReport, read_papers, text
from kg.ingest.records import normalize_date, normalize_title, title_id

DATA = Path(__file__).parent / "data" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def read(paths, **kwargs) -> tuple[list, IngestReport]:
    report = IngestReport()
    papers = list(read_papers([str(p) for p in paths], report=report, **kwargs))
    return papers, report


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join(line if isinstance(line, bytes) else line.encode() for line in lines))
    return path


def jline(**fields) -> str:
    return json.dumps(fields) + "\n"


def gzip_copy(source: Path, target: Path) -> Path:
    with open(source, "rb") as raw, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(raw, packed)
    return target


def no_year(line: str, date: str) -> str:
    return (f"the page date '{line}' has no year: its papers are dated {date}, which kg plot trends "
            "cannot place; give the year with --page-year YEAR (or KG_PAGE_YEAR), or a file name with "
            "the date (2024-03-21.txt)")


def set_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# ---------------------------------------------------------------------------- JSON Lines


def test_jsonl_fields_aliases_and_sources():
    papers, report = read([DATA / "papers.jsonl"])
    source = str(DATA / "papers.jsonl")
    assert [p.id for p in papers] == [
        "2403.12345",
        "7",
        "2401.00001",
        "cs/0112017",
        title_id("Untitled Workshop Paper: No Ids At All"),
    ]
    first, second, third, fourth, fifth = papers
    assert first.title == "Attention Is Enough"
    assert first.url == "https://arxiv.org/abs/2403.12345"
    assert first.date == "2024-03-21"
    assert first.source == f"{source}:1"
    assert second.title == "Graph Networks for Molecules"  # whitespace collapsed
    assert second.abstract == "We study GNNs on QM9 and report MAE."  # from "summary"
    assert second.date == "2024-03-21"  # from "published", a timestamp
    assert third.date == "2024-03-21"  # from "update_date", RFC 2822
    assert third.url == "https://arxiv.org/abs/2401.00001"  # made from arxiv_id
    assert fourth.date == "2002-01"
    assert fourth.url == "https://arxiv.org/pdf/cs/0112017v1.pdf"  # kept as given
    assert fifth.date is None and fifth.url is None
    assert fifth.source == f"{source}:5"
    assert (report.files, report.records, report.papers, report.skipped) == (1, 5, 5, 0)
    assert report.warnings == []


def test_arxiv_oai_snapshot_lines():
    papers, _ = read([DATA / "arxiv_oai.jsonl"])
    assert [p.id for p in papers] == ["0704.0001", "math/0406594"]
    assert papers[0].title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert papers[0].abstract.startswith("A fully differential calculation in perturbative")
    assert "  " not in papers[0].abstract and "\n" not in papers[0].abstract
    assert papers[0].date == "2008-11-13"
    assert papers[0].url == "https://arxiv.org/abs/0704.0001"
    assert papers[1].title == "An old-style identifier"


BAD_LINES = [
    (jline(id="g1", title="Good One", abstract="Fine."), None),
    ('{"id": "b1", "title": "x" "abstract": "y"}\n', "not valid JSON: Expecting ',' delimiter"),
    ('{"id": "b2", "title": "Truncated', "not valid JSON: Unterminated string starting at"),
    ("[1, 2, 3]\n", "not a JSON object (got array)"),
    ("42\n", "not a JSON object (got number)"),
    ('"just a string"\n', "not a JSON object (got string)"),
    (jline(id="g3", abstract="No title."), "a paper without a title is kept"),
    (jline(id="b4", title="No abstract"), "missing 'abstract'"),
    (jline(id="g4", title="   ", abstract="Blank title."), None),
    (jline(id="b6", title="Blank abstract", abstract=" \t\n "), "empty 'abstract'"),
    (jline(id="b7", title=12345, abstract="Numeric title."), "'title' is not a string (got number)"),
    (jline(id="b8", title="Null abstract", abstract=None), "'abstract' is not a string (got null)"),
    (jline(id="b9", title="List abstract", abstract=["a", "b"]), "'abstract' is not a string (got array)"),
    (jline(id=["b10"], title="List id", abstract="An id must be a string or number."), "'id' is not a string or number (got array)"),
    ("[" * 100_000 + "\n", "not valid JSON: nested too deeply"),
    (jline(id=99, title="Numeric Id", abstract="Numbers in id are fine."), None),
    ("\n", None),
    (jline(id="g2", title="Good Two", abstract="Also fine."), None),
]  # fmt: skip


def test_each_bad_record_is_reported_with_its_line_and_skipped(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [line for line, _ in BAD_LINES]
    lines[2] += "\n"  # the truncated record still ends its line
    write_lines(path, lines)
    heard: list[tuple[str, str]] = []
    papers, report = read(
        [path], on_warning=lambda source, message: heard.append((source, message))
    )
    assert [p.id for p in papers] == ["g1", "g3", "g4", "99", "g2"]
    assert [p.title for p in papers] == ["Good One", "", "", "Numeric Id", "Good Two"]
    assert [p.source for p in papers] == [f"{path}:1", f"{path}:7", f"{path}:9", f"{path}:16", f"{path}:18"]
    expected = [(f"{path}:{n}", message) for n, (_, message) in enumerate(BAD_LINES, 1) if message]
    assert [(s, m[: len(e)]) for (s, m), (_, e) in zip(report.warnings, expected)] == expected
    assert len(report.warnings) == len(expected)
    assert heard == report.warnings
    assert report.records == 17  # the blank line is not a record
    assert (report.papers, report.skipped, report.duplicates) == (5, 12, 0)
    assert report.records == report.papers + report.skipped + report.duplicates


def test_record_too_large(tmp_path):
    path = write_lines(
        tmp_path / "big.jsonl",
        [
            jline(id="huge", title="Huge", abstract="x" * 1_000_000),
            jline(id="ok", title="Fine", abstract="Small enough."),
        ],
    )
    papers, report = read([path])
    assert [p.id for p in papers] == ["ok"]
    assert report.warnings == [
        (f"{path}:1", "record too large: 1,000,004 characters (limit 100,000)")
    ]


def test_line_too_long_is_skipped_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "MAX_LINE_BYTES", 1000)
    path = write_lines(
        tmp_path / "long.jsonl",
        [
            jline(id="long", title="Long", abstract="y" * 5000),
            jline(id="ok", title="Fine", abstract="Short."),
        ],
    )
    papers, report = read([path])
    assert [p.id for p in papers] == ["ok"]
    assert report.warnings == [(f"{path}:1", "line too long: more than 1,000 bytes")]
    assert papers[0].source == f"{path}:2"


# -------------------------------------------------------------------------------- JSON


def test_json_array_pretty_printed():
    papers, _ = read([DATA / "array.json"])
    assert [(p.id, p.source) for p in papers] == [
        ("a1", f"{DATA / 'array.json'}:2"),
        ("a2", f"{DATA / 'array.json'}:7"),
    ]
    assert papers[1].abstract == "Second abstract, with ünïcödé and “quotes”."


def test_json_single_object_and_jsonl_saved_as_json(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "o1", "title": "One", "abstract": "Only."}, indent=4))
    lines = tmp_path / "lines.json"
    write_lines(lines, [jline(id="l1", title="L1", abstract="A."), "{broken\n",
                        jline(id="l2", title="L2", abstract="B.")])  # fmt: skip
    papers, report = read([one, lines])
    assert [(p.id, p.source) for p in papers] == [
        ("o1", f"{one}:1"),
        ("l1", f"{lines}:1"),
        ("l2", f"{lines}:3"),
    ]
    assert [s for s, _ in report.warnings] == [f"{lines}:2"]


def test_json_concatenated_pretty_objects_resume_after_a_broken_one(tmp_path):
    path = tmp_path / "objects.json"
    good = json.dumps({"id": "p1", "title": "P1", "abstract": "A."}, indent=2)
    broken = '{\n  "id": "p2",\n  "title": "P2"\n  "abstract": "B."\n}'
    last = json.dumps({"id": "p3", "title": "P3", "abstract": "C."}, indent=2)
    path.write_text(f"{good}\n{broken}\n{last}\n")
    papers, report = read([path])
    assert [(p.id, p.source) for p in papers] == [("p1", f"{path}:1"), ("p3", f"{path}:11")]
    assert report.warnings == [(f"{path}:6", "not valid JSON: Expecting ',' delimiter")]


def test_json_array_with_bad_elements(tmp_path):
    pretty = tmp_path / "pretty.json"
    pretty.write_text(
        '[\n  {"id": "e1", "title": "E1", "abstract": "A."},\n  {"id": "e2", "title": 5},\n'
        '  {"id": "e3", "title": "E3" "abstract": "C."},\n'
        '  {"id": "e4", "title": "E4", "abstract": "D."}\n]\n'
    )
    papers, report = read([pretty])
    assert [p.id for p in papers] == ["e1", "e4"]
    assert report.warnings == [
        (f"{pretty}:3", "'title' is not a string (got number)"),
        (f"{pretty}:4", "not valid JSON: Expecting ',' delimiter"),
    ]
    # on one line a bad element ends where its brackets balance: the next ones are still read
    flat = tmp_path / "flat.json"
    flat.write_text('[{"id": "f1", "title": "F1", "abstract": "A."}, {"id": oops, "x": [1, "]"]},'
                    ' {"id": "f3", "title": "F3", "abstract": "C."}]')
    papers, report = read([flat])
    assert [p.id for p in papers] == ["f1", "f3"]
    assert report.warnings == [(f"{flat}:1", "not valid JSON: Expecting value")]


def test_json_array_truncated(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[\n{"id": "k1", "title": "K1", "abstract": "A."},\n{"id": "k2", "tit')
    papers, report = read([path])
    assert [p.id for p in papers] == ["k1"]
    assert report.warnings[0][0] == f"{path}:3"
    assert report.warnings[0][1].startswith("not valid JSON")


@settings(max_examples=25, deadline=None)
@given(
    titles=st.lists(st.text(min_size=1, max_size=60).filter(str.strip), max_size=12),
    indent=st.sampled_from([None, 1, 2, "\t"]),
    piece=st.sampled_from([3, 7, 64]),
)
def test_json_array_streams_in_small_pieces(tmp_path_factory, titles, indent, piece):
    """The streaming decoder gives what json.load gives, whatever the piece boundaries."""
    records = [
        {"id": f"s{i}", "title": title, "abstract": f"Abstract {i}: é中🙂 {title}"}
        for i, title in enumerate(titles)
    ]
    path = tmp_path_factory.mktemp("stream") / "stream.json"
    path.write_text(json.dumps(records, indent=indent, ensure_ascii=False), encoding="utf-8")
    old = text.PIECE_BYTES
    text.PIECE_BYTES = piece
    try:
        papers, report = read([path])
    finally:
        text.PIECE_BYTES = old
    assert [p.id for p in papers] == [r["id"] for r in records]  # an empty title is kept
    assert [p.title for p in papers] == [text.clean_text(r["title"]) for r in records]
    assert [p.abstract for p in papers] == [text.clean_text(r["abstract"]) for r in records]
    assert report.records == len(records)


def test_hugging_face_api_records_and_ndjson(tmp_path):
    api = tmp_path / "daily_papers.json"
    api.write_text(
        json.dumps(
            [
                {
                    "paper": {
                        "id": "2403.13248",
                        "title": "Mora: Enabling Generalist Video Generation",
                        "summary": "Sora is the first large-scale generalist video model.",
                        "publishedAt": "2024-03-20T02:19:32.000Z",
                    },
                    "title": "Mora: Enabling Generalist Video Generation",
                    "numComments": 3,
                }
            ]
        )
    )
    nd = write_lines(tmp_path / "more.ndjson", [jline(id="n1", title="N", abstract="N.")])
    papers, report = read([api, nd])
    assert [(p.id, p.date, p.abstract[:4]) for p in papers] == [
        ("2403.13248", "2024-03-20", "Sora"),
        ("n1", None, "N."),
    ]
    assert report.warnings == []


# ------------------------------------------------------------------------------ tables


def test_csv_rows_with_line_numbers():
    papers, report = read([DATA / "papers.csv"])
    path = DATA / "papers.csv"
    assert [(p.id, p.source) for p in papers] == [
        ("c1", f"{path}:2"),
        ("c2", f"{path}:3"),
        ("c3", f"{path}:5"),  # no title: kept, with an empty one
        ("c4", f"{path}:6"),  # the row before spans lines 3-4
    ]
    assert papers[1].title == "CSV Paper Two, Quoted"
    assert papers[1].abstract == "A second abstract that spans two lines."
    assert papers[1].date == "2024-03-22"
    assert papers[1].url == "https://example.org/c2"
    assert papers[0].url is None  # an empty cell is no URL
    assert papers[2].title == ""
    assert report.warnings == [(f"{path}:5", "a paper without a title is kept with an empty title (said once per file)")]


def test_csv_bad_rows_and_bom(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        (
            "\ufeffId,Title,Abstract\n"
            "r1,One,First.\n"
            "r2,Two,Second.,surplus\n"
            f"r3,Three,{'z' * 200_000}\n"
            "r4,Four,Fourth.\n"
        ).encode()
    )
    papers, report = read([path])
    assert [(p.id, p.source) for p in papers] == [("r1", f"{path}:2"), ("r4", f"{path}:5")]
    assert report.warnings == [
        (f"{path}:3", "4 fields but the header has 3"),
        (f"{path}:4", "record too large: a field exceeds 131,072 characters (limit 100,000)"),
    ]


def test_csv_without_abstract_column_is_skipped_with_one_warning(tmp_path):
    path = tmp_path / "noabs.csv"
    path.write_text("a,b,c\n1,2,3\n")
    other = write_lines(tmp_path / "other.jsonl", [jline(id="x", title="X", abstract="Y.")])
    papers, report = read([path, other])
    assert [p.id for p in papers] == ["x"]
    assert report.warnings == [(str(path), "no 'abstract' column (columns: a, b, c)")]
    assert report.records == 1


def test_tsv():
    papers, _ = read([DATA / "papers.tsv"])
    assert [(p.id, p.title) for p in papers] == [("t1", "TSV Paper One"), ("t2", "TSV Paper Two")]


def _write_parquet(path: Path) -> Path:
    import datetime as dt

    table = pa.table(
        {
            "Title": ["Parquet One", None, "Parquet Three"],
            "Summary": ["First.", "Second.", "Third."],
            "arxiv_id": ["2402.00001v2", None, None],
            "date": [dt.date(2024, 2, 1), None, dt.date(2024, 3, 1)],
            "authors": [["A"], ["B"], ["C"]],
        }
    )
    pq.write_table(table, path)
    return path


def test_parquet(tmp_path):
    path = _write_parquet(tmp_path / "papers.parquet")
    papers, report = read([path])
    assert [(p.id, p.date, p.source) for p in papers] == [
        ("2402.00001", "2024-02-01", f"{path}:1"),
        (title_id("Second."), None, f"{path}:2"),  # a null title is an empty one; the abstract names it
        (title_id("Parquet Three"), "2024-03-01", f"{path}:3"),
    ]
    assert report.warnings == [(f"{path}:2", "a paper without a title is kept with an empty title (said once per file)")]


def test_corrupt_parquet_raises_input_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"this is not parquet at all")
    with pytest.raises(
        InputError, match=rf"cannot read {re.escape(str(path))}: not a readable Parquet file"
    ):
        list(read_papers([str(path)]))


# -------------------------------------------------------------------------------- gzip


@pytest.mark.parametrize(
    "name", ["papers.jsonl", "array.json", "papers.csv", "papers.tsv", "hf_page.txt"]
)
def test_gzip_is_transparent(tmp_path, name):
    packed = gzip_copy(DATA / name, tmp_path / f"{name}.gz")
    plain, _ = read([DATA / name])
    unpacked, _ = read([packed])
    assert [(p.id, p.title, p.abstract, p.date) for p in unpacked] == [
        (p.id, p.title, p.abstract, p.date) for p in plain
    ]
    assert len(plain) >= 2
    assert unpacked[0].source.startswith(f"{packed}:")


def test_gzip_parquet(tmp_path):
    packed = gzip_copy(_write_parquet(tmp_path / "p.parquet"), tmp_path / "q.parquet.gz")
    papers, _ = read([packed])
    assert [p.title for p in papers] == ["Parquet One", "", "Parquet Three"]


def test_corrupt_gzip_raises_input_error_naming_the_file(tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"definitely not gzip")
    with pytest.raises(
        InputError, match=rf"cannot read {re.escape(str(path))}: corrupt gzip data"
    ) as caught:
        list(read_papers([str(path)]))
    assert caught.value.exit_code == 1


def test_truncated_gzip_raises_after_the_readable_part(tmp_path):
    lines = [jline(id=f"z{i}", title=f"Zip {i}", abstract=f"Text {i} " * 50) for i in range(400)]
    whole = gzip.compress("".join(lines).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    got = []
    with pytest.raises(InputError, match="corrupt gzip data"):
        for paper in read_papers([str(path)]):
            got.append(paper.id)
    assert 0 < len(got) < 400 and got[0] == "z0"


# -------------------------------------------------------------------------- directories


def test_directory_recursion_order_hidden_and_unknown_files(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    write_lines(root / "b" / "deep" / "z.jsonl", [jline(id="deep", title="D", abstract="D.")])
    write_lines(root / "b" / "a.jsonl", [jline(id="ba", title="BA", abstract="BA.")])
    write_lines(root / "a.jsonl", [jline(id="a", title="A", abstract="A.")])
    gzip_copy(DATA / "papers.tsv", root / "c.tsv.gz")
    write_lines(root / ".secret.jsonl", [jline(id="hidden1", title="H", abstract="H.")])
    write_lines(root / ".hidden" / "x.jsonl", [jline(id="hidden2", title="H", abstract="H.")])
    (root / "notes.md").write_text("# not an input\n")
    (root / "b" / "image.png").write_bytes(b"\x89PNG")
    (root / "broken.jsonl.gz").write_bytes(b"not gzip")
    heard = []
    papers, report = read([root], on_warning=lambda *w: heard.append(w))
    assert [p.id for p in papers] == ["a", "t1", "t2", "ba", "deep"]
    assert report.files == 5  # a.jsonl, broken.jsonl.gz, c.tsv.gz, b/a.jsonl, b/deep/z.jsonl
    assert len(heard) == 1
    assert heard[0][0] == str(root / "broken.jsonl.gz")
    assert heard[0][1].startswith("file skipped: corrupt gzip data")


def test_duplicates_merge_first_occurrence_wins(tmp_path):
    first = write_lines(
        tmp_path / "1.jsonl",
        [
            jline(id="2403.00001", title="First Version", abstract="Kept."),
            jline(title="Same Title!", abstract="Hash id, kept."),
        ],
    )
    second = write_lines(
        tmp_path / "2.jsonl",
        [
            jline(arxiv_id="2403.00001v2", title="Second Version", abstract="Dropped."),
            jline(title="same   title", abstract="Same hash id, dropped."),
            jline(url="https://arxiv.org/abs/2403.00001v3", title="Third", abstract="Dropped."),
        ],
    )
    papers, report = read([first, second])
    assert [(p.title, p.abstract) for p in papers] == [
        ("First Version", "Kept."),
        ("Same Title!", "Hash id, kept."),
    ]
    assert (report.records, report.papers, report.duplicates) == (5, 2, 3)


# -------------------------------------------------------------------------------- stdin


def test_stdin_jsonl(monkeypatch):
    set_stdin(monkeypatch, (DATA / "papers.jsonl").read_bytes())
    papers, report = read(["-"])
    assert len(papers) == 5
    assert papers[0].source == "<stdin>:1"
    assert report.files == 1


def test_stdin_json_array_after_blank_lines(monkeypatch):
    set_stdin(monkeypatch, b"\n\n  " + (DATA / "array.json").read_bytes())
    papers, _ = read(["-"])
    assert [(p.id, p.source) for p in papers] == [("a1", "<stdin>:4"), ("a2", "<stdin>:9")]


def test_stdin_hf_page_text(monkeypatch):
    set_stdin(monkeypatch, (DATA / "hf_page.txt").read_bytes())
    papers, report = read(["-"])
    assert [p.title for p in papers] == [
        "FastDiff: Fast Diffusion Sampling in Four Steps",
        "Tiny Transformers for Edge Devices",
    ]
    assert report.warnings == [
        ("<stdin>", "read as Hugging Face daily-papers page text (it does not start with '{' or '[')"),
        ("<stdin>", no_year("Mar 21", "--03-21")),
        ("<stdin>:21", "abstract without a title"),
    ]


def test_empty_stdin(monkeypatch):
    set_stdin(monkeypatch, b"")
    papers, report = read(["-"])
    assert papers == [] and report.files == 1 and report.records == 0


# ------------------------------------------------------------------- Hugging Face pages


def test_hf_page_noise_titles_and_dates():
    path = DATA / "hf_page.txt"
    papers, report = read([path])
    assert [(p.title, p.date, p.source) for p in papers] == [
        ("FastDiff: Fast Diffusion Sampling in Four Steps", "--03-21", f"{path}:17"),
        ("Tiny Transformers for Edge Devices", "--03-21", f"{path}:23"),
    ]
    assert papers[0].abstract.startswith("We propose FastDiff, a sampler")
    assert papers[1].abstract.startswith("We distil a large transformer")
    assert papers[0].id == title_id("FastDiff: Fast Diffusion Sampling in Four Steps")
    # the page shows no year: said once, when its first paper is read
    assert report.warnings == [(str(path), no_year("Mar 21", "--03-21")),
                               (f"{path}:21", "abstract without a title")]
    assert (report.records, report.papers, report.skipped) == (3, 2, 1)
    papers, report = read([path], page_year=2024)
    assert [p.date for p in papers] == ["2024-03-21", "2024-03-21"]
    assert report.warnings == [(f"{path}:21", "abstract without a title")]


def test_hf_page_without_date_and_with_year(tmp_path):
    abstract = "We show something new about models. " * 10
    plain = tmp_path / "page.txt"
    plain.write_text(f"Upvote\n\n7\n\nA Title\n\n{abstract}\n")
    dated = tmp_path / "dated.txt"
    dated.write_text(f"March 5, 2024\n\nAnother Title\n\n{abstract}\n")
    papers, report = read([plain, dated])
    assert [(p.title, p.date) for p in papers] == [
        ("A Title", None),
        ("Another Title", "2024-03-05"),
    ]
    assert report.warnings == [(str(plain), "no page date found (a line such as 'Mar 21', a huggingface.co/"
                                            "papers?date= link or a date in the file name): its papers have no date")]


@pytest.mark.shared
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_seed_pages():
    files = sorted(SEEDS.glob("*.txt"))
    papers, report = read(files)
    assert report.records == 162
    assert report.papers == len(papers) == 157
    assert report.duplicates == 5
    # the pages show "Mar 21" and "Mar 13", no year anywhere (not in their names either)
    assert report.warnings == [(str(files[0]), no_year("Mar 21", "--03-21")),
                               (str(files[1]), no_year("Mar 13", "--03-13"))]
    assert papers[0].title == (
        "EBDM: Exemplar-guided Image Translation with Brownian-bridge Diffusion Models"
    )
    # the abstract is the paragraph after the title (not quoted here: it is a third party's text)
    assert len(papers[0].abstract) > 500 and papers[0].abstract[0].isupper()
    assert papers[0].source == f"{files[0]}:11"
    assert {p.date for p in papers} == {"--03-21", "--03-13"}
    assert len({p.id for p in papers}) == 157
    dated, report = read(files, page_year=2025)  # kg build --page-year 2025
    assert report.warnings == [] and {p.date for p in dated} == {"2025-03-21", "2025-03-13"}
    assert [p.id for p in dated] == [p.id for p in papers]
    assert not any(p.arxiv_id or p.doi for p in papers)  # the pages link no paper
    noise = {"new", "subscribe", "get trending papers in your email inbox!", "mar 21", "mar 13",
             "byak and the research community"}  # fmt: skip
    assert not any(p.title.lower() in noise or "Subscribe" in p.title for p in papers)
    assert all(len(p.title) < 300 and len(p.abstract) > 1000 for p in papers)


# ------------------------------------------------------------------ ids, dates, cleaning


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": 42}, "42"),
        ({"id": 3.0}, "3"),
        ({"pid": "  p-1 "}, "p-1"),
        ({"id": "2403.12345v2"}, "2403.12345v2"),  # an explicit id is kept as given
        ({"id": "", "arxiv_id": "2403.12345v3"}, "2403.12345"),
        ({"arxiv_id": "arXiv:2403.12345"}, "2403.12345"),
        ({"arxiv_id": "not-an-arxiv-id"}, "not-an-arxiv-id"),
        ({"url": "https://arxiv.org/abs/2403.12345v2"}, "2403.12345"),
        ({"url": "http://arxiv.org/pdf/2403.12345v1.pdf"}, "2403.12345"),
        ({"url": "https://arxiv.org/abs/cs/0112017"}, "cs/0112017"),
        ({"url": "https://huggingface.co/papers/2403.54321"}, "2403.54321"),
        ({"url": "https://example.org/paper/2403.12345"}, None),
        ({}, None),
    ],
)
def test_id_rules(tmp_path, fields, expected):
    title = "A Title: With Punctuation"
    path = write_lines(tmp_path / "id.jsonl", [jline(title=title, abstract="A.", **fields)])
    papers, report = read([path])
    assert report.warnings == []
    if expected is None:
        digest = hashlib.sha1(b"a title with punctuation").hexdigest()[:16]
        expected = f"t-{digest}"
    assert papers[0].id == expected


def test_title_normalisation_for_hash_ids():
    assert normalize_title("  EBDM:  Exemplar-guided\tImage  Translation!! ") == (
        "ebdm exemplar guided image translation"
    )
    assert title_id("Deep Learning.") == title_id("deep   learning")
    assert title_id("Deep Learning") != title_id("Deep Learning 2")
    assert title_id("x").startswith("t-") and len(title_id("x")) == 18


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-21", "2024-03-21"),
        ("2024-03-21T10:00:00Z", "2024-03-21"),
        ("2024-03-21 10:00:00", "2024-03-21"),
        ("Thu, 21 Mar 2024 10:00:00 GMT", "2024-03-21"),
        ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"),
        ("21 March 2024", "2024-03-21"),
        ("Mar 21, 2024", "2024-03-21"),
        ("2024/3/5", "2024-03-05"),
        ("2024-03", "2024-03"),
        ("2024", "2024"),
        (2024, "2024"),
        ("--03-21", "--03-21"),
        ("--02-30", None),
        ("2024-02-30", None),
        ("2024-13", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20240321, None),
    ],
)
def test_date_parsing(value, expected):
    assert normalize_date(value) == expected


def test_cleaning_nul_bom_controls_and_whitespace(tmp_path):
    path = tmp_path / "dirty.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + jline(
            id="d1",
            title="\ufeffDeep\x00 Learning\u200b?\x07",
            abstract="  Line one\r\nline\x0btwo\u00a0\u00a0and\x1b[0m  three\u2028four.\x85 ",
        ).encode()
    )
    papers, report = read([path])
    assert report.warnings == []
    assert papers[0].id == "d1"
    assert papers[0].title == "Deep Learning\u200b?"
    assert papers[0].abstract == "Line one line two and[0m three four."


def test_cp1252_fallback_per_line(tmp_path):
    path = tmp_path / "legacy.jsonl"
    write_lines(
        path,
        [
            jline(id="u1", title="Caf\u00e9 UTF-8", abstract="Fine."),
            b'{"id": "w1", "title": "\x93Smart\x94 quotes \x96 caf\xe9", "abstract": "Old."}\n',
            b'{"id": "w2", "title": "Undefined \x81 byte", "abstract": "Latin-1."}\n',
            jline(id="u2", title="After", abstract="Still UTF-8: na\u00efve."),
        ],
    )
    papers, report = read([path])
    assert [p.title for p in papers] == [
        "Café UTF-8",
        "\u201cSmart\u201d quotes \u2013 café",
        "Undefined byte",  # the C1 control that latin-1 gives for 0x81 is cleaned away
        "After",
    ]
    assert report.warnings == [
        (f"{path}:2", "not UTF-8, decoded as cp1252"),
        (f"{path}:3", "not UTF-8, decoded as latin-1"),
    ]


# ------------------------------------------------------------------------------ errors


def test_missing_path_is_a_usage_error(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(
        UsageError, match=rf"^no such file or directory: {re.escape(str(missing))}$"
    ) as caught:
        read_papers([str(DATA / "papers.jsonl"), str(missing)])  # raised before reading
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "shown"),
    [("data.xyz", "'.xyz'"), ("data.xyz.gz", "'.xyz'"), ("data.gz", "'.gz'"), ("README", None)],
)
def test_unknown_format_is_a_usage_error(tmp_path, name, shown):
    path = tmp_path / name
    path.write_text("whatever")
    with pytest.raises(UsageError) as caught:
        read_papers([path])
    described = f"unknown format {shown}" if shown else "unknown format (no extension)"
    assert str(caught.value) == (
        f"cannot read {path}: {described} "
        "(expected .jsonl, .json, .csv, .tsv, .parquet, .txt, optionally .gz)"
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = write_lines(tmp_path / "locked.jsonl", [jline(id="l", title="L", abstract="L.")])
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="Permission denied"):
            list(read_papers([str(path)]))
        papers, report = read([tmp_path])
        assert papers == [] and "Permission denied" in report.warnings[0][1]
    finally:
        path.chmod(0o644)


def test_report_summary_and_single_path_argument():
    report = IngestReport()
    papers = list(read_papers(DATA / "papers.csv", report=report))
    assert len(papers) == 4
    assert report.summary() == "1 file, 4 records: 4 papers, 0 duplicates, 0 skipped"


# ------------------------------------------------------------------------------ glued titles


def test_a_title_glued_to_a_titleless_abstract_becomes_the_title(tmp_path):
    # PDF-derived dumps run the title into the abstract; the id stays what the whole text gave
    glued = "Sparse Routing for Mixture of Experts We route each token to one expert. It is fast."
    plain = "Machine reading comprehension (MRC) is hard. We make it easier."
    sentence = "Training Large Models is costly. We make it cheaper."
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"abstract": a}) + "\n" for a in (glued, plain, sentence)))
    papers, _ = read([path])
    assert [(p.title, p.abstract) for p in papers] == [
        ("Sparse Routing for Mixture of Experts", "We route each token to one expert. It is fast."),
        ("", plain),
        ("", sentence),  # "is" after "Models": no title runs into this sentence
    ]
    assert papers[0].id == title_id(glued)


def test_a_record_with_a_title_keeps_its_abstract_whole(tmp_path):
    path = tmp_path / "p.jsonl"
    abstract = "Sparse Routing for Mixture of Experts We route each token to one expert."
    path.write_text(json.dumps({"id": "x", "title": "Sparse routing", "abstract": abstract}) + "\n")
    papers, _ = read([path])
    assert (papers[0].title, papers[0].abstract) == ("Sparse routing", abstract)
