"""Work for a few seconds from now, on the kernel's own loop, where the widgets belong."""

from __future__ import annotations

from collections.abc import Callable


def later(seconds: float, work: Callable[[], None]) -> bool:
    """Run ``work`` after ``seconds`` on the running kernel's loop; False outside a kernel.

    A widget's callback may run on another thread than the loop (ipykernel does that), and
    only ``add_callback`` may be called from there: it hands the timer to the loop itself.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        return False
    loop.add_callback(lambda: loop.call_later(seconds, work))
    return True
