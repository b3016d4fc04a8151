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


@pytest.fixture
def connections(monkeypatch):
    """Every connection attempted while the test runs (loopback included), through the guard."""
    attempts = []
    guarded = socket.socket.connect

    def record(sock, address):
        attempts.append(address)
        return guarded(sock, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    yield attempts
    from calc.catalogue import price_sources

    price_sources.stop()


def test_without_a_price_setting_nothing_connects_anywhere(connections):
    import datetime as dt
    import threading

    from calc.api import compare
    from calc.catalogue import price_sources
    from calc.scenario import Scenario

    price_sources.stop()
    price_sources.start_from_environ({})
    assert compare(Scenario(), on=dt.date(2026, 11, 29)).metrics()["Prompting per month"] == "$42.90/mo"  # with reasoning
    assert connections == []
    assert not [t for t in threading.enumerate() if t.name.startswith(("genai_prices", "team-table"))]


def test_the_guard_also_refuses_the_price_updater(connections):
    from calc.catalogue import price_sources

    price_sources.start(price_sources.Settings(prices_url="http://192.0.2.1/data.json"))
    state = price_sources.wait_until_loaded(20)
    assert connections and "blocked in tests" in state.problems[0]
    assert state.catalogue.version == "bundled"
