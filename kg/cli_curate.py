"""``kg curate``: write corrections to the curation file and list them (docs/curation.md).

Names typed here are looked up in the store (any alias, any case; a misspelt one gets the closest
known names), and the entry records the entity's key when its name alone would not find it. The
file is checked whole before it is replaced (atomically); ``kg build`` applies it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.errors import UsageError

# kg.graph.ENTITY_LABELS, written out: the CLI imports this module at start, before pandas is needed
ENTITY_LABELS = ("Method", "Dataset", "Metric", "Task")

STORE_HELP = "Store directory (default: $KG_STORE or ./kg-data); names are checked against it."
KINDS = click.Choice(list(ENTITY_LABELS), case_sensitive=False)


def curation_file(store_dir: str | None, file: str | None) -> Path:
    """``--file``, else ``<store>/curation.yaml``."""
    from kg.config import store_path
    from kg.curation import default_path

    return Path(file) if file else default_path(store_path(store_dir))


class Names:
    """Entity names and paper ids checked against a store (when there is one to read)."""

    def __init__(self, store_dir: str | None, neo4j_uri: str | None = None):
        from kg.config import store_path

        self.store = None
        self.where = neo4j_uri or str(store_path(store_dir))
        if neo4j_uri or (Path(self.where) / "graph.lbdb").exists():
            from kg.stores.open import open_store, resolve_target

            self.store = open_store(resolve_target(store_dir, neo4j_uri))
        self._entities = None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def entity(self, text: str, kind: str | None, allow_new: bool = False) -> tuple[str, dict | str]:
        """(kind, the reference to write: the name, or {key, name} when the name alone would
        resolve to another key). ``key:KEY`` names an entity by its key. ``allow_new``: a name
        the store does not know is written as given (an added fact may name a new entity)."""
        from kg.curation.file import _ref

        if self.store is None:
            if kind is None:
                raise UsageError(f"no store at {self.where} to look {text!r} up in: give --kind")
            return kind.title(), text
        hits = self._lookup(text, kind)
        if not hits and allow_new and kind and not text.startswith("key:"):
            click.echo(f"note: {self._unknown(text, kind)}; the build adds it as a new {kind.title()}", err=True)
            return kind.title(), text
        if not hits:
            raise UsageError(self._unknown(text, kind))
        if len(hits) > 1:
            listed = "; ".join(f"{label} {name} (key {key})" for label, key, name in hits)
            raise UsageError(f"{text!r} names several entities: {listed}. Give --kind, or key:KEY")
        label, key, name = hits[0]
        plain = _ref(name, label, "", "")
        return label, (name if plain.key == key else {"key": key, "name": name})

    def _lookup(self, text: str, kind: str | None) -> list[tuple[str, str, str]]:
        from kg.graph import ALIAS_LABEL, ALIAS_REL
        from kg.normalize import norm_key

        labels = [kind.title()] if kind else list(ENTITY_LABELS)
        by_key = text.startswith("key:")
        key = text[4:].strip() if by_key else norm_key(text)
        hits = []
        for label in labels:
            if by_key:
                df = self.store.cypher(f"MATCH (n:{label} {{key: $key}}) RETURN n.key AS key, n.name AS name",
                                       {"key": key})
            else:
                df = self.store.cypher(f"MATCH (:{ALIAS_LABEL} {{key: $key}})-[:{ALIAS_REL}]->(n:{label}) "
                                       "RETURN n.key AS key, n.name AS name", {"key": key})
            hits += [(label, str(k), str(n)) for k, n in zip(df["key"], df["name"])]
        return sorted(set(hits))

    def _unknown(self, text: str, kind: str | None) -> str:
        from kg.suggest import closest, entity_names

        labels = [kind.title()] if kind else list(ENTITY_LABELS)
        near = closest(text, entity_names(self.store, labels))
        what = kind.title() if kind else "method, dataset, metric or task"
        hint = (f"; did you mean {', '.join(f'{n} ({k})' for n, k in zip(near['name'], near['kind']))}?"
                if len(near) else " (kg find TEXT lists names)")
        return f"no {what} is known as {text!r} in {self.where}{hint}"

    def paper(self, pid: str) -> str:
        if self.store is None:
            return pid
        found = self.store.cypher("MATCH (p:Paper {id: $id}) RETURN p.id AS id", {"id": pid})
        if found.empty:
            import difflib

            ids = [str(i) for i in self.store.cypher("MATCH (p:Paper) RETURN p.id AS id")["id"]]
            near = difflib.get_close_matches(pid, ids, n=5, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UsageError(f"no paper has the id {pid!r} in {self.where}{hint}")
        return pid

    def fact_ref(self, text: str | None, kind: str, sota: bool = False, allow_new: bool = False):
        if text is None:
            return None
        if sota and text.strip().lower() in ("sota", "state of the art", "state-of-the-art"):
            return "SOTA"
        return self.entity(text, kind, allow_new)[1]


def _options(f):
    for option in reversed([
        click.option("--file", "file", metavar="FILE", help="The curation file (default: <store>/curation.yaml)."),
        click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP),
        click.option("--neo4j", "neo4j_uri", envvar="KG_NEO4J_URI", metavar="URI",
                     help="Check names against a Neo4j/Bolt store instead."),
        click.option("--reason", help="Why (kept in the file, shown by kg curate list)."),
    ]):
        f = option(f)
    return f


def _write(store_dir, file, op: str, body: dict, reason: str | None) -> None:
    from kg.curation import append_entry

    if reason:
        body["reason"] = reason
    path = curation_file(store_dir, file)
    entry = append_entry(path, {op: body})
    click.echo(f"{path}:{entry.line}: {entry.describe()}")
    click.echo("applied by the next build: kg build INPUT… (papers it changes are written again)", err=True)


@click.group()
def curate() -> None:
    """Corrections that survive rebuilds: merge, split, rename, reject, add; list them.

    \b
    Each command adds an entry to the curation file (<store>/curation.yaml, or --file), which
    every `kg build` of the store applies (docs/curation.md). Examples:
      kg curate merge ResNet-50 ResNet50-D           # ResNet50-D is ResNet-50
      kg curate split ImageNet ImageNet-1k --kind Dataset
      kg curate rename key:gatedprototyperouting "Gated Prototype Routing"
      kg curate reject claim --paper kgs-006 --winner SpectraDrop --loser TideMix --dataset CIFAR-100
      kg curate add claim --paper kgs-005 --winner TideMix --loser Mixup --dataset CIFAR-100 \\
          --evidence "TideMix improves on Mixup by 1.2 points on CIFAR-100."
      kg curate list
    """


@curate.command()
@click.argument("keep")
@click.argument("other")
@click.option("--kind", type=KINDS, help="Method, Dataset, Metric or Task (when a name is ambiguous).")
@_options
def merge(keep: str, other: str, kind: str | None, file, store_dir, neo4j_uri, reason) -> None:
    """OTHER is the same entity as KEEP: its names, aliases and facts go to KEEP."""
    names = Names(store_dir, neo4j_uri)
    try:
        label, into = names.entity(keep, kind)
        _, from_ = names.entity(other, label)
    finally:
        names.close()
    _write(store_dir, file, "merge", {"kind": label, "into": into, "from": from_}, reason)


@curate.command()
@click.argument("entity")
@click.argument("alias")
@click.option("--kind", type=KINDS, help="Method, Dataset, Metric or Task (when a name is ambiguous).")
@_options
def split(entity: str, alias: str, kind: str | None, file, store_dir, neo4j_uri, reason) -> None:
    """ALIAS is not a name of ENTITY: papers writing it get an entity of their own."""
    names = Names(store_dir, neo4j_uri)
    try:
        label, ref = names.entity(entity, kind)
    finally:
        names.close()
    _write(store_dir, file, "split", {"kind": label, "entity": ref, "alias": alias}, reason)


@curate.command()
@click.argument("entity")
@click.argument("name")
@click.option("--kind", type=KINDS, help="Method, Dataset, Metric or Task (when a name is ambiguous).")
@_options
def rename(entity: str, name: str, kind: str | None, file, store_dir, neo4j_uri, reason) -> None:
    """ENTITY is shown as NAME (its old name stays an alias)."""
    names = Names(store_dir, neo4j_uri)
    try:
        label, ref = names.entity(entity, kind)
    finally:
        names.close()
    _write(store_dir, file, "rename", {"kind": label, "entity": ref, "name": name}, reason)


def _fact_options(f):
    for option in reversed([
        click.argument("fact", type=click.Choice(["claim", "result"])),
        click.option("--paper", required=True, help="The paper's id (kg query method_profile shows them)."),
        click.option("--winner", help="claim: the method that wins."),
        click.option("--loser", help="claim: the method beaten, or SOTA."),
        click.option("--method", help="result: the method measured."),
        click.option("--dataset", help="The dataset (optional for reject: any)."),
        click.option("--metric", help="The metric (optional for reject: any)."),
    ]):
        f = option(f)
    return f


def _fact_body(names: Names, fact: str, paper: str, winner, loser, method, dataset, metric,
               new: bool = False) -> dict:
    needed = ("winner", "loser") if fact == "claim" else ("method",)
    given = {"winner": winner, "loser": loser, "method": method}
    for name in needed:
        if not given[name]:
            raise UsageError(f"a {fact} needs --{name}")
    for name in {"winner", "loser", "method"} - set(needed):
        if given[name]:
            raise UsageError(f"--{name} is for a {'result' if fact == 'claim' else 'claim'}, not a {fact}")
    body: dict = {"paper": names.paper(paper)}
    if fact == "claim":
        body["winner"] = names.fact_ref(winner, "Method", allow_new=new)
        body["loser"] = names.fact_ref(loser, "Method", sota=True, allow_new=new)
    else:
        body["method"] = names.fact_ref(method, "Method", allow_new=new)
    if dataset:
        body["dataset"] = names.fact_ref(dataset, "Dataset", allow_new=new)
    if metric:
        body["metric"] = names.fact_ref(metric, "Metric", allow_new=new)
    return body


@curate.command()
@_fact_options
@click.option("--value", type=float, help="result: the value (optional: any).")
@_options
def reject(fact, paper, winner, loser, method, dataset, metric, value, file, store_dir, neo4j_uri, reason) -> None:
    """A claim (winner, loser, dataset) or a result of a paper is wrong: builds leave it out."""
    names = Names(store_dir, neo4j_uri)
    try:
        body = _fact_body(names, fact, paper, winner, loser, method, dataset, metric)
    finally:
        names.close()
    if value is not None:
        if fact != "result":
            raise UsageError("--value is for a result")
        body["value"] = value
    _write(store_dir, file, "reject", {fact: body}, reason)


@curate.command()
@_fact_options
@click.option("--value", type=float, help="result: the value (required).")
@click.option("--unit", help="result: the unit ('%').")
@click.option("--delta", help="claim: by how much, as written ('1.2%').")
@click.option("--evidence", required=True, help="The sentence that states it (yours or the paper's).")
@_options
def add(fact, paper, winner, loser, method, dataset, metric, value, unit, delta, evidence, file, store_dir,
        neo4j_uri, reason) -> None:
    """A claim or a result the extractor missed, with its evidence: every build adds it to the
    paper (component 'curation', confidence 1.0)."""
    names = Names(store_dir, neo4j_uri)
    try:
        body = _fact_body(names, fact, paper, winner, loser, method, dataset, metric, new=True)
    finally:
        names.close()
    if fact == "result":
        if value is None:
            raise UsageError("a result needs --value")
        body["value"] = value
        if unit:
            body["unit"] = unit
    elif value is not None or unit:
        raise UsageError("--value and --unit are for a result")
    if delta:
        if fact != "claim":
            raise UsageError("--delta is for a claim")
        body["delta"] = delta
    _write(store_dir, file, "add", {fact: body, "evidence": evidence}, reason)


@curate.command(name="list")
@click.option("--file", "file", metavar="FILE", help="The curation file (default: <store>/curation.yaml).")
@click.option("--store", "store_dir", envvar="KG_STORE", help="Store directory (default: $KG_STORE or ./kg-data).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_(file, store_dir, fmt: str) -> None:
    """Show the corrections in the curation file, with their line numbers."""
    from kg.curation import read_entries

    path = curation_file(store_dir, file)
    entries = read_entries(path)
    if fmt == "json":
        click.echo(json.dumps([{"line": e.line, **e.raw} for e in entries], ensure_ascii=False, indent=1))
        return
    if not entries:
        click.echo(f"{path}: no corrections" + ("" if path.exists() else " (no file yet)"))
        return
    click.echo(f"{path}: {len(entries)} correction(s)")
    for e in entries:
        why = f"  — {e.reason}" if e.reason else ""
        click.echo(f"  line {e.line:<4} {e.op:<7} {e.describe()}{why}")


def register(cli: click.Group) -> None:
    cli.add_command(curate)


def build_curation(store_dir: str | None, neo4j_uri: str | None, file: str | None):
    """The curation ``kg build`` applies: ``--curation FILE`` (which must exist), else the store
    directory's curation.yaml when there is one (a Bolt store has no directory: --curation)."""
    from kg.curation import Curation

    if file is not None:
        if not Path(file).is_file():
            raise UsageError(f"--curation {file}: no such file")
        return Curation.from_file(file)
    if neo4j_uri:
        return None
    path = curation_file(store_dir, None)
    return Curation.from_file(path) if path.exists() else None
