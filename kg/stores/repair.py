"""``kg repair``: rebuild the RDF side of a store directory from its property graph.

The two sides of a store are written batch by batch, each from its own record, so a build that
stopped between them is completed by running it again (kg.stores.plan). What a re-run cannot
mend — an RDF store RocksDB reports as corrupt, one deleted by hand, triples changed by another
tool — is mended here: the property graph is read back, written to a new RDF store beside the
old one, and the new one takes its place (the old one is moved aside first, then deleted).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError


@dataclass
class RepairReport:
    store: Path
    state: str  # "ok", "missing", "damaged", "differs"
    papers: int = 0
    rdf_sha256: str = ""

    @property
    def message(self) -> str:
        if self.state == "ok":
            return f"{self.store}: the RDF side matches the property graph; nothing to repair"
        why = {"missing": "was missing", "damaged": "was damaged", "differs": "differed from the property graph"}
        return f"{self.store}: the RDF side {why[self.state]}; rebuilt from the property graph ({self.papers:,} papers)"


def repair_rdf_side(store_dir: str | os.PathLike, base: str | None = None, force: bool = False) -> RepairReport:
    """Check the RDF side of ``store_dir`` against its property graph and rebuild it when it is
    missing, damaged or different (always with ``force``). Holds the store's write lock."""
    from kg.integrity import rdf_hash
    from kg.rdf.from_store import read_tables
    from kg.stores.ladybug import LadybugStore
    from kg.stores.oxigraph import OxigraphStore

    folder = Path(store_dir)
    if not (folder / "graph.lbdb").exists():
        raise StoreError(f"no property graph at {folder} to rebuild the RDF side from "
                         f"(build the store with: kg build INPUT --store {folder})")
    with LadybugStore(folder) as graph:  # the write lock: no build runs meanwhile
        tables = read_tables(graph)
        state, old_base, found = _rdf_state(folder, tables)
        report = RepairReport(folder, state, len(tables.nodes["Paper"]), found)
        if state == "ok" and not force:
            return report
        work = Path(f"{folder}/.rdf-repair-{os.getpid()}")
        shutil.rmtree(work, ignore_errors=True)
        try:
            with OxigraphStore(work, base=base or old_base) as fresh:
                fresh.write(tables)
                report.rdf_sha256 = rdf_hash(fresh)
            aside = folder / f"rdf.old-{int(time.time())}"
            if (folder / "rdf").exists():
                (folder / "rdf").rename(aside)
            (work / "rdf").rename(folder / "rdf")
            shutil.rmtree(aside, ignore_errors=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return report


def _rdf_state(folder: Path, tables) -> tuple[str, str | None, str]:
    """("ok" | "missing" | "damaged" | "differs", the stored base IRI if readable, its hash)."""
    from kg.integrity import rdf_hash, tables_ntriples_hash
    from kg.stores.oxigraph import OxigraphStore

    if not (folder / "rdf").is_dir() or not any((folder / "rdf").iterdir()):
        return "missing", None, ""
    try:
        with OxigraphStore(folder, read_only=True) as rdf:
            found = rdf_hash(rdf)
            same = found == tables_ntriples_hash(tables, rdf.base)
            return ("ok" if same else "differs"), rdf.base, found
    except (StoreError, RuntimeError, OSError):
        return "damaged", None, ""
