"""Test-session set-up shared by every layer: the project on sys.path, and no network.

Every connection to anything but this machine's loopback is refused, and tiktoken's cache points at
an empty folder, so a pass proves the app needs no internet at run time.
"""

import os
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The date the app prices for in every test (ui/clock.py), so a page test means the same thing next month.
PINNED_TODAY = "2026-12-03"
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _is_local(sock: socket.socket, address: object) -> bool:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))


def _guarded_connect(sock: socket.socket, address: object):
    if not _is_local(sock, address):
        raise OSError(f"network access is blocked in tests: {address!r}")
    return _connect(sock, address)


def _guarded_connect_ex(sock: socket.socket, address: object):
    if not _is_local(sock, address):
        raise OSError(f"network access is blocked in tests: {address!r}")
    return _connect_ex(sock, address)


def pytest_configure(config) -> None:
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    os.environ["TIKTOKEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="empty-tiktoken-cache-")
    os.environ["PRICES_ON"] = PINNED_TODAY  # every page (and every server the tests start) prices for this date
