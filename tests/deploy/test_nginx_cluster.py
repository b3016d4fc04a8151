"""Two app processes behind a real nginx (deploy/nginx): 40 protocol sessions, sticky, and a cut connection.

Sessions speak Streamlit's websocket protocol directly (bench/protocol.py), as a browser tab does: GET `/` (nginx
sets the sticky cookie), the websocket, a run of the home page, slider moves. nginx names the process that answered
each request in an `X-Upstream` header, so a session that ever reached two processes is seen.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.cluster import Cluster, nginx_binary, serve, server_errors
from bench.protocol import Session
from tests.tools import require_tool

SESSIONS = 40
METRIC = "Prompting per month"


def run_in_own_loop(make_coroutine):
    """Run a coroutine on a fresh event loop in its own thread: Playwright's sync API may hold this thread's loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def require_nginx() -> None:
    """Fail in CI, skip elsewhere, when nginx is not installed."""
    require_tool(nginx_binary() is not None, "nginx not found: install it with 'apt-get install -y nginx' (scripts/test.sh does)")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    require_nginx()
    logs = tmp_path_factory.mktemp("cluster")
    with serve("server.py", 2, Path(logs)) as running:
        yield running
        for log in running.logs[:2]:
            assert server_errors(log) == 0, log.read_text(errors="replace")


def test_each_app_process_has_a_core_of_its_own(cluster: Cluster) -> None:
    cores = os.sched_getaffinity(0)
    pinned = [os.sched_getaffinity(pid) for pid in cluster.app_pids]
    assert all(len(mask) == 1 and mask <= cores for mask in pinned), pinned
    if len(cores) >= len(pinned):
        assert len(set().union(*pinned)) == len(pinned), pinned  # distinct cores while there are enough


async def _session(url: str, gate: asyncio.Semaphore, moves: tuple[int, ...]) -> Session:
    async with gate:
        session = Session(url, timeout=60)
        runs = [await session.open()]
        runs += [await session.move(index) for index in moves]
        await session.close()
    errors = [error for run in runs for error in run.errors]
    assert not errors, errors
    assert all(METRIC in run.metrics for run in runs)
    return session


def test_forty_sessions_stick_to_one_process_each(cluster: Cluster) -> None:
    async def drive() -> list[Session]:
        gate = asyncio.Semaphore(8)
        return await asyncio.gather(*(_session(cluster.url, gate, (15 + i % 10, 25)) for i in range(SESSIONS)))

    sessions = run_in_own_loop(drive)
    for session in sessions:
        # The page load and the websocket: both answered by the same process.
        assert len(session.upstreams) == 2, session.upstreams
        assert len(set(session.upstreams)) == 1, f"session moved between processes: {session.upstreams}"
        assert "st_backend=" in session.cookie
    used = {session.upstreams[0] for session in sessions}
    assert used == set(cluster.backends), f"the proxy did not spread {SESSIONS} sessions: {used}"


def test_cut_connection_reconnects_through_the_proxy_to_the_same_view(cluster: Cluster) -> None:
    async def scenario() -> None:
        session = Session(cluster.url, timeout=60)
        await session.open()
        before = await session.move(30)
        session.cut()
        again = await session.reconnect()
        assert not again.errors, again.errors
        assert len(set(session.upstreams)) == 1, session.upstreams
        assert again.metrics == before.metrics

        # The same link opened in a browser that lands on the other process: the scenario is in the URL.
        other = None
        for _ in range(40):
            candidate = Session(cluster.url, query=session.query, timeout=60)
            await candidate.load_page()
            if candidate.upstreams[-1] != session.upstreams[0]:
                other = candidate
                break
        assert other is not None, "no new browser landed on the other process"
        await other.connect()
        fresh = await other.rerun()
        assert not fresh.errors, fresh.errors
        assert fresh.metrics == before.metrics
        await other.close()
        await session.close()

    run_in_own_loop(scenario)
