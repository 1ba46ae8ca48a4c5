"""arXiv ids and DOIs (issue 16 part 5): parsed from record fields, URLs and page link lines,
kept on the paper in LadybugDB and Oxigraph, exported as schema:identifier and owl:sameAs, kept
by incremental builds; and Hugging Face pages dating their papers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import IngestReport, read_papers
from kg.ingest.identifiers import arxiv_id, arxiv_id_in_url, doi, doi_in_url, identifiers_in, link_line
from kg.ingest.records import paper_from_record
from kg.rdf.mapping import KG, OWL, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
ABSTRACT = ("We propose QuillNet, a sparse recurrent encoder for long documents. QuillNet outperforms "
            "the Longformer on the ArXivSum benchmark by 2.3 ROUGE-L while using half the memory. ") * 2


def run_kg(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KG_PAGE_YEAR", "KG_STORE")}
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, **kw)


def read(paths, **kwargs):
    report = IngestReport()
    papers = list(read_papers([str(p) for p in paths], report=report, **kwargs))
    return papers, report


# ------------------------------------------------------------------------------ parsing


@pytest.mark.parametrize(("value", "expected"), [
    ("2401.12345", "2401.12345"),
    ("2401.12345v3", "2401.12345"),
    ("arXiv:2401.12345v2.", "2401.12345"),          # trailing punctuation, version
    ("arXiv: 0704.0001", "0704.0001"),               # the first new-style id
    ("1412.6980", "1412.6980"),                       # four digits until 2014
    ("cs/0501001", "cs/0501001"),
    ("arXiv:hep-th/9901001v1", "hep-th/9901001"),
    ("math.GT/0309136", "math/0309136"),              # the subject class is not part of the id
    ("2413.12345", None),                             # no month 13
    ("0612.1234", None),                              # before the new scheme
    ("1501.1234", None),                              # five digits since 2015
    ("1412.12345", None),
    ("foo/0501001", None),                            # not an archive
    ("cs/0813001", None),                             # no old-style id after 2007
    ("2401.123456", None),
    ("kgs-001", None),
])
def test_arxiv_ids(value, expected):
    assert arxiv_id(value) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://arxiv.org/abs/2401.12345", "2401.12345"),
    ("https://arxiv.org/pdf/2401.12345v2.pdf", "2401.12345"),
    ("http://arxiv.org/abs/cs/0501001v2", "cs/0501001"),
    ("https://huggingface.co/papers/2403.04567", "2403.04567"),
    ("https://doi.org/10.48550/arXiv.2401.12345", "2401.12345"),
    ("https://arxiv.org/abs/2401.123456", None),
    ("https://github.com/lab/repo", None),
])
def test_arxiv_ids_in_urls(url, expected):
    assert arxiv_id_in_url(url) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("10.1145/3292500.3330701", "10.1145/3292500.3330701"),
    ("doi:10.1145/3292500.3330701.", "10.1145/3292500.3330701"),
    ("DOI: 10.1109/CVPR.2016.90", "10.1109/cvpr.2016.90"),                 # case folded
    ("https://doi.org/10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),
    ("https://doi.org/10.1016/S0140-6736(20)30183-5).", "10.1016/s0140-6736(20)30183-5"),  # unbalanced ")"
    ("https://dx.doi.org/10.1002/%28SICI%291097-4636", "10.1002/(sici)1097-4636"),  # percent-encoded
    ("https://doi.org/10.1000/xyz?utm=1#top", "10.1000/xyz"),
    ("10.1234", None),
    ("11.1234/abc", None),
    ("see 10.1145/1", None),
])
def test_dois(value, expected):
    assert doi(value) == expected


def test_dois_in_publisher_urls():
    assert doi_in_url("https://dl.acm.org/doi/10.1145/3292500.3330701") == "10.1145/3292500.3330701"
    assert doi_in_url("https://dl.acm.org/doi/pdf/10.1145/3292500.3330701.pdf") == "10.1145/3292500.3330701"
    assert doi_in_url("https://openreview.net/forum?id=10.1145/x") is None  # not in the path
    assert identifiers_in("https://doi.org/10.48550/arXiv.2401.12345") == ("2401.12345", "10.48550/arxiv.2401.12345")


@pytest.mark.parametrize(("line", "expected"), [
    ("arXiv:2401.12345", ("2401.12345", None)),
    ("arXiv 2401.12345v2", ("2401.12345", None)),
    ("https://huggingface.co/papers/2401.12345", ("2401.12345", None)),
    ("PDF: https://arxiv.org/pdf/2401.12345", ("2401.12345", None)),
    ("DOI: 10.1145/3292500.3330701", (None, "10.1145/3292500.3330701")),
    ("Paper page - https://doi.org/10.1109/CVPR.2016.90", (None, "10.1109/cvpr.2016.90")),
    ("Attention Is All You Need", None),
    ("https://github.com/lab/quillnet", None),
    ("QuillNet 2: Faster Sparse Encoders", None),
])
def test_link_lines(line, expected):
    assert link_line(line) == expected


def test_record_fields_give_identifiers_but_the_abstract_does_not():
    def paper(**fields):
        return paper_from_record({"title": "T", "abstract": ABSTRACT, **fields}, "f:1")

    p = paper(id="x1", url="https://arxiv.org/abs/2401.12345v2", doi="https://doi.org/10.1109/CVPR.2016.90")
    assert (p.id, p.arxiv_id, p.doi) == ("x1", "2401.12345", "10.1109/cvpr.2016.90")
    # the arXiv snapshot lists several DOIs in one field; the first is the paper's
    p = paper(id="cs/0501001", update_date="2005-01-03", doi="10.1103/PhysRevD.76.013009 10.1103/x.1")
    assert (p.id, p.arxiv_id, p.doi) == ("cs/0501001", "cs/0501001", "10.1103/physrevd.76.013009")
    p = paper(arxiv_id="arXiv:2401.00001v3")
    assert (p.id, p.arxiv_id, p.doi) == ("2401.00001", "2401.00001", None)
    p = paper(doi="10.48550/arXiv.2402.00002")  # an arXiv DOI names the arXiv id too
    assert (p.arxiv_id, p.doi) == ("2402.00002", "10.48550/arxiv.2402.00002")
    p = paper(id=7, url="https://dl.acm.org/doi/10.1145/3292500.3330701")
    assert (p.id, p.arxiv_id, p.doi) == ("7", None, "10.1145/3292500.3330701")
    # ids cited in the abstract name other works
    p = paper(id="x2", abstract=ABSTRACT + " This extends arXiv:2301.01234; data at doi:10.5281/zenodo.1234.")
    assert (p.arxiv_id, p.doi) == (None, None)
    p = paper(id="x3", arxiv_id="not an id", doi="soon")
    assert (p.arxiv_id, p.doi) == (None, None)


# ------------------------------------------------------------------ Hugging Face pages

PAGE = """new

