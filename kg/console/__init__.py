"""The interactive Cypher console (``kg console``, also ``kg cypher``): multi-line statements
ending in ``;``, history across sessions, Tab completion by context, four output formats, a
per-row detail view, ``:schema`` with counts, readable ``EXPLAIN``/``PROFILE``, parameters and
the canned queries (docs/console.md).

The console talks to a small :class:`Engine` (run a statement with parameters, interrupt it,
run a canned query), so the same loop serves the embedded store and Neo4j. Completion lives in
:mod:`kg.console.complete`, printing in :mod:`kg.console.render`, the graph's shape and
``:schema`` in :mod:`kg.console.schema`.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

import pandas as pd

from kg.console.render import (
    FORMATS,
    PLAN_COLUMN,
    format_frame,
    format_plan,
    format_row,
    internal_labels_in,
    is_plan,
)
from kg.console.schema import GraphSchema, describe, describe_one
from kg.errors import KgError

HELP = """\
Statements end with ';' and may span lines. Tab completes labels after ':' in a node pattern,
relationship types after '[:', property keys after 'var.', $parameters, keywords, commands,
canned query names after ':run ' and their parameters.
Commands:
  :help                     this text
  :schema [LABEL|TYPE]      labels, relationship types and properties with counts; one in detail
  :format [table|wide|json|csv]
                            how answers print (now: {fmt}); wide shows long sentences whole
  :row N                    row N of the last answer, one field a line, nothing cut
  :param NAME => VALUE      set a parameter ($NAME); VALUE is JSON (5, "x", [1,2]) or plain text
  :params                   list parameters          :clear   forget all parameters
  :queries                  list the canned queries
  :run NAME k=v …           run a canned query (names match any alias, any case)
  :quit                     leave (also Ctrl-D)
