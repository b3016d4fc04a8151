"""Opt-in exact counts from the vendors' count-tokens endpoints: off unless a key is set, tested only on loopback."""

from __future__ import annotations

import socket

import pytest

from calc.catalogue.price_fetch import SourceError
from calc.tokenizers import online
from calc.tokenizers.online import online_count, online_settings
from tests.count_server import CountServer

MESSAGES = [{"role": "system", "content": "You classify tickets."}, {"role": "user", "content": "Where is my parcel?"}]


def test_off_by_default_nothing_connects(monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: attempts.append(address))
    settings = online_settings({})
    assert settings.vendor_for("anthropic") is None and settings.vendor_for("google") is None
    assert online_count(MESSAGES, "anthropic", "claude-sonnet-5", settings) is None
    assert online_count(MESSAGES, "google", "gemini-3.5-flash", settings) is None
    assert attempts == []


def test_anthropic_count_tokens_on_a_loopback_fake():
    online._post.cache_clear()
    with CountServer(tokens=987) as server:
        settings = online_settings(
            {"EXPLORER_ANTHROPIC_COUNT_KEY": "sk-test", "EXPLORER_ANTHROPIC_COUNT_URL": server.url + "/v1/messages/count_tokens"}
        )
        result = online_count(MESSAGES, "anthropic", "anthropic:claude-sonnet-5", settings)
        again = online_count(MESSAGES, "anthropic", "anthropic:claude-sonnet-5", settings)
    assert (result.tokens, result.source, result.problem) == (987, "Anthropic count_tokens", "")
    assert again == result and len(server.requests) == 1  # an unchanged paste is not sent again
    sent = server.requests[0]
    assert sent["headers"]["x-api-key"] == "sk-test" and sent["headers"]["anthropic-version"] == "2023-06-01"
    assert sent["body"] == {
        "model": "claude-sonnet-5",
        "system": "You classify tickets.",
        "messages": [{"role": "user", "content": "Where is my parcel?"}],
    }
    assert online_count(MESSAGES, "google", "gemini-3.5-flash", settings) is None  # only the vendor switched on


def test_gemini_count_tokens_on_a_loopback_fake():
    online._post.cache_clear()
    with CountServer(tokens=55) as server:
        url = server.url + "/v1beta/models/{model}:countTokens"
        settings = online_settings({"EXPLORER_GEMINI_COUNT_KEY": "g-test", "EXPLORER_GEMINI_COUNT_URL": url})
        result = online_count(MESSAGES, "google", "google:gemini-3.5-flash", settings)
    assert (result.tokens, result.source) == (55, "Gemini countTokens")
    sent = server.requests[0]
    assert sent["path"] == "/v1beta/models/gemini-3.5-flash:countTokens" and sent["headers"]["x-goog-api-key"] == "g-test"
    request = sent["body"]["generateContentRequest"]
    assert request["systemInstruction"] == {"parts": [{"text": "You classify tickets."}]}
    assert request["contents"] == [{"role": "user", "parts": [{"text": "Where is my parcel?"}]}]


def test_a_failed_request_keeps_the_local_count_and_says_why():
    online._post.cache_clear()
    with CountServer(status=401) as server:
        settings = online_settings({"EXPLORER_ANTHROPIC_COUNT_KEY": "bad", "EXPLORER_ANTHROPIC_COUNT_URL": server.url + "/x"})
        result = online_count(MESSAGES, "anthropic", "claude-sonnet-5", settings)
    assert result.tokens is None and "401" in result.problem
    with pytest.raises(SourceError, match="not an http"):
        online_settings({"EXPLORER_ANTHROPIC_COUNT_KEY": "k", "EXPLORER_ANTHROPIC_COUNT_URL": "ftp://example"})
