"""Start the app as one Streamlit process, or N processes behind a local nginx (deploy/nginx), for benches and tests.

`serve(script, processes, log_dir)` yields a `Cluster`: the URL to open, the app processes' ids (to read their CPU)
and the backends' addresses. With N > 1 the proxy is Debian's nginx run from deploy/nginx/*.template in a scratch
directory and each app process is pinned to a core, as scripts/serve_many.sh runs them. Every process started is stopped on exit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_DIR = ROOT / "deploy" / "nginx"


@dataclass
class Cluster:
    """What `serve` started: the URL people open, and the app processes behind it."""

    url: str
    app_pids: list[int]
    backends: list[str]
    proxy_pid: int | None = None
    logs: list[Path] = field(default_factory=list)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str | None:
    """Debian's nginx, if installed."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def streamlit_command(script: str, port: int) -> list[str]:
    """How the benchmark and the tests start one app process (as scripts/serve_many.sh does)."""
    return [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """Wait until `url`/_stcore/health answers ok; raise with the log if the process dies or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy:\n{log.read_text(errors='replace')}")


def render_nginx(run_dir: Path, listen_port: int, backends: list[str]) -> Path:
    """Fill deploy/nginx's templates into `run_dir`; returns the nginx.conf to start nginx with."""
    servers = "\n    ".join(f"server {backend};" for backend in backends)
    site = (NGINX_DIR / "streamlit.conf.template").read_text()
    site = site.replace("@LISTEN_PORT@", f"127.0.0.1:{listen_port}").replace("@UPSTREAM_SERVERS@", servers)
    (run_dir / "streamlit.conf").write_text(site)
    main = (NGINX_DIR / "nginx-local.conf.template").read_text().replace("@RUN_DIR@", str(run_dir))
    conf = run_dir / "nginx.conf"
    conf.write_text(main)
    return conf


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _start(command: list[str], log: Path, stack: ExitStack) -> subprocess.Popen:
    handle = stack.enter_context(log.open("w"))
    process = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    stack.callback(_stop, process)
    return process


def core_for(index: int) -> int:
    """The core app process `index` (from 0) is pinned to: one each, round the machine's cores."""
    cores = sorted(os.sched_getaffinity(0))
    return cores[index % len(cores)]


@contextmanager
def serve(script: str, processes: int, log_dir: Path, pin: bool = True) -> Iterator[Cluster]:
    """Serve `script` from `processes` Streamlit processes; more than one sit behind nginx with sticky sessions.

    With `pin` (the default), more than one process are each pinned to a core of their own, as scripts/serve_many.sh
    runs them: a process's two busy threads (the event loop and the script runner) then hand the interpreter lock over
    on one core instead of waiting for each other across cores.
    """
    with ExitStack() as stack:
        ports = [free_port() for _ in range(processes)]
        apps = []
        for port in ports:
            log = log_dir / f"{Path(script).stem}-{port}.log"
            apps.append((_start(streamlit_command(script, port), log, stack), port, log))
        if pin and processes > 1:
            for index, (process, _, _) in enumerate(apps):
                os.sched_setaffinity(process.pid, {core_for(index)})
        for process, port, log in apps:
            wait_healthy(f"http://127.0.0.1:{port}", process, log)
        backends = [f"127.0.0.1:{port}" for port in ports]
        cluster = Cluster(f"http://{backends[0]}", [p.pid for p, _, _ in apps], backends, logs=[log for *_, log in apps])
        if processes > 1:
            nginx = nginx_binary()
            if nginx is None:
                raise RuntimeError("nginx not found: install it with 'apt-get install -y nginx'")
            run_dir = log_dir / f"nginx-{ports[0]}"
            run_dir.mkdir()
            os.chmod(run_dir, 0o755)
            listen = free_port()
            conf = render_nginx(run_dir, listen, backends)
            command = [nginx, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")]
            proxy = _start(command, run_dir / "out.log", stack)
            cluster.url, cluster.proxy_pid = f"http://127.0.0.1:{listen}", proxy.pid
            cluster.logs.append(run_dir / "error.log")
            wait_healthy(cluster.url, proxy, run_dir / "error.log", timeout=20)
        yield cluster


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_errors(log: Path) -> int:
    """Tracebacks and ERROR lines in a server log."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("Traceback (most recent call last)") + sum(" ERROR " in line for line in text.splitlines())
