"""Keep freed memory in a worker process, so the next page reuses the last page's buffers.

glibc gives a freed block above its mmap threshold (128 KiB at first, adapting up to 32 MiB) straight back
to the kernel, and the next allocation of that size is faulted in anew, 4 KiB at a time, zeroed by the
kernel. A 12 MP photo's page images are 10 to 40 MB each, so every step paid for fresh memory. Raising both
thresholds above the largest image keeps those blocks in the heap for reuse: the steps took 129 ms a photo
instead of 148 ms (plan 1923, one process). A threshold of 32 MiB, glibc's own ceiling for its adaptive
threshold, gained nothing. The cost is that a worker holds on to its largest page's memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
KEEP_BYTES = 512 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Ask the C library to keep freed blocks up to ``KEEP_BYTES``; False where it cannot (not glibc)."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    kept = bool(mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, KEEP_BYTES))
    log.debug("freed memory kept for reuse: %s", kept)
    return kept
