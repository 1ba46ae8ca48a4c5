"""Run the extractor over a stream of papers, in this process or in worker processes.

Workers return plain records (``Extraction`` dataclasses), never spaCy Docs: serialising Docs
back to the parent costs more than the parallelism gains (measured: ENGINES.md).
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from kg.models import Extraction, Paper


def _extract_batch(papers: list[Paper]) -> list[Extraction]:
    from kg.extract.pipeline import build_nlp, new_doc, to_extraction

    nlp = build_nlp()
    docs = nlp.pipe((new_doc(nlp, p.text) for p in papers), batch_size=64)
    return [to_extraction(p, d) for p, d in zip(papers, docs)]


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def extract_papers(papers: Iterable[Paper], workers: int = 1, chunk: int = 64) -> Iterator[Extraction]:
    """Extractions in input order. With ``workers > 1`` a process pool is started only once the
    input proves longer than a few chunks (a pool costs a second to start)."""
    chunks = batched(papers, chunk)
    head = list(itertools.islice(chunks, max(2, workers)))
    if workers <= 1 or len(head) < 2:
        for c in itertools.chain(head, chunks):
            yield from _extract_batch(c)
        return
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    # apply_async with a bounded queue, not imap: imap lets workers run ahead of a slow consumer
    # and buffers their results without limit (memory would grow with the corpus)
    with ctx.Pool(workers) as pool:
        pending: collections.deque = collections.deque()
        for c in itertools.chain(head, chunks):
            pending.append(pool.apply_async(_extract_batch, (c,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
