"""Giving the heap a heavy request freed back to the system: glibc keeps it otherwise, so a worker's resident memory
only grows (a province's ranking workbook leaves ~35 MB behind; bench/bench_province.py)."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

HEAVY_SECONDS = 0.2  # a request this long built large temporaries; a trim then costs a few milliseconds


def _malloc_trim() -> ctypes._CFuncPtr | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to call, nothing kept back either
        return None


_TRIM = _malloc_trim()
_lock = threading.Lock()
trims = 0  # how many trims this process made (read by tests and the bench)


def trim() -> bool:
    """Return the freed heap to the system; False where the C library cannot."""
    global trims
    if _TRIM is None:
        return False
    with _lock:
        _TRIM(0)
        trims += 1
    return True
