"""Where exports may write: never into a kg store, never over what kg did not write.

Directory exports (``kg export --format csv|parquet|neo4j-import -o DIR``) are written into a
fresh sibling directory, then put in place by rename, and carry a marker file, ``.kg-export``,
listing the files kg wrote there. What happens to ``DIR``:

- missing, or an empty directory: it receives the export;
- a previous export of kg (its marker lists everything in it): replaced as a whole, by rename
  (the old files, and only those, are deleted afterwards);
- anything else that is not empty: refused (usage error) unless ``force``; with ``force`` the
  export's files are written into it one by one (each by rename) and nothing else there is
  touched, deleted or marked;
- a kg store, inside one, or containing the store being exported: always refused.

Single-file exports (``kg.output.atomic_path``: RDF, GraphML, GEXF, plots) are written to a
temporary file beside the target and renamed onto it, and are refused inside a kg store.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KgError, UsageError

MARKER = ".kg-export"


def is_kg_store(folder: Path) -> bool:
    """Whether ``folder`` is a kg store directory (LadybugDB database, or its metadata with the
    RDF store or the write lock beside it)."""
    if (folder / "graph.lbdb").exists():
        return True
    return (folder / "meta.json").is_file() and ((folder / "rdf").is_dir() or (folder / "write.lock").exists())


def check_target(target: str | os.PathLike, store: str | os.PathLike | None = None) -> Path:
    """``target`` resolved (symbolic links followed), refused when it is a kg store, lies inside
    one, or contains ``store`` (the store being exported)."""
    path = Path(target).resolve()
    for folder in (path, *path.parents):
        if is_kg_store(folder):
            where = "is" if folder == path else "is inside"
            raise UsageError(f"refusing to write {target}: it {where} the kg store {folder}; "
                             "export somewhere outside the store")
    if store is not None:
        store_dir = Path(store).resolve()
        if store_dir == path or path in store_dir.parents:
            raise UsageError(f"refusing to write {target}: it contains the kg store {store}; "
                             "export somewhere outside the store")
    return path


def _entries(folder: Path) -> tuple[set[str], set[str]]:
    """Files (and symbolic links) and directories under ``folder``, as relative POSIX paths."""
    files, dirs = set(), set()
    for root, subdirs, names in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for d in list(subdirs):
            p = Path(root) / d
            if p.is_symlink():  # not ours to follow: counts as a file kg did not write
                files.add((rel / d).as_posix())
                subdirs.remove(d)
            else:
                dirs.add((rel / d).as_posix())
        files.update((rel / n).as_posix() for n in names)
    return files, dirs


def _marked_files(folder: Path) -> set[str] | None:
    """The files the marker of ``folder`` lists; None without a readable marker."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("written_by") == "kg" else None
    return set(files) if isinstance(files, list) and all(isinstance(f, str) for f in files) else None


def _is_ours(folder: Path) -> bool:
    """Everything in ``folder`` is listed by its marker: a previous export of kg."""
    listed = _marked_files(folder)
    if listed is None:
        return False
    files, dirs = _entries(folder)
    parents = {p.as_posix() for f in listed for p in Path(f).parents if p.as_posix() != "."}
    return files - {MARKER} <= listed and dirs <= parents


def _state(out: Path) -> str:
    if not out.exists():
        return "missing"
    if not out.is_dir():
        return "file"
    if not any(out.iterdir()):
        return "empty"
    return "ours" if _is_ours(out) else "foreign"


def _write_marker(folder: Path, files: set[str], kind: str) -> None:
    (folder / MARKER).write_text(json.dumps({"written_by": "kg", "format": kind, "files": sorted(files)},
                                            indent=1) + "\n", encoding="utf-8")


def _refuse_foreign(out: Path) -> UsageError:
    return UsageError(f"refusing to write into {out}: it is not empty and is not a kg export (whose "
                      f"{MARKER} file lists everything in it); choose a new or empty directory, or pass "
                      "--force to add the export's files to it (nothing else there is touched)")


def check_export_directory(out_dir: str | os.PathLike, force: bool = False,
                           store: str | os.PathLike | None = None) -> Path:
    """The refusals of :func:`export_directory`, before anything is read or written; returns
    ``out_dir`` resolved (a symbolic link to a directory is followed)."""
    out = check_target(out_dir, store)
    state = _state(out)
    if state == "file":
        raise UsageError(f"{out_dir} exists and is not a directory; give a directory for this format")
    if state == "foreign" and not force:
        raise _refuse_foreign(out)
    return out


@contextlib.contextmanager
def export_directory(out_dir: str | os.PathLike, kind: str, force: bool = False,
                     store: str | os.PathLike | None = None) -> Iterator[Path]:
    """A fresh directory to write an export into; when the block succeeds its files are put at
    ``out_dir`` by the rules of this module (a failure leaves ``out_dir`` as it was).

    >>> with export_directory("tables", "csv") as tmp:          # doctest: +SKIP
    ...     (tmp / "Paper.csv").write_text("id\\n")
    """
    out = check_export_directory(out_dir, force, store)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {parent}: {exc.strerror or exc}") from None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.kg-tmp-", dir=parent))
    try:
        yield tmp
        written, _ = _entries(tmp)
        state = _state(out)  # again: it may have changed while the export was written
        if state == "foreign" and not force:
            raise _refuse_foreign(out)
        if state == "missing":
            _write_marker(tmp, written, kind)
            tmp.rename(out)
        elif state == "empty":
            _move_into(tmp, out, written)
            _write_marker(out, written, kind)
        elif state == "ours":
            _swap(tmp, out, written, kind)
        else:
            _move_into(tmp, out, written)
            files, _ = _entries(out)
            if files <= written | {MARKER}:  # nothing but this export there now: it is ours
                _write_marker(out, written, kind)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _move_into(tmp: Path, out: Path, files: set[str]) -> None:
    """Each file of ``tmp`` renamed onto its place in ``out`` (replacing a file of that name)."""
    for rel in sorted(files):
        target = out / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(f"{target} is a directory")
            os.replace(tmp / rel, target)
        except OSError as exc:
            raise KgError(f"cannot write {target}: {exc.strerror or exc}") from None


def _swap(tmp: Path, out: Path, written: set[str], kind: str) -> None:
    """Replace a previous export by the new one: two renames, then the old export's own files
    (those its marker lists) are deleted, and its directories if that leaves them empty."""
    here = Path.cwd().resolve()
    if here == out or out in here.parents:
        raise UsageError(f"cannot replace {out} while it holds the working directory; run the export "
                         "from another directory")
    _write_marker(tmp, written, kind)
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.kg-old-", dir=out.parent))
    old.rmdir()  # a free name beside out
    out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        old.rename(out)  # put the previous export back
        raise
    listed = _marked_files(old) or set()
    for rel in sorted(listed | {MARKER}):
        with contextlib.suppress(OSError):
            (old / rel).unlink()
    for folder in sorted((p for p in old.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        old.rmdir()
