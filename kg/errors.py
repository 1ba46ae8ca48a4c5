"""User-facing errors: one place for the messages and exit codes the CLI turns them into."""

from __future__ import annotations


class KgError(Exception):
    """A failure the user can act on; the CLI prints the message (no traceback) and exits."""

    exit_code = 1


class UsageError(KgError):
    """Bad invocation: missing file, unknown format, unknown query or parameter (exit code 2)."""

    exit_code = 2


class InputError(KgError):
    """A whole input cannot be read (corrupt archive, unreadable file)."""

    exit_code = 1


class StoreError(KgError):
    """The store cannot be opened or written (locked, wrong version, engine failure)."""

    exit_code = 1


class QueryError(KgError):
    """The engine refused or stopped a query (syntax error, unknown label, timeout)."""

    exit_code = 1
