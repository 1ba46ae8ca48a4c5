"""SPARQL queries that a time limit or Ctrl-C can stop (``kg sparql``, ``kg query --lang sparql``).

pyoxigraph evaluates a query in Rust without looking at signals or clocks (it releases the GIL,
so other Python threads keep running): inside the process that runs it, a query can be waited
for, not stopped. So:

- one-shot commands (``kg sparql -e``, a script on stdin, ``kg query --lang sparql``) run the
  query in a thread and wait at most the time limit, answering Ctrl-C at once: the process then
  ends, and the query with it (:func:`run_bounded`);
- the interactive console runs its queries in a worker process with its own read-only handle
  on the store (:class:`QueryProcess`): a query past its time limit, or interrupted with Ctrl-C,
  is stopped by ending that process, and the next query starts a new one.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from kg.errors import KgError, QueryError

T = TypeVar("T")
POLL_S = 0.05


def _timed_out(timeout: float) -> QueryError:
    return QueryError(f"query stopped after {timeout:g} s (raise the limit with --timeout)")


def run_bounded(job: Callable[[], T], timeout: float | None) -> T:
    """``job()`` in a daemon thread, waited for at most ``timeout`` seconds (QueryError after
    that); Ctrl-C raises KeyboardInterrupt here at once. The thread cannot be stopped: use this
    where the process ends after a failure."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = job()
        except BaseException as exc:  # handed to the waiting thread
            _forget_locals(exc)
            box["error"] = exc

    worker = threading.Thread(target=work, name="kg-sparql", daemon=True)
    worker.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while worker.is_alive():
        worker.join(POLL_S)
        if deadline is not None and time.monotonic() > deadline and worker.is_alive():
            raise _timed_out(timeout)  # type: ignore[arg-type]
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _forget_locals(exc: BaseException | None) -> None:
    """Drop the local variables of the frames an exception (and the ones it chains) went
    through: pyoxigraph's result objects must be freed on the thread that made them."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


def _serve(conn, store_dir: str, allow_service: bool) -> None:
    """The worker: open the store read-only, answer (query, bindings) with a DataFrame or the
    KgError it raised."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the console decides what Ctrl-C stops
    from kg.stores.oxigraph import OxigraphStore

    try:
        store = OxigraphStore(store_dir, read_only=True, allow_service=allow_service)
    except KgError as exc:
        conn.send(("error", exc))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, bindings = request
        try:
            conn.send(("ok", store.sparql(text, bindings)))
        except KgError as exc:
            conn.send(("error", exc))
        except Exception as exc:  # noqa: BLE001 - reported in the console, the worker lives on
            conn.send(("error", KgError(f"{type(exc).__name__}: {exc}")))


class QueryProcess:
    """SPARQL on the RDF store of ``store_dir`` in a worker process that can be stopped.

    >>> with QueryProcess("kg-data", timeout=5) as q:            # doctest: +SKIP
    ...     q.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    """

    def __init__(self, store_dir: str, timeout: float | None = None, allow_service: bool = False,
                 start_timeout: float = 60.0):
        self.store_dir = str(store_dir)
        self.timeout = timeout
        self.allow_service = allow_service
        self.start_timeout = start_timeout
        self._process = None
        self._conn = None

    def _start(self) -> None:
        import multiprocessing

        # a fresh interpreter, not a fork: RocksDB handles and threads do not survive fork
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.store_dir, self.allow_service),
                                    name="kg-sparql-worker", daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        if not parent.poll(self.start_timeout):
            self.stop()
            raise KgError(f"the SPARQL worker did not start within {self.start_timeout:g} s")
        try:
            kind, payload = parent.recv()
        except (EOFError, OSError):
            self.stop()
            raise KgError("the SPARQL worker exited while opening the store") from None
        if kind == "error":
            self.stop()
            raise payload

    def sparql(self, query: str, bindings: dict | None = None) -> pd.DataFrame:
        """Run one query; QueryError after the time limit, KeyboardInterrupt on Ctrl-C (the
        worker is stopped in both cases)."""
        from kg.stores.readonly import check_sparql

        check_sparql(query, allow_service=self.allow_service)  # refused before any process starts
        if self._process is None or not self._process.is_alive():
            self.stop()
            self._start()
        assert self._conn is not None
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            self._conn.send((query, dict(bindings or {})))
            while not self._conn.poll(POLL_S):
                if not self._process.is_alive():  # type: ignore[union-attr]
                    raise KgError("the SPARQL worker stopped unexpectedly; run the query again")
                if deadline is not None and time.monotonic() > deadline:
                    self.stop()
                    raise _timed_out(self.timeout)  # type: ignore[arg-type]
            kind, payload = self._conn.recv()
        except KeyboardInterrupt:
            self.stop()
            raise
        except (EOFError, OSError):
            self.stop()
            raise KgError("the SPARQL worker stopped unexpectedly; run the query again") from None
        if kind == "error":
            raise payload
        return payload

    def stop(self) -> None:
        """End the worker (a running query with it)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    close = stop

    def __enter__(self) -> QueryProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
