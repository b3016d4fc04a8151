"""A loopback HTTP server for the price-refresh tests: genai-prices data with one model's price changed, team tables,
and the ways a price server goes wrong (an error status, a truncated file, 50 MB, a request held open).

The served genai-prices data is the installed package's own bundled providers written out as the JSON list its
updater fetches (genai-prices publishes that list; this re-creates it so only the changed price differs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import threading
from decimal import Decimal
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LUNA = ("openai", "gpt-6-luna")
DEFAULT_OPTION = "azure-gpt-4.1-mini"
HUGE_BYTES = 50 * 1024 * 1024


def _raw(value: Any) -> Any:
    """genai-prices' objects as the JSON its updater parses (clauses keyed by kind, prices per 1M as text)."""
    from genai_prices.types import ModelPrice

    if isinstance(value, ModelPrice):
        return {key: _raw(item) for key, item in vars(value).items() if not key.startswith("_") and item is not None}
    if dataclasses.is_dataclass(value):
        raw = {}
        for item in dataclasses.fields(value):
            inner = getattr(value, item.name)
            if item.name.startswith("_") or inner is None:
                continue
            raw[item.name.rstrip("_") if item.name in ("or_", "and_") else item.name] = _raw(inner)
        return raw
    if isinstance(value, list):
        return [_raw(item) for item in value]
    if isinstance(value, dict):
        return {key: _raw(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


@cache
def bundled_catalogue() -> str:
    """The bundled genai-prices data as the JSON text its updater fetches."""
    from genai_prices.data import providers

    return json.dumps(_raw(providers))


@cache
def catalogue_json(factor: float = 1.0, model: tuple[str, str] = LUNA) -> bytes:
    """The bundled data with `model`'s input and output prices (base and every tier) multiplied by `factor`."""
    providers = json.loads(bundled_catalogue())
    provider = next(p for p in providers if p["id"] == model[0])
    entry = next(m for m in provider["models"] if m["id"] == model[1])
    price_sets = [entry["prices"]] if isinstance(entry["prices"], dict) else [c["prices"] for c in entry["prices"]]
    for prices in price_sets:
        for key in ("input_mtok", "output_mtok"):
            value = prices[key]
            if isinstance(value, dict):
                value["base"] = str(Decimal(value["base"]) * Decimal(str(factor)))
                for tier in value["tiers"]:
                    tier["price"] = str(Decimal(tier["price"]) * Decimal(str(factor)))
            else:
                prices[key] = str(Decimal(value) * Decimal(str(factor)))
    return json.dumps(providers).encode()


@cache
def catalogue_priced(value: str, model: tuple[str, str] = LUNA, key: str = "input_mtok") -> bytes:
    """The bundled data with `model`'s `key` price (base and every tier, in every price set) set to `value`, as text."""
    providers = json.loads(bundled_catalogue())
    provider = next(p for p in providers if p["id"] == model[0])
    entry = next(m for m in provider["models"] if m["id"] == model[1])
    price_sets = [entry["prices"]] if isinstance(entry["prices"], dict) else [c["prices"] for c in entry["prices"]]
    for prices in price_sets:
        if isinstance(prices[key], dict):
            prices[key]["base"] = value
        else:
            prices[key] = value
    return json.dumps(providers).encode()


def shipped_options() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "finetune_options.csv", dtype=str, keep_default_na=False)


def team_options(hourly: str = "3.40", malformed_row: int | None = None) -> bytes:
    """The shipped options as a team's table: the default option's deployment at `hourly` $/hour, its own source and
    date; with `malformed_row` (1-based), that row's tuned output price is not a number."""
    table = shipped_options()
    row = table.index[table["option_id"] == DEFAULT_OPTION][0]
    table.loc[row, ["hosting_usd_per_hour", "source", "as_of"]] = [hourly, "Platform team negotiated rate", "2026-12-01"]
    if malformed_row is not None:
        table.loc[malformed_row - 1, "tuned_output_per_mtok"] = "twelve"
    out = io.StringIO()
    table.to_csv(out, index=False)
    return out.getvalue().encode()


def team_options_without(option_id: str = DEFAULT_OPTION) -> bytes:
    """The shipped options as a team's table without `option_id`'s row (no other row names it as its successor)."""
    table = shipped_options()
    table = table[table["option_id"] != option_id].copy()
    table.loc[table["successor"] == option_id, "successor"] = ""
    out = io.StringIO()
    table.to_csv(out, index=False)
    return out.getvalue().encode()


@dataclasses.dataclass
class Reply:
    """What the server answers at one path: a status and body, or a failure mode."""

    body: bytes = b""
    status: int = 200
    mode: str = "normal"  # normal | truncated (declares the full length, sends half) | huge (50 MB, no length) | hold
    #: | drip (the whole body, declared, sent in small pieces spread over `seconds`: valid data, slowly)
    seconds: float = 0.0


class PriceServer:
    """A threaded HTTP server on 127.0.0.1 answering each path with its Reply (changeable while it runs)."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.requests: list[str] = []
        self.release = threading.Event()
        self.stopping = threading.Event()
        self.holding = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                server.requests.append(self.path)
                reply = server.replies.get(self.path, Reply(b"not found", 404))
                if reply.mode == "hold":
                    server.holding.set()
                    server.release.wait(30)
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/octet-stream")
                if reply.mode == "huge":
                    self.end_headers()
                    block = b" " * (1024 * 1024)
                    try:
                        for _ in range(HUGE_BYTES // len(block)):
                            self.wfile.write(block)
                    except (BrokenPipeError, ConnectionResetError):
                        return
                    return
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.mode == "drip":
                    self._drip(reply)
                    return
                self.wfile.write(reply.body[: len(reply.body) // 2] if reply.mode == "truncated" else reply.body)

            def _drip(self, reply: Reply) -> None:
                pieces = max(int(reply.seconds * 4), 1)
                step = -(-len(reply.body) // pieces)
                try:
                    for start in range(0, len(reply.body), step):
                        if server.stopping.wait(reply.seconds / pieces):
                            return  # the server is stopping
                        self.wfile.write(reply.body[start : start + step])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="price-server", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> PriceServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop answering and close the port (later requests are refused)."""
        self.stopping.set()
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
