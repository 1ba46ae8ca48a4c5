"""Build a graph: read → extract → graph tables → store, in bounded batches."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import InputError
from kg.extract.runner import batched, extract_papers
from kg.graph import build_tables
from kg.ingest import IngestReport, read_papers
from kg.memory import release_memory
from kg.models import Extraction, Paper
from kg.stores.base import GraphStore, WriteStats


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
    duplicates: list = []  # later records of an id: their metadata merges into the stored paper
    papers = StopOnInputError(
        read_papers(list(sources), report=report, on_warning=on_warning, on_duplicate=duplicates.append))
    papers_to_extract = _skip_unchanged(papers, store, summary)
    if dask_client is not None:
        from kg.extract.distributed import extract_on_dask

        extractions = extract_on_dask(papers_to_extract, dask_client)
    else:
        extractions = extract_papers(papers_to_extract, workers=workers)
    if on_progress:
        extractions = _reporting(extractions, on_progress)
    for batch in batched(extractions, batch_size):
        summary.writes.add(write_batch(store, batch, summary))
        release_memory()  # hands freed heap pages back between batches (kg/memory.py)
    merge = getattr(store, "merge_metadata", None)
    if duplicates and merge is not None:
        merge(duplicates)
    summary.seconds = time.perf_counter() - t0
    papers.raise_if_failed()  # after the good records before the failure are stored
    return summary


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
                    chunk: int = 5000) -> Iterator[Paper]:
    """Papers that are new or changed; those already stored with the same text are neither
    extracted nor loaded again (their metadata still merges: the earliest date wins)."""
    from kg.graph import paper_hash

    merge = getattr(store, "merge_metadata", None)
    for batch in batched(papers, chunk):
        stored = store.paper_hashes([p.id for p in batch])
        unchanged = [p for p in batch if stored.get(p.id) == paper_hash(p)]
        summary.writes.papers_unchanged += len(unchanged)
        if unchanged and merge is not None:
            merge(unchanged)
        done = {p.id for p in unchanged}
        yield from (p for p in batch if p.id not in done)


def write_batch(store: GraphStore, batch: list[Extraction], summary: BuildSummary | None = None) -> WriteStats:
    tables = build_tables(batch)
    if summary is not None:
        summary.comparisons += sum(len(e.comparisons) for e in batch)
        summary.results += sum(len(e.results) for e in batch)
        summary.entities += sum(len(tables.nodes[label]) for label in ("Method", "Dataset", "Metric", "Task"))
    return store.write(tables)
