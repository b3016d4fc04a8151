"""A loopback stand-in for Anthropic's count_tokens and Gemini's countTokens endpoints (tests of the opt-in online
counts): it answers a fixed count, or an error status, and keeps every request it was sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CountServer:
    """Serves POST /v1/messages/count_tokens ({"input_tokens": n}) and POST /v1beta/models/M:countTokens
    ({"totalTokens": n}) on 127.0.0.1; `status` other than 200 answers that status instead."""

    def __init__(self, tokens: int = 1234, status: int = 200) -> None:
        self.tokens, self.status = tokens, status
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                owner.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body or b"{}")})
                key = "input_tokens" if self.path.endswith("count_tokens") else "totalTokens"
                answer = json.dumps({key: owner.tokens}).encode()
                self.send_response(owner.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CountServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
