"""Chat requests as people paste them: an OpenAI `messages` array or request body, or an Anthropic `{system, messages}`
body, read into plain {role, content} messages for counting.

Text blocks (`{"type": "text", "text": ...}`, tool results' text) are counted; images, files and tool calls are
not, and the result says how many were left out. OpenAI's `developer` role counts as system, `function` as tool.
A message may carry `"example": true` (this app's mark for the few-shot part) and `"name"`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ROLES = ("system", "user", "assistant", "tool")
_ROLE_ALIASES = {"developer": "system", "function": "tool"}


@dataclass(frozen=True)
class ChatBody:
    """Messages read from a pasted chat request, which format it was, and what was not counted."""

    messages: list[dict[str, object]]
    form: str  # "openai" (array or {"messages"}), "anthropic" ({system, messages})
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def last_user_index(self) -> int | None:
        """The position of the last user message: in a real request, the request's own input."""
        users = [i for i, m in enumerate(self.messages) if m["role"] == "user"]
        return users[-1] if users else None

    def rows(self, earlier_turns_are_examples: bool) -> list[dict[str, object]]:
        """The messages as rows with an `example` mark: those marked in the JSON, or else (with
        `earlier_turns_are_examples`) every user and assistant turn before the last user message."""
        if any(m.get("example") for m in self.messages) or not earlier_turns_are_examples:
            return [{**m, "example": bool(m.get("example"))} for m in self.messages]
        last = self.last_user_index
        return [
            {**m, "example": last is not None and i < last and m["role"] in ("user", "assistant")}
            for i, m in enumerate(self.messages)
        ]

    def note(self) -> str:
        """What was not counted, in words ('' when everything was)."""
        if not self.left_out:
            return ""
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.left_out.items()))
        return f"Not counted: {parts} (only text is counted)."


def _text(content: object, where: str, left_out: dict[str, int]) -> str:
    """A message's content as text: a string, or the text of its content blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        content = [content]
    if not isinstance(content, list):
        raise ValueError(f"{where}: content must be text or a list of content blocks, not {type(content).__name__}")
    texts = []
    for block in content:
        if isinstance(block, str):
            texts.append(block)
            continue
        if not isinstance(block, Mapping):
            raise ValueError(f"{where}: a content block must be an object, not {type(block).__name__}")
        kind = str(block.get("type") or "text")
        if kind in ("text", "input_text", "output_text") and isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif kind == "tool_result":
            texts.append(_text(block.get("content"), where, left_out))
        else:
            left_out[f"{kind} block(s)"] = left_out.get(f"{kind} block(s)", 0) + 1
    return "\n".join(texts)


def _message(raw: object, index: int, left_out: dict[str, int]) -> dict[str, object]:
    where = f"message {index}"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} is a {type(raw).__name__}, not an object with role and content")
    if "content" not in raw and "tool_calls" not in raw:
        raise ValueError(f"{where} has no 'content'")
    role = str(raw.get("role") or "user")
    role = _ROLE_ALIASES.get(role, role)
    if role not in ROLES:
        raise ValueError(f"{where} has role {raw.get('role')!r}; use one of {', '.join(ROLES)}")
    if raw.get("tool_calls"):
        left_out["tool call(s)"] = left_out.get("tool call(s)", 0) + len(raw["tool_calls"])
    message: dict[str, object] = {"role": role, "content": _text(raw.get("content"), where, left_out)}
    if isinstance(raw.get("name"), str) and raw["name"]:
        message["name"] = raw["name"]
    if raw.get("example"):
        message["example"] = True
    return message


def read_chat_body(value: object) -> ChatBody:
    """The messages of a pasted chat request; ValueError saying what is wrong with one that is not."""
    left_out: dict[str, int] = {}
    if isinstance(value, list):
        raw_messages, form, system = value, "openai", None
    elif isinstance(value, Mapping) and isinstance(value.get("messages"), list):
        raw_messages = value["messages"]
        system = value.get("system")
        form = "anthropic" if system is not None else "openai"
    else:
        raise ValueError('chat JSON must be a list of {"role", "content"} messages, {"messages": [...]}, or an '
                         'Anthropic body {"system", "messages"}')  # fmt: skip
    if not raw_messages:
        raise ValueError("the chat has no messages")
    messages = [_message(raw, index, left_out) for index, raw in enumerate(raw_messages, start=1)]
    if system is not None:
        messages.insert(0, {"role": "system", "content": _text(system, "system", left_out)})
    return ChatBody(messages, form, left_out)
