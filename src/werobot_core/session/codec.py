"""How a session ``dict`` is written into a store: JSON text, non-ASCII kept readable."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["decode", "encode", "legacy_key"]


def encode(value: Any) -> str:
    """The JSON text of a session; raises ``TypeError`` for a value JSON cannot hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes | bytearray | memoryview) -> Any:
    """The value stored as ``text`` (JSON, as ``str`` or UTF-8 bytes).

    The robot stores one ``dict`` per user; a value set directly (``storage.set(id, "x")``,
    which WeRoBot allowed) comes back as it was stored.
    """
    if isinstance(text, memoryview):
        text = text.tobytes()
    return json.loads(text)


def legacy_key(id: str) -> bytes:
    """The key WeRoBot 1.x stored for ``id``: the openid encoded as UTF-8 bytes."""
    return id.encode("utf-8")
