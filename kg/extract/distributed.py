"""Extraction on a Dask cluster (``kg build --dask ADDRESS`` or ``--dask local``).

Input is read here, cut into chunks and submitted as futures; at most a few chunks per worker are
in flight, so memory stays bounded whatever the corpus size. Workers run the same extractor and
return plain records (``Extraction``), which are written by this process as they arrive. The
graph does not depend on arrival order (see docs/design.md), so results are taken as they
complete.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kg.errors import UsageError
from kg.extract.runner import _extract_batch, batched
from kg.models import Extraction, Paper


@contextmanager
def dask_client(address: str, workers: int = 2):
    """A client for ``address`` (``tcp://host:8786``), or a LocalCluster for ``local``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask needs the 'dask[distributed]' package: pip install 'kg[dask]'") from None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(address, timeout="3s")
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def extract_on_dask(papers: Iterable[Paper], client, chunk: int = 256, in_flight_per_worker: int = 2
                    ) -> Iterator[Extraction]:
    """Extractions of ``papers`` computed on the cluster behind ``client``."""
    from dask.distributed import as_completed

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = n_workers * in_flight_per_worker
    chunks = batched(papers, chunk)
    pending = as_completed([client.submit(_extract_batch, c, pure=False) for c in itertools.islice(chunks, limit)])
    for future in pending:
        yield from future.result()
        future.release()
        nxt = next(chunks, None)
        if nxt is not None:
            pending.add(client.submit(_extract_batch, nxt, pure=False))
