"""How much memory this process may still take, so that a large job can be refused up front
with a sentence instead of failing half-way."""

from __future__ import annotations

import contextlib


def available() -> int | None:
    """Bytes this process can still allocate: the smaller of the computer's available memory
    and the process's own address-space limit; None where neither is known."""
    left = []
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    left.append(int(line.split()[1]) * 1024)
    try:
        import resource
    except ImportError:  # not on Windows
        return min(left, default=None)
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open("/proc/self/status", encoding="ascii") as f:
                used = next(int(line.split()[1]) * 1024 for line in f
                            if line.startswith("VmSize:"))
            left.append(soft - used)
    return min(left, default=None)


def gigabytes(size: int) -> str:
    """A size as people read it: "1.4 GB"."""
    return f"{size / 1e9:.1f} GB"
