"""Process memory: keep the served app's resident memory from growing with the number of threads.

glibc gives every thread that allocates concurrently its own malloc arena (up to 8 per core) and keeps
the freed memory of each. The app answers up to ``ASSISTANT_UI_CONCURRENCY`` requests at once (embedding,
retrieval and verification in worker threads), so with the default the server's resident memory grew from
~560 MiB idle to ~1.3 GiB after 8 simultaneous questions and stayed there; capped at 2 arenas it peaked
near 0.95 GiB (BENCHMARKS.md). The cap must be set before the worker threads start.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

#: ``mallopt`` parameter number of M_ARENA_MAX in glibc's malloc.h.
M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int) -> bool:
    """Cap glibc's malloc arenas at ``arenas`` (0 leaves glibc's default). False where not glibc."""
    if arenas <= 0:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = mallopt(M_ARENA_MAX, arenas) == 1
    if not done:
        log.warning("could not cap malloc arenas at %d", arenas)
    return done