Get trending papers in your email inbox!

Subscribe

{header}

Submitted by someone

Upvote

12

QuillNet: Sparse Recurrent Encoders for Long Documents

arXiv:2405.01234v2

{abstract}

Ledger Attention for Tabular Forecasting
We introduce Ledger Attention, which reads a table row by row and forecasts the next row. It beats a gradient-boosting baseline on four retail datasets and halves the error on the hardest one.
https://doi.org/10.1109/TPAMI.2024.1234567

https://huggingface.co/papers/2405.09999

Orphan Links Above Do Not Belong Here

We study why a link line above a title cannot be given to either neighbour: the reader leaves it alone, and this paper keeps a title id rather than borrowing its neighbour's arXiv id by mistake.
"""


def write_page(path: Path, header: str) -> Path:
    path.write_text(PAGE.format(header=header, abstract=ABSTRACT), encoding="utf-8")
    return path


def test_page_link_lines_identify_their_paper(tmp_path):
    papers, report = read([write_page(tmp_path / "page.txt", "May 16, 2024")])
    got = [(p.title.split(":")[0], p.id, p.arxiv_id, p.doi, p.date) for p in papers]
    assert got == [
        ("QuillNet", "2405.01234", "2405.01234", None, "2024-05-16"),  # between title and abstract
        ("Ledger Attention for Tabular Forecasting", papers[1].id, None, "10.1109/tpami.2024.1234567", "2024-05-16"),
        ("Orphan Links Above Do Not Belong Here", papers[2].id, None, None, "2024-05-16"),
    ]
    assert papers[1].id.startswith("t-") and papers[2].id.startswith("t-")
    assert report.warnings == []


@pytest.mark.parametrize(("name", "header", "year", "date", "warned"), [
    ("page.txt", "May 16, 2024", None, "2024-05-16", None),                       # date line with a year
    ("page.txt", "https://huggingface.co/papers?date=2024-05-16", None, "2024-05-16", None),
    ("page.txt", "https://huggingface.co/papers/date/2024-05-16", None, "2024-05-16", None),
    ("page.txt", "Daily Papers - Hugging Face - May 16, 2024", None, "2024-05-16", None),
    ("hf_papers_2024-05-16.txt", "Trending", None, "2024-05-16", None),            # the file's name
    ("hf_papers_2024-05-16.txt", "May 16", None, "2024-05-16", None),              # its year, the line's day
    ("page.txt", "May 16", 2023, "2023-05-16", None),                              # --page-year
    ("2022-05-16.txt", "May 16", 2023, "2022-05-16", None),                        # the page's own year wins
    ("page.txt", "May 16", None, "--05-16", "has no year"),
    ("page.txt", "Trending", None, None, "no page date found"),
])
def test_page_dates(tmp_path, name, header, year, date, warned):
    path = write_page(tmp_path / name, header)
    papers, report = read([path], page_year=year)
    assert [p.date for p in papers] == [date] * 3
    if warned is None:
        assert report.warnings == []
    else:  # one line for the page, naming the file
        assert len(report.warnings) == 1 and report.warnings[0][0] == str(path)
        assert warned in report.warnings[0][1] and "\n" not in report.warnings[0][1]


def test_page_year_from_the_environment_and_a_bad_one(tmp_path, monkeypatch):
    path = write_page(tmp_path / "page.txt", "May 16")
    monkeypatch.setenv("KG_PAGE_YEAR", "2021")
    assert {p.date for p in read([path])[0]} == {"2021-05-16"}
    proc = run_kg("extract", str(path), "-o", "-", "-q", "--page-year", "20x")
    assert proc.returncode == 2 and "--page-year" in proc.stderr and "Traceback" not in proc.stderr


def test_a_dated_record_keeps_its_date_over_a_page_without_a_year():
    from kg.graph import merge_metadata

    assert merge_metadata({"date": "--05-16"}, {"date": "2024-05-16"})["date"] == "2024-05-16"
    assert merge_metadata({"date": "2024-05-16"}, {"date": "--05-15"})["date"] == "2024-05-16"
    assert merge_metadata({"date": "2024-05-16"}, {"date": "2023-01-01"})["date"] == "2023-01-01"


# --------------------------------------------------------------- stores, export, rebuilds

RECORDS = [
    {"id": "q1", "title": "QuillNet: Sparse Recurrent Encoders", "abstract": ABSTRACT, "date": "2024-05-16",
     "url": "https://arxiv.org/abs/2405.01234v2"},
    {"id": "q2", "title": "Ledger Attention for Tabular Forecasting", "date": "2023-02-01",
     "abstract": "We introduce Ledger Attention. Ledger Attention outperforms XGBoost on the M5 dataset.",
     "doi": "DOI:10.1016/S0140-6736(20)30183-5"},
    {"id": "q3", "title": "A Paper Without Identifiers", "date": "2022-01-01",
     "abstract": "We study PlainNet on CIFAR-10 and cite arXiv:2301.01234 for the baseline."},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ladybug_ids(store: Path) -> dict[str, tuple]:
    from kg.stores.ladybug import LadybugStore

    s = LadybugStore(store, read_only=True)
    try:
        df = s.cypher("MATCH (p:Paper) RETURN p.id AS id, p.arxiv_id AS a, p.doi AS d")
    finally:
        s.close()
    def text(value):  # a null comes back as NaN
        return value if isinstance(value, str) else None

    return {r["id"]: (text(r["a"]), text(r["d"])) for r in df.to_dict(orient="records")}


def oxigraph_ids(store: Path) -> dict[str, set]:
    from kg.stores.oxigraph import OxigraphStore

    with OxigraphStore(store, read_only=True) as s:
        df = s.sparql("SELECT ?id ?p ?o WHERE { ?paper dcterms:identifier ?id ; ?p ?o "
                      "FILTER(?p IN (kg:arxivId, kg:doi, schema:identifier, owl:sameAs)) }")
    out: dict[str, set] = {}
    for row in df.to_dict(orient="records"):
        out.setdefault(row["id"], set()).add((row["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1], row["o"]))
    return out


Q1 = {("arxivId", "2405.01234"), ("identifier", "arXiv:2405.01234"), ("sameAs", "https://arxiv.org/abs/2405.01234")}
Q2 = {("doi", "10.1016/s0140-6736(20)30183-5"), ("identifier", "doi:10.1016/s0140-6736(20)30183-5"),
      ("sameAs", "https://doi.org/10.1016/s0140-6736(20)30183-5")}


def test_identifiers_in_every_store_export_and_rebuild(tmp_path):
    src = write_jsonl(tmp_path / "papers.jsonl", RECORDS)
    store = tmp_path / "store"
    proc = run_kg("build", str(src), "--store", str(store), "-q")
    assert proc.returncode == 0, proc.stderr
    expected_lb = {"q1": ("2405.01234", None), "q2": (None, "10.1016/s0140-6736(20)30183-5"), "q3": (None, None)}
    assert ladybug_ids(store) == expected_lb
    assert oxigraph_ids(store) == {"q1": Q1, "q2": Q2}

    # the export: parsed back, not compared as text
    out = tmp_path / "kg.nt"
    proc = run_kg("export", "--format", "nt", "-o", str(out), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    g = ox.Store()
    g.load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    same = {(q.subject.value.rsplit("/", 1)[-1], q.object.value) for q in g.quads_for_pattern(None, OWL.sameAs, None)}
    assert same == {("q1", "https://arxiv.org/abs/2405.01234"),
                    ("q2", "https://doi.org/10.1016/s0140-6736(20)30183-5")}
    assert all(isinstance(q.object, ox.NamedNode) for q in g.quads_for_pattern(None, OWL.sameAs, None))
    ident = {q.object.value for q in g.quads_for_pattern(None, SCHEMA.identifier, None)}
    assert ident == {"arXiv:2405.01234", "doi:10.1016/s0140-6736(20)30183-5"}
    assert len(list(g.quads_for_pattern(None, KG.arxivId, None))) == 1

    # an incremental rebuild of the same input keeps them
    proc = run_kg("build", str(src), "--store", str(store))
    assert proc.returncode == 0 and "3 unchanged" in proc.stderr, proc.stderr
    assert ladybug_ids(store) == expected_lb
    assert oxigraph_ids(store) == {"q1": Q1, "q2": Q2}

    # another record of q3 brings a DOI (same text: no re-extraction): it merges into both stores
    more = write_jsonl(tmp_path / "more.jsonl", [{**RECORDS[2], "url": "https://doi.org/10.1145/3292500.3330701"}])
    proc = run_kg("build", str(more), "--store", str(store), "-q")
    assert proc.returncode == 0, proc.stderr
    assert ladybug_ids(store)["q3"] == (None, "10.1145/3292500.3330701")
    assert oxigraph_ids(store)["q3"] == {("doi", "10.1145/3292500.3330701"),
                                         ("identifier", "doi:10.1145/3292500.3330701"),
                                         ("sameAs", "https://doi.org/10.1145/3292500.3330701")}


def test_extraction_records_carry_identifiers_only_when_known(tmp_path):
    src = write_jsonl(tmp_path / "papers.jsonl", RECORDS)
    proc = run_kg("extract", str(src), "-o", "-", "-q")
    assert proc.returncode == 0, proc.stderr
    papers = {r["id"]: r["paper"] for r in map(json.loads, proc.stdout.splitlines())}
    assert papers["q1"]["arxiv_id"] == "2405.01234" and "doi" not in papers["q1"]
    assert papers["q2"]["doi"] == "10.1016/s0140-6736(20)30183-5" and "arxiv_id" not in papers["q2"]
    assert not {"arxiv_id", "doi"} & set(papers["q3"])
    # and a graph built from that file has them (kg.extract.record.from_record reads them back)
    from kg.extract.record import from_record

    back = from_record(json.loads(proc.stdout.splitlines()[0]))
    assert (back.paper.arxiv_id, back.paper.doi) == ("2405.01234", None)


# ------------------------------------------------------------------------ the README


def readme_blocks(marker: str) -> list[tuple[str, str]]:
    """The fenced code blocks (language, text) between ``<!-- marker -->`` and ``<!-- /marker -->``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"<!-- {marker} -->", 1)[1].split(f"<!-- /{marker} -->", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)


