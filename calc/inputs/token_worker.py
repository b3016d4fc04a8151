"""Token counting in a second process, beside the Python that reads and checks a training file.

tiktoken releases the GIL while it encodes, but the analysis's own thread (parsing and checking lines) is
CPU-bound Python that holds the GIL nearly all the time, so encoding threads mostly waited their turn: a 28 MB
file took 1.2 s with two encoding threads and 1.07 s with none, where encoding its strings alone takes 0.56 s.
A worker process has its own GIL and core: it counts one batch's strings while this process reads the next.

One worker per server process, started by `start()` (the Training data page calls it as it loads; the command line
for a file big enough to repay its start of about half a second), shared by every analysis. It holds a tokenizer
(about 100 MB). A count never depends on it: whatever it cannot do (turned off, failed to start, died, paused, too
slow) `counts` returns None for, and the caller counts in-process; a paused worker (SIGSTOP, a debugger) is given up
within CHECK_EVERY_S, one that shows no progress within STALL_S, any within REPLY_TIMEOUT_S, and no caller ever
blocks on its pipe (a writer thread sends the requests). It runs only where this process may use two cores or
more (affinity and container quota: a process pinned to one core, as deploy/ runs several per machine, counts
in-process); EXPLORER_TOKEN_WORKER=0 turns it off, =1 on.

Wire format (pipes, little-endian): a request is (id, number of texts, payload bytes, encoding name length), the
name, each text's length in characters, then the texts joined as UTF-8 (lone surrogates kept, as JSON allows them);
a reply is (id, number of counts) and one 32-bit count per text, or (id, ERROR) and a message.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import struct
import subprocess
import sys
import threading
import time
from array import array
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache
from pathlib import Path
from typing import BinaryIO

REQUEST = struct.Struct("<QIQB")
REPLY = struct.Struct("<QI")
ERROR = 0xFFFFFFFF
#: Seconds a request may wait for its answer before it is counted in-process instead (and the worker stopped): a
#: request holds at most 4 million characters (dataset.WORKER_REQUEST_CHARS), about a second of encoding, and may
#: queue behind a few others' (READ_AHEAD).
REPLY_TIMEOUT_S = 60.0
#: A worker that has taken no request off its pipe and answered none for this many seconds while requests wait is
#: taken to be stuck (swapped out, frozen) and stopped: ten times a whole request's encoding.
STALL_S = 10.0
#: How often a waiting batch looks at the worker: a worker whose process is stopped (SIGSTOP, a debugger) is given up
#: at the next look.
CHECK_EVERY_S = 0.25
#: Queued requests the worker reads ahead of the one it encodes (each is one batch of a file).
READ_AHEAD = 8
#: A worker that keeps ending before its first answer (say, its tokenizer files are missing) is not started again.
MAX_FAILED_STARTS = 3
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


class WorkerUnavailableError(RuntimeError):
    """The worker process is turned off, could not start, or stopped; count in this process instead."""


def quota_cpus(cpu_max: str | None = None, cfs_quota: str | None = None, cfs_period: str | None = None) -> float | None:
    """The CPUs a cgroup quota allows, from cgroup v2's cpu.max ("quota period") or v1's cfs quota and period;
    None when there is no quota."""
    try:
        if cpu_max is not None:
            quota, _, period = cpu_max.strip().partition(" ")
            return None if quota == "max" else int(quota) / int(period or 100_000)
        if cfs_quota is not None and cfs_period is not None and int(cfs_quota) > 0:
            return int(cfs_quota) / int(cfs_period)
    except ValueError:
        return None
    return None


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


@cache
def cpus_available() -> float:
    """The cores this process may use: its CPU affinity, capped by a container's CPU quota (Kubernetes' limits.cpu)."""
    cores = float(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    quota = quota_cpus(_read("/sys/fs/cgroup/cpu.max")) or quota_cpus(
        None, _read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), _read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
    )
    return min(cores, quota) if quota else cores


def enabled() -> bool:
    """Whether to count in a worker: EXPLORER_TOKEN_WORKER=0/off never, =1/on always; unset or "auto" when this process
    may use two cores or more (with one, the worker would only take turns with the page on the same core)."""
    setting = os.environ.get("EXPLORER_TOKEN_WORKER", "auto").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    return cpus_available() >= 2


def _process_stopped(pid: int) -> bool:
    """Whether process `pid` is stopped by a signal or a debugger (Linux /proc; False where that cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rpartition(b")")[2].split(None, 1)[0]
    except (OSError, IndexError):
        return False
    return state in (b"T", b"t")


def _read_exact(stream: BinaryIO, size: int) -> bytes | None:
    """`size` bytes from `stream`, or None at end of stream."""
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _pack_request(request_id: int, encoding: str, texts: Sequence[str]) -> bytes:
    name = encoding.encode("ascii")
    lengths = array("Q", map(len, texts))
    payload = "".join(texts).encode("utf-8", "surrogatepass")
    return REQUEST.pack(request_id, len(texts), len(payload), len(name)) + name + lengths.tobytes() + payload


def _worker_environment() -> dict[str, str]:
    """This process's environment, with the project first on the worker's import path."""
    path = os.pathsep.join(filter(None, (str(_PROJECT_ROOT), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "PYTHONPATH": path}


class TokenWorker:
    """A client of one worker process: `submit` queues a batch of texts and returns at once; `counts` waits for their
    token counts, and gives up on a worker that is stopped or no longer answers.

    No caller ever writes to the worker's pipe: one writer thread per worker process does, so a worker that stops
    reading (paused by SIGSTOP, a debugger or swap) holds up that thread alone, never a lock another session needs.
    """

    def __init__(self, preload: Sequence[str] = ("o200k_base",)) -> None:
        self.preload = tuple(preload)
        self._lock = threading.Lock()  # the process, its request queue, the waiting batches and their ids
        self._process: subprocess.Popen | None = None
        self._requests: queue.SimpleQueue | None = None  # what the current process's writer thread sends
        self._pending: dict[int, tuple[subprocess.Popen, Future]] = {}  # by request id: the worker asked, the answer
        self._next_id = 0
        #: When the worker last showed progress (took a request off the pipe or answered one), by time.monotonic().
        self._progress_at = time.monotonic()
        #: Batches the worker has counted, since this client was made (for tests and benchmarks).
        self.answered = 0
        #: Workers that ended before counting anything; from MAX_FAILED_STARTS on, none is started again.
        self.failed_starts = 0
        #: Workers stopped because they were paused or stopped answering (for tests and the logs' readers).
        self.stalls = 0

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> bool:
        """Start the worker unless it runs already; False when it is turned off or cannot start."""
        if not enabled() or self.failed_starts >= MAX_FAILED_STARTS:
            return False
        with self._lock:
            if self.running:
                return True
            try:
                process = subprocess.Popen(
                    [sys.executable, "-m", "calc.inputs.token_worker", *self.preload],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    cwd=_PROJECT_ROOT,
                    env=_worker_environment(),
                )
            except OSError:
                self._process = None
                return False
            self._process, self._requests = process, queue.SimpleQueue()
            self._progress_at = time.monotonic()
            threading.Thread(target=self._read_replies, args=(process,), name="token-worker-replies", daemon=True).start()
            threading.Thread(
                target=self._write_requests, args=(process, self._requests), name="token-worker-requests", daemon=True
            ).start()
            return True

    def submit(self, encoding: str, texts: Sequence[str]) -> Future:
        """Queue `texts` to be counted with `encoding` (returns at once, never waiting for the pipe); the future gives
        their counts in order (WorkerUnavailableError when the worker cannot answer)."""
        if not self.start():
            raise WorkerUnavailableError("the token worker is turned off or cannot start")
        future: Future = Future()
        with self._lock:
            process, requests = self._process, self._requests
            if process is None or requests is None:
                raise WorkerUnavailableError("the token worker stopped")
            request_id = self._next_id
            self._next_id += 1
            self._pending[request_id] = (process, future)
            requests.put((request_id, encoding, texts))  # packed by the writer: one request's bytes at a time
        return future

    def counts(self, future: Future | None, timeout: float = REPLY_TIMEOUT_S) -> list[int] | None:
        """The counts a submitted batch got, or None when the worker failed it (the caller counts in-process).

        Waits at most `timeout` seconds, and less for a worker that is stopped (SIGSTOP, a debugger) or has shown no
        progress for STALL_S while requests wait: that worker is stopped, and every batch waiting for it fails at once.
        """
        if future is None:
            return None
        deadline = time.monotonic() + timeout
        while True:
            try:
                return future.result(timeout=min(max(deadline - time.monotonic(), 0.0), CHECK_EVERY_S))
            except FutureTimeout:
                if time.monotonic() >= deadline or self._stalled():
                    self.stalls += 1
                    self.stop()
                    return None
            except (WorkerUnavailableError, ValueError):
                return None

    def _stalled(self) -> bool:
        """Whether the worker is paused (its process stopped) or has shown no progress for STALL_S."""
        process = self._process
        if process is None:
            return True
        return _process_stopped(process.pid) or time.monotonic() - self._progress_at > STALL_S

    def stop(self) -> None:
        """Stop the worker; the next batch starts a new one. Batches waiting for it are answered with failure.

        Its writer closes its input once the queued requests are written, which lets it finish; a worker that does not
        finish within a couple of seconds (it stopped reading, or is paused) is killed, which also ends the writer."""
        with self._lock:
            process, requests = self._process, self._requests
            self._process, self._requests = None, None
        if process is None:
            return
        if requests is not None:
            requests.put(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            if not _process_stopped(process.pid):
                process.wait(timeout=2)
        if process.poll() is None:
            process.kill()
            process.wait()

    def _write_requests(self, process: subprocess.Popen, requests: queue.SimpleQueue) -> None:
        """The writer thread of one worker process: pack and send each queued request, in order; close the pipe at the
        end (None queued); a request it cannot send fails, and so does every one queued after it."""
        broken = False
        while (request := requests.get()) is not None:
            request_id, encoding, texts = request
            if not broken:
                try:
                    process.stdin.write(_pack_request(request_id, encoding, texts))
                    process.stdin.flush()
                    self._progress_at = time.monotonic()  # the worker took it off the pipe (or the pipe held it)
                    continue
                except (OSError, ValueError, AttributeError):
                    broken = True
            self._fail(request_id)
        with contextlib.suppress(OSError, ValueError):
            process.stdin.close()

    def _fail(self, request_id: int) -> None:
        with self._lock:
            _, future = self._pending.pop(request_id, (None, None))
        if future is not None and not future.done():
            future.set_exception(WorkerUnavailableError("the token worker stopped"))

    def _read_replies(self, process: subprocess.Popen) -> None:
        """Hand each reply to its waiting batch; when the worker ends, fail every batch still waiting for it."""
        stream = process.stdout
        answered = 0
        while (header := _read_exact(stream, REPLY.size)) is not None:
            request_id, n = REPLY.unpack(header)
            if n == ERROR:
                size = _read_exact(stream, 4)
                message = _read_exact(stream, struct.unpack("<I", size)[0]) if size else None
                outcome: list[int] | Exception = ValueError((message or b"").decode("utf-8", "replace"))
            else:
                raw = _read_exact(stream, 4 * n)
                if raw is None:
                    break
                outcome = array("I", raw).tolist()
            with self._lock:
                _, future = self._pending.pop(request_id, (None, None))
                self.answered += not isinstance(outcome, Exception)
            self._progress_at = time.monotonic()
            answered += 1
            if future is not None:
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
        failed = not answered and process.wait() != 0  # its replies ended: it has exited or is exiting
        with self._lock:
            if self._process is process:
                self._process = None
            self.failed_starts += failed
            mine = [key for key, (asked, _) in self._pending.items() if asked is process]  # not a newer worker's
            waiting = [self._pending.pop(key)[1] for key in mine]
        for future in waiting:
            if not future.done():
                future.set_exception(WorkerUnavailableError("the token worker stopped"))


WORKER = TokenWorker()
atexit.register(WORKER.stop)


def start() -> bool:
    """Start this process's token worker in the background (it loads its tokenizer while the caller goes on)."""
    return WORKER.start()


def _serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The worker's loop: a reader thread queues requests while this thread encodes and replies, in order."""
    from calc.inputs.tokens import get_encoding

    requests: queue.Queue = queue.Queue(READ_AHEAD)

    def read() -> None:
        while (header := _read_exact(stdin, REQUEST.size)) is not None:
            request_id, n, payload_size, name_size = REQUEST.unpack(header)
            name = _read_exact(stdin, name_size) if name_size else b""
            lengths = _read_exact(stdin, 8 * n) if n else b""
            payload = _read_exact(stdin, payload_size) if payload_size else b""
            if name is None or lengths is None or payload is None:
                break
            requests.put((request_id, name.decode("ascii"), array("Q", lengths), payload))
        requests.put(None)

    threading.Thread(target=read, name="requests", daemon=True).start()
    for name in sys.argv[1:]:
        get_encoding(name)
    while (request := requests.get()) is not None:
        request_id, name, lengths, payload = request
        try:
            encode = get_encoding(name).encode_ordinary
            text = payload.decode("utf-8", "surrogatepass")
            counts, start = array("I"), 0
            for length in lengths:
                counts.append(len(encode(text[start : start + length])))
                start += length
            reply = REPLY.pack(request_id, len(counts)) + counts.tobytes()
        except Exception as problem:  # any failure is reported; the client counts in-process
            message = f"{type(problem).__name__}: {problem}".encode("utf-8", "replace")[:2000]
            reply = REPLY.pack(request_id, ERROR) + struct.pack("<I", len(message)) + message
        stdout.write(reply)
        stdout.flush()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        _serve(sys.stdin.buffer, sys.stdout.buffer)
