"""Corrections that survive rebuilds: the curation file (kg.curation.file: format, reading,
writing) and how every build applies it (kg.curation.apply). docs/curation.md."""

from kg.curation.apply import SOURCE, Curation
from kg.curation.file import CurationError, Entry, Ref, append_entry, default_path, read_entries

__all__ = ["SOURCE", "Curation", "CurationError", "Entry", "Ref", "append_entry", "default_path",
           "read_entries", "load_curation"]


def load_curation(path) -> Curation:
    """The curation file at ``path``, checked (an empty curation when there is no file)."""
    return Curation.from_file(path)
