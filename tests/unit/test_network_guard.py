import socket

import pytest


def test_outbound_network_is_blocked_during_tests():
    with pytest.raises(OSError, match="blocked"), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    with socket.create_connection(server.getsockname(), timeout=1):
        pass
    server.close()