EXPLAIN or PROFILE before a statement prints its plan as a tree (PROFILE: rows and ms per step).
Alias nodes and NAMES relationships are the name index, not facts: MATCH (n) includes them;
WHERE label(n) <> 'Alias' leaves them out. Cypher here is LadybugDB's: docs/console.md lists
what differs from Neo4j (shortestPath, pattern comprehension, type(r), …) and what to write.
Ctrl-C cancels the statement being typed or run, not the console."""

ALIAS_HINT = ("note: Alias nodes and NAMES relationships are the name index behind canned queries, not "
              "facts; WHERE label(n) <> 'Alias' leaves them out (docs/console.md)")


@dataclass
class Engine:
    """What the console needs from a store."""

    run: Callable[[str, dict], pd.DataFrame]
    interrupt: Callable[[], None]
    canned: Callable[[str, dict], pd.DataFrame] | None = None
    canned_names: list[str] = field(default_factory=list)
    schema: GraphSchema = field(default_factory=GraphSchema.from_model)


def parse_value(text: str) -> object:
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text.strip("'")


def canned_parameters(name: str) -> list[str]:
    """Parameter names of a canned query ([] for a name that is not one)."""
    from kg.queries import load_query

    try:
        return [p.name for p in load_query(name).params]
    except KgError:
        return []


class Console:
    def __init__(self, engine: Engine, out: TextIO | None = None, history: str | None = None,
                 fmt: str = "table"):
        self.engine = engine
        self.out = out or sys.stdout
        self.params: dict[str, object] = {}
        self.history = history
        self.fmt = fmt
        self.last: pd.DataFrame | None = None  # the last answer, for :row
        self.pending: list[str] = []  # lines of a statement being typed (for completion)

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # -- one unit of input ------------------------------------------------------------------
    def handle(self, text: str) -> bool:
        """Run a statement or a ':' command; False when the user asked to quit."""
        text = text.strip()
        if not text:
            return True
        if text.startswith(":"):
            return self.command(text)
        statement = text.rstrip(";").strip()
        self.execute(statement, lambda: self.engine.run(statement, dict(self.params)))
        return True

    def command(self, text: str) -> bool:
        name, _, rest = text[1:].partition(" ")
        name, rest = name.lower(), rest.strip()
        if name in ("quit", "exit", "q"):
            return False
        if name == "help":
            self.say(HELP.format(fmt=self.fmt))
        elif name == "format":
            if not rest:
                self.say(f"format: {self.fmt} (one of {', '.join(FORMATS)})")
            elif rest.lower() in FORMATS:
                self.fmt = rest.lower()
                self.say(f"format: {self.fmt}")
            else:
                self.say(f"error: unknown format {rest!r}; use one of {', '.join(FORMATS)}")
        elif name == "row":
            self.show_row(rest)
        elif name == "schema":
            run = self.engine.run
            self.say(describe_one(self.engine.schema, run, rest) if rest else describe(self.engine.schema, run))
        elif name == "param":
            key, sep, value = rest.partition("=>")
            key = key.strip().lstrip("$")
            if not sep or not key:
                self.say("usage: :param NAME => VALUE")
            else:
                self.params[key] = parse_value(value)
                self.say(f"${key} = {json.dumps(self.params[key])}")
        elif name == "params":
            for k, v in self.params.items():
                self.say(f"${k} = {json.dumps(v)}")
            if not self.params:
                self.say("(no parameters)")
        elif name == "clear":
            self.params.clear()
        elif name == "queries":
            from kg.queries import load_query

            for q in self.engine.canned_names:
                cq = load_query(q)
                args = " ".join(p.name + "=…" + ("?" if p.optional else "") for p in cq.params)
                self.say(f"{q:22s} {args:38s} {cq.description}")
        elif name == "run":
            self.run_canned(rest)
        else:
            self.say(f"error: unknown command :{name} (:help lists them)")
        return True

    def show_row(self, rest: str) -> None:
        if self.last is None or self.last.empty:
            self.say("error: no answer to show yet; run a statement first")
            return
        if not rest.isdigit() or not 1 <= int(rest) <= len(self.last):
            self.say(f"error: :row takes a row number from 1 to {len(self.last)}")
            return
        self.say(format_row(self.last, int(rest)))

    def run_canned(self, rest: str) -> None:
        try:
            words = shlex.split(rest)
        except ValueError as exc:
            self.say(f"error: {exc}")
            return
        if not words or self.engine.canned is None:
            self.say("usage: :run NAME k=v …")
            return
        params = {}
        for w in words[1:]:
            k, sep, v = w.partition("=")
            if not sep:
                self.say(f"error: expected k=v, got {w!r}")
                return
            params[k] = v
        canned = self.engine.canned
        self.execute(words[0], lambda: canned(words[0], params))

    def execute(self, label: str, job: Callable[[], pd.DataFrame]) -> None:
        """Run ``job`` in a worker thread so Ctrl-C can interrupt the engine, then print."""
        box: dict[str, object] = {}

        def work() -> None:
            try:
                box["df"] = job()
            except BaseException as exc:  # reported below, in the console thread
                box["error"] = exc

        t0 = time.perf_counter()
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
        except KeyboardInterrupt:
            self.engine.interrupt()
            worker.join(5)
            self.say("cancelled")
            return
        ms = (time.perf_counter() - t0) * 1000
        if "error" in box:
            self.say(f"error: {error_message(box['error'])}")
            return
        df = box["df"]
        assert isinstance(df, pd.DataFrame)
        for message in df.attrs.get("unknown", []):  # a misspelt name in :run, with suggestions
            self.say(f"warning: {message}")
        self.show(df)
        if not is_plan(df):
            self.last = df
            self.say(f"({len(df)} row{'s' if len(df) != 1 else ''}, {ms:.1f} ms)")
        else:
            self.say(f"({ms:.1f} ms)")

    def show(self, df: pd.DataFrame, count: bool = False) -> None:
        """An answer in the current format (``count``: with its row count after a table); a plan
        as a tree (as it came in json and csv)."""
        if is_plan(df) and self.fmt in ("table", "wide"):
            self.say(format_plan(df[PLAN_COLUMN].iloc[0]))
            return
        self.say(format_frame(df, self.fmt))
        if count and self.fmt in ("table", "wide") and not df.empty:
            self.say(f"({len(df)} row{'s' if len(df) != 1 else ''})")
        if internal_labels_in(df, set(self.engine.schema.internal)):
            self.say(ALIAS_HINT)

    # -- loops ------------------------------------------------------------------------------
    def run_script(self, text: str) -> int:
        """Statements separated by ';' (commands on their own lines); returns failures."""
        failures = 0
        buffer: list[str] = []
        for line in text.splitlines():
            stripped = line.strip()
            if not buffer and stripped.startswith(":"):
                failures += self._run_counting(stripped)
                if stripped.lower() in (":quit", ":exit", ":q"):
                    break
                continue
            if stripped.startswith("//") and not buffer:
                continue
            buffer.append(line)
            if stripped.endswith(";"):
                failures += self._run_counting("\n".join(buffer))
                buffer = []
        if "".join(buffer).strip():
            failures += self._run_counting("\n".join(buffer))
        return failures

    def _run_counting(self, statement: str) -> int:
        marker = {"failed": False}
        original = self.say

        def say(text: str = "") -> None:
            if text.startswith("error:"):
                marker["failed"] = True
            original(text)

        self.say = say  # type: ignore[method-assign]
        try:
            self.handle(statement)
        finally:
            self.say = original  # type: ignore[method-assign]
        return int(marker["failed"])

    def interactive(self, name: str = "kg") -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory
        from prompt_toolkit.key_binding import KeyBindings

        from kg.console.complete import CypherCompleter

        completer = CypherCompleter(self.engine.schema, lambda: "\n".join(self.pending), lambda: list(self.params),
                                    self.engine.canned_names, canned_parameters)
        keys = KeyBindings()

        @keys.add("tab")
        def _complete(event) -> None:
            # Tab puts in the first completion at once and cycles through the rest ((m:Me → Method,
            # Tab again → Metric); the menu shows them all
            buffer = event.current_buffer
            if buffer.complete_state:
                buffer.complete_next()
            else:
                buffer.start_completion(select_first=True)

        history = FileHistory(self.history) if self.history else InMemoryHistory()
        session: PromptSession = PromptSession(history=history, completer=completer.completer,
                                               complete_while_typing=False, key_bindings=keys)
        self.say(f"{name} console — statements end with ';', Tab completes, :help for commands, Ctrl-D to leave")
        self.pending = []
        while True:
            try:
                line = session.prompt(f"{name}> " if not self.pending else " " * len(name) + "| ")
            except KeyboardInterrupt:
                self.pending = []
                continue
            except EOFError:
                break
            if not self.pending and line.strip().startswith(":"):
                if not self.handle(line):
                    break
                continue
            self.pending.append(line)
            if line.strip().endswith(";"):
                statement, self.pending = "\n".join(self.pending), []
                self.handle(statement)


def error_message(exc: BaseException) -> str:
    if isinstance(exc, KgError):
        return str(exc)
    text = str(exc).strip()
    if "py_query_result_converter" in text or "UNREACHABLE_CODE" in text:
        # LadybugDB's Python binding cannot hand back an internal id value (id(n), a list of them)
        return ("this answer holds internal ids (id(n)), which LadybugDB cannot return to Python; "
                "return a property instead (n.key, n.id) or the id as text: CAST(id(n) AS STRING)")
    return text or type(exc).__name__


def default_history(kind: str) -> str:
    return os.path.join(os.path.expanduser("~"), f".kg_{kind}_history")
