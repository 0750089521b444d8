"""How a session ``dict`` is written into a store: JSON text, non-ASCII kept readable."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["decode", "encode", "legacy_key"]


def encode(value: dict[str, Any]) -> str:
    """The JSON text of a session; raises ``TypeError`` for a value JSON cannot hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes | bytearray | memoryview) -> dict[str, Any]:
    """The session stored as ``text`` (JSON, as ``str`` or UTF-8 bytes)."""
    if isinstance(text, memoryview):
        text = text.tobytes()
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"a stored session is a JSON object, not {type(value).__name__}")
    return value


def legacy_key(id: str) -> bytes:
    """The key WeRoBot 1.x stored for ``id``: the openid encoded as UTF-8 bytes."""
    return id.encode("utf-8")
