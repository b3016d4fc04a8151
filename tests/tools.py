"""What the browser and deploy tests need from the machine: fail in CI, skip elsewhere, when a tool is missing."""

import os

import pytest


def require_tool(present: bool, message: str) -> None:
    """Continue when the tool is `present`; else fail under CI=true (a missing tool there is a broken set-up) or skip."""
    if present:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
