"""Exact counts from the vendors' own count-tokens endpoints, for a server that opts in with a key.

Off by default: nothing here connects unless a setting names a key — EXPLORER_ANTHROPIC_COUNT_KEY (Anthropic's
`POST /v1/messages/count_tokens`, free and rate-limited; Anthropic calls its figure an estimate that matches billing
closely) or EXPLORER_GEMINI_COUNT_KEY (Gemini's `models/{model}:countTokens`). EXPLORER_ANTHROPIC_COUNT_URL and
EXPLORER_GEMINI_COUNT_URL point at an internal proxy instead of the vendor (the same rules as EXPLORER_PRICES_URL:
an http(s) URL, one-line failures, the local count stays in use when a request fails). A request sends the pasted
text to the vendor: only for a server whose operator chose that.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from calc.catalogue.price_fetch import SourceError, one_line
from calc.catalogue.price_sources import check_url
from calc.tokenizers.models import model_name

ENV_ANTHROPIC_KEY = "EXPLORER_ANTHROPIC_COUNT_KEY"
ENV_ANTHROPIC_URL = "EXPLORER_ANTHROPIC_COUNT_URL"
ENV_GEMINI_KEY = "EXPLORER_GEMINI_COUNT_KEY"
ENV_GEMINI_URL = "EXPLORER_GEMINI_COUNT_URL"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages/count_tokens"
GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta/models/{model}:countTokens"
TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 100_000


@dataclass(frozen=True)
class OnlineCounting:
    """Which vendors' count-tokens endpoints the server may call, with their keys and URLs (None: off)."""

    anthropic_key: str | None = None
    anthropic_url: str = ANTHROPIC_URL
    gemini_key: str | None = None
    gemini_url: str = GEMINI_URL

    def vendor_for(self, provider_id: str) -> str | None:
        """'anthropic' or 'google' when the provider's endpoint is switched on, else None."""
        if provider_id == "anthropic" and self.anthropic_key:
            return "anthropic"
        if provider_id == "google" and self.gemini_key:
            return "google"
        return None


@dataclass(frozen=True)
class OnlineCount:
    """A vendor's own count of a request's input tokens, or why there is none."""

    tokens: int | None
    source: str
    problem: str = ""


def online_settings(environ: Mapping[str, str]) -> OnlineCounting:
    """The settings from the environment: off unless a key is given; SourceError for a URL that is not http(s)."""
    gemini_url = (environ.get(ENV_GEMINI_URL) or GEMINI_URL).strip()
    check_url(gemini_url.replace("{model}", "model"), "Gemini count-tokens URL")
    return OnlineCounting(
        anthropic_key=(environ.get(ENV_ANTHROPIC_KEY) or "").strip() or None,
        anthropic_url=check_url(environ.get(ENV_ANTHROPIC_URL) or ANTHROPIC_URL, "Anthropic count-tokens URL"),
        gemini_key=(environ.get(ENV_GEMINI_KEY) or "").strip() or None,
        gemini_url=gemini_url,
    )


def _anthropic_body(messages: Sequence[Mapping[str, object]], model: str) -> dict[str, object]:
    system = "\n\n".join(str(m["content"]) for m in messages if m.get("role") == "system")
    turns = [
        {"role": "assistant" if m.get("role") == "assistant" else "user", "content": str(m.get("content") or "") or " "}
        for m in messages
        if m.get("role") != "system"
    ] or [{"role": "user", "content": " "}]
    return {"model": model, "messages": turns, **({"system": system} if system else {})}


def _gemini_body(messages: Sequence[Mapping[str, object]], model: str) -> dict[str, object]:
    system = "\n\n".join(str(m["content"]) for m in messages if m.get("role") == "system")
    contents = [
        {"role": "model" if m.get("role") == "assistant" else "user", "parts": [{"text": str(m.get("content") or "")}]}
        for m in messages
        if m.get("role") != "system"
    ] or [{"role": "user", "parts": [{"text": ""}]}]
    request: dict[str, object] = {"model": f"models/{model}", "contents": contents}
    if system:
        request["systemInstruction"] = {"parts": [{"text": system}]}
    return {"generateContentRequest": request}


@lru_cache(maxsize=64)
def _post(url: str, headers: tuple[tuple[str, str], ...], body: str, answer_key: str) -> int:
    """The vendor's count for one request body (cached: an unchanged paste is not sent again)."""
    import httpx2

    with httpx2.stream(
        "POST", url, content=body.encode("utf-8"), headers=dict(headers), timeout=httpx2.Timeout(TIMEOUT_S, connect=5.0)
    ) as response:
        response.raise_for_status()
        data = b""
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_ANSWER_BYTES:
                raise SourceError(f"the answer is over {MAX_ANSWER_BYTES:,} bytes")
    value = json.loads(data).get(answer_key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SourceError(f"the answer has no whole number {answer_key!r}")
    return value


def online_count(
    messages: Sequence[Mapping[str, object]], provider_id: str, model: str, settings: OnlineCounting
) -> OnlineCount | None:
    """The vendor's count of `messages` as one request to `model`; None when its endpoint is off (nothing sent)."""
    vendor = settings.vendor_for(provider_id)
    if vendor is None:
        return None
    name = model_name(model)
    if vendor == "anthropic":
        source = "Anthropic count_tokens"
        url = settings.anthropic_url
        headers = (("x-api-key", settings.anthropic_key or ""), ("anthropic-version", "2023-06-01"),
                   ("content-type", "application/json"))  # fmt: skip
        body, key = _anthropic_body(messages, name), "input_tokens"
    else:
        source = "Gemini countTokens"
        url = settings.gemini_url.replace("{model}", name)
        headers = (("x-goog-api-key", settings.gemini_key or ""), ("content-type", "application/json"))
        body, key = _gemini_body(messages, name), "totalTokens"
    try:
        return OnlineCount(_post(url, headers, json.dumps(body, sort_keys=True), key), source)
    except Exception as problem:  # any failure: the local count stays in use, and the page says why in one line
        return OnlineCount(None, source, one_line(problem))
