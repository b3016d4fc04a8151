"""The token worker process: the same counts as in-process, shared safely, and never needed for a count."""

import json
import os
import signal
import threading
import time

import pytest

from calc.inputs import dataset, token_worker
from calc.inputs.dataset import WORKER_MIN_CHARS, analyze_jsonl
from calc.inputs.token_worker import TokenWorker, quota_cpus
from calc.inputs.tokens import get_encoding

AWKWARD = [
    "",
    "plain words",
    "<|endoftext|> and <|fim_prefix|> as text",
    "lone \ud800 surrogate and a pair \ud83d\ude00 kept apart",
    "\udc00",
    "emoji 🙂 订单 Rechnung café",
    " " * 5_000 + "x",
    "x" * 20_000,
    "line\r\nbreaks\n\n\tand tabs",
]


def in_process(texts, encoding="o200k_base"):
    encode = get_encoding(encoding).encode_ordinary
    return [len(encode(text)) for text in texts]


@pytest.fixture
def worker(monkeypatch):
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    client = TokenWorker()
    assert client.start()
    yield client
    client.stop()


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_the_worker_counts_what_this_process_counts(worker, encoding):
    assert worker.counts(worker.submit(encoding, AWKWARD)) == in_process(AWKWARD, encoding)
    assert worker.answered == 1


def test_batches_from_many_threads_each_get_their_own_counts(worker):
    answers, expected = {}, {}

    def send(thread: int) -> None:
        for batch in range(5):
            texts = [f"thread {thread} batch {batch} " + "word " * (thread * 7 + batch * 3 + i) for i in range(40)]
            expected[thread, batch] = in_process(texts)
            answers[thread, batch] = worker.counts(worker.submit("o200k_base", texts))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == expected and worker.answered == 20


def test_a_request_the_worker_cannot_do_is_refused_and_it_goes_on(worker):
    assert worker.counts(worker.submit("no_such_encoding", ["hi"])) is None
    assert worker.running
    assert worker.counts(worker.submit("o200k_base", ["hi there"])) == in_process(["hi there"])


def test_a_worker_that_dies_fails_its_batches_and_the_next_one_starts_afresh(worker):
    future = worker.submit("o200k_base", ["word " * 200_000] * 20)
    first = worker._process.pid
    os.kill(first, signal.SIGKILL)
    assert worker.counts(future) is None
    assert worker.start() and worker._process.pid != first
    assert worker.counts(worker.submit("o200k_base", ["again"])) == in_process(["again"])


def test_a_batch_that_takes_too_long_is_given_up_and_the_worker_restarted(worker):
    future = worker.submit("o200k_base", ["many words here " * 100_000] * 10)
    assert worker.counts(future, timeout=0.001) is None
    assert not worker.running


def test_submitting_to_a_worker_that_is_turned_off_says_so(monkeypatch):
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "0")
    client = TokenWorker()
    assert not client.start()
    with pytest.raises(token_worker.WorkerUnavailableError):
        client.submit("o200k_base", ["hi"])


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [("0", 8, False), ("off", 8, False), ("1", 1, True), ("on", 1, True), ("auto", 1, False), ("auto", 1.5, False),
     ("auto", 2, True), (None, 4, True)],
)  # fmt: skip
def test_the_worker_runs_only_where_a_second_core_is_there(monkeypatch, setting, cpus, expected):
    if setting is None:
        monkeypatch.delenv("EXPLORER_TOKEN_WORKER", raising=False)
    else:
        monkeypatch.setenv("EXPLORER_TOKEN_WORKER", setting)
    monkeypatch.setattr(token_worker, "cpus_available", lambda: cpus)
    assert token_worker.enabled() is expected


