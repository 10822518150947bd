"""Where the app listens: its port and address, as the command line takes them.

Only the standard library's lightest parts load here: the command line's parser needs these
before it knows which command runs.
"""

from __future__ import annotations

import argparse

DEFAULT_PORT = 8866
LOCAL_IP = "127.0.0.1"


def port_number(value) -> int:
    """A TCP port number from the command line or $PORT."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a number from 1 to 65535, not {value!r}")
    return port


def ip_address(value: str) -> str:
    """An IP address to listen on, from the command line."""
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--ip takes an IP address such as 0.0.0.0 or 192.168.1.20, not {value!r}"
        ) from None
