"""Stand-ins for the assistant's processes in the launcher tests (test_stack, test_serve, test_deployment)."""

from __future__ import annotations

import socket
import sys

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def http_server(port: int) -> list[str]:
    """A command that answers HTTP on `port` until it is stopped: a stand-in for Rasa or the web chat server."""
    return [sys.executable, "-m", "http.server", "--bind", HOST, str(port)]
