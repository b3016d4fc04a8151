"""A browserless Streamlit client: one session over the websocket protocol (`/_stcore/stream`), as a browser speaks it.

A session opens like a browser tab: it loads `/` (so a sticky proxy can set its cookie), connects the websocket with
the `streamlit` subprotocol, and asks for a script run with the page's query string and no widget states. A move
sets one select_slider's value the way Streamlit's frontend does (`string_array_value` holding the option's
formatted text, and the bound query parameter updated in the URL) and reruns; a run is timed from the BackMsg to
the ForwardMsg `script_finished`. Used by `bench/capacity.py` and `tests/deploy/`.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

SUCCESS = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
T = TypeVar("T")
UPSTREAM_HEADER = "X-Upstream"


class ProtocolError(Exception):
    """The server closed the session, did not finish a run in time, or finished it abnormally."""


@dataclass
class Run:
    """One script run as the client saw it: its duration, the metrics drawn, and what went wrong in it."""

    seconds: float
    messages: int = 0
    bytes: int = 0
    metrics: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Slider:
    """A select_slider found in the page: its widget id, its options as sent, and its bound query parameter."""

    widget_id: str
    options: list[str]
    query_param_key: str
    fragment_id: str = ""


class Session:
    """One client of a Streamlit server; `open`, then `move` a select_slider by key, then `close`."""

    def __init__(self, base_url: str, query: str = "", slider_key: str = "requests_per_day", timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.query = query
        self.slider_key = slider_key
        self.timeout = timeout
        self.cookie = ""
        self.session_id = ""
        self.page_script_hash = ""
        self.upstreams: list[str] = []
        self.slider: Slider | None = None
        self.widget_states: dict[str, list[str]] = {}
        self._ws: ClientConnection | None = None

    async def load_page(self) -> None:
        """GET `/` like a browser loading the app, keeping any cookie the server (or a proxy) sets."""
        status, headers = await asyncio.wait_for(http_get(self.base_url, "/", self._headers()), self.timeout)
        if status != 200:
            raise ProtocolError(f"GET / answered {status}")
        self._keep_cookies([value for name, value in headers if name == "set-cookie"])
        self._note_upstream(next((value for name, value in headers if name == UPSTREAM_HEADER.lower()), None))

    async def connect(self) -> None:
        """Open the websocket; a reconnect offers the previous session id, as the browser does."""
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        token = self._cookie_value("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
        protocols = ["streamlit", token, *([self.session_id] if self.session_id else [])]
        self._ws = await connect(
            ws_url,
            subprotocols=protocols,  # type: ignore[arg-type]
            additional_headers=self._headers(),
            origin=None,
            proxy=None,
            open_timeout=self.timeout,
            max_size=64 * 1024 * 1024,
            max_queue=None,
        )
        if self._ws.response is not None:
            self._note_upstream(self._ws.response.headers.get(UPSTREAM_HEADER))

    async def open(self) -> Run:
        """Load the page, connect, and run the page as a new tab does (the URL's query string, no widget states)."""
        await self.load_page()
        await self.connect()
        return await self.rerun()

    async def move(self, index: int) -> Run:
        """Set the slider to option `index` as the browser does, and rerun."""
        if self.slider is None:
            raise ProtocolError(f"no select_slider with key {self.slider_key!r} in the page")
        value = self.slider.options[index]
        self.widget_states[self.slider.widget_id] = [value]
        params = dict(urllib.parse.parse_qsl(self.query, keep_blank_values=True))
        params[self.slider.query_param_key or self.slider_key] = value
        self.query = urllib.parse.urlencode(params)
        return await self.rerun(self.slider.fragment_id)

    async def rerun(self, fragment_id: str = "") -> Run:
        """Ask for a script run with the widget states and query string this client holds; wait for it to finish.

        A widget drawn inside a fragment reruns only that fragment, as the browser asks with its fragment id.
        """
        if self._ws is None:
            raise ProtocolError("not connected")
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.context_info.url = f"{self.base_url}/?{self.query}" if self.query else f"{self.base_url}/"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        if fragment_id:
            state.fragment_id = fragment_id
        for widget_id, values in self.widget_states.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            widget.string_array_value.data.extend(values)
        start = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        run = await asyncio.wait_for(self._read_run(), self.timeout)
        run.seconds = time.perf_counter() - start
        return run

    async def _read_run(self) -> Run:
        run = Run(0.0)
        while True:
            if self._ws is None:
                raise ProtocolError("not connected")
            try:
                data = await self._ws.recv()
            except ConnectionClosed as closed:
                raise ProtocolError(f"the server closed the websocket ({closed})") from closed
            if isinstance(data, str):
                raise ProtocolError("text frame from the server")
            run.messages += 1
            run.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._read_delta(msg, run)
            elif kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                if msg.script_finished not in SUCCESS:
                    run.errors.append(f"script_finished status {ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)}")
                return run

    def _read_delta(self, msg: ForwardMsg, run: Run) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "metric":
            run.metrics[element.metric.label] = element.metric.body
        elif kind == "exception":
            run.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "slider" and element.slider.id.endswith(f"-{self.slider_key}"):
            slider = element.slider
            self.slider = Slider(slider.id, list(slider.options), slider.query_param_key, msg.delta.fragment_id)

    def cut(self) -> None:
        """Drop the connection without a closing handshake, as a network failure or a closed laptop lid does."""
        if self._ws is not None:
            self._ws.transport.abort()
            self._ws = None

    async def reconnect(self) -> Run:
        """Connect again (same cookie, same session id) and rerun with the widget states this client holds."""
        self.cut()
        await self.connect()
        return await self.rerun()

    async def close(self) -> None:
        """Close the websocket with a normal closing handshake."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def _headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie} if self.cookie else {}

    def _cookie_value(self, name: str) -> str:
        return self._cookie_jar().get(name, "")

    def _cookie_jar(self) -> dict[str, str]:
        return dict(part.split("=", 1) for part in self.cookie.split("; ") if "=" in part)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        jar = self._cookie_jar()
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            jar[name.strip()] = value.strip()
        self.cookie = "; ".join(f"{name}={value}" for name, value in jar.items())

    def _note_upstream(self, upstream: str | None) -> None:
        if upstream:
            self.upstreams.append(upstream)


async def http_get(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]]]:
    """A minimal HTTP/1.1 GET: the status and the response headers (lower-case names); the body is read and dropped."""
    url = urllib.parse.urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port or 80)
    try:
        lines = [f"GET {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        await reader.read()
    finally:
        writer.close()
    status = int(head[0].split()[1])
    fields = [line.split(":", 1) for line in head[1:] if ":" in line]
    return status, [(name.strip().lower(), value.strip()) for name, value in fields]


def run_clients(main: Coroutine[Any, Any, T]) -> T:
    """Run a load generator's coroutine on uvloop when installed (as the server runs), else on asyncio's own loop.

    The load generator shares this machine's cores with the server: the cheaper its loop, the less it takes from the
    server being measured.
    """
    try:
        import uvloop
    except ModuleNotFoundError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
