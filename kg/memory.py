"""Give freed memory back to the operating system during long builds.

glibc keeps the memory a process frees in its heap for reuse; a build that creates and drops
DataFrames, Arrow tables and engine buffers for every batch fragments that heap, and its resident
size creeps up with the corpus (measured while loading 200k papers: 456 → 632 MB after each
database reopen without trimming, 384 → 325 MB with). ``malloc_trim`` returns the free pages.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim  # glibc only; musl and macOS have none
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Return free heap pages to the OS (a no-op where the C library cannot)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