@pytest.mark.parametrize(
    ("cpu_max", "quota", "period", "cpus"),
    [("max 100000\n", None, None, None), ("150000 100000\n", None, None, 1.5), ("50000", None, None, 0.5),
     (None, "-1\n", "100000\n", None), (None, "200000\n", "100000\n", 2.0), ("garbage", None, None, None),
     (None, None, None, None)],
)  # fmt: skip
def test_container_cpu_quotas_are_read_from_either_cgroup_version(cpu_max, quota, period, cpus):
    assert quota_cpus(cpu_max, quota, period) == cpus


def chat_file(n: int) -> bytes:
    """n examples with long, varied user turns (so a batch is big enough for the worker), then three repeated ones
    and one with a format error."""
    lines = []
    for i in range(n):
        user = f"Ticket {i}: " + " ".join(AWKWARD[(i + j) % len(AWKWARD)][:200] for j in range(12))
        messages = [
            {"role": "system", "content": "Classify the ticket."},
            {"role": "user", "content": user},
            {"role": "assistant", "content": ["refund", "delivery", "other"][i % 3]},
        ]
        lines.append(json.dumps({"messages": messages}))
    lines += [*lines[:3], '{"messages": [{"role": "user"}]}']
    return "\n".join(lines).encode()


def without_and_with_worker(monkeypatch, data: bytes):
    """The file analysed in-process, then by the process's token worker, and the requests the worker answered."""
    token_worker.WORKER.stop()
    without = analyze_jsonl(data)
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    assert token_worker.start()
    answered = token_worker.WORKER.answered
    try:
        with_worker = analyze_jsonl(data)
    finally:
        token_worker.WORKER.stop()
    return without, with_worker, token_worker.WORKER.answered - answered


def test_a_file_analysed_with_the_worker_gets_the_same_report_as_without(monkeypatch):
    data = chat_file(2_500)
    assert len(data) / 3 > WORKER_MIN_CHARS  # a batch of 1,000 examples goes to the worker
    without, with_worker, requests = without_and_with_worker(monkeypatch, data)
    assert requests >= 2
    assert with_worker.total_tokens.tolist() == without.total_tokens.tolist()
    assert with_worker.assistant_tokens.tolist() == without.assistant_tokens.tolist()
    for name in ("n_valid", "n_errors", "n_exact_duplicates", "n_near_duplicates", "n_system_prompts", "labels", "stats"):
        assert getattr(with_worker, name) == getattr(without, name), name
    assert without.n_exact_duplicates == 3 and without.n_valid == without.n_examples - 1


def test_a_worker_that_cannot_start_is_tried_a_few_times_then_left_off(monkeypatch):
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    client = TokenWorker(preload=("no_such_encoding",))  # it fails loading its tokenizer, before any answer
    for _ in range(token_worker.MAX_FAILED_STARTS):
        assert client.start()
        assert client.counts(client.submit("o200k_base", ["hi"])) is None
    assert not client.start() and client.failed_starts == token_worker.MAX_FAILED_STARTS


def test_a_batch_of_long_texts_goes_to_the_worker_in_bounded_requests(monkeypatch):
    monkeypatch.setattr(dataset, "WORKER_REQUEST_CHARS", 100_000)
    monkeypatch.setattr(dataset, "LOCAL_SHARE_START", 0.0)  # every text to the worker
    monkeypatch.setattr(dataset, "LOCAL_SHARE_MAX", 0.0)
    texts = [f"{i} " + "words and more words " * (2_000 + i) for i in range(12)]  # ~45,000 characters each
    assert dataset._chunks(texts, 100_000) == [texts[i : i + 2] for i in range(0, 12, 2)]
    assert dataset._chunks(["x" * 300_000, "y"], 100_000) == [["x" * 300_000], ["y"]]
    line = json.dumps({"messages": [{"role": "user", "content": t} for t in texts] + [{"role": "assistant", "content": "ok"}]})
    without, with_worker, requests = without_and_with_worker(monkeypatch, "\n".join([line] * 3).encode())
    assert requests == 6
    assert with_worker.total_tokens.tolist() == without.total_tokens.tolist() and without.n_exact_duplicates == 2