def test_readme_join_example_runs(tmp_path):
    blocks = readme_blocks("join-example")
    assert [lang for lang, _ in blocks] == ["bash", "python"]
    # the user's inputs: papers with identifiers, and another tool's data about the same works
    write_jsonl(tmp_path / "papers.jsonl", RECORDS)
    (tmp_path / "citations.csv").write_text("arxiv_id,citations\n2405.01234,17\n2301.01234,99\n")
    (tmp_path / "venues.ttl").write_text(
        "<https://doi.org/10.1016/s0140-6736(20)30183-5> <https://example.org/venue> \"The Lancet\" .\n"
        "<https://arxiv.org/abs/2405.01234> <https://example.org/venue> \"NeurIPS\" .\n"
        "<https://arxiv.org/abs/2301.01234> <https://example.org/venue> \"ICML\" .\n")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("KG_STORE", None)
    bash = subprocess.run(["bash", "-euo", "pipefail", "-c", blocks[0][1]], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert bash.returncode == 0, bash.stderr
    py = subprocess.run([sys.executable, "-c", blocks[1][1]], cwd=tmp_path, capture_output=True, text=True)
    assert py.returncode == 0, py.stderr
    lines = py.stdout.splitlines()
    # the pandas merge: the one paper the citation table knows
    assert any("2405.01234" in line and "QuillNet" in line and "17" in line for line in lines), py.stdout
    assert not any("2301.01234" in line for line in lines)
    # the SPARQL join on owl:sameAs: both papers with an identifier, with their venues
    assert "QuillNet: Sparse Recurrent Encoders | NeurIPS" in lines
    assert "Ledger Attention for Tabular Forecasting | The Lancet" in lines


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_identifier_triples_conform_to_the_shapes_and_the_context(tmp_path):
    import pyshacl
    import rdflib

    from kg.extract.pipeline import extract
    from kg.graph import build_tables
    from kg.rdf.export import export_rdf
    from kg.rdf.mapping import graph_triples

    papers = [paper_from_record(r, f"f:{i}") for i, r in enumerate(RECORDS, 1)]
    tables = build_tables([extract(p) for p in papers])
    g = rdflib.Graph().parse(data="".join(f"{t} .\n" for t in graph_triples(tables)), format="nt")
    shapes = ROOT / "kg" / "rdf" / "shapes.ttl"
    conforms, _, text = pyshacl.validate(g, shacl_graph=str(shapes), shacl_graph_format="turtle",
                                         inference="none", advanced=True)
    assert conforms, text
    # a wrong value is caught: two arXiv ids, a DOI without its prefix, a sameAs that is a literal
    paper = rdflib.URIRef("https://w3id.org/kg-ml/paper/q1")
    g.add((paper, rdflib.URIRef(KG.arxivId.value), rdflib.Literal("2405.99999")))
    g.add((paper, rdflib.URIRef(SCHEMA.identifier.value), rdflib.Literal("2405.01234")))
    g.add((paper, rdflib.URIRef(OWL.sameAs.value), rdflib.Literal("https://arxiv.org/abs/2405.01234")))
    conforms, report, _ = pyshacl.validate(g, shacl_graph=str(shapes), shacl_graph_format="turtle",
                                           inference="none", advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert not conforms
    assert {str(p) for p in report.objects(None, sh.resultPath)} == {
        KG.arxivId.value, SCHEMA.identifier.value, OWL.sameAs.value}
    # JSON-LD: every identifier property has a term in the shipped context
    out = tmp_path / "kg.jsonld"
    export_rdf(tables, "jsonld", str(out))
    doc = json.loads(out.read_text())
    nodes = doc["@graph"] if "@graph" in doc else [doc]
    q1 = next(n for n in nodes if n.get("identifier") == "q1")
    assert q1["arxivId"] == "2405.01234" and q1["sameAs"] == ["https://arxiv.org/abs/2405.01234"]
    assert q1["externalIdentifier"] == "arXiv:2405.01234"


def test_a_daily_link_inside_an_abstract_is_text_not_a_date(tmp_path):
    text = ("We release our benchmark and compare against the papers listed at "
            "https://huggingface.co/papers?date=2023-01-02 over the same period, with a longer abstract.")
    path = tmp_path / "page.txt"
    path.write_text(f"May 16, 2024\n\nBenchmarking Daily Lists\n\n{text}\n")
    papers, _ = read([path])
    assert [(p.date, p.abstract) for p in papers] == [("2024-05-16", text)]


def test_kg_build_page_year_dates_the_papers_for_trends(tmp_path):
    page = write_page(tmp_path / "page.txt", "May 16")
    store = tmp_path / "store"
    proc = run_kg("build", str(page), "--store", str(store), "-q")
    assert proc.returncode == 0 and "has no year" in proc.stderr, proc.stderr
    proc = run_kg("plot", "trends", "-o", str(tmp_path / "t.png"), "--store", str(store))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr  # nothing to place on a year axis
    assert "--page-year" in proc.stderr  # and the message says how to give the papers one
    proc = run_kg("build", str(page), "--store", str(store), "-q", "--page-year", "2024")
    assert proc.returncode == 0 and "has no year" not in proc.stderr, proc.stderr
    # the same papers, unchanged text: the dated record's date wins over --05-16 in the store
    from kg.stores.ladybug import LadybugStore

    s = LadybugStore(store, read_only=True)
    try:
        dates = set(s.cypher("MATCH (p:Paper) RETURN p.date AS d")["d"])
    finally:
        s.close()
    assert dates == {"2024-05-16"}
    proc = run_kg("plot", "trends", "-o", str(tmp_path / "t.png"), "--store", str(store))
    assert proc.returncode == 0 and (tmp_path / "t.png").stat().st_size > 0, proc.stderr
