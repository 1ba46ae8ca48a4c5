"""Build a graph: read → extract → graph tables → store, in bounded batches.

Records of one paper id with different texts (title, abstract) meet within one input or across
builds: the text kept is chosen by :func:`text_rank`, so that the store ends up the same
whatever the input order or the number of runs; their metadata merges
(:func:`kg.graph.merge_metadata`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import InputError
from kg.extract.runner import batched, extract_papers
from kg.graph import METADATA, build_tables, merge_metadata, paper_hash
from kg.ingest import IngestReport, read_papers
from kg.memory import release_memory
from kg.models import Extraction, Paper
from kg.stores.base import GraphStore, WriteStats

_POLICY = "the longer abstract, then title, wins"  # text_rank, for warnings


class StopOnInputError:
    """Pass papers through until an input fails; keep the failure to report after the good
    records before it are safely written."""

    def __init__(self, papers: Iterable[Paper]):
        self.papers = papers
        self.error: InputError | None = None

    def __iter__(self) -> Iterator[Paper]:
        try:
            yield from self.papers
        except InputError as exc:
            self.error = exc

    def raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error


@dataclass
class BuildSummary:
    report: IngestReport
    writes: WriteStats = field(default_factory=WriteStats)
    entities: int = 0
    comparisons: int = 0
    results: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.report.papers / self.seconds if self.seconds else 0.0


def build(
    sources: Iterable[str],
    store: GraphStore,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dask_client=None,
    on_warning: Callable[[str, str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> BuildSummary:
    """Read every source, extract, and write to ``store`` batch by batch (memory stays bounded)."""
    t0 = time.perf_counter()
    report = IngestReport()
    summary = BuildSummary(report=report)

    def warn(source: str, message: str) -> None:
        report.warn(source, message)
        if on_warning is not None:
            on_warning(source, message)

    duplicates: list[Paper] = []  # later records of an id: settled once the first ones are stored
    papers = StopOnInputError(
        read_papers(list(sources), report=report, on_warning=on_warning, on_duplicate=duplicates.append))

    def extract_and_write(to_extract: Iterable[Paper]) -> None:
        if dask_client is not None:
            from kg.extract.distributed import extract_on_dask

            extractions = extract_on_dask(to_extract, dask_client)
        else:
            extractions = extract_papers(to_extract, workers=workers)
        if on_progress:
            extractions = _reporting(extractions, on_progress)
        for batch in batched(extractions, batch_size):
            summary.writes.add(write_batch(store, batch, summary))
            release_memory()  # hands freed heap pages back between batches (kg/memory.py)

    extract_and_write(_skip_unchanged(papers, store, summary, warn))
    if duplicates:
        # the best text among each id's later records, against what is stored now
        best: dict[str, Paper] = {}
        for paper in duplicates:
            current = best.get(paper.id)
            if current is None:
                best[paper.id] = paper
                continue
            winner, loser = (paper, current) if _rank(paper) > _rank(current) else (current, paper)
            best[paper.id] = winner
            if _rank(loser) != _rank(winner):
                warn(loser.source, f"id '{loser.id}' has another record with a fuller text: that one "
                                   f"is kept ({_POLICY})")
        # (their count is the report's duplicates, not the store's unchanged papers)
        extract_and_write(_skip_unchanged(best.values(), store, BuildSummary(report), warn))
        merge = getattr(store, "merge_metadata", None)
        if merge is not None:
            merge(duplicates)
    summary.seconds = time.perf_counter() - t0
    papers.raise_if_failed()  # after the good records before the failure are stored
    return summary


def text_rank(title: str, abstract: str) -> tuple[int, int, str]:
    """Which text of a paper is kept when records of one id differ: the greatest rank wins.

    The longer abstract, then the longer title, then the greater SHA-1 of the text: a truncated
    copy loses to the full one, and any two texts compare the same way in every run and order.

    >>> text_rank("T", "A longer abstract.") > text_rank("A longer title", "Short.")
    True
    """
    digest = hashlib.sha1(f"{title}\x1f{abstract}".encode()).hexdigest()
    return len(abstract), len(title), digest


def _rank(paper: Paper) -> tuple[int, int, str]:
    return text_rank(paper.title, paper.abstract)


def _stored_papers(store: GraphStore, ids: list[str]) -> dict[str, dict]:
    """Text and metadata of the stored papers among ``ids`` (any Cypher store)."""
    if not ids:
        return {}
    df = store.cypher(
        "UNWIND $ids AS i MATCH (p:Paper {id: i}) RETURN p.id AS id, p.title AS title, "
        "p.abstract AS abstract, p.date AS date, p.url AS url, p.source AS source", {"ids": ids})
    return {row["id"]: row for row in df.to_dict(orient="records")}


def _reporting(extractions: Iterable[Extraction], on_progress: Callable[[int], None],
               every: int = 250) -> Iterator[Extraction]:
    """Pass extractions through, reporting progress every ``every`` papers: a batch written to
    the store is large (10,000 papers), the bar should move more often than that."""
    pending = 0
    for ex in extractions:
        yield ex
        pending += 1
        if pending == every:
            on_progress(pending)
            pending = 0
    if pending:
        on_progress(pending)


def _skip_unchanged(papers: Iterable[Paper], store: GraphStore, summary: BuildSummary,
                    warn: Callable[[str, str], None] | None = None,
                    chunk: int = 5000) -> Iterator[Paper]:
    """Papers to extract and write: new ones, and changed ones whose text outranks the stored
    one (:func:`text_rank`). Those stored with the same text are neither extracted nor loaded
    again, nor are those whose text loses; the metadata of both merges into the stored paper
    (the earliest date wins), and a replacing paper carries the stored paper's metadata too."""
    merge = getattr(store, "merge_metadata", None)
    for batch in batched(papers, chunk):
        stored = store.paper_hashes([p.id for p in batch])
        hashes = {p.id: paper_hash(p) for p in batch if p.id in stored}
        unchanged = [p for p in batch if p.id in stored and stored[p.id] == hashes[p.id]]
        differing = [p for p in batch if p.id in stored and stored[p.id] != hashes[p.id]]
        # text and metadata of the stored twins (rare: only papers whose hash differs)
        twins = _stored_papers(store, [p.id for p in differing])
        replacing: dict[str, Paper] = {}
        losing: list[Paper] = []
        for paper in differing:
            twin = twins.get(paper.id)
            if twin is None:  # stored meanwhile by no one we can read: write it
                continue
            old = (_text(twin["title"]), _text(twin["abstract"]))
            if (paper.title, paper.abstract) == old:  # the extractor changed: extract again
                replacing[paper.id] = _with_metadata(paper, twin)
            elif _rank(paper) > text_rank(*old):
                replacing[paper.id] = _with_metadata(paper, twin)
                if warn is not None:
                    warn(paper.source, f"id '{paper.id}' was stored with another text: this "
                                       f"one replaces it ({_POLICY})")
            else:
                losing.append(paper)
                if warn is not None:
                    warn(paper.source, f"id '{paper.id}' is stored with another text: that one "
                                       f"is kept ({_POLICY})")
        summary.writes.papers_unchanged += len(unchanged) + len(losing)
        if (unchanged or losing) and merge is not None:
            merge(unchanged + losing)
        done = {p.id for p in unchanged} | {p.id for p in losing}
        yield from (replacing.get(p.id, p) for p in batch if p.id not in done)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""  # a null from the store is NaN or None


def _with_metadata(paper: Paper, stored: dict) -> Paper:
    """``paper`` with its metadata merged with the stored twin's, for every store to write."""
    merged = merge_metadata(stored, {k: getattr(paper, k) for k in METADATA})
    return dataclasses.replace(paper, **{**merged, "source": merged["source"] or ""})


def write_batch(store: GraphStore, batch: list[Extraction], summary: BuildSummary | None = None) -> WriteStats:
    tables = build_tables(batch)
    if summary is not None:
        summary.comparisons += sum(len(e.comparisons) for e in batch)
        summary.results += sum(len(e.results) for e in batch)
        summary.entities += sum(len(tables.nodes[label]) for label in ("Method", "Dataset", "Metric", "Task"))
    return store.write(tables)