def test_this_thread_counts_a_share_of_each_batch_and_moves_it_toward_the_slower_side():
    texts = ["a" * 10, "b" * 30, "c" * 40, "d" * 20]
    assert dataset._split_at_share(texts, 0.0) == ([], texts)
    assert dataset._split_at_share(texts, 0.1) == (texts[:1], texts[1:])
    assert dataset._split_at_share(texts, 0.35) == (texts[:2], texts[2:])
    assert dataset._split_at_share(texts, 1.0) == (texts, [])
    counter = dataset._Counter("o200k_base")
    assert counter.local_share == dataset.LOCAL_SHARE_START
    for _ in range(40):
        counter._rebalance(waited=True)
    assert counter.local_share == dataset.LOCAL_SHARE_MAX
    for _ in range(40):
        counter._rebalance(waited=False)
    assert counter.local_share == 0.0


def test_a_stopped_worker_fails_only_its_own_batches_not_those_of_the_worker_after_it(worker):
    old = worker._process
    os.kill(old.pid, signal.SIGSTOP)  # it reads nothing more until it is killed
    stale = worker.submit("o200k_base", ["to the old worker"])
    worker.stop()  # kills it: its replies end
    assert worker.counts(stale) is None
    assert worker.start() and worker._process is not old
    fresh = worker.submit("o200k_base", ["to the new worker"] * 3)
    worker._read_replies(old)  # the old worker's end, as if noticed only now, after the new one took a batch
    assert worker.counts(fresh) == in_process(["to the new worker"] * 3)


def test_a_paused_worker_holds_up_no_caller_and_is_given_up_at_once(worker):
    """SIGSTOP: the worker reads nothing more. Submitting never waits for its pipe, even with a full one, and each
    waiting batch (here two sessions' at once) is failed within a second, so it is counted in-process."""
    os.kill(worker._process.pid, signal.SIGSTOP)
    big = ["a long text to send " * 50_000]  # 1 MB: more than the pipe holds
    outcome = {}

    def session(name: str) -> None:
        began = time.monotonic()
        futures = [worker.submit("o200k_base", big) for _ in range(3)]
        submitted = time.monotonic() - began
        outcome[name] = (submitted, [worker.counts(f) for f in futures], time.monotonic() - began)

    threads = [threading.Thread(target=session, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    for submitted, counts, took in outcome.values():
        assert submitted < 0.5 and counts == [None, None, None] and took < 3
    assert not worker.running and worker.stalls >= 1
    assert worker.start() and worker.counts(worker.submit("o200k_base", ["afresh"])) == in_process(["afresh"])


def test_a_worker_that_stops_answering_is_given_up_after_the_stall_time(worker, monkeypatch):
    """A worker that is not stopped but makes no progress (swapped out, frozen in a way /proc does not show)."""
    monkeypatch.setattr(token_worker, "STALL_S", 0.5)
    monkeypatch.setattr(token_worker, "_process_stopped", lambda pid: False)
    os.kill(worker._process.pid, signal.SIGSTOP)
    began = time.monotonic()
    assert worker.counts(worker.submit("o200k_base", ["stalled " * 300_000])) is None
    assert time.monotonic() - began < 3 and not worker.running


def test_a_file_is_analysed_in_process_when_its_worker_is_paused(monkeypatch):
    data = chat_file(2_500)
    token_worker.WORKER.stop()
    without = analyze_jsonl(data)
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    assert token_worker.start()
    os.kill(token_worker.WORKER._process.pid, signal.SIGSTOP)
    stalls = token_worker.WORKER.stalls
    try:
        began = time.monotonic()
        paused = analyze_jsonl(data)
        took = time.monotonic() - began
    finally:
        token_worker.WORKER.stop()
    assert took < 10 and token_worker.WORKER.stalls == stalls + 1
    assert paused.total_tokens.tolist() == without.total_tokens.tolist() and paused.stats == without.stats
