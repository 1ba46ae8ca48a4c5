"""An interactive query console (``kg cypher``): multi-line statements ending in ``;``,
history across sessions, tab completion of labels, relationship types and property keys,
aligned tables, timing, parameters and the canned queries.

The console talks to a small ``Engine`` (run a statement with parameters, interrupt it, list
schema words), so the same loop serves the embedded store and Neo4j.
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

from kg.errors import KgError
from kg.output import format_table

HELP = """\
Statements end with ';' and may span lines. Commands:
  :help                     this text
  :param NAME => VALUE      set a parameter ($NAME); VALUE is JSON (5, "x", [1,2]) or plain text
  :params                   list parameters          :clear   forget all parameters
  :queries                  list the canned queries
  :run NAME k=v …           run a canned query (names match any alias, any case)
  :quit                     leave (also Ctrl-D)
Ctrl-C cancels the statement being typed or run, not the console."""

CYPHER_WORDS = """MATCH OPTIONAL WHERE RETURN WITH UNWIND ORDER BY LIMIT SKIP DISTINCT AS AND OR NOT
IN IS NULL COUNT CASE WHEN THEN ELSE END UNION ALL CALL COLLECT EXISTS CONTAINS STARTS ENDS""".split()


@dataclass
class Engine:
    """What the console needs from a store."""

    run: Callable[[str, dict], pd.DataFrame]
    interrupt: Callable[[], None]
    labels: list[str] = field(default_factory=list)
    rel_types: list[str] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    canned: Callable[[str, dict], pd.DataFrame] | None = None
    canned_names: list[str] = field(default_factory=list)


def parse_value(text: str) -> object:
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text.strip("'")


class Console:
    def __init__(self, engine: Engine, out: TextIO | None = None, history: str | None = None):
        self.engine = engine
        self.out = out or sys.stdout
        self.params: dict[str, object] = {}
        self.history = history

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
        self.execute(text.rstrip(";").strip(), lambda: self.engine.run(text.rstrip(";"), dict(self.params)))
        return True

    def command(self, text: str) -> bool:
        name, _, rest = text[1:].partition(" ")
        name = name.lower()
        if name in ("quit", "exit", "q"):
            return False
        if name == "help":
            self.say(HELP)
        elif name == "param":
            key, sep, value = rest.partition("=>")
            if not sep or not key.strip():
                self.say("usage: :param NAME => VALUE")
            else:
                self.params[key.strip().lstrip("$")] = parse_value(value)
                self.say(f"${key.strip().lstrip('$')} = {json.dumps(self.params[key.strip().lstrip('$')])}")
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
            self.say(f"unknown command :{name} (:help lists them)")
        return True

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
        self.execute(words[0], lambda: self.engine.canned(words[0], params))

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
            self.say(f"error: {_message(box['error'])}")
            return
        df = box["df"]
        assert isinstance(df, pd.DataFrame)
        for message in df.attrs.get("unknown", []):  # a misspelt name in :run, with suggestions
            self.say(f"warning: {message}")
        self.say(format_table(df).rsplit("\n(", 1)[0] if not df.empty else "(no rows)")
        self.say(f"({len(df)} row{'s' if len(df) != 1 else ''}, {ms:.1f} ms)")

    # -- loops ------------------------------------------------------------------------------
    def run_script(self, text: str) -> int:
        """Statements separated by ';' (commands on their own lines); returns failures."""
        failures = 0
        buffer: list[str] = []
        for line in text.splitlines():
            stripped = line.strip()
            if not buffer and stripped.startswith(":"):
                if not self.handle(stripped):
                    break
                continue
            if stripped.startswith("//") and not buffer:
                continue
            buffer.append(line)
            if stripped.endswith(";"):
                before = self.out
                failures += self._run_counting("\n".join(buffer))
                self.out = before
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
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        words = (CYPHER_WORDS + self.engine.labels + self.engine.rel_types + self.engine.properties
                 + [":help", ":param", ":params", ":queries", ":run", ":quit"] + self.engine.canned_names)
        history = FileHistory(self.history) if self.history else InMemoryHistory()
        session: PromptSession = PromptSession(history=history, completer=WordCompleter(words, ignore_case=True, WORD=True))
        self.say(f"{name} console — statements end with ';', :help for commands, Ctrl-D to leave")
        buffer: list[str] = []
        while True:
            try:
                line = session.prompt(f"{name}> " if not buffer else " " * len(name) + "| ")
            except KeyboardInterrupt:
                buffer = []
                continue
            except EOFError:
                break
            if not buffer and line.strip().startswith(":"):
                if not self.handle(line):
                    break
                continue
            buffer.append(line)
            if line.strip().endswith(";"):
                statement, buffer = "\n".join(buffer), []
                self.handle(statement)


def _message(exc: BaseException) -> str:
    if isinstance(exc, KgError):
        return str(exc)
    text = str(exc).strip()
    return text or type(exc).__name__


def default_history(kind: str) -> str:
    return os.path.join(os.path.expanduser("~"), f".kg_{kind}_history")
