"""In a kernel the app's server runs, a browser may create only so many widgets of its own.

The app builds every widget it shows in the kernel (about 2,100 with every step of a two-year
workbook open); a browser never needs to create one. Yet ipywidgets makes a widget for every
``comm_open`` a page's websocket sends, without limit, and each costs the kernel memory. Past
`CLIENT_WIDGETS` live ones, a new one is closed at once instead. Upstream ipywidgets could
offer a setting that limits (or turns off) widgets created from the frontend.
"""

from __future__ import annotations

import logging

from .private_errors import served

TARGET = "jupyter.widget"  # the comm target ipywidgets registers for new widgets
CLIENT_WIDGETS = 200  # the app creates none from the browser

log = logging.getLogger(__name__)


def cap_client_widgets(limit: int = CLIENT_WIDGETS) -> bool:
    """Refuse widgets a browser asks the kernel to create beyond ``limit`` live ones.

    Returns
    -------
    bool
        True when it was done now; False outside a kernel Voila started, or when it was done
        before.
    """
    if not served():
        return False
    import comm
    import ipywidgets  # noqa: F401  (imported, it registers its comm targets)
    from ipywidgets.widgets.widget import _instances  # every live widget, by model id

    manager = comm.get_comm_manager()
    opened = manager.targets.get(TARGET) if manager is not None else None
    if opened is None or getattr(opened, "_workbook_limit", None) is not None:
        return False
    from_client: set[str] = set()
    warned = []

    def open_within_limit(channel, msg):
        from_client.intersection_update(_instances)  # forget those closed since
        if len(from_client) >= limit:
            if not warned:  # once: a flood would fill the server's log
                log.warning("A page asked for more than %d widgets; refusing them.", limit)
                warned.append(True)
            channel.close()  # the page is told, and the kernel keeps nothing
            return
        opened(channel, msg)
        from_client.add(channel.comm_id)

    open_within_limit._workbook_limit = limit
    manager.register_target(TARGET, open_within_limit)
    return True
