"""Build a graph: read → extract → graph tables → store, in bounded batches.

Records of one paper id with different texts (title, abstract) meet within one input or across
builds: the text kept is chosen by :func:`text_rank`, so that the store ends up the same
whatever the input order or the number of runs; their metadata merges
(:func:`kg.graph.merge_metadata`). What a batch does to each side of the store is decided by
:func:`kg.stores.plan.plan_upsert`, from that side's own record.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kg.config import DEFAULT_BATCH_SIZE
from kg.curation import Curation
from kg.errors import InputError
from kg.extract.runner import batched, extract_papers
from kg.graph import METADATA, build_tables, merge_metadata, paper_hash
from kg.ingest import IngestReport, read_papers
from kg.memory import release_memory
from kg.models import Extraction, Paper
from kg.stores.base import GraphWriter, WriteStats, read_stored, sides_of
from kg.stores.plan import REPLACE, SKIP, paper_decision, plan_metadata, text_rank

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
    store: GraphWriter,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dask_client=None,
    on_warning: Callable[[str, str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    page_year: int | None = None,
    curation: Curation | None = None,
) -> BuildSummary:
    """Read every source, extract, and write to ``store`` batch by batch (memory stays bounded).

    ``store`` is a writer or a :class:`kg.stores.base.StoreSet` (every side of a store).
    ``curation`` (kg.curation) is applied to every batch, and to the stored entities at the end."""
    t0 = time.perf_counter()
    report = IngestReport()
    summary = BuildSummary(report=report)

    def warn(source: str, message: str) -> None:
        report.warn(source, message)
        if on_warning is not None:
            on_warning(source, message)

    sides = sides_of(store)
    duplicates: list[Paper] = []  # later records of an id: settled once the first ones are stored
    papers = StopOnInputError(
        read_papers(list(sources), report=report, on_warning=on_warning, on_duplicate=duplicates.append,
                    page_year=page_year))

    def extract_and_write(to_extract: Iterable[Paper]) -> None:
        if dask_client is not None:
            from kg.extract.distributed import extract_on_dask

            extractions = extract_on_dask(to_extract, dask_client)
        else:
            extractions = extract_papers(to_extract, workers=workers)
        if on_progress:
            extractions = _reporting(extractions, on_progress)
        for batch in batched(extractions, batch_size):
            summary.writes.add(write_batch(store, batch, summary, curation))
            release_memory()  # hands freed heap pages back between batches (kg/memory.py)

    extract_and_write(_skip_unchanged(papers, sides, summary, warn, curation=curation))
    if duplicates:
        # the best text among each id's later records, carrying the metadata of all of them,
        # against what each side holds now (its plan merges that metadata into the stored paper)
        best = _best_records(duplicates, warn)
        # (their count is the report's duplicates, not the store's unchanged papers)
        extract_and_write(_skip_unchanged(best, sides, BuildSummary(report), warn, curation=curation))
    if curation is not None:
        _finish_curation(curation, sides, warn)
    summary.seconds = time.perf_counter() - t0
    papers.raise_if_failed()  # after the good records before the failure are stored
    return summary


def _rank(paper: Paper) -> tuple[int, int, str]:
    return text_rank(paper.title, paper.abstract)


def _best_records(duplicates: list[Paper], warn: Callable[[str, str], None]) -> list[Paper]:
    """One record per id: the text that ranks first, with the metadata of every record folded in."""
    best: dict[str, Paper] = {}
    metadata: dict[str, dict] = {}
    for paper in duplicates:
        fields = {f: getattr(paper, f) for f in METADATA}
        metadata[paper.id] = merge_metadata(metadata.get(paper.id, {}), fields)
        current = best.get(paper.id)
        if current is None:
            best[paper.id] = paper
            continue
        winner, loser = (paper, current) if _rank(paper) > _rank(current) else (current, paper)
        best[paper.id] = winner
        if _rank(loser) != _rank(winner):
            warn(loser.source, f"id '{loser.id}' has another record with a fuller text: that one "
                               f"is kept ({_POLICY})")
    return [dataclasses.replace(p, **{k: v for k, v in metadata[pid].items() if k != "source"},
                                source=metadata[pid]["source"] or p.source) for pid, p in best.items()]


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


def _skip_unchanged(papers: Iterable[Paper], sides: list, summary: BuildSummary,
                    warn: Callable[[str, str], None] | None = None,
                    chunk: int = 5000, curation: Curation | None = None) -> Iterator[Paper]:
    """Papers to extract and write: those that some side of the store would add or replace
    (:func:`kg.stores.plan.paper_decision`, against that side's own record). Papers every side
    would skip — stored with the same text, or with a text that outranks theirs — are neither
    extracted nor loaded again; their metadata merges into each side's stored paper."""
    for batch in batched(papers, chunk):
        hashes = {p.id: paper_hash(p) for p in batch}
        if curation is not None:  # a correction changes the hash of the papers it changes
            hashes = {pid: curation.paper_hash(pid, h) for pid, h in hashes.items()}
        stored = [read_stored(side, hashes) for side in sides]
        skipped = []
        for paper in batch:
            decisions = [paper_decision(paper.title, paper.abstract, hashes[paper.id], held.get(paper.id))
                         for held in stored]
            if warn is not None:
                _warn_text(paper, decisions[0], stored[0].get(paper.id), hashes[paper.id], warn)
            if all(d == SKIP for d in decisions):
                skipped.append(paper)
            else:
                yield paper
        summary.writes.papers_unchanged += len(skipped)
        if skipped:
            records = [{"id": p.id, **{f: getattr(p, f) for f in METADATA}} for p in skipped]
            for side, held in zip(sides, stored):
                side.write(plan_metadata(records, held))


def _warn_text(paper: Paper, decision: str, stored, content_hash: str, warn: Callable[[str, str], None]) -> None:
    """Say when a record meets a stored paper with another text, and which text is kept."""
    if stored is None or stored.hash in (None, content_hash):
        return
    if (paper.title, paper.abstract) == (stored.title or "", stored.abstract or ""):
        return  # the extractor changed: extracted again, nothing to say
    if decision == REPLACE:
        warn(paper.source, f"id '{paper.id}' was stored with another text: this one replaces it ({_POLICY})")
    else:
        warn(paper.source, f"id '{paper.id}' is stored with another text: that one is kept ({_POLICY})")


def _finish_curation(curation: Curation, sides: list, warn: Callable[[str, str], None]) -> None:
    """Set the stored rows of curated entities on every side (kg.curation: entities only grow
    under the upsert plan), and say which rejections removed nothing."""
    if curation.has_entity_corrections:
        from kg.graph import ENTITY_LABELS

        for i, side in enumerate(sides):
            stored = {label: side.stored_entities(label, curation.entity_keys(label)) for label in ENTITY_LABELS}
            if i == 0:
                for entry in curation.entries_naming_nothing(stored):
                    warn(f"{curation.source}:{entry.line}", f"{entry.op} names no stored {entry.kind} "
                         f"({entry.describe()}): `kg find NAME` shows its key; write {{key: KEY}}")
            side.write(curation.plan_entities(stored))
    for entry in curation.unmatched_rejections():
        warn(f"{curation.source}:{entry.line}", f"rejects no {entry.fact} of paper "
             f"'{entry.fields['paper']}' ({entry.describe()}); kg curate list shows the entry")


def write_batch(store: GraphWriter, batch: list[Extraction], summary: BuildSummary | None = None,
                curation: Curation | None = None) -> WriteStats:
    tables = build_tables(batch) if curation is None else curation.build_tables(batch)
    if summary is not None:
        summary.comparisons += sum(len(e.comparisons) for e in batch)
        summary.results += sum(len(e.results) for e in batch)
        summary.entities += sum(len(tables.nodes[label]) for label in ("Method", "Dataset", "Metric", "Task"))
    return store.write(tables)
